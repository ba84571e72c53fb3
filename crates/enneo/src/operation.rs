//! What every operation shares: its parameters' description, finding one by
//! name, and sending one with positional arguments. The operations
//! themselves are generated from the spec (`operations.rs`).

use std::str::FromStr;

use serde::de::DeserializeOwned;

use crate::{Error, FlexibleId, Operation, RawResponse, Result};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// A segment of the path, percent-encoded.
    Path,
    /// A query parameter.
    Query,
}

/// One parameter of an [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The spec's name, such as `customerId`.
    pub name: &'static str,
    /// The name in Rust and Python, such as `customer_id`.
    pub snake: &'static str,
    /// Path or query.
    pub location: In,
    /// Path parameters always are.
    pub required: bool,
    /// Its schema's type, which every argument is checked against.
    pub ty: crate::ParamType,
    /// An array in the query is the parameter once per item (`a=1&a=2`)
    /// rather than once with the items joined (`a=1,2`).
    pub explode: bool,
}

impl FromStr for Operation {
    type Err = Error;

    /// The spec's `operationId` (`getContract`) or the method name
    /// (`get_contract`).
    fn from_str(name: &str) -> Result<Self> {
        Operation::ALL
            .iter()
            .copied()
            .find(|o| o.operation_id() == name || o.method_name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Operation::ALL.iter().map(|o| o.operation_id()).collect();
                Error::InvalidArgument(format!(
                    "unknown operation {name:?}; the spec has {}",
                    known.join(", ")
                ))
            })
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.operation_id())
    }
}

impl Operation {
    /// [`Operation::method`] as the HTTP client takes it.
    pub(crate) fn http_method(self) -> reqwest::Method {
        reqwest::Method::from_bytes(self.method().as_bytes()).expect("a generated method is valid")
    }

    /// The path and query below the base URL for these arguments, given in
    /// the order of [`Operation::params`] (`None` leaves an optional one
    /// out), as they go on the wire ([`Operation::bind`] makes them from a
    /// binding's values). Each is checked by its type before anything is
    /// sent.
    pub fn target(self, args: &[Option<FlexibleId>]) -> Result<String> {
        let mut out = String::new();
        self.write_target(args, &mut out)?;
        Ok(out)
    }

    /// [`Operation::target`] appended to `out`, in one pass over the path
    /// template (what a lookup does: `out` starts as the base URL).
    pub(crate) fn write_target(self, args: &[Option<FlexibleId>], out: &mut String) -> Result<()> {
        let params = self.params();
        let missing = params
            .iter()
            .enumerate()
            .find(|(i, p)| p.required && args.get(*i).is_none_or(Option::is_none));
        if args.len() > params.len() || missing.is_some() {
            let required = params.iter().filter(|p| p.required).count();
            let names: Vec<&str> = params.iter().map(|p| p.name).collect();
            return Err(Error::InvalidArgument(format!(
                "{} takes {} ({}), got {} argument(s)",
                self.operation_id(),
                if required == params.len() {
                    format!("{required} argument(s)")
                } else {
                    format!("{required} to {} arguments", params.len())
                },
                names.join(", "),
                args.iter().flatten().count()
            )));
        }
        for (param, arg) in params.iter().zip(args) {
            if let Some(arg) = arg {
                crate::params::check_written(param, arg)?;
            }
        }
        let mut rest = self.path();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap_or(rest.len() - open - 1);
            let name = &rest[open + 1..close];
            let arg = params
                .iter()
                .zip(args)
                .find(|(p, _)| p.location == In::Path && p.name == name)
                .and_then(|(_, a)| a.as_ref());
            if let Some(arg) = arg {
                push_arg(out, arg);
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        let mut separator = '?';
        for (param, arg) in params.iter().zip(args) {
            let (In::Query, Some(arg)) = (param.location, arg) else {
                continue;
            };
            if let crate::ParamType::Array(_) = param.ty {
                // Items are joined by commas, each encoded on its own.
                let text = arg.as_text();
                let items = text.split(',');
                if param.explode {
                    for item in items {
                        out.push(separator);
                        separator = '&';
                        push_encoded(out, param.name);
                        out.push('=');
                        push_encoded(out, item);
                    }
                } else {
                    out.push(separator);
                    separator = '&';
                    push_encoded(out, param.name);
                    out.push('=');
                    for (i, item) in items.enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        push_encoded(out, item);
                    }
                }
                continue;
            }
            out.push(separator);
            separator = '&';
            push_encoded(out, param.name);
            out.push('=');
            push_arg(out, arg);
        }
        Ok(())
    }
}

/// Appends an argument, encoded; an integer is written as it is (its digits
/// and sign need no encoding), without a string of its own.
fn push_arg(out: &mut String, arg: &FlexibleId) {
    use std::fmt::Write;
    match arg {
        FlexibleId::Number(n) if n.is_i64() || n.is_u64() => {
            let _ = write!(out, "{n}");
        }
        other => push_encoded(out, &other.as_text()),
    }
}

/// Appends `text` as one percent-encoded path segment or query part.
fn push_encoded(out: &mut String, text: &str) {
    use std::fmt::Write;
    let _ = write!(out, "{}", crate::hooks::encoded_segment(text));
}

impl RawResponse {
    /// Decodes the body into an operation's model.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T> {
        serde_json::from_slice::<T>(&self.body).map_err(|e| Error::Decode {
            status: self.status,
            body: self.body,
            message: e.to_string(),
            attempts: self.attempts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_parse_from_their_id_or_method_name() {
        assert_eq!(
            "getCustomerByContractId".parse::<Operation>().unwrap(),
            Operation::GetCustomerByContractId
        );
        assert_eq!(
            "get_customer_by_ticket_id".parse::<Operation>().unwrap(),
            Operation::GetCustomerByTicketId
        );
        let e = "nope".parse::<Operation>().unwrap_err();
        assert!(e.to_string().contains("getCustomerByCustomerId"), "{e}");
    }

    #[test]
    fn targets_encode_each_argument_and_check_the_count() {
        let op = Operation::GetCustomerByCustomerId;
        assert_eq!(
            op.target(&[Some("a/b c".into())]).unwrap(),
            "/customer/byCustomerId/a%2Fb%20c"
        );
        assert!(op.target(&[]).is_err());
        assert!(op.target(&[Some("1".into()), Some("2".into())]).is_err());
        let e = op.target(&[Some("".into())]).unwrap_err();
        assert!(
            e.to_string().contains("customerId must not be empty"),
            "{e}"
        );
    }
}
