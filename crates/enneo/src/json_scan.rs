//! One pass over a response body that checks it is a single JSON object
//! and notes what a decoder in another language needs to know about it.
//!
//! The bindings decode bodies themselves (Python's native decoder,
//! JavaScript's `JSON.parse`), so a syntax error must be caught here, at the
//! call, and not later on first use of a field. Before this module the check
//! read each body three times (a whitespace skip, a UTF-8 pass and serde's
//! `IgnoredAny` parse) and Node's binding a fourth time for large integers.

/// Deepest nesting accepted: serde_json's own limit (its counter of 128
/// refuses the 128th level), so a body this check passes is one
/// `serde_json` parses too.
pub const MAX_JSON_DEPTH: usize = 127;

/// Digits of 2^53 − 1, the largest integer a 64-bit float holds exactly.
const MAX_SAFE_DIGITS: &[u8] = b"9007199254740991";

/// What the check learnt about a well-formed body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonScan {
    /// Some integer (no fraction, no exponent) lies beyond ±(2^53 − 1).
    pub big_integers: bool,
}

/// Checks that `body` is one JSON object (RFC 8259, UTF-8) with nothing
/// but whitespace around it.
pub(crate) fn scan_object(body: &[u8]) -> Result<JsonScan, String> {
    let mut s = Scanner::new(body);
    if s.next_token() != Some(b'{') {
        return Err("expected a JSON object".to_owned());
    }
    let checked = s.value().and_then(|()| s.end());
    match checked {
        Ok(()) => Ok(s.scan),
        Err(what) => Err(s.explain(what)),
    }
}

/// A step of the scan; the error says what was wrong at the scanner's
/// position, and costs the hot path no allocation.
pub(crate) type Step = Result<(), &'static str>;

pub(crate) const NOT_UTF8: &str = "the body is not UTF-8";

/// A position in a body, and the steps of its check. The Arrow decoder
/// (`arrow_columns.rs`) walks bodies with the same steps.
pub(crate) struct Scanner<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) i: usize,
    scan: JsonScan,
}

/// What an open container expects next.
#[derive(Clone, Copy)]
enum Open {
    Object,
    Array,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(body: &'a [u8]) -> Self {
        Scanner {
            s: body,
            i: 0,
            scan: JsonScan::default(),
        }
    }

    /// The next byte, whitespace skipped.
    pub(crate) fn next_token(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// Nothing but whitespace is left.
    pub(crate) fn end(&mut self) -> Step {
        self.skip_ws();
        match self.i == self.s.len() {
            true => Ok(()),
            false => Err("trailing characters after the object"),
        }
    }

    /// The message of a failed step, with where it failed.
    pub(crate) fn explain(&self, what: &'static str) -> String {
        match what {
            NOT_UTF8 => match std::str::from_utf8(self.s) {
                Err(e) => format!("{NOT_UTF8}: {e}"),
                Ok(_) => NOT_UTF8.to_owned(),
            },
            what => format!("{what} at byte {}", self.i),
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    pub(crate) fn colon(&mut self) -> Step {
        self.skip_ws();
        if self.peek() == Some(b':') {
            self.i += 1;
            Ok(())
        } else {
            Err("expected `:`")
        }
    }

    /// One value, containers walked with an explicit stack so that depth
    /// costs no recursion.
    pub(crate) fn value(&mut self) -> Step {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // At the start of a value.
            self.skip_ws();
            match self.peek() {
                Some(c @ (b'{' | b'[')) => {
                    let (kind, close) = match c {
                        b'{' => (Open::Object, b'}'),
                        _ => (Open::Array, b']'),
                    };
                    self.open(&mut stack, kind)?;
                    self.skip_ws();
                    if self.peek() == Some(close) {
                        self.i += 1;
                        stack.pop();
                    } else {
                        if let Open::Object = kind {
                            self.key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    self.string()?;
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(_) => return Err("expected a value"),
                None => return Err("unexpected end of the body"),
            }
            // After a value: close containers until one takes another item.
            loop {
                let Some(&top) = stack.last() else {
                    return Ok(());
                };
                self.skip_ws();
                match (top, self.peek()) {
                    (_, Some(b',')) => {
                        self.i += 1;
                        if let Open::Object = top {
                            self.key()?;
                        }
                        break;
                    }
                    (Open::Object, Some(b'}')) | (Open::Array, Some(b']')) => {
                        self.i += 1;
                        stack.pop();
                    }
                    (_, None) => return Err("unexpected end of the body"),
                    _ => return Err("expected `,` or the container's end"),
                }
            }
        }
    }

    fn open(&mut self, stack: &mut Vec<Open>, kind: Open) -> Step {
        if stack.len() == MAX_JSON_DEPTH {
            return Err("nested too deeply");
        }
        self.i += 1;
        stack.push(kind);
        Ok(())
    }

    /// An object key and its colon.
    fn key(&mut self) -> Step {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err("expected a string key");
        }
        self.string()?;
        self.colon()
    }

    pub(crate) fn literal(&mut self, word: &[u8]) -> Step {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err("expected a value")
        }
    }

    /// A string from its opening quote; its text must be UTF-8, which is
    /// checked in one call for a string that holds any non-ASCII byte.
    /// Whether it held an escape.
    pub(crate) fn string(&mut self) -> Result<bool, &'static str> {
        self.i += 1;
        let mut escaped = false;
        let start = self.i;
        let mut high = 0u64;
        loop {
            self.skip_plain_text(&mut high);
            let Some(&b) = self.s.get(self.i) else {
                return Err("unterminated string");
            };
            match b {
                b'"' => break,
                b'\\' => {
                    self.i += 1;
                    escaped = true;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.i += 1;
                        }
                        Some(b'u') => {
                            let hex = self.s.get(self.i + 1..self.i + 5);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return Err("invalid \\u escape");
                            }
                            self.i += 5;
                        }
                        _ => return Err("invalid escape"),
                    }
                }
                _ => return Err("control character in a string"),
            }
        }
        if high & 0x8080_8080_8080_8080 != 0 && std::str::from_utf8(&self.s[start..self.i]).is_err()
        {
            return Err(NOT_UTF8);
        }
        self.i += 1;
        Ok(escaped)
    }

    /// Moves to the next quote, backslash or control character of a string
    /// (or the end), gathering the bytes passed into `high`: eight at a
    /// time, since most of a body is string text.
    #[inline]
    fn skip_plain_text(&mut self, high: &mut u64) {
        while let Some(chunk) = self.s.get(self.i..self.i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let found = special_bytes(x);
            if found == 0 {
                *high |= x;
                self.i += 8;
                continue;
            }
            // The lowest flagged byte is exact (only bytes above a true
            // match can be flagged falsely).
            let n = found.trailing_zeros() / 8;
            *high |= x & ((1u64 << (n * 8)) - 1);
            self.i += n as usize;
            return;
        }
        while let Some(&b) = self.s.get(self.i) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return;
            }
            *high |= u64::from(b);
            self.i += 1;
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    pub(crate) fn number(&mut self) -> Step {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        let int_len = match self.peek() {
            Some(b'0') => {
                self.i += 1;
                1
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("expected a digit"),
        };
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            integer = false;
            if self.digits() == 0 {
                return Err("expected a digit after `.`");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err("expected a digit in the exponent");
            }
        }
        if integer && int_len >= MAX_SAFE_DIGITS.len() {
            let digits = &self.s[int_start..int_start + int_len];
            // Same length: byte order is numeric order (no leading zeros).
            if int_len > MAX_SAFE_DIGITS.len() || digits > MAX_SAFE_DIGITS {
                self.scan.big_integers = true;
            }
        }
        Ok(())
    }
}

/// The high bit of each byte of `x` (little-endian) that is `"`, `\\` or
/// below 0x20, by the classic "has a zero byte" test.
#[inline]
fn special_bytes(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    zero_in(x ^ (ONES * u64::from(b'"'))) | zero_in(x ^ (ONES * u64::from(b'\\'))) | below_space
}

#[cfg(test)]
mod tests {
    use super::{scan_object, JsonScan, MAX_JSON_DEPTH};

    fn ok(body: &str) -> JsonScan {
        scan_object(body.as_bytes()).unwrap_or_else(|e| panic!("{body:?}: {e}"))
    }

    #[test]
    fn accepts_objects_and_only_objects() {
        ok(r#" {"a":[1,-2.5e+3,0,true,false,null,{"b":"\u00e9\n\"é"}],"c":{}} "#);
        ok("{}");
        for bad in [
            "",
            " ",
            "[]",
            "1",
            "\"x\"",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{,}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":tru}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\t\"}",
            "{\"a\":[1 2]}",
            "{\"a\":1} {}",
            "{\"a\":[}",
            "{\"a\":1]",
            "{1:2}",
            "{\"a\":\"x}",
        ] {
            assert!(scan_object(bad.as_bytes()).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn strings_must_be_utf8_and_nothing_else_may_be_non_ascii() {
        assert!(scan_object(b"{\"a\":\"\xff\"}")
            .unwrap_err()
            .contains("UTF-8"));
        assert!(scan_object(b"{\"a\":\"\xc3\"}").is_err());
        assert!(scan_object("{\"a\":1}\u{a0}".as_bytes()).is_err());
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1] {
            let body = format!(
                "{{\"a\":{}1{}}}",
                "[".repeat(depth - 1),
                "]".repeat(depth - 1)
            );
            let serde = serde_json::from_str::<serde_json::Value>(&body).is_ok();
            assert_eq!(scan_object(body.as_bytes()).is_ok(), serde, "depth {depth}");
        }
    }

    #[test]
    fn big_integers_are_those_a_double_cannot_hold() {
        let big =
            |n: &str| ok(&format!("{{\"n\":{n},\"s\":\"12345678901234567890\"}}")).big_integers;
        for n in [
            "9007199254740991",
            "-9007199254740991",
            "1234567890123456",
            "1e300",
            "9007199254740993.0",
            "12345678901234567890e0",
        ] {
            assert!(!big(n), "{n}");
        }
        for n in [
            "9007199254740992",
            "-9007199254740993",
            "12345678901234567890",
            "123456789012345678901234567890",
        ] {
            assert!(big(n), "{n}");
        }
    }
}
