//! `customers_frame`'s shape: the customer batches of [`crate::arrow`]
//! turned into the flat table pandas and polars users get, one row per
//! customer, or per contract with its customer's columns. Done here, once,
//! so that every binding's frame has the same columns and the reshaping
//! costs no Python object per value.
//!
//! Columns, in order: `id` (the id looked up), `error` (the failed lookup's
//! message), `customer_<field>` and, with contracts, `contract_<field>`,
//! named by the models' snake_case fields. Ids and phone numbers stay their
//! exact text (`Utf8`, one type per column); timestamps become UTC
//! microseconds (`Timestamp(Microsecond, "UTC")`, what pandas and polars
//! call a UTC datetime). Lists, objects and free-form values, and each
//! object's `_extra` (as `…_extra`), come only with [`FrameShape::nested`].

use std::sync::Arc;

use arrow_array::builder::UInt32Builder;
use arrow_array::cast::AsArray;
use arrow_array::types::{TimestampMicrosecondType, TimestampSecondType};
use arrow_array::{make_array, Array, ArrayRef, RecordBatch, UInt32Array};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow_select::take::take;

use crate::arrow::{arrow_error, customer_schema, ERROR_MESSAGE_COLUMN, EXTRA_COLUMN, ID_COLUMN};
use crate::arrow_schema::{CONTRACT_COLUMNS, CUSTOMER_COLUMNS};
use crate::{Error, Result};

/// What a frame column of a model's field is (generated per field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// A string (ids and phone numbers: their exact text), number or
    /// boolean.
    Scalar,
    /// A timestamp: UTC microseconds in the frame.
    Time,
    /// A list, object or free-form value: only in a nested frame.
    Nested,
}

/// Which rows and columns a frame has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameShape {
    /// One row per contract (a customer without any keeps one row with
    /// empty contract columns); else one row per customer.
    pub contracts: bool,
    /// Also the lists, objects and free-form values, and `_extra`.
    pub nested: bool,
}

/// The schema of frames of this shape.
pub fn frame_schema(shape: FrameShape) -> Result<SchemaRef> {
    Ok(frame_batch(&RecordBatch::new_empty(customer_schema()), shape)?.schema())
}

/// One batch of [`crate::arrow::customer_schema`] as frame rows.
pub fn frame_batch(batch: &RecordBatch, shape: FrameShape) -> Result<RecordBatch> {
    let column = |name: &str| {
        batch
            .column_by_name(name)
            .cloned()
            .ok_or_else(|| internal(format!("no column {name}")))
    };
    let contracts = column("contracts")?;
    let (parents, children) = if shape.contracts {
        let (parents, children) = exploded(contracts.as_list::<i32>());
        (Some(parents), Some(children))
    } else {
        (None, None)
    };
    let rows = |a: &ArrayRef| -> Result<ArrayRef> {
        match &parents {
            Some(p) => take(a, p, None).map_err(arrow_error),
            None => Ok(a.clone()),
        }
    };
    let mut out = Columns::default();
    out.push("id", rows(&column(ID_COLUMN)?)?, FrameKind::Scalar);
    out.push(
        "error",
        rows(&column(ERROR_MESSAGE_COLUMN)?)?,
        FrameKind::Scalar,
    );
    for &(json, snake, kind) in CUSTOMER_COLUMNS {
        if (kind == FrameKind::Nested && !shape.nested) || (json == "contracts" && shape.contracts)
        {
            continue;
        }
        out.push(&format!("customer_{snake}"), rows(&column(json)?)?, kind);
    }
    if shape.nested {
        out.push(
            "customer_extra",
            rows(&column(EXTRA_COLUMN)?)?,
            FrameKind::Nested,
        );
    }
    if let Some(children) = &children {
        let values = contracts.as_list::<i32>().values();
        let taken = take(values, children, None).map_err(arrow_error)?;
        let contract = taken.as_struct();
        let field = |name: &str| -> Result<ArrayRef> {
            let child = contract
                .column_by_name(name)
                .ok_or_else(|| internal(format!("no contract column {name}")))?;
            // A row without a contract is null in every contract column.
            let nulls = NullBuffer::union(contract.nulls(), child.nulls());
            let data = child.to_data().into_builder().nulls(nulls).build();
            Ok(make_array(data.map_err(arrow_error)?))
        };
        for &(json, snake, kind) in CONTRACT_COLUMNS {
            if kind != FrameKind::Nested || shape.nested {
                out.push(&format!("contract_{snake}"), field(json)?, kind);
            }
        }
        if shape.nested {
            out.push("contract_extra", field(EXTRA_COLUMN)?, FrameKind::Nested);
        }
    }
    let schema = Arc::new(Schema::new(out.fields));
    RecordBatch::try_new(schema, out.arrays).map_err(arrow_error)
}

#[derive(Default)]
struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, name: &str, array: ArrayRef, kind: FrameKind) {
        let array = if kind == FrameKind::Time {
            utc_micros(&array)
        } else {
            array
        };
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
    }
}

/// For each frame row, the customer row it comes from and the index of its
/// contract among the list's values (null for a customer without any).
fn exploded(list: &arrow_array::ListArray) -> (UInt32Array, UInt32Array) {
    let offsets = list.value_offsets();
    let mut parents = UInt32Builder::with_capacity(offsets.len());
    let mut children = UInt32Builder::with_capacity(offsets.len());
    for row in 0..list.len() {
        let (start, end) = (offsets[row] as u32, offsets[row + 1] as u32);
        if list.is_null(row) || start == end {
            parents.append_value(row as u32);
            children.append_null();
            continue;
        }
        for i in start..end {
            parents.append_value(row as u32);
            children.append_value(i);
        }
    }
    (parents.finish(), children.finish())
}

/// A timestamp column as UTC microseconds; anything else as it is. Seconds
/// are within years 1 to 9999 (see `crate::arrow`), so they fit.
fn utc_micros(array: &ArrayRef) -> ArrayRef {
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => Arc::new(
            array
                .as_primitive::<TimestampSecondType>()
                .unary::<_, TimestampMicrosecondType>(|s| s * 1_000_000)
                .with_timezone("UTC"),
        ),
        DataType::Timestamp(TimeUnit::Microsecond, _) => Arc::new(
            array
                .as_primitive::<TimestampMicrosecondType>()
                .clone()
                .with_timezone("UTC"),
        ),
        _ => array.clone(),
    }
}

fn internal(message: String) -> Error {
    arrow_error(arrow_schema::ArrowError::SchemaError(message))
}
