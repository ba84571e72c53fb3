//! The human-readable customer summary.

use std::fmt::Write;

use enneo::Customer;

pub fn summary(c: &Customer) -> String {
    let mut out = String::new();
    let name = [c.firstname.as_deref(), c.lastname.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(
        out,
        "Customer {}: {}",
        c.id,
        if name.is_empty() { "(no name)" } else { &name }
    );
    if let Some(company) = &c.company {
        let _ = writeln!(out, "  Company:  {company}");
    }
    let contact = [
        c.email.clone(),
        c.phone.as_ref().map(|p| p.to_string()),
        c.address.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    if !contact.is_empty() {
        let _ = writeln!(out, "  Contact:  {contact}");
    }
    let tags: Vec<&str> = c
        .tags
        .iter()
        .flatten()
        .filter_map(|t| t.name.as_deref())
        .collect();
    if !tags.is_empty() {
        let _ = writeln!(out, "  Tags:     {}", tags.join(", "));
    }
    let contracts = c.contracts.as_deref().unwrap_or_default();
    let _ = writeln!(out, "  Contracts: {}", contracts.len());
    if contracts.is_empty() {
        return out;
    }
    let header = [
        "ID",
        "PRODUCT",
        "STATUS",
        "ENERGY",
        "DELIVERY ADDRESS",
        "DEPOSIT",
        "UNPAID",
        "START",
        "END",
    ];
    let rows: Vec<[String; 9]> = contracts
        .iter()
        .map(|k| {
            [
                text(k.id.as_ref().map(|i| i.to_string())),
                text(k.product_name.clone()),
                text(k.status.clone()),
                text(k.energy.clone()),
                text(k.delivery_address.clone()),
                money(k.monthly_deposit),
                money(k.unpaid_debt),
                date(k.start_date),
                date(k.end_date),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::from("   ");
        for (cell, w) in cells.iter().zip(&widths) {
            let _ = write!(s, " {cell:<w$}");
        }
        s.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(header.to_vec()));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r.iter().map(String::as_str).collect()));
    }
    out
}

fn text(v: Option<String>) -> String {
    v.unwrap_or_else(|| "-".into())
}

fn money(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2} €")).unwrap_or_else(|| "-".into())
}

/// Unix seconds to `YYYY-MM-DD` (UTC).
pub fn date(ts: Option<i64>) -> String {
    let Some(ts) = ts else { return "-".into() };
    let (y, m, d) = enneo::civil_date(ts.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::date(Some(1661990400)), "2022-09-01");
        assert_eq!(super::date(Some(0)), "1970-01-01");
        assert_eq!(super::date(Some(-86400)), "1969-12-31");
        assert_eq!(super::date(None), "-");
    }
}
