//! JSON bytes straight to Python objects, in one pass.
//!
//! What `json.loads` gives, faster, with object keys taken from a small
//! per-thread cache so that many customers share one string per key. Integers keep
//! every digit (beyond 64 bits through Python's `int`) and floats are
//! parsed correctly rounded, as Python's `float()` does. Input this parser
//! does not take (lone surrogate escapes, nesting deeper than
//! `MAX_DEPTH`) is handed to `json.loads`, so the result never depends on
//! which path ran.
//!
//! [`loads_object`] is the same decoder as the check of a response body:
//! what it returns, the core's check would have passed.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};

/// The core's limit, so that a body nested deeper takes the path below that
/// asks the core's check.
const MAX_DEPTH: usize = enneo::MAX_JSON_DEPTH;

/// Slots of the per-thread key cache; customers have a few dozen keys.
const KEY_SLOTS: usize = 512;
/// Longer keys are not cached.
const MAX_CACHED_KEY: usize = 64;

type KeySlot = Option<(Box<[u8]>, Py<PyString>)>;

thread_local! {
    /// Recently seen object keys and their Python strings: a hit costs a
    /// hash of the bytes and a compare, where interning costs a lookup in
    /// the interpreter's table and a UTF-8 decode.
    static KEYS: std::cell::RefCell<Vec<KeySlot>> =
        std::cell::RefCell::new((0..KEY_SLOTS).map(|_| None).collect());
}

fn fnv1a(bytes: &[u8]) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
    }
    h as usize
}

/// A Python `str` from UTF-8 bytes; invalid UTF-8 goes to the fallback.
fn py_str<'py>(py: Python<'py>, bytes: &[u8]) -> Result<Bound<'py, PyString>, Stop> {
    // SAFETY: the pointer and length describe a live slice; CPython copies
    // and validates the bytes and returns a new reference or NULL.
    let ptr = unsafe {
        pyo3::ffi::PyUnicode_FromStringAndSize(bytes.as_ptr().cast(), bytes.len() as isize)
    };
    if ptr.is_null() {
        // Clear the UnicodeDecodeError; json.loads will report its own.
        let _ = PyErr::take(py);
        return Err(Stop::Fallback);
    }
    // SAFETY: non-null new reference to a str.
    Ok(unsafe { Bound::from_owned_ptr(py, ptr).cast_into_unchecked() })
}

/// Why the fast path gave up.
enum Stop {
    /// Hand the whole document to `json.loads`.
    Fallback,
    Python(PyErr),
}

impl From<PyErr> for Stop {
    fn from(e: PyErr) -> Self {
        Stop::Python(e)
    }
}

type Parsed<'py> = Result<Bound<'py, PyAny>, Stop>;

struct Parser<'a, 'py> {
    py: Python<'py>,
    s: &'a [u8],
    i: usize,
}

/// Decodes one JSON document.
pub fn loads<'py>(py: Python<'py>, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    match (Parser { py, s: body, i: 0 }).document() {
        Ok(v) => Ok(v),
        Err(Stop::Python(e)) => Err(e),
        Err(Stop::Fallback) => py
            .import("json")?
            .call_method1("loads", (pyo3::types::PyBytes::new(py, body),)),
    }
}

/// A response body decoded into a `dict`, or the reason it is not one JSON
/// object, in the words of the core's check (`enneo::check_json_object`).
/// The usual body is read once; only one this parser does not take is
/// checked by the core, then handed to `json.loads`.
pub fn loads_object(py: Python<'_>, body: &[u8]) -> Result<Py<PyAny>, String> {
    let starts_as_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if starts_as_object {
        match (Parser { py, s: body, i: 0 }).document() {
            Ok(v) => return Ok(v.unbind()),
            Err(Stop::Python(e)) => return Err(e.to_string()),
            Err(Stop::Fallback) => {}
        }
    }
    enneo::check_json_object(body)?;
    loads(py, body)
        .map(Bound::unbind)
        .map_err(|e| e.to_string())
}

impl<'a, 'py> Parser<'a, 'py> {
    /// The whole input as one value, with nothing but whitespace after it.
    fn document(mut self) -> Parsed<'py> {
        let v = self.value(0)?;
        self.ws();
        if self.i == self.s.len() {
            Ok(v)
        } else {
            Err(Stop::Fallback)
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Stop::Fallback)
        }
    }

    fn value(&mut self, depth: usize) -> Parsed<'py> {
        self.ws();
        let py = self.py;
        match self.s.get(self.i) {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(self.string()?.into_any()),
            Some(b't') => {
                self.literal(b"true")?;
                Ok(PyBool::new(py, true).to_owned().into_any())
            }
            Some(b'f') => {
                self.literal(b"false")?;
                Ok(PyBool::new(py, false).to_owned().into_any())
            }
            Some(b'n') => {
                self.literal(b"null")?;
                Ok(py.None().into_bound(py))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(Stop::Fallback),
        }
    }

    fn object(&mut self, depth: usize) -> Parsed<'py> {
        if depth > MAX_DEPTH {
            return Err(Stop::Fallback);
        }
        self.i += 1;
        let dict = PyDict::new(self.py);
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(dict.into_any());
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(Stop::Fallback);
            }
            let key = self.key()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(Stop::Fallback);
            }
            self.i += 1;
            let value = self.value(depth)?;
            dict.set_item(key, value)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(dict.into_any());
                }
                _ => return Err(Stop::Fallback),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Parsed<'py> {
        if depth > MAX_DEPTH {
            return Err(Stop::Fallback);
        }
        self.i += 1;
        let list = PyList::empty(self.py);
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(list.into_any());
        }
        loop {
            list.append(self.value(depth)?)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(list.into_any());
                }
                _ => return Err(Stop::Fallback),
            }
        }
    }

    /// A key without escapes is interned; one with escapes is rare enough
    /// to take the general path.
    fn key(&mut self) -> Result<Bound<'py, PyString>, Stop> {
        let start = self.i + 1;
        let plain_end = self.s[start..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .map(|n| start + n);
        if let Some(end) = plain_end {
            if self.s[end] == b'"' {
                let bytes = &self.s[start..end];
                self.i = end + 1;
                if bytes.len() > MAX_CACHED_KEY {
                    return py_str(self.py, bytes);
                }
                let py = self.py;
                return KEYS.with(|cell| {
                    let mut slots = cell.borrow_mut();
                    let slot = &mut slots[fnv1a(bytes) % KEY_SLOTS];
                    if let Some((k, v)) = slot {
                        if **k == *bytes {
                            return Ok(v.bind(py).clone());
                        }
                    }
                    let key = py_str(py, bytes)?;
                    *slot = Some((bytes.into(), key.clone().unbind()));
                    Ok(key)
                });
            }
        }
        self.string()
    }

    fn string(&mut self) -> Result<Bound<'py, PyString>, Stop> {
        let start = self.i + 1;
        let mut j = start;
        // Fast path: no escapes.
        while let Some(&b) = self.s.get(j) {
            match b {
                b'"' => {
                    self.i = j + 1;
                    return py_str(self.py, &self.s[start..j]);
                }
                b'\\' => break,
                0..=0x1f => return Err(Stop::Fallback),
                _ => j += 1,
            }
        }
        let mut out: Vec<u8> = self.s[start..j].to_vec();
        loop {
            match self.s.get(j) {
                None => return Err(Stop::Fallback),
                Some(b'"') => {
                    self.i = j + 1;
                    return py_str(self.py, &out);
                }
                Some(b'\\') => {
                    let esc = *self.s.get(j + 1).ok_or(Stop::Fallback)?;
                    j += 2;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4(j)?;
                            j += 4;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A pair; a lone half is left to json.loads.
                                if self.s.get(j..j + 2) != Some(b"\\u") {
                                    return Err(Stop::Fallback);
                                }
                                let lo = self.hex4(j + 2)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(Stop::Fallback);
                                }
                                j += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(Stop::Fallback)?
                        }
                        _ => return Err(Stop::Fallback),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(&b) if b < 0x20 => return Err(Stop::Fallback),
                Some(&b) => {
                    out.push(b);
                    j += 1;
                }
            }
        }
    }

    fn hex4(&self, at: usize) -> Result<u32, Stop> {
        let digits = self.s.get(at..at + 4).ok_or(Stop::Fallback)?;
        let text = std::str::from_utf8(digits).map_err(|_| Stop::Fallback)?;
        u32::from_str_radix(text, 16).map_err(|_| Stop::Fallback)
    }

    fn number(&mut self) -> Parsed<'py> {
        let start = self.i;
        let mut j = start;
        let mut integer = true;
        while let Some(&b) = self.s.get(j) {
            match b {
                b'0'..=b'9' | b'-' | b'+' => {}
                b'.' | b'e' | b'E' => integer = false,
                _ => break,
            }
            j += 1;
        }
        self.i = j;
        let text = std::str::from_utf8(&self.s[start..j]).map_err(|_| Stop::Fallback)?;
        if !valid_number(text.as_bytes()) {
            return Err(Stop::Fallback);
        }
        let py = self.py;
        if integer {
            if let Ok(v) = text.parse::<i64>() {
                return Ok(pyo3::types::PyInt::new(py, v).into_any());
            }
            // Beyond 64 bits: Python's int keeps every digit.
            let int = py.get_type::<pyo3::types::PyInt>();
            return Ok(int.call1((text,))?);
        }
        let v: f64 = text
            .parse()
            .map_err(|_| Stop::Python(PyValueError::new_err("bad number")))?;
        Ok(PyFloat::new(py, v).into_any())
    }
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn valid_number(s: &[u8]) -> bool {
    let mut i = 0;
    let digits = |i: &mut usize| {
        let from = *i;
        while s.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    if s.get(i) == Some(&b'-') {
        i += 1;
    }
    if s.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == s.len()
}
