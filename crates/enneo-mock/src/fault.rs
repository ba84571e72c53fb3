//! Fault injection: what a request asks the mock to do wrong.
//!
//! A fault spec is `;`-separated items, taken from the `X-Mock-Fault` header,
//! the `mock_fault` query parameter, or a `/__fault/<spec>` path prefix (the
//! last works from any client without extra headers: put it in the base URL).
//!
//! | item | effect |
//! | --- | --- |
//! | `delay=MS` | wait before answering |
//! | `status=CODE` | answer with this status and a JSON error body |
//! | `retry-after=V` | send `Retry-After: V` (status defaults to 429) |
//! | `retry-after-ms=MS` | send `retry-after-ms: MS` (status defaults to 429) |
//! | `malformed` | 200 with a body that is not JSON |
//! | `body-hex=HEX` | 200 with exactly these bytes as the body (any bytes: for decoder tests) |
//! | `truncate` | 200 whose body stops halfway, then the connection closes |
//! | `drop` | close the connection without answering |
//! | `redirect=URL` | 302 to URL |
//! | `retry-after-date=S` | send `Retry-After` as the HTTP date S seconds from now (status defaults to 429) |
//! | `slow-body=MS` | 200 whose body stops halfway for MS before the rest |
//! | `pad=BYTES` | 200 with an unknown field of BYTES characters added to the customer |
//! | `reset` | 200 whose body stops halfway, then the connection is reset (RST) |
//! | `fail-first=N` | apply the fault to the first N requests for this path and spec only |

use std::time::Duration;

/// A parsed fault spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fault {
    /// Wait before answering.
    pub delay: Option<Duration>,
    /// Status to answer with.
    pub status: Option<u16>,
    /// `Retry-After` value to send.
    pub retry_after: Option<String>,
    /// `retry-after-ms` value to send.
    pub retry_after_ms: Option<String>,
    /// Answer 200 with a body that is not JSON.
    pub malformed: bool,
    /// Answer 200 with exactly these bytes.
    pub body: Option<Vec<u8>>,
    /// Answer 200 with half a body, then close.
    pub truncate: bool,
    /// Close without answering.
    pub drop: bool,
    /// Redirect target.
    pub redirect: Option<String>,
    /// `Retry-After` as an HTTP date this many seconds ahead.
    pub retry_after_date: Option<u64>,
    /// Pause in the middle of the body.
    pub slow_body: Option<Duration>,
    /// Size of an unknown field added to the customer.
    pub pad: Option<usize>,
    /// Half a body, then a reset.
    pub reset: bool,
    /// Only the first N matching requests get the fault.
    pub fail_first: Option<u32>,
}

/// Bytes from pairs of hex digits.
fn from_hex(text: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("fault item \"body-hex\" needs pairs of hex digits, got {text:?}");
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

impl Fault {
    /// Parses a spec; unknown items are an error so typos do not pass silently.
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let mut f = Fault::default();
        for item in spec.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (key, value) = match item.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (item, None),
            };
            fn need<'a>(key: &str, v: Option<&'a str>) -> Result<&'a str, String> {
                v.ok_or_else(|| format!("fault item {key:?} needs a value"))
            }
            let num = |v: Option<&str>| -> Result<u64, String> {
                need(key, v)?
                    .parse()
                    .map_err(|_| format!("fault item {key:?} needs a number"))
            };
            match key {
                "delay" => f.delay = Some(Duration::from_millis(num(value)?)),
                "status" => {
                    let n = num(value)?;
                    f.status = Some(
                        u16::try_from(n)
                            .ok()
                            .filter(|s| (100..=599).contains(s))
                            .ok_or_else(|| {
                                format!("fault item \"status\" must be 100 to 599, got {n}")
                            })?,
                    )
                }
                "retry-after" => f.retry_after = Some(need(key, value)?.to_owned()),
                "retry-after-ms" => f.retry_after_ms = Some(need(key, value)?.to_owned()),
                "malformed" => f.malformed = true,
                "body-hex" => f.body = Some(from_hex(need(key, value)?)?),
                "truncate" => f.truncate = true,
                "drop" => f.drop = true,
                "redirect" => f.redirect = Some(need(key, value)?.to_owned()),
                "retry-after-date" => f.retry_after_date = Some(num(value)?),
                "slow-body" => f.slow_body = Some(Duration::from_millis(num(value)?)),
                "pad" => {
                    let n = num(value)?;
                    f.pad = Some(
                        usize::try_from(n)
                            .ok()
                            .filter(|n| *n <= 64 << 20)
                            .ok_or_else(|| {
                                format!("fault item \"pad\" must be at most 64 MiB, got {n}")
                            })?,
                    )
                }
                "reset" => f.reset = true,
                "fail-first" => {
                    let n = num(value)?;
                    f.fail_first = Some(u32::try_from(n).map_err(|_| {
                        format!(
                            "fault item \"fail-first\" must be at most {}, got {n}",
                            u32::MAX
                        )
                    })?)
                }
                other => return Err(format!("unknown fault item {other:?}")),
            }
        }
        if f.status.is_none()
            && (f.retry_after.is_some()
                || f.retry_after_ms.is_some()
                || f.retry_after_date.is_some())
        {
            f.status = Some(429);
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_items() {
        let f = Fault::parse("status=503; fail-first=2;delay=10").unwrap();
        assert_eq!(f.status, Some(503));
        assert_eq!(f.fail_first, Some(2));
        assert_eq!(f.delay, Some(Duration::from_millis(10)));
        assert_eq!(Fault::parse("retry-after=1").unwrap().status, Some(429));
        assert!(Fault::parse("explode").is_err());
        assert!(Fault::parse("status=x").is_err());
        let body = Fault::parse("body-hex=7b7dff").unwrap().body;
        assert_eq!(body.as_deref(), Some(&b"{}\xff"[..]));
        for bad in ["body-hex=7", "body-hex=zz", "body-hex"] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn out_of_range_numbers_are_rejected_not_truncated() {
        let e = Fault::parse("status=70000").unwrap_err();
        assert!(e.contains("100 to 599") && e.contains("70000"), "{e}");
        assert!(Fault::parse("status=99").is_err());
        assert!(Fault::parse("status=600").is_err());
        assert_eq!(Fault::parse("status=599").unwrap().status, Some(599));
        let e = Fault::parse("fail-first=4294967296").unwrap_err();
        assert!(e.contains("4294967296"), "{e}");
        assert_eq!(
            Fault::parse("fail-first=4294967295").unwrap().fail_first,
            Some(u32::MAX)
        );
        // Beyond u64 the number does not parse at all.
        assert!(Fault::parse("delay=99999999999999999999").is_err());
    }
}
