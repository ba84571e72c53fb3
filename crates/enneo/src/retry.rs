//! When to retry and how long to wait, the way the Stainless SDKs do it.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

const INITIAL_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
/// A server asking for longer than this is not waited for; the usual backoff
/// applies instead, so one bad header cannot stall a caller for minutes.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether a response with this status is worth another attempt: 408, 409,
/// 429 and 5xx. Their errors reach a caller only when the retries ran out.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// The wait before retry number `retry` (0-based): what the server asked
/// for, if it asked for something sane, else exponential backoff with jitter.
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>) -> Duration {
    if let Some(d) = headers.and_then(server_delay) {
        if d <= MAX_RETRY_AFTER {
            // Up to 10% more, so that the requests refused together do not
            // all come back at the same instant.
            return d.mul_f64(1.0 + 0.1 * fastrand::f64());
        }
    }
    let base = INITIAL_DELAY
        .saturating_mul(1u32 << retry.min(16))
        .min(MAX_DELAY);
    // Up to 25% less, so that many clients retrying at once spread out.
    let jitter = 1.0 - 0.25 * fastrand::f64();
    base.mul_f64(jitter)
}

/// Reads `retry-after-ms`, then `Retry-After` as seconds or an HTTP date.
pub(crate) fn server_delay(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for retry in 0..10 {
            let d = delay(retry, None);
            let base = INITIAL_DELAY.saturating_mul(1 << retry).min(MAX_DELAY);
            assert!(d <= base && d >= base.mul_f64(0.75), "retry {retry}: {d:?}");
        }
        assert!(delay(30, None) <= MAX_DELAY);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(
            server_delay(&headers(&[("retry-after", "2".into())])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_delay(&headers(&[
                ("retry-after-ms", "150".into()),
                ("retry-after", "9".into())
            ])),
            Some(Duration::from_millis(150))
        );
        let future = SystemTime::now() + Duration::from_secs(5);
        let d = server_delay(&headers(&[(
            "retry-after",
            httpdate::fmt_http_date(future),
        )]))
        .unwrap();
        assert!(
            d <= Duration::from_secs(5) && d >= Duration::from_secs(3),
            "{d:?}"
        );
        assert_eq!(
            server_delay(&headers(&[("retry-after", "soon".into())])),
            None
        );
    }

    #[test]
    fn absurd_retry_after_falls_back_to_backoff() {
        let d = delay(0, Some(&headers(&[("retry-after", "3600".into())])));
        assert!(d <= INITIAL_DELAY);
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 409, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 422] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }
}
