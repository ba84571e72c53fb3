//! The columns of [`crate::arrow::CustomerBatches`], filled straight from a
//! response body's bytes.
//!
//! One pass over the body, with the steps of the body check
//! (`json_scan.rs`): each value goes to its column as it is read, and no
//! JSON tree is built in between. Building one (a `serde_json::Value` per
//! body, a string per number to keep every digit) cost more than the
//! lookup itself. A value that does not fit its column, and a field the
//! spec does not name, go to the object's `_extra` as their JSON text,
//! whitespace left out; a list with one item that does not fit goes there
//! whole. A body that is not JSON leaves no trace in any column: the row's
//! columns are cut back to where they were before it.

use std::sync::Arc;

use arrow_array::types::{TimestampMicrosecondType, TimestampSecondType};
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, ListArray, PrimitiveArray, StringArray,
    StructArray,
};
use arrow_buffer::{BooleanBufferBuilder, Buffer, NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Fields, TimeUnit};

use crate::json_scan::{Scanner, Step};

/// Marks a `Utf8` field that holds a free-form value's JSON text.
pub(crate) const JSON_TEXT: &str = "enneo.json_text";

/// What reading a value gave: `Ok(true)` it was appended, `Ok(false)` it
/// does not fit the column (read past, nothing appended), `Err` the body
/// is not JSON.
type Fit = Result<bool, &'static str>;

/// The columns of an object's fields, its `_extra` last.
pub(crate) struct Columns {
    fields: Fields,
    /// The fields' names, to match keys against.
    names: Vec<Box<[u8]>>,
    columns: Vec<Column>,
    rows: usize,
    /// Which fields the object being read has set.
    filled: Vec<bool>,
    /// The field after the last one matched: servers send fields in one
    /// order, so this is nearly always the next key.
    hint: usize,
}

impl Columns {
    pub(crate) fn new(fields: Fields) -> Self {
        let columns: Vec<Column> = fields.iter().map(|f| Column::new(f)).collect();
        Columns {
            names: fields.iter().map(|f| f.name().as_bytes().into()).collect(),
            filled: vec![false; columns.len()],
            fields,
            columns,
            rows: 0,
            hint: 0,
        }
    }

    /// Appends the row of a response body, a JSON object; when the body
    /// is anything else, appends nothing and says what is wrong.
    pub(crate) fn push_body(&mut self, body: &[u8]) -> Result<(), String> {
        let mark = self.rows;
        let mut s = Scanner::new(body);
        if s.next_token() != Some(b'{') {
            return Err("the body is not a JSON object".to_owned());
        }
        self.read_object(&mut s)
            .and_then(|()| s.end())
            .map_err(|what| {
                self.truncate(mark);
                s.explain(what)
            })
    }

    pub(crate) fn push_null(&mut self) {
        self.columns.iter_mut().for_each(Column::push_null);
        self.rows += 1;
    }

    pub(crate) fn finish(&mut self) -> Result<Vec<ArrayRef>, ArrowError> {
        self.rows = 0;
        let fields = self.fields.clone();
        self.columns
            .iter_mut()
            .zip(fields.iter())
            .map(|(c, f)| c.finish(f))
            .collect()
    }

    fn truncate(&mut self, rows: usize) {
        self.columns.iter_mut().for_each(|c| c.truncate(rows));
        self.rows = rows;
    }

    fn find(&mut self, key: &[u8]) -> Option<usize> {
        let named = self.names.len() - 1; // `_extra` is not a key
        let k = match self.names.get(self.hint) {
            Some(name) if self.hint < named && **name == *key => self.hint,
            _ => self.names[..named].iter().position(|n| **n == *key)?,
        };
        self.hint = k + 1;
        Some(k)
    }

    /// Reads the object at `s` (at its `{`) into a row.
    fn read_object(&mut self, s: &mut Scanner) -> Step {
        s.i += 1;
        let named = self.columns.len() - 1;
        self.filled.fill(false);
        self.hint = 0;
        let mut extra: Vec<u8> = Vec::new();
        if s.next_token() == Some(b'}') {
            s.i += 1;
        } else {
            loop {
                if s.next_token() != Some(b'"') {
                    return Err("expected a string key");
                }
                let key_start = s.i;
                let escaped = s.string()?;
                let key = &s.s[key_start..s.i];
                s.colon()?;
                let k = match escaped {
                    false => self.find(&key[1..key.len() - 1]),
                    true => {
                        let mut name = Vec::new();
                        unescape(&key[1..key.len() - 1], &mut name)?;
                        self.find(&name)
                    }
                };
                s.skip_ws();
                let start = s.i;
                let kept = match k {
                    Some(k) if !self.filled[k] => {
                        self.filled[k] = true;
                        let fits = self.columns[k].read(s)?;
                        if !fits {
                            self.columns[k].push_null();
                        }
                        fits
                    }
                    // Not named, or named twice: the first stays in its
                    // column.
                    _ => {
                        s.value()?;
                        false
                    }
                };
                if !kept {
                    extra.push(if extra.is_empty() { b'{' } else { b',' });
                    extra.extend_from_slice(key);
                    extra.push(b':');
                    compact(&s.s[start..s.i], &mut extra);
                }
                match s.next_token() {
                    Some(b',') => s.i += 1,
                    Some(b'}') => {
                        s.i += 1;
                        break;
                    }
                    None => return Err("unexpected end of the body"),
                    Some(_) => return Err("expected `,` or the container's end"),
                }
            }
        }
        for k in 0..named {
            if !self.filled[k] {
                self.columns[k].push_null();
            }
        }
        match &mut self.columns[named] {
            Column::Text(t) if !extra.is_empty() => {
                extra.push(b'}');
                t.append(&extra)?;
            }
            other => other.push_null(),
        }
        self.rows += 1;
        Ok(())
    }
}

/// A text column's values end to end, and where each ends.
struct Text {
    offsets: Vec<i32>,
    bytes: Vec<u8>,
    valid: NullBufferBuilder,
}

impl Text {
    fn new() -> Self {
        Text {
            offsets: vec![0],
            bytes: Vec::new(),
            valid: NullBufferBuilder::new(0),
        }
    }

    /// `text` must be UTF-8: every caller passes bytes the scanner checked.
    fn append(&mut self, text: &[u8]) -> Step {
        self.bytes.extend_from_slice(text);
        self.end_value()
    }

    fn end_value(&mut self) -> Step {
        let end = i32::try_from(self.bytes.len()).map_err(|_| "a batch's text passes 2 GiB")?;
        self.offsets.push(end);
        self.valid.append_non_null();
        Ok(())
    }

    fn push_null(&mut self) {
        self.offsets.push(self.offsets.last().copied().unwrap_or(0));
        self.valid.append_null();
    }

    fn truncate(&mut self, rows: usize) {
        self.offsets.truncate(rows + 1);
        self.bytes
            .truncate(self.offsets.last().copied().unwrap_or(0) as usize);
        self.valid.truncate(rows);
    }

    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        let offsets = take(&mut self.offsets);
        self.offsets.push(0);
        Ok(Arc::new(StringArray::try_new(
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            Buffer::from_vec(take(&mut self.bytes)),
            self.valid.finish(),
        )?))
    }
}

/// A column of fixed-width values.
struct Values<T> {
    values: Vec<T>,
    valid: NullBufferBuilder,
}

impl<T: Copy + Default> Values<T> {
    fn new() -> Self {
        Values {
            values: Vec::new(),
            valid: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, v: T) {
        self.values.push(v);
        self.valid.append_non_null();
    }

    fn push_null(&mut self) {
        self.values.push(T::default());
        self.valid.append_null();
    }

    fn truncate(&mut self, rows: usize) {
        self.values.truncate(rows);
        self.valid.truncate(rows);
    }

    fn take(&mut self) -> (ScalarBuffer<T>, Option<arrow_buffer::NullBuffer>)
    where
        T: arrow_buffer::ArrowNativeType,
    {
        (
            ScalarBuffer::from(take(&mut self.values)),
            self.valid.finish(),
        )
    }
}

/// `v`'s values, leaving room for as many in `v` for the next batch. A
/// finished batch lives as long as its reader keeps it, so it does not
/// keep the spare room a growing `Vec` has.
fn take<T>(v: &mut Vec<T>) -> Vec<T> {
    let n = v.len();
    let mut values = std::mem::replace(v, Vec::with_capacity(n));
    values.shrink_to_fit();
    values
}

/// One column being built.
enum Column {
    Text(Text),
    /// A free-form value's JSON text.
    Json(Text),
    Int(Values<i64>),
    Float(Values<f64>),
    Seconds(Values<i64>),
    Micros(Values<i64>),
    Bool {
        values: BooleanBufferBuilder,
        valid: NullBufferBuilder,
    },
    Struct {
        columns: Columns,
        valid: NullBufferBuilder,
    },
    List {
        item: FieldRef,
        offsets: Vec<i32>,
        values: Box<Column>,
        valid: NullBufferBuilder,
    },
}

impl Column {
    fn new(field: &Field) -> Self {
        if field.metadata().contains_key(JSON_TEXT) {
            return Column::Json(Text::new());
        }
        match field.data_type() {
            DataType::Int64 => Column::Int(Values::new()),
            DataType::Float64 => Column::Float(Values::new()),
            DataType::Boolean => Column::Bool {
                values: BooleanBufferBuilder::new(0),
                valid: NullBufferBuilder::new(0),
            },
            DataType::Timestamp(TimeUnit::Second, _) => Column::Seconds(Values::new()),
            DataType::Timestamp(_, _) => Column::Micros(Values::new()),
            DataType::Struct(fields) => Column::Struct {
                columns: Columns::new(fields.clone()),
                valid: NullBufferBuilder::new(0),
            },
            DataType::List(item) => Column::List {
                item: item.clone(),
                offsets: vec![0],
                values: Box::new(Column::new(item)),
                valid: NullBufferBuilder::new(0),
            },
            _ => Column::Text(Text::new()),
        }
    }

    /// Reads the value at `s` (whitespace skipped) into the column.
    fn read(&mut self, s: &mut Scanner) -> Fit {
        let start = s.i;
        let Some(c) = s.peek() else {
            return Err("unexpected end of the body");
        };
        if c == b'n' {
            s.literal(b"null")?;
            self.push_null();
            return Ok(true);
        }
        let number = matches!(c, b'-' | b'0'..=b'9');
        match self {
            Column::Json(t) => {
                s.value()?;
                compact(&s.s[start..s.i], &mut t.bytes);
                t.end_value()?;
            }
            Column::Text(t) => match c {
                b'"' => {
                    let escaped = s.string()?;
                    let inner = &s.s[start + 1..s.i - 1];
                    match escaped {
                        false => t.bytes.extend_from_slice(inner),
                        true => unescape(inner, &mut t.bytes)?,
                    }
                    t.end_value()?;
                }
                // A number's text as sent: every digit.
                _ if number => {
                    s.number()?;
                    t.append(&s.s[start..s.i])?;
                }
                b't' => {
                    s.literal(b"true")?;
                    t.append(b"true")?;
                }
                b'f' => {
                    s.literal(b"false")?;
                    t.append(b"false")?;
                }
                _ => return misfit(s),
            },
            Column::Int(v) if number => match integer(s)? {
                Some(n) => v.append(n),
                None => return Ok(false),
            },
            Column::Seconds(v) if number => match integer(s)?.filter(in_years) {
                Some(n) => v.append(n),
                None => return Ok(false),
            },
            Column::Float(v) if number => {
                s.number()?;
                let x: Option<f64> = ascii(&s.s[start..s.i]).parse().ok();
                match x.filter(|x| x.is_finite()) {
                    Some(x) => v.append(x),
                    None => return Ok(false),
                }
            }
            Column::Bool { values, valid } if c == b't' || c == b'f' => {
                s.literal(if c == b't' { b"true" } else { b"false" })?;
                values.append(c == b't');
                valid.append_non_null();
            }
            Column::Micros(v) if c == b'"' => {
                let escaped = s.string()?;
                let inner = &s.s[start + 1..s.i - 1];
                let t = match escaped {
                    false => micros(inner),
                    true => {
                        let mut text = Vec::new();
                        unescape(inner, &mut text)?;
                        micros(&text)
                    }
                };
                match t {
                    Some(t) => v.append(t),
                    None => return Ok(false),
                }
            }
            Column::Struct { columns, valid } if c == b'{' => {
                columns.read_object(s)?;
                valid.append_non_null();
            }
            Column::List {
                offsets,
                values,
                valid,
                ..
            } if c == b'[' => {
                let mark = values.len();
                s.i += 1;
                if s.next_token() == Some(b']') {
                    s.i += 1;
                } else {
                    loop {
                        s.skip_ws();
                        if !values.read(s)? {
                            // A list is kept whole: read it again, past
                            // its end, for `_extra`.
                            values.truncate(mark);
                            s.i = start;
                            s.value()?;
                            return Ok(false);
                        }
                        match s.next_token() {
                            Some(b',') => s.i += 1,
                            Some(b']') => {
                                s.i += 1;
                                break;
                            }
                            None => return Err("unexpected end of the body"),
                            Some(_) => return Err("expected `,` or the container's end"),
                        }
                    }
                }
                let end =
                    i32::try_from(values.len()).map_err(|_| "a batch's list passes 2^31 items")?;
                offsets.push(end);
                valid.append_non_null();
            }
            _ => return misfit(s),
        }
        Ok(true)
    }

    /// Rows appended since the last finish.
    fn len(&self) -> usize {
        match self {
            Column::Text(t) | Column::Json(t) => t.offsets.len() - 1,
            Column::Int(v) | Column::Seconds(v) | Column::Micros(v) => v.values.len(),
            Column::Float(v) => v.values.len(),
            Column::Bool { values, .. } => values.len(),
            Column::Struct { columns, .. } => columns.rows,
            Column::List { offsets, .. } => offsets.len() - 1,
        }
    }

    fn push_null(&mut self) {
        match self {
            Column::Text(t) | Column::Json(t) => t.push_null(),
            Column::Int(v) | Column::Seconds(v) | Column::Micros(v) => v.push_null(),
            Column::Float(v) => v.push_null(),
            Column::Bool { values, valid } => {
                values.append(false);
                valid.append_null();
            }
            Column::Struct { columns, valid } => {
                columns.push_null();
                valid.append_null();
            }
            Column::List { offsets, valid, .. } => {
                offsets.push(offsets.last().copied().unwrap_or(0));
                valid.append_null();
            }
        }
    }

    /// Drops the rows after the first `rows`.
    fn truncate(&mut self, rows: usize) {
        match self {
            Column::Text(t) | Column::Json(t) => t.truncate(rows),
            Column::Int(v) | Column::Seconds(v) | Column::Micros(v) => v.truncate(rows),
            Column::Float(v) => v.truncate(rows),
            Column::Bool { values, valid } => {
                values.truncate(rows);
                valid.truncate(rows);
            }
            Column::Struct { columns, valid } => {
                columns.truncate(rows);
                valid.truncate(rows);
            }
            Column::List {
                offsets,
                values,
                valid,
                ..
            } => {
                offsets.truncate(rows + 1);
                values.truncate(offsets.last().copied().unwrap_or(0) as usize);
                valid.truncate(rows);
            }
        }
    }

    fn finish(&mut self, field: &Field) -> Result<ArrayRef, ArrowError> {
        Ok(match self {
            Column::Text(t) | Column::Json(t) => t.finish()?,
            Column::Int(v) => {
                let (values, nulls) = v.take();
                Arc::new(Int64Array::try_new(values, nulls)?)
            }
            Column::Float(v) => {
                let (values, nulls) = v.take();
                Arc::new(Float64Array::try_new(values, nulls)?)
            }
            Column::Seconds(v) => {
                let (values, nulls) = v.take();
                Arc::new(
                    PrimitiveArray::<TimestampSecondType>::try_new(values, nulls)?
                        .with_data_type(field.data_type().clone()),
                )
            }
            Column::Micros(v) => {
                let (values, nulls) = v.take();
                Arc::new(
                    PrimitiveArray::<TimestampMicrosecondType>::try_new(values, nulls)?
                        .with_data_type(field.data_type().clone()),
                )
            }
            Column::Bool { values, valid } => {
                Arc::new(BooleanArray::new(values.finish(), valid.finish()))
            }
            Column::Struct { columns, valid } => {
                let DataType::Struct(fields) = field.data_type() else {
                    return Err(ArrowError::SchemaError(format!(
                        "{} is built as a struct",
                        field.name()
                    )));
                };
                Arc::new(StructArray::try_new(
                    fields.clone(),
                    columns.finish()?,
                    valid.finish(),
                )?)
            }
            Column::List {
                item,
                offsets,
                values,
                valid,
            } => {
                let offsets =
                    OffsetBuffer::new(ScalarBuffer::from(std::mem::replace(offsets, vec![0])));
                let values = values.finish(item)?;
                Arc::new(ListArray::try_new(
                    item.clone(),
                    offsets,
                    values,
                    valid.finish(),
                )?)
            }
        })
    }
}

/// Reads past a value that does not fit.
fn misfit(s: &mut Scanner) -> Fit {
    s.value()?;
    Ok(false)
}

/// A number that is an integer within 64 bits, or `None` (read past).
fn integer(s: &mut Scanner) -> Result<Option<i64>, &'static str> {
    let start = s.i;
    s.number()?;
    Ok(ascii(&s.s[start..s.i]).parse().ok())
}

/// A number's bytes, which are ASCII.
fn ascii(number: &[u8]) -> &str {
    std::str::from_utf8(number).unwrap_or_default()
}

/// A Unix timestamp in seconds within the years 1 to 9999, which RFC 3339
/// and the tools that read the column (Python's `datetime`, pandas with a
/// unit other than nanoseconds) can show; another goes to `_extra`.
fn in_years(seconds: &i64) -> bool {
    const FIRST: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
    const LAST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    (FIRST..=LAST).contains(seconds)
}

/// An RFC 3339 date-time as microseconds since the epoch.
fn micros(text: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(text).ok()?;
    if !enneo_schema::is_date_time(text) {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_micros())
}

/// Appends a JSON value's text without the whitespace between its tokens.
fn compact(value: &[u8], out: &mut Vec<u8>) {
    let (mut in_string, mut escape) = (false, false);
    for &b in value {
        if in_string {
            out.push(b);
            match b {
                _ if escape => escape = false,
                b'\\' => escape = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            out.push(b);
            in_string = b == b'"';
        }
    }
}

/// Appends the text of a JSON string's inside (checked by the scanner),
/// its escapes decoded. A `\u` escape of half a surrogate pair has no
/// UTF-8 form and fails the body, as in serde_json.
fn unescape(inner: &[u8], out: &mut Vec<u8>) -> Step {
    let mut i = 0;
    while i < inner.len() {
        let Some(at) = inner[i..].iter().position(|&b| b == b'\\') else {
            out.extend_from_slice(&inner[i..]);
            break;
        };
        out.extend_from_slice(&inner[i..i + at]);
        i += at + 1;
        let c = match inner.get(i) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = hex4(inner, i + 1)?;
                i += 4;
                let code = match hi {
                    0xD800..=0xDBFF if inner.get(i + 1..i + 3) == Some(b"\\u") => {
                        let lo = hex4(inner, i + 3)?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return Err("lone leading surrogate in a \\u escape");
                        }
                        i += 6;
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    0xD800..=0xDFFF => return Err("lone surrogate in a \\u escape"),
                    code => code,
                };
                char::from_u32(code).ok_or("invalid \\u escape")?
            }
            _ => return Err("invalid escape"),
        };
        i += 1;
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    Ok(())
}

/// The four hex digits at `at`.
fn hex4(s: &[u8], at: usize) -> Result<u32, &'static str> {
    s.get(at..at + 4)
        .and_then(|h| std::str::from_utf8(h).ok())
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or("invalid \\u escape")
}

#[cfg(test)]
mod tests {
    use super::{compact, unescape, Columns};
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;
    use arrow_array::{Array, ArrayRef, StructArray};
    use arrow_schema::{DataType, Field, Fields};
    use std::sync::Arc;

    /// `{a: text, n: int, l: [{v: int}]}`, each object with its `_extra`.
    fn columns() -> Columns {
        let item = Fields::from(vec![
            Field::new("v", DataType::Int64, true),
            crate::arrow::extra(),
        ]);
        let item = Arc::new(Field::new("item", DataType::Struct(item), true));
        Columns::new(Fields::from(vec![
            Field::new("a", DataType::Utf8, true),
            Field::new("n", DataType::Int64, true),
            Field::new("l", DataType::List(item), true),
            crate::arrow::extra(),
        ]))
    }

    fn rows(bodies: &[&str]) -> (StructArray, Vec<Result<(), String>>) {
        let mut c = columns();
        let read = bodies.iter().map(|b| {
            let r = c.push_body(b.as_bytes());
            if r.is_err() {
                c.push_null();
            }
            r
        });
        let read: Vec<_> = read.collect();
        let arrays: Vec<ArrayRef> = c.finish().unwrap();
        (StructArray::new(c.fields.clone(), arrays, None), read)
    }

    fn text(a: &StructArray, column: &str, row: usize) -> Option<String> {
        let c = a.column_by_name(column).unwrap().as_string::<i32>();
        c.is_valid(row).then(|| c.value(row).to_owned())
    }

    #[test]
    fn a_body_that_breaks_off_leaves_no_trace_in_any_column() {
        let (a, read) = rows(&[
            r#"{"a":"x","l":[{"v":1},{"v":2}],"n":tru}"#,
            r#"{"a":"y","l":[{"v":3}]}"#,
            r#"{"a":"z"} x"#,
            r#"[1]"#,
        ]);
        assert!(read[0]
            .as_ref()
            .unwrap_err()
            .contains("expected a value at byte 35"));
        assert!(read[1].is_ok());
        assert!(read[2]
            .as_ref()
            .unwrap_err()
            .contains("trailing characters"));
        assert_eq!(
            read[3].as_ref().unwrap_err(),
            "the body is not a JSON object"
        );
        assert_eq!(a.len(), 4);
        assert_eq!(text(&a, "a", 0), None);
        assert_eq!(text(&a, "a", 1).as_deref(), Some("y"));
        assert_eq!(text(&a, "a", 2), None);
        let l = a.column_by_name("l").unwrap().as_list::<i32>();
        // Only the second body's item is left among the list's values.
        assert_eq!(l.values().len(), 1);
        assert_eq!(l.value_offsets(), &[0, 0, 1, 1, 1]);
        let v = l
            .values()
            .as_struct()
            .column(0)
            .as_primitive::<Int64Type>()
            .value(0);
        assert_eq!(v, 3);
    }

    #[test]
    fn a_list_with_an_item_that_does_not_fit_goes_whole_to_extra() {
        let (a, read) = rows(&[r#"{"l": [{"v": 1}, "oops"], "n": 1.5, "a": {"b": 1}}"#]);
        assert!(read[0].is_ok());
        let l = a.column_by_name("l").unwrap().as_list::<i32>();
        assert!(l.is_null(0));
        assert_eq!(l.values().len(), 0);
        assert!(a.column_by_name("n").unwrap().is_null(0));
        assert_eq!(
            text(&a, "_extra", 0).as_deref(),
            Some(r#"{"l":[{"v":1},"oops"],"n":1.5,"a":{"b":1}}"#)
        );
    }

    #[test]
    fn a_key_sent_twice_keeps_its_first_value_and_the_repeat_in_extra() {
        let (a, _) = rows(&[r#"{"a":"x","\u0061":"y","n":7,"new":[1]}"#]);
        assert_eq!(text(&a, "a", 0).as_deref(), Some("x"));
        assert_eq!(
            text(&a, "_extra", 0).as_deref(),
            Some(r#"{"\u0061":"y","new":[1]}"#)
        );
        let n = a.column_by_name("n").unwrap().as_primitive::<Int64Type>();
        assert_eq!(n.value(0), 7);
    }

    fn unescaped(s: &str) -> Result<String, &'static str> {
        let mut out = Vec::new();
        unescape(s.as_bytes(), &mut out).map(|()| String::from_utf8(out).unwrap())
    }

    #[test]
    fn escapes_decode_as_json_defines_them() {
        assert_eq!(unescaped(r#"a\"b\\c\/d\n\t"#).unwrap(), "a\"b\\c/d\n\t");
        assert_eq!(unescaped(r"M\u00fcller \ud83d\ude00").unwrap(), "Müller 😀");
        assert_eq!(unescaped(r"\u0000x").unwrap(), "\0x");
        assert!(unescaped(r"\ud83d").is_err());
        assert!(unescaped(r"\ud83dx").is_err());
        assert!(unescaped(r"\ude00").is_err());
        assert!(unescaped(r"\ud83d\u0041").is_err());
    }

    #[test]
    fn compact_text_drops_only_the_whitespace_between_tokens() {
        let mut out = Vec::new();
        compact(br#"{ "a b" : [1, 2.50 ,"x\" y"],"c":	null }"#, &mut out);
        assert_eq!(out, br#"{"a b":[1,2.50,"x\" y"],"c":null}"#);
    }
}
