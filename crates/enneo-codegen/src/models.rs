//! Model declarations for the Python and Node packages, from the spec's
//! component schemas, so that no field list is copied by hand.

use serde_yaml::Value;

/// What a property holds, as far as the bindings care.
#[derive(Debug, Clone)]
pub enum Kind {
    Str,
    Int,
    Float,
    Bool,
    Timestamp,
    /// `format: date-time`: Python `datetime.datetime`, TS and Rust the text.
    DateTime,
    /// `format: date`: Python `datetime.date`.
    Date,
    /// `format: uuid`: Python `uuid.UUID`.
    Uuid,
    /// A string enum; a value the spec does not list is kept as sent.
    Enum(Vec<String>),
    Flex,
    Phone,
    /// An object without named properties; with `additionalProperties`
    /// given a schema, a map of that.
    Map(Option<Box<Kind>>),
    Any,
    Model(String),
    List(Box<Kind>),
}

pub struct Field {
    pub json: String,
    pub snake: String,
    pub kind: Kind,
    pub required: bool,
    pub doc: String,
}

pub struct Model {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

const SCALAR_SCHEMAS: [&str; 5] = [
    "PathId",
    "FlexibleId",
    "NullableFlexibleId",
    "Phone",
    "Error",
];

/// The object schemas of the spec, in spec order, each followed by the
/// models its inline objects make (named as progenitor names them: the
/// parent's name and the property's, in PascalCase).
pub fn models(spec: &Value) -> Vec<Model> {
    let schemas = spec["components"]["schemas"]
        .as_mapping()
        .expect("components.schemas");
    let mut out = Vec::new();
    for (name, schema) in schemas {
        let name = name.as_str().expect("schema name");
        if SCALAR_SCHEMAS.contains(&name) {
            continue;
        }
        model(spec, name, schema, &mut out);
    }
    out
}

/// The properties of an object schema, `allOf` parts merged, and its
/// required names.
fn properties<'a>(
    spec: &'a Value,
    schema: &'a Value,
) -> (Vec<(&'a Value, &'a Value)>, Vec<&'a str>) {
    let mut props = Vec::new();
    let mut required = Vec::new();
    let parts: Vec<&Value> = match schema["allOf"].as_sequence() {
        Some(all) => all
            .iter()
            .map(|p| ref_name(p).map_or(p, |r| &spec["components"]["schemas"][r]))
            .collect(),
        None => vec![schema],
    };
    for part in parts {
        if let Some(r) = part["required"].as_sequence() {
            required.extend(r.iter().filter_map(Value::as_str));
        }
        if let Some(p) = part["properties"].as_mapping() {
            props.extend(p.iter());
        }
    }
    (props, required)
}

fn model(spec: &Value, name: &str, schema: &Value, out: &mut Vec<Model>) {
    let (props, required) = properties(spec, schema);
    let mut nested = Vec::new();
    let fields = props
        .into_iter()
        .map(|(k, v)| {
            let json = k.as_str().expect("property name").to_owned();
            let inline = format!("{name}{}", pascal(&json));
            let kind = kind(v, &inline, &mut nested);
            let mut doc = describe(spec, v);
            if let Kind::Enum(values) = &kind {
                let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                doc = format!(
                    "{doc} One of {}; other values are kept as sent.",
                    listed.join(", ")
                )
                .trim()
                .to_owned();
            }
            Field {
                snake: snake(&json),
                kind,
                required: required.contains(&json.as_str()),
                doc,
                json,
            }
        })
        .collect();
    out.push(Model {
        name: name.to_owned(),
        doc: text(&schema["description"]),
        fields,
    });
    for (inline, schema) in nested {
        model(spec, &inline, schema, out);
    }
}

fn pascal(camel: &str) -> String {
    let mut c = camel.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn ref_name(v: &Value) -> Option<&str> {
    v["$ref"].as_str().and_then(|r| r.rsplit('/').next())
}

/// The kind of `v`; an inline object with properties (or an `allOf`) joins
/// `nested`, to become a model named `inline`.
fn kind<'a>(v: &'a Value, inline: &str, nested: &mut Vec<(String, &'a Value)>) -> Kind {
    if let Some(r) = ref_name(v) {
        return match r {
            "FlexibleId" | "NullableFlexibleId" | "PathId" => Kind::Flex,
            "Phone" => Kind::Phone,
            other => Kind::Model(other.to_owned()),
        };
    }
    if let Some(all) = v["allOf"].as_sequence() {
        if let [one] = all.as_slice() {
            return kind(one, inline, nested);
        }
        nested.push((inline.to_owned(), v));
        return Kind::Model(inline.to_owned());
    }
    match (v["type"].as_str(), v["format"].as_str()) {
        (Some("string"), _) if v["enum"].is_sequence() => Kind::Enum(enum_values(&v["enum"])),
        (Some("string"), Some("date-time")) => Kind::DateTime,
        (Some("string"), Some("date")) => Kind::Date,
        (Some("string"), Some("uuid")) => Kind::Uuid,
        (Some("string"), _) => Kind::Str,
        (Some("integer"), _) if v["x-enneo-timestamp"].as_bool() == Some(true) => Kind::Timestamp,
        (Some("integer"), _) => Kind::Int,
        (Some("number"), _) => Kind::Float,
        (Some("boolean"), _) => Kind::Bool,
        (Some("array"), _) => Kind::List(Box::new(kind(&v["items"], inline, nested))),
        (Some("object"), _) if v["properties"].is_mapping() => {
            nested.push((inline.to_owned(), v));
            Kind::Model(inline.to_owned())
        }
        (Some("object"), _) => Kind::Map(
            v["additionalProperties"]
                .is_mapping()
                .then(|| Box::new(kind(&v["additionalProperties"], inline, nested))),
        ),
        _ => Kind::Any,
    }
}

fn describe(spec: &Value, v: &Value) -> String {
    let own = text(&v["description"]);
    if !own.is_empty() {
        return own;
    }
    ref_name(v)
        .map(|r| text(&spec["components"]["schemas"][r]["description"]))
        .unwrap_or_default()
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The values of a string schema's `enum` list, in the spec's order (a
/// nullable enum's `null` left out).
pub fn enum_values(list: &Value) -> Vec<String> {
    list.as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

pub fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `bindings/python/python/enneo/_models.py`
pub fn python(models: &[Model]) -> String {
    let mut s = String::from(
        "# @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n# run `make generate` instead.\n\"\"\"The API's models: read-only views over the JSON the server sent.\"\"\"\n\nfrom __future__ import annotations\n\nimport datetime\nfrom typing import Any, Dict, List, Optional\n\nfrom uuid import UUID\n\nfrom ._base import FlexibleId, Model, Phone, _date, _datetime, _float, _list_of, _map_of, _ts, _uuid\n\n__all__ = [",
    );
    s.push_str(
        &models
            .iter()
            .map(|m| format!("\"{}\"", m.name))
            .collect::<Vec<_>>()
            .join(", "),
    );
    s.push_str("]\n");
    for m in models {
        s.push_str(&format!(
            "\n\nclass {}(Model):\n    \"\"\"{}\"\"\"\n\n    __slots__ = ()\n",
            m.name,
            py_doc(&m.doc)
        ));
        let pairs: Vec<String> = m
            .fields
            .iter()
            .map(|f| format!("(\"{}\", \"{}\")", f.snake, f.json))
            .collect();
        s.push_str(&format!(
            "    _fields = ({}{})\n",
            pairs.join(", "),
            if pairs.len() == 1 { "," } else { "" }
        ));
        for f in &m.fields {
            let (ty, expr) = py_access(f);
            let ty = if f.required {
                ty
            } else {
                format!("Optional[{ty}]")
            };
            s.push_str(&format!(
                "\n    @property\n    def {}(self) -> {ty}:\n        \"\"\"{}\"\"\"\n        return {expr}\n",
                f.snake,
                py_doc(&f.doc)
            ));
        }
    }
    s
}

fn py_doc(d: &str) -> String {
    let d = d.replace('\\', "\\\\").replace("\"\"\"", "'''");
    match d {
        d if d.is_empty() => "(undocumented)".into(),
        d if d.ends_with('"') => format!("{d} "),
        d => d,
    }
}

/// The Python type of a kind, as its property returns it.
fn py_type(kind: &Kind) -> String {
    match kind {
        Kind::Str | Kind::Enum(_) => "str".into(),
        Kind::Int => "int".into(),
        Kind::Bool => "bool".into(),
        Kind::Float => "float".into(),
        Kind::Timestamp | Kind::DateTime => "datetime.datetime".into(),
        Kind::Date => "datetime.date".into(),
        Kind::Uuid => "UUID".into(),
        Kind::Flex => "FlexibleId".into(),
        Kind::Phone => "Phone".into(),
        Kind::Map(None) => "Dict[str, Any]".into(),
        Kind::Map(Some(v)) => format!("Dict[str, {}]", py_type(v)),
        Kind::Any => "Any".into(),
        Kind::Model(n) => n.clone(),
        Kind::List(item) => format!("List[{}]", py_type(item)),
    }
}

/// The converter that turns a JSON value into the kind's Python value, or
/// None when the JSON value is already it.
fn py_convert(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Float => Some("_float".into()),
        Kind::Timestamp => Some("_ts".into()),
        Kind::DateTime => Some("_datetime".into()),
        Kind::Date => Some("_date".into()),
        Kind::Uuid => Some("_uuid".into()),
        Kind::Model(n) => Some(n.clone()),
        Kind::List(item) => py_convert(item).map(|c| format!("_list_of({c})")),
        Kind::Map(Some(v)) => py_convert(v).map(|c| format!("_map_of({c})")),
        _ => None,
    }
}

fn py_access(f: &Field) -> (String, String) {
    let get = format!("self._data.get(\"{}\")", f.json);
    let ty = py_type(&f.kind);
    let expr = match &f.kind {
        // Ids and phones stay the int or str the server sent: a wrapper that
        // equals both forms cannot keep Python's hash contract.
        Kind::Flex if f.required => format!("self._data[\"{}\"]", f.json),
        Kind::Model(n) => format!("self._one(\"{}\", {n})", f.json),
        Kind::List(item) if matches!(**item, Kind::Model(_)) => {
            format!("self._many(\"{}\", {})", f.json, py_type(item))
        }
        // Converted values are made once per model and kept.
        kind => match py_convert(kind) {
            Some(c) if matches!(kind, Kind::List(_) | Kind::Map(_)) => {
                format!("self._converted(\"{}\", {c})", f.json)
            }
            Some(c) => format!("{c}({get})"),
            None => get,
        },
    };
    (ty, expr)
}

fn ts_type(kind: &Kind) -> String {
    match kind {
        Kind::Str | Kind::DateTime | Kind::Date | Kind::Uuid => "string".to_owned(),
        // The listed values, and any other string a newer server sends.
        Kind::Enum(values) => format!(
            "{} | (string & {{}})",
            values
                .iter()
                .map(|v| format!("'{}'", v.replace('\'', "\\'")))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Kind::Int | Kind::Timestamp => "Int".to_owned(),
        Kind::Float => "number".to_owned(),
        Kind::Bool => "boolean".to_owned(),
        Kind::Flex => "FlexibleId".to_owned(),
        Kind::Phone => "Phone".to_owned(),
        Kind::Map(None) => "Record<string, unknown>".to_owned(),
        Kind::Map(Some(v)) => format!("Record<string, {}>", ts_type(v)),
        Kind::Any => "unknown".to_owned(),
        Kind::Model(n) => n.clone(),
        Kind::List(item) => match **item {
            Kind::Enum(_) => format!("({})[]", ts_type(item)),
            _ => format!("{}[]", ts_type(item)),
        },
    }
}

/// `bindings/node/ts/models.ts`
pub fn typescript(models: &[Model]) -> String {
    let mut s = String::from(
        "// @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n// run `make generate` instead.\n\n/**\n * An integer as the API sent it. One beyond Number.MAX_SAFE_INTEGER arrives\n * as a string of its exact digits, so that nothing is rounded and\n * `JSON.stringify` gives back what the server sent.\n */\nexport type Int = number | string;\n/**\n * An id the API sends as an integer or a string, kept in the form sent\n * (integers beyond Number.MAX_SAFE_INTEGER as exact-digit strings).\n * Compare ids with `sameId(a, b)`: `123` and `\"123\"` are the same id.\n */\nexport type FlexibleId = string | number;\n/** A phone number sent as an integer or a string, kept in the form sent. */\nexport type Phone = string | number;\n",
    );
    for m in models {
        s.push_str(&format!(
            "\n/** {} */\nexport interface {} {{\n",
            ts_doc(&m.doc),
            m.name
        ));
        for f in &m.fields {
            let ty = ts_type(&f.kind);
            let doc = match f.kind {
                Kind::Timestamp => format!("{} (Unix seconds)", ts_doc(&f.doc)),
                Kind::DateTime => format!("{} (ISO 8601 date-time, as sent)", ts_doc(&f.doc))
                    .trim()
                    .to_owned(),
                Kind::Date => format!("{} (ISO 8601 date, as sent)", ts_doc(&f.doc))
                    .trim()
                    .to_owned(),
                _ => ts_doc(&f.doc),
            };
            if f.required {
                s.push_str(&format!("  /** {doc} */\n  {}: {ty};\n", f.json));
            } else {
                s.push_str(&format!("  /** {doc} */\n  {}?: {ty} | null;\n", f.json));
            }
        }
        s.push_str("}\n");
    }
    s
}

fn ts_doc(d: &str) -> String {
    d.replace("*/", "* /")
}

const RS_START: &str = "// --- models: generated by make generate from openapi.yaml ---\n";
const RS_END: &str = "// --- end of generated models ---\n";

/// `crates/enneo/src/lib.rs` with every model re-exported at the crate root.
pub fn rust_exports(current: &str, models: &[Model]) -> Result<String, String> {
    let mut names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
    names.sort_unstable();
    let mut block = String::from(RS_START);
    block.push_str("pub use generated::types::{\n");
    let mut line = String::from("   ");
    for name in names {
        if line.len() + name.len() + 2 > 99 {
            block.push_str(line.trim_end());
            block.push('\n');
            line = String::from("   ");
        }
        line.push_str(&format!(" {name},"));
    }
    block.push_str(line.trim_end());
    block.push_str("\n};\n");
    block.push_str(RS_END);
    crate::errors::splice(current, RS_START, RS_END, &block, "crates/enneo/src/lib.rs")
}

const PY_START: &str = "# --- models: generated by make generate from openapi.yaml ---\n";
const PY_END: &str = "# --- end of generated models ---\n";

/// The package's `__init__.py` with every model imported and in `__all__`
/// (`Customer` comes from `_customer`, with its conveniences).
/// Request bodies' `TypedDict`s (`params`) come from `_operations`.
pub fn python_exports(
    current: &str,
    models: &[Model],
    params: &[String],
) -> Result<String, String> {
    let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
    let imported: Vec<&str> = names.iter().copied().filter(|n| *n != "Customer").collect();
    let quoted: Vec<String> = names
        .iter()
        .copied()
        .chain(params.iter().map(String::as_str))
        .map(|n| format!("\"{n}\""))
        .collect();
    let from_operations = if params.is_empty() {
        String::new()
    } else {
        format!(
            "from ._operations import {}  # noqa: E402\n",
            params.join(", ")
        )
    };
    let block = format!(
        "{PY_START}from ._models import {}  # noqa: E402\n{from_operations}\n__all__ += [{}]\n{PY_END}",
        imported.join(", "),
        quoted.join(", ")
    );
    crate::errors::splice(current, PY_START, PY_END, &block, "enneo/__init__.py")
}
