//! The per-operation surface of every language, from the spec's GET
//! operations: the core's `Operation` table and typed `Client` methods, the
//! Python and TypeScript methods, the mock's routes and the README's table.
//! Hand-written code in each language holds only what is not per operation.

use serde_yaml::Value;

use crate::models::{enum_values, snake};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum In {
    Path,
    Query,
}

pub struct Param {
    pub name: String,
    pub snake: String,
    pub location: In,
    pub required: bool,
    pub doc: String,
    pub ty: PType,
    /// An array in the query once per item (OpenAPI's default for `form`).
    pub explode: bool,
}

/// A parameter's type, as `enneo::ParamType` has it.
#[derive(Debug, Clone, PartialEq)]
pub enum PType {
    Id,
    Str,
    Integer,
    Number,
    Boolean,
    Enum(Vec<String>),
    DateTime,
    Date,
    Uuid,
    Array(Box<PType>),
}

impl PType {
    /// The Rust expression of the `enneo::ParamType`.
    fn rust(&self) -> String {
        match self {
            PType::Id => "crate::ParamType::Id".into(),
            PType::Str => "crate::ParamType::String".into(),
            PType::Integer => "crate::ParamType::Integer".into(),
            PType::Number => "crate::ParamType::Number".into(),
            PType::Boolean => "crate::ParamType::Boolean".into(),
            PType::Enum(v) => format!(
                "crate::ParamType::Enum(&[{}])",
                v.iter().map(|x| rs_str(x)).collect::<Vec<_>>().join(", ")
            ),
            PType::DateTime => "crate::ParamType::DateTime".into(),
            PType::Date => "crate::ParamType::Date".into(),
            PType::Uuid => "crate::ParamType::Uuid".into(),
            PType::Array(i) => format!("crate::ParamType::Array(&{})", i.rust()),
        }
    }

    /// The Python annotation of an argument.
    fn python(&self) -> String {
        match self {
            PType::Id => "Union[int, str]".into(),
            PType::Str => "str".into(),
            PType::Integer => "int".into(),
            PType::Number => "float".into(),
            PType::Boolean => "bool".into(),
            PType::Enum(v) => format!(
                "Literal[{}]",
                v.iter()
                    .map(|x| format!("{x:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PType::DateTime => "Union[datetime.datetime, str]".into(),
            PType::Date => "Union[datetime.date, str]".into(),
            PType::Uuid => "Union[uuid.UUID, str]".into(),
            PType::Array(i) => format!("Sequence[{}]", i.python()),
        }
    }

    /// The TypeScript type of an argument.
    fn typescript(&self) -> String {
        match self {
            PType::Id => "Id".into(),
            PType::Str | PType::Date | PType::Uuid => "string".into(),
            PType::Integer | PType::Number => "number".into(),
            PType::Boolean => "boolean".into(),
            PType::Enum(v) => v
                .iter()
                .map(|x| format!("'{x}'"))
                .collect::<Vec<_>>()
                .join(" | "),
            PType::DateTime => "Date | string".into(),
            PType::Array(i) => match **i {
                PType::Enum(_) | PType::DateTime => format!("({})[]", i.typescript()),
                _ => format!("{}[]", i.typescript()),
            },
        }
    }

    /// A required argument of a Rust typed method: its type, and the
    /// expression that makes the wire form of the argument `name`.
    fn rust_arg(&self, name: &str) -> (String, String) {
        match self {
            PType::Id => ("impl Into<FlexibleId>".into(), format!("{name}.into()")),
            PType::Integer => ("i64".into(), format!("{name}.into()")),
            PType::Number | PType::Boolean => {
                (self.rust_scalar(), format!("FlexibleId::Text({name}.to_string())"))
            }
            PType::Array(_) => (
                "impl IntoIterator<Item = impl ToString>".into(),
                format!("FlexibleId::Text({name}.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(\",\"))"),
            ),
            _ => ("impl Into<String>".into(), format!("FlexibleId::Text({name}.into())")),
        }
    }

    fn rust_scalar(&self) -> String {
        match self {
            PType::Number => "f64".into(),
            _ => "bool".into(),
        }
    }
}

/// The type of a parameter's schema; `None` for what a parameter cannot
/// carry here (objects, arrays of arrays).
fn param_type(spec: &Value, schema: &Value) -> Option<PType> {
    if matches!(
        ref_name(schema),
        Some("PathId" | "FlexibleId" | "NullableFlexibleId")
    ) {
        return Some(PType::Id);
    }
    let s = resolve(spec, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = s[key].as_sequence() {
            return alts
                .iter()
                .all(|a| matches!(param_type(spec, a), Some(PType::Str | PType::Integer)))
                .then_some(PType::Id);
        }
    }
    Some(match (s["type"].as_str(), s["format"].as_str()) {
        (Some("string"), _) if s["enum"].is_sequence() => PType::Enum(enum_values(&s["enum"])),
        (Some("string"), Some("date-time")) => PType::DateTime,
        (Some("string"), Some("date")) => PType::Date,
        (Some("string"), Some("uuid")) => PType::Uuid,
        (Some("string"), _) => PType::Str,
        (Some("integer"), _) => PType::Integer,
        (Some("number"), _) => PType::Number,
        (Some("boolean"), _) => PType::Boolean,
        (Some("array"), _) => match param_type(spec, &s["items"])? {
            PType::Array(_) => return None,
            item => PType::Array(Box::new(item)),
        },
        _ => return None,
    })
}

/// An operation's JSON request body.
pub struct Body {
    /// The component schema it names (`NewReading`), when it is a `$ref`:
    /// its Rust type is that model.
    pub model: Option<String>,
    /// The schema with every `$ref` followed, as compact JSON: what the
    /// core checks a body against before sending it, and the mock on
    /// receipt.
    pub schema: String,
    /// Its top-level fields: Python's keyword arguments and TypeScript's
    /// interface.
    pub fields: Vec<Field>,
    /// The TypeScript interface's name, such as `NewReadingBody`.
    pub interface: String,
}

/// A top-level field of a request body.
pub struct Field {
    pub name: String,
    pub snake: String,
    pub required: bool,
    pub doc: String,
    /// Its Python annotation and TypeScript type.
    pub python: String,
    pub typescript: String,
}

/// The Python annotation and TypeScript type a caller's value of `schema`
/// takes: a parameter's type where the schema is one, else an object or
/// anything.
fn input_types(spec: &Value, schema: &Value) -> (String, String) {
    if let Some(ty) = param_type(spec, schema) {
        let mut ts = ty.typescript();
        // A JSON number may be beyond 2^53: a bigint keeps its digits.
        if matches!(ty, PType::Integer | PType::Number) {
            ts = "number | bigint".into();
        }
        return (ty.python(), ts);
    }
    let s = resolve(spec, schema);
    match s["type"].as_str() {
        Some("array") => {
            let (py, ts) = input_types(spec, &s["items"]);
            (format!("Sequence[{py}]"), format!("Array<{ts}>"))
        }
        // A typed map: its values' type.
        Some("object") if s["additionalProperties"].is_mapping() => {
            let (py, ts) = input_types(spec, &s["additionalProperties"]);
            (
                format!("Mapping[str, {py}]"),
                format!("Record<string, {ts}>"),
            )
        }
        Some("object") => ("Mapping[str, Any]".into(), "Record<string, unknown>".into()),
        None if !s["properties"].is_null() || !s["allOf"].is_null() => {
            ("Mapping[str, Any]".into(), "Record<string, unknown>".into())
        }
        _ => ("Any".into(), "unknown".into()),
    }
}

/// `schema` with every local `$ref` replaced by what it names, as JSON; a
/// schema that refers to itself is cut off (as `{}`, any value) past a
/// depth no real body reaches.
fn inline_refs(spec: &Value, schema: &Value, depth: usize) -> serde_json::Value {
    if depth > 16 {
        return serde_json::json!({});
    }
    match resolve(spec, schema) {
        Value::Mapping(m) => serde_json::Value::Object(
            m.iter()
                .filter_map(|(k, v)| {
                    let k = k.as_str()?;
                    // Documentation only: kept out of the generated tables.
                    if matches!(k, "description" | "example" | "examples" | "title") {
                        return None;
                    }
                    let v = if matches!(k, "properties") {
                        serde_json::Value::Object(
                            v.as_mapping()?
                                .iter()
                                .filter_map(|(name, p)| {
                                    Some((
                                        name.as_str()?.to_owned(),
                                        inline_refs(spec, p, depth + 1),
                                    ))
                                })
                                .collect(),
                        )
                    } else {
                        inline_refs(spec, v, depth + 1)
                    };
                    Some((k.to_owned(), v))
                })
                .collect(),
        ),
        Value::Sequence(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|v| inline_refs(spec, v, depth + 1))
                .collect(),
        ),
        other => serde_yaml::from_value(other.clone()).unwrap_or(serde_json::Value::Null),
    }
}

/// The JSON request body of `op`, if it has one; an error for a body that
/// is not JSON.
fn request_body(spec: &Value, op: &Value, id: &str) -> Result<Option<Body>, String> {
    let body = resolve(spec, &op["requestBody"]);
    if body.is_null() {
        return Ok(None);
    }
    let Some(content) = body["content"].get("application/json") else {
        return Err(format!(
            "{id}: only application/json request bodies are supported"
        ));
    };
    let schema = &content["schema"];
    let model = ref_name(schema).map(str::to_owned);
    let resolved = resolve(spec, schema);
    let required: Vec<&str> = resolved["required"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut fields = Vec::new();
    for (name, property) in resolved["properties"].as_mapping().into_iter().flatten() {
        let Some(name) = name.as_str() else { continue };
        let (python, mut typescript) = input_types(spec, property);
        if resolve(spec, property)["nullable"].as_bool() == Some(true) {
            typescript.push_str(" | null");
        }
        fields.push(Field {
            snake: snake(name),
            name: name.to_owned(),
            required: required.contains(&name),
            // One line, for a list item or a one-line comment.
            doc: text(&resolve(spec, property)["description"])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            python,
            typescript,
        });
    }
    let mut upper = id.to_owned();
    upper[..1].make_ascii_uppercase();
    Ok(Some(Body {
        interface: format!("{}Body", model.as_deref().unwrap_or(&upper)),
        model,
        schema: serde_json::to_string(&inline_refs(spec, schema, 0)).expect("serializes"),
        fields,
    }))
}

/// The methods an operation may have, in the order they are generated.
const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

pub struct Operation {
    /// The spec's `operationId`, such as `getCustomerByCustomerId`.
    pub id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The success status the spec gives (200, 201, ...).
    pub status: u16,
    /// Its JSON request body, if it takes one.
    pub body: Option<Body>,
    pub snake: String,
    /// `GetCustomerByCustomerId`.
    pub variant: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<Param>,
    /// The component schema of the 200 response, such as `Customer`.
    pub response: String,
    /// The response's example as compact JSON, when the spec has one.
    pub example: Option<String>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().trim().to_owned()
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    let Some(r) = v.get("$ref").and_then(Value::as_str) else {
        return v;
    };
    let mut at = spec;
    for part in r.trim_start_matches("#/").split('/') {
        at = &at[part];
    }
    resolve(spec, at)
}

fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()?.rsplit('/').next()
}

/// Every operation whose parameters are scalars in the path or query, whose
/// request body (if any) is JSON and whose success response is a JSON
/// object schema, in spec order.
pub fn operations(spec: &Value) -> Result<Vec<Operation>, String> {
    let mut out = Vec::new();
    let paths = spec["paths"].as_mapping().ok_or("the spec has no paths")?;
    for (path, item) in paths {
        let path = path.as_str().ok_or("a path is not a string")?;
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                if let Some(op) = operation(spec, path, item, method, op)? {
                    out.push(op);
                }
            }
        }
    }
    Ok(out)
}

/// One operation, or `None` for one this generator leaves out (see
/// [`operations`]).
fn operation(
    spec: &Value,
    path: &str,
    item: &Value,
    method: &str,
    get: &Value,
) -> Result<Option<Operation>, String> {
    {
        let method = method.to_ascii_uppercase();
        let id = get["operationId"]
            .as_str()
            .ok_or_else(|| format!("{method} {path} has no operationId"))?;
        let mut params = Vec::new();
        let mut scalar = true;
        let declared = item["parameters"]
            .as_sequence()
            .into_iter()
            .flatten()
            .chain(get["parameters"].as_sequence().into_iter().flatten());
        for p in declared {
            let p = resolve(spec, p);
            let location = match p["in"].as_str() {
                Some("path") => In::Path,
                Some("query") => In::Query,
                _ => {
                    scalar = false;
                    continue;
                }
            };
            let Some(ty) = param_type(spec, &p["schema"]) else {
                scalar = false;
                continue;
            };
            if location == In::Path && matches!(ty, PType::Array(_)) {
                scalar = false;
            }
            let name = text(&p["name"]);
            params.push(Param {
                snake: snake(&name),
                name,
                location,
                required: location == In::Path || p["required"].as_bool().unwrap_or(false),
                doc: text(&p["description"]),
                ty,
                explode: p["explode"].as_bool().unwrap_or(true),
            });
        }
        let Some((status, ok)) = ["200", "201", "202"].iter().find_map(|code| {
            get["responses"]
                .get(*code)
                .map(|r| (code.parse().expect("a status"), resolve(spec, r)))
        }) else {
            return Ok(None);
        };
        let content = &ok["content"]["application/json"];
        let schema = &content["schema"];
        let object = resolve(spec, schema)["type"].as_str() == Some("object");
        let (Some(response), true, true) = (ref_name(schema), object, scalar) else {
            return Ok(None);
        };
        let body = request_body(spec, get, id)?;
        if let Some(body) = &body {
            let taken: Vec<&str> = params
                .iter()
                .map(|p| p.snake.as_str())
                .chain(enneo::CALL_OPTIONS.iter().map(|o| o.name))
                .chain(["extra_body"])
                .collect();
            if let Some(f) = body
                .fields
                .iter()
                .find(|f| taken.contains(&f.snake.as_str()))
            {
                return Err(format!(
                    "{id}: the body field {:?} has the name of a parameter or option",
                    f.name
                ));
            }
        }
        // Required parameters first, so that the optional ones can be left
        // off the end of a positional call.
        params.sort_by_key(|p| !p.required);
        let example = content
            .get("example")
            .or_else(|| {
                content["examples"]
                    .as_mapping()
                    .and_then(|m| m.values().next())
                    .map(|e| &resolve(spec, e)["value"])
            })
            .or_else(|| resolve(spec, schema).get("example"))
            .filter(|v| !v.is_null())
            .map(|v| {
                let json: serde_json::Value =
                    serde_yaml::from_value(v.clone()).expect("a YAML example is JSON");
                serde_json::to_string(&json).expect("serializes")
            });
        Ok(Some(Operation {
            id: id.to_owned(),
            method,
            status,
            body,
            snake: snake(id),
            variant: format!("{}{}", id[..1].to_uppercase(), &id[1..]),
            path: path.to_owned(),
            summary: text(&get["summary"]),
            description: text(&get["description"]),
            params,
            response: response.to_owned(),
            example,
        }))
    }
}

const HEADER_RS: &str = "// @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n// run `make generate` instead.\n";

/// Rust source laid out by prettyplease, as `generated.rs` is, below the
/// header.
fn pretty(source: &str) -> String {
    let file: syn::File = syn::parse_str(source).expect("the generated Rust parses");
    format!("{HEADER_RS}{}", prettyplease::unparse(&file))
}

fn rs_doc(indent: &str, text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                format!("{indent}///\n")
            } else {
                format!("{indent}/// {}\n", l.trim_end())
            }
        })
        .collect()
}

fn op_doc(op: &Operation) -> String {
    let mut d = op.summary.clone();
    if !d.ends_with('.') && !d.is_empty() {
        d.push('.');
    }
    if !op.description.is_empty() {
        d.push_str("\n\n");
        d.push_str(&op.description);
    }
    d.push_str(&format!("\n\n`{} {}`", op.method, op.path));
    d
}

fn rs_str(s: &str) -> String {
    format!("{s:?}")
}

/// The core's `operations.rs`: the `Operation` table and a typed method per
/// operation.
pub fn rust(ops: &[Operation]) -> String {
    let mut s = String::new();
    s.push_str("//! Every operation of `openapi.yaml`: its identity, method, path,\n//! parameters and body ([`Operation`]) and a typed method on [`Client`] for each.\n\nuse crate::generated::types;\nuse crate::operation::{In, Param};\nuse crate::{Client, FlexibleId, RequestOptions, Result};\n\n");
    s.push_str("/// An operation of the API, as the spec names it.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum Operation {\n");
    for op in ops {
        s.push_str(&rs_doc("    ", &format!("`{}`: {}", op.id, op.summary)));
        s.push_str(&format!("    {},\n", op.variant));
    }
    s.push_str("}\n\nimpl Operation {\n    /// Every operation, in spec order.\n    pub const ALL: &'static [Operation] = &[\n");
    for op in ops {
        s.push_str(&format!("        Operation::{},\n", op.variant));
    }
    s.push_str("    ];\n\n");
    let table = |name: &str, doc: &str, ty: &str, value: &dyn Fn(&Operation) -> String| {
        let mut t =
            format!("    /// {doc}\n    pub fn {name}(self) -> {ty} {{\n        match self {{\n");
        for op in ops {
            t.push_str(&format!(
                "            Operation::{} => {},\n",
                op.variant,
                value(op)
            ));
        }
        t.push_str("        }\n    }\n\n");
        t
    };
    s.push_str(&table(
        "operation_id",
        "The spec's `operationId`, such as `getCustomerByCustomerId`.",
        "&'static str",
        &|op| rs_str(&op.id),
    ));
    s.push_str(&table(
        "method_name",
        "The method's name in Rust and Python, such as `get_customer_by_customer_id`.",
        "&'static str",
        &|op| rs_str(&op.snake),
    ));
    s.push_str(&table(
        "method",
        "The HTTP method, such as `GET`.",
        "&'static str",
        &|op| rs_str(&op.method),
    ));
    s.push_str(&table(
        "body_schema",
        "The schema of the JSON request body, every `$ref` followed, as JSON; `None` for an operation without a body.",
        "Option<&'static str>",
        &|op| {
            op.body
                .as_ref()
                .map_or("None".into(), |b| format!("Some({})", rs_str(&b.schema)))
        },
    ));
    s.push_str(&table(
        "path",
        "The path template below the base URL, such as `/customer/byCustomerId/{customerId}`.",
        "&'static str",
        &|op| rs_str(&op.path),
    ));
    s.push_str(&table(
        "response",
        "The component schema of the 200 response, such as `Customer`.",
        "&'static str",
        &|op| rs_str(&op.response),
    ));
    s.push_str(&table(
        "summary",
        "The spec's summary.",
        "&'static str",
        &|op| rs_str(&op.summary),
    ));
    s.push_str(&table(
        "params",
        "The parameters, required ones first: the order of positional arguments.",
        "&'static [Param]",
        &|op| {
            let items: Vec<String> = op
                .params
                .iter()
                .map(|p| {
                    format!(
                        "Param {{ name: {}, snake: {}, location: In::{:?}, required: {}, ty: {}, explode: {} }}",
                        rs_str(&p.name),
                        rs_str(&p.snake),
                        p.location,
                        p.required,
                        p.ty.rust(),
                        p.explode
                    )
                })
                .collect();
            format!("&[{}]", items.join(", "))
        },
    ));
    s.truncate(s.trim_end().len());
    s.push_str("\n}\n\n/// One typed method per operation; `*_with` takes per-call options.\nimpl Client {\n");
    for op in ops {
        let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
        let args: String = required
            .iter()
            .map(|p| format!("{}: {}, ", p.snake, p.ty.rust_arg(&p.snake).0))
            .collect();
        let values: Vec<String> = required
            .iter()
            .map(|p| format!("Some({})", p.ty.rust_arg(&p.snake).1))
            .collect();
        let mut names: Vec<&str> = required.iter().map(|p| p.snake.as_str()).collect();
        // The body comes after the required parameters: a generated model
        // (made with its builder), or any JSON for an inline schema.
        let (args, body) = match &op.body {
            Some(b) => {
                names.push("body");
                let ty = b
                    .model
                    .as_ref()
                    .map_or("::serde_json::Value".to_owned(), |m| format!("types::{m}"));
                (
                    format!("{args}body: &{ty}, "),
                    format!("Some(&Operation::{}.body(body)?)", op.variant),
                )
            }
            None => (args, "None".to_owned()),
        };
        let model = format!("types::{}", op.response);
        s.push_str(&rs_doc("    ", &op_doc(op)));
        s.push_str(&format!(
            "    pub async fn {}(&self, {args}) -> Result<{model}> {{\n        self.{}_with({}&RequestOptions::default()).await\n    }}\n\n",
            op.snake,
            op.snake,
            names.iter().map(|n| format!("{n}, ")).collect::<String>()
        ));
        s.push_str(&rs_doc(
            "    ",
            &format!("[`Client::{}`] with per-call options.", op.snake),
        ));
        s.push_str(&format!(
            "    pub async fn {}_with(&self, {args}options: &RequestOptions) -> Result<{model}> {{\n        self.call_raw(Operation::{}, &[{}], {body}, options).await?.decode()\n    }}\n\n",
            op.snake,
            op.variant,
            values.join(", ")
        ));
    }
    s.truncate(s.trim_end().len());
    s.push_str("\n}\n");
    pretty(&s)
}

/// `crates/enneo-mock/src/operations.rs`: a route per operation.
pub fn mock(ops: &[Operation]) -> String {
    let mut s = String::new();
    s.push_str("//! A route per operation of `openapi.yaml`, with its response example.\n\n/// One operation as the mock serves it.\npub(crate) struct Route {\n    /// The spec's `operationId`.\n    pub id: &'static str,\n    /// Its method, such as `GET`.\n    pub method: &'static str,\n    /// The status of its answer.\n    pub status: u16,\n    /// The schema its request body must fit (JSON, `$ref`s followed).\n    pub body_schema: Option<&'static str>,\n    /// The path template below `/api/mind`, split at `/`.\n    pub segments: &'static [&'static str],\n    /// The component schema of the 200 response.\n    pub response: &'static str,\n    /// The response example, compact JSON, when the spec has one.\n    pub example: Option<&'static str>,\n}\n\npub(crate) const ROUTES: &[Route] = &[\n");
    for op in ops {
        let segments: Vec<String> = op
            .path
            .trim_start_matches('/')
            .split('/')
            .map(rs_str)
            .collect();
        s.push_str(&format!(
            "    Route {{\n        id: {},\n        method: {},\n        status: {},\n        body_schema: {},\n        segments: &[{}],\n        response: {},\n        example: {},\n    }},\n",
            rs_str(&op.id),
            rs_str(&op.method),
            op.status,
            op.body
                .as_ref()
                .map_or("None".to_owned(), |b| format!("Some({})", rs_str(&b.schema))),
            segments.join(", "),
            rs_str(&op.response),
            op.example
                .as_deref()
                .map_or("None".to_owned(), |e| format!("Some({})", rs_str(e)))
        ));
    }
    s.push_str("];\n");
    pretty(&s)
}

/// A documented list of names (parameters or body fields) for a Python
/// docstring, after a blank line; nothing when none has a doc. Single
/// backticks: [`py_doc`] doubles them for reStructuredText.
fn doc_list<'a>(items: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let lines: Vec<String> = items
        .filter(|(_, doc)| !doc.is_empty())
        .map(|(name, doc)| format!("- `{name}`: {doc}"))
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", lines.join("\n"))
    }
}

fn py_doc(indent: &str, text: &str) -> String {
    let mut out = format!("{indent}\"\"\"");
    for (i, line) in text.replace('`', "``").lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line.trim_end());
    }
    out.push_str(&format!("\n{indent}\"\"\"\n"));
    out
}

/// The Python `TypedDict` of a body's keyword arguments, such as
/// `NewReadingParams`.
fn python_params_name(body: &Body) -> String {
    format!("{}Params", body.interface.trim_end_matches("Body"))
}

/// The names of the request bodies' `TypedDict`s, which the package exports.
pub fn python_params(ops: &[Operation]) -> Vec<String> {
    let mut names: Vec<String> = ops
        .iter()
        .filter_map(|o| o.body.as_ref().map(python_params_name))
        .collect();
    names.dedup();
    names
}

/// `enneo/_operations.py`: the methods of `Client`, `AsyncClient` and their
/// `with_raw_response`, as four mixins, and a `TypedDict` per request body.
pub fn python(ops: &[Operation]) -> String {
    let params = python_params(ops);
    let mut all = vec![
        "SyncOperations",
        "AsyncOperations",
        "RawOperations",
        "AsyncRawOperations",
        "OPERATION_IDS",
    ];
    all.extend(params.iter().map(String::as_str));
    let all: Vec<String> = all.iter().map(|n| format!("\"{n}\"")).collect();
    let s = String::from("# @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n# run `make generate` instead.\n\"\"\"One method per operation of the spec, on ``Client``,\n``AsyncClient`` and their ``with_raw_response``, and a ``TypedDict`` of\nthe keyword arguments of each request body. The classes that mix these in\nprovide ``_call``.\"\"\"\n\nfrom __future__ import annotations\n\nimport datetime\nimport uuid\nfrom typing import Any, {}Literal, Mapping, Optional, Sequence, Tuple, Type, {}Union\n\nfrom . import _models\nfrom ._customer import Customer\n{}from ._response import RawResponse\n\n");
    // What only request bodies use, imported only when there is one.
    let bodies = !params.is_empty();
    let s = s
        .replacen("{}", if bodies { "Dict, " } else { "" }, 1)
        .replacen("{}", if bodies { "TypedDict, " } else { "" }, 1)
        .replacen(
            "{}",
            if bodies {
                "from ._exceptions import InvalidArgumentTypeError\n"
            } else {
                ""
            },
            1,
        );
    let mut s = s;
    s.push_str(&format!("__all__ = [{}]\n\n", all.join(", ")));
    s.push_str("OPERATION_IDS = (");
    for op in ops {
        s.push_str(&format!("\"{}\", ", op.id));
    }
    s.push_str(")\n\"\"\"The spec's ``operationId`` of every method below.\"\"\"\n\n_Headers = Optional[Mapping[str, str]]\n\n");
    if !params.is_empty() {
        s.push_str("\ndef _body(fields: Mapping[str, Any], extra: Optional[Mapping[str, Any]]) -> Dict[str, Any]:\n    \"\"\"A request body: the fields given (``None`` leaves one out), then\n    ``extra_body``'s, which are sent as they are. The core checks the whole\n    against the spec's schema.\"\"\"\n    body = {k: v for k, v in fields.items() if v is not None}\n    if extra is not None:\n        if not isinstance(extra, Mapping):\n            raise InvalidArgumentTypeError(f\"extra_body must be a mapping, not {type(extra).__name__}\")\n        body.update(extra)\n    return body\n\n");
    }
    let mut done: Vec<String> = Vec::new();
    for body in ops.iter().filter_map(|o| o.body.as_ref()) {
        let name = python_params_name(body);
        if done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        // Required keys in a base class: `Required[]` needs Python 3.11.
        let required: Vec<&Field> = body.fields.iter().filter(|f| f.required).collect();
        let optional: Vec<&Field> = body.fields.iter().filter(|f| !f.required).collect();
        let line = |f: &Field| format!("    {}: {}\n", f.snake, f.python);
        s.push_str(&format!("\nclass _{name}Required(TypedDict):\n"));
        if required.is_empty() {
            s.push_str("    pass\n");
        }
        required.iter().for_each(|f| s.push_str(&line(f)));
        s.push_str(&format!(
            "\n\nclass {name}(_{name}Required, total=False):\n    \"\"\"The keyword arguments of a ``{}`` request body: ``client.method(..., **params)``.\"\"\"\n\n",
            body.model.as_deref().unwrap_or(&body.interface)
        ));
        if optional.is_empty() {
            s.push_str("    pass\n");
        }
        optional.iter().for_each(|f| s.push_str(&line(f)));
        s.push('\n');
    }
    let model = |op: &Operation| {
        if op.response == "Customer" {
            "Customer".to_owned()
        } else {
            format!("_models.{}", op.response)
        }
    };
    let kinds = [
        ("SyncOperations", "Client", "", "", false),
        ("AsyncOperations", "AsyncClient", "async ", "await ", false),
        ("RawOperations", "Client.with_raw_response", "", "", true),
        (
            "AsyncRawOperations",
            "AsyncClient.with_raw_response",
            "async ",
            "await ",
            true,
        ),
    ];
    for (class, of, asyn, awaits, raw) in kinds {
        let typed_options: Vec<String> = enneo::CALL_OPTIONS
            .iter()
            .map(|o| format!("{}: {}", o.name, py_option_type(o.kind)))
            .collect();
        s.push_str(&format!("\nclass {class}:\n    \"\"\"The operations of ``{of}``.\"\"\"\n\n    {asyn}def _call(self, operation: str, args: Tuple[Any, ...], model: Type[Any], {}) -> Any:\n        raise NotImplementedError\n", typed_options.join(", ")));
        for op in ops {
            let ret = if raw {
                format!("RawResponse[{}]", model(op))
            } else {
                model(op)
            };
            let mut sig: Vec<String> = op
                .params
                .iter()
                .map(|p| {
                    if p.required {
                        format!("{}: {}", p.snake, p.ty.python())
                    } else {
                        format!("{}: Optional[{}] = None", p.snake, p.ty.python())
                    }
                })
                .collect();
            sig.push("*".into());
            // The body's fields as keywords, required ones first, then what
            // the schema does not name.
            if let Some(body) = &op.body {
                let mut fields: Vec<&Field> = body.fields.iter().collect();
                fields.sort_by_key(|f| !f.required);
                for f in fields {
                    if f.required {
                        sig.push(format!("{}: {}", f.snake, f.python));
                    } else {
                        sig.push(format!("{}: Optional[{}] = None", f.snake, f.python));
                    }
                }
                sig.push("extra_body: Optional[Mapping[str, Any]] = None".into());
            }
            // The per-call options, from the core's table.
            for o in enneo::CALL_OPTIONS {
                sig.push(format!("{}: {} = None", o.name, py_option_type(o.kind)));
            }
            let mut doc = op_doc(op);
            if raw {
                doc = format!(
                    "{doc}\n\nThe response with its body undecoded; ``parse()`` gives the ``{}``.",
                    op.response
                );
            }
            doc.push_str(&doc_list(op.params.iter().map(|p| (&p.snake, &p.doc))));
            if let Some(body) = &op.body {
                doc.push_str("\n\nThe body's fields are keyword arguments (`None` leaves one out);\n`extra_body` adds fields the spec does not name.");
                doc.push_str(&doc_list(body.fields.iter().map(|f| (&f.snake, &f.doc))));
            }
            let mut args: Vec<String> = op.params.iter().map(|p| p.snake.clone()).collect();
            if let Some(body) = &op.body {
                let items: Vec<String> = body
                    .fields
                    .iter()
                    .map(|f| format!("\"{}\": {}", f.name, f.snake))
                    .collect();
                args.push(format!("_body({{{}}}, extra_body)", items.join(", ")));
            }
            let tuple = if args.len() == 1 {
                format!("({},)", args[0])
            } else {
                format!("({})", args.join(", "))
            };
            s.push_str(&format!(
                "\n    {asyn}def {}(self, {}) -> {ret}:\n{}        result: {ret} = {awaits}self._call(\"{}\", {tuple}, {}, {})\n        return result\n",
                op.snake,
                sig.join(", "),
                py_doc("        ", &doc),
                op.id,
                model(op),
                enneo::CALL_OPTIONS
                    .iter()
                    .map(|o| o.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
    }
    s
}

/// The Python annotation of a per-call option of this kind.
fn py_option_type(kind: enneo::SettingKind) -> &'static str {
    match kind {
        enneo::SettingKind::Time | enneo::SettingKind::PerSecond => "Optional[float]",
        enneo::SettingKind::Count => "Optional[int]",
        enneo::SettingKind::Headers => "_Headers",
        _ => "Optional[str]",
    }
}

fn ts_doc(indent: &str, text: &str) -> String {
    let mut out = format!("{indent}/**\n");
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {}\n", line.trim_end()));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// `bindings/node/ts/operations.ts`: the methods of `Client`, on an
/// abstract base class that `Client` extends.
pub fn typescript(ops: &[Operation]) -> String {
    let mut models: Vec<&str> = ops.iter().map(|o| o.response.as_str()).collect();
    models.sort();
    models.dedup();
    let mut s = String::from("// @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n// run `make generate` instead.\n// One method per operation of the spec, on the base class of `Client`,\n// which provides `_call`, and an interface per request body.\n\n");
    s.push_str(&format!(
        "import type {{ {} }} from './models'\nimport type {{ APIPromise, Id, RequestOptions }} from './index'\n\n",
        models.join(", ")
    ));
    s.push_str(
        "/** The spec's `operationId` of every method below. */\nexport const OPERATION_IDS = [",
    );
    s.push_str(
        &ops.iter()
            .map(|o| format!("'{}'", o.id))
            .collect::<Vec<_>>()
            .join(", "),
    );
    s.push_str("] as const\n\n/** An operation of the API, as the spec names it. */\nexport type OperationId = (typeof OPERATION_IDS)[number]\n\n");
    let mut done: Vec<&str> = Vec::new();
    for body in ops.iter().filter_map(|o| o.body.as_ref()) {
        if done.contains(&body.interface.as_str()) {
            continue;
        }
        done.push(&body.interface);
        s.push_str(&format!(
            "/**\n * The JSON body of a request{}. Fields the spec does not name are sent\n * as they are; a `bigint` keeps every digit.\n */\nexport interface {} {{\n",
            body.model.as_ref().map_or(String::new(), |m| format!(": a `{m}`")),
            body.interface
        ));
        for f in &body.fields {
            if !f.doc.is_empty() {
                s.push_str(&format!("  /** {} */\n", f.doc));
            }
            let key = if f
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                f.name.clone()
            } else {
                format!("'{}'", f.name)
            };
            s.push_str(&format!(
                "  {key}{}: {}\n",
                if f.required { "" } else { "?" },
                f.typescript
            ));
        }
        s.push_str("  [field: string]: unknown\n}\n\n");
    }
    s.push_str("/** The operations of `Client`; `Client` provides `_call`. */\nexport abstract class Operations {\n  /** Runs one operation; for the generated methods below. */\n  protected abstract _call<T>(operation: OperationId, args: unknown[], options: RequestOptions | undefined): APIPromise<T>\n");
    for op in ops {
        let mut doc = op_doc(op);
        for p in &op.params {
            if !p.doc.is_empty() {
                doc.push_str(&format!(
                    "\n@param {} - {}",
                    enneo::ArgStyle::NODE.name(&p.snake),
                    p.doc
                ));
            }
        }
        if op.body.is_some() {
            doc.push_str("\n@param body - The JSON request body.");
        }
        doc.push_str("\n@param options - Per-call timeout (ms), retries, headers and signal.");
        let param = |p: &Param| {
            format!(
                "{}{}: {}",
                enneo::ArgStyle::NODE.name(&p.snake),
                if p.required { "" } else { "?" },
                p.ty.typescript()
            )
        };
        // The body comes after the required parameters (an optional one
        // cannot come before it); the core takes it after them all.
        let mut sig: Vec<String> = op.params.iter().filter(|p| p.required).map(param).collect();
        if let Some(body) = &op.body {
            sig.push(format!("body: {}", body.interface));
        }
        sig.extend(op.params.iter().filter(|p| !p.required).map(param));
        sig.push("options?: RequestOptions".into());
        let mut args: Vec<String> = op
            .params
            .iter()
            .map(|p| enneo::ArgStyle::NODE.name(&p.snake))
            .collect();
        if op.body.is_some() {
            args.push("body".into());
        }
        s.push('\n');
        s.push_str(&ts_doc("  ", &doc));
        s.push_str(&format!(
            "  {}({}): APIPromise<{}> {{\n    return this._call('{}', [{}], options)\n  }}\n",
            enneo::ArgStyle::NODE.name(&op.snake),
            sig.join(", "),
            op.response,
            op.id,
            args.join(", ")
        ));
    }
    s.push_str("}\n");
    s
}

pub const README_START: &str = "<!-- operations:start (generated by make generate) -->";
pub const README_END: &str = "<!-- operations:end -->";

/// The README with its table of operations rewritten.
pub fn readme(current: &str, ops: &[Operation]) -> Result<String, String> {
    let mut table = String::from("\n\n| operation | request | returns | Rust and Python | Node | CLI |\n| --- | --- | --- | --- | --- | --- |\n");
    for op in ops {
        let mut args: Vec<String> = op.params.iter().map(|p| format!("{}=…", p.name)).collect();
        if op.body.is_some() {
            args.push("--body '{…}'".into());
        }
        table.push_str(&format!(
            "| `{}` | `{} {}` | `{}` | `{}()` | `{}()` | `enneo call {} {}` |\n",
            op.id,
            op.method,
            op.path,
            op.response,
            op.snake,
            enneo::ArgStyle::NODE.name(&op.snake),
            op.id,
            args.join(" ")
        ));
    }
    table.push('\n');
    let block = format!("{README_START}{table}{README_END}");
    crate::errors::splice(current, README_START, README_END, &block, "README.md")
}
