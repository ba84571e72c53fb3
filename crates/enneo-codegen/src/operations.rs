//! The per-operation surface of every language, from the spec's GET
//! operations: the core's `Operation` table and typed `Client` methods, the
//! Python and TypeScript methods, the mock's routes and the README's table.
//! Hand-written code in each language holds only what is not per operation.

use serde_yaml::Value;

use crate::models::snake;

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
        (Some("string"), _) if s["enum"].is_sequence() => PType::Enum(
            s["enum"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
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

pub struct Operation {
    /// The spec's `operationId`, such as `getCustomerByCustomerId`.
    pub id: String,
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

/// Every GET operation whose parameters are scalars in the path or query
/// and whose 200 response is a JSON object schema, in spec order.
pub fn operations(spec: &Value) -> Result<Vec<Operation>, String> {
    let mut out = Vec::new();
    let paths = spec["paths"].as_mapping().ok_or("the spec has no paths")?;
    for (path, item) in paths {
        let path = path.as_str().ok_or("a path is not a string")?;
        let Some(get) = item.get("get") else {
            continue;
        };
        let id = get["operationId"]
            .as_str()
            .ok_or_else(|| format!("GET {path} has no operationId"))?;
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
        let ok = resolve(spec, &get["responses"]["200"]);
        let content = &ok["content"]["application/json"];
        let schema = &content["schema"];
        let object = resolve(spec, schema)["type"].as_str() == Some("object");
        let (Some(response), true, true) = (ref_name(schema), object, scalar) else {
            continue;
        };
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
        out.push(Operation {
            id: id.to_owned(),
            snake: snake(id),
            variant: format!("{}{}", id[..1].to_uppercase(), &id[1..]),
            path: path.to_owned(),
            summary: text(&get["summary"]),
            description: text(&get["description"]),
            params,
            response: response.to_owned(),
            example,
        });
    }
    Ok(out)
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
    d.push_str(&format!("\n\n`GET {}`", op.path));
    d
}

fn rs_str(s: &str) -> String {
    format!("{s:?}")
}

/// The core's `operations.rs`: the `Operation` table and a typed method per
/// operation.
pub fn rust(ops: &[Operation]) -> String {
    let mut s = String::new();
    s.push_str("//! Every GET operation of `openapi.yaml`: its identity, path and\n//! parameters ([`Operation`]) and a typed method on [`Client`] for each.\n\nuse crate::generated::types;\nuse crate::operation::{In, Param};\nuse crate::{Client, FlexibleId, RequestOptions, Result};\n\n");
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
        let names: Vec<&str> = required.iter().map(|p| p.snake.as_str()).collect();
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
            "    pub async fn {}_with(&self, {args}options: &RequestOptions) -> Result<{model}> {{\n        self.call_raw(Operation::{}, &[{}], options).await?.decode()\n    }}\n\n",
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
    s.push_str("//! A route per GET operation of `openapi.yaml`, with its response example.\n\n/// One operation as the mock serves it.\npub(crate) struct Route {\n    /// The spec's `operationId`.\n    pub id: &'static str,\n    /// The path template below `/api/mind`, split at `/`.\n    pub segments: &'static [&'static str],\n    /// The component schema of the 200 response.\n    pub response: &'static str,\n    /// The response example, compact JSON, when the spec has one.\n    pub example: Option<&'static str>,\n}\n\npub(crate) const ROUTES: &[Route] = &[\n");
    for op in ops {
        let segments: Vec<String> = op
            .path
            .trim_start_matches('/')
            .split('/')
            .map(rs_str)
            .collect();
        s.push_str(&format!(
            "    Route {{\n        id: {},\n        segments: &[{}],\n        response: {},\n        example: {},\n    }},\n",
            rs_str(&op.id),
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

/// `enneo/_operations.py`: the methods of `Client`, `AsyncClient` and their
/// `with_raw_response`, as four mixins.
pub fn python(ops: &[Operation]) -> String {
    let mut s = String::from("# @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n# run `make generate` instead.\n\"\"\"One method per GET operation of the spec, on ``Client``,\n``AsyncClient`` and their ``with_raw_response``. The classes that mix\nthese in provide ``_call``.\"\"\"\n\nfrom __future__ import annotations\n\nimport datetime\nimport uuid\nfrom typing import Any, Literal, Mapping, Optional, Sequence, Tuple, Type, Union\n\nfrom . import _models\nfrom ._customer import Customer\nfrom ._response import RawResponse\n\n__all__ = [\"SyncOperations\", \"AsyncOperations\", \"RawOperations\", \"AsyncRawOperations\", \"OPERATION_IDS\"]\n\n");
    s.push_str("OPERATION_IDS = (");
    for op in ops {
        s.push_str(&format!("\"{}\", ", op.id));
    }
    s.push_str(")\n\"\"\"The spec's ``operationId`` of every method below.\"\"\"\n\n_Headers = Optional[Mapping[str, str]]\n\n");
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
            let params_doc: Vec<String> = op
                .params
                .iter()
                .filter(|p| !p.doc.is_empty())
                .map(|p| format!("- ``{}``: {}", p.snake, p.doc))
                .collect();
            if !params_doc.is_empty() {
                doc = format!("{doc}\n\n{}", params_doc.join("\n"));
            }
            let args: Vec<&str> = op.params.iter().map(|p| p.snake.as_str()).collect();
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
    let mut s = String::from("// @generated by enneo-codegen from openapi.yaml. Do not edit by hand;\n// run `make generate` instead.\n// One method per GET operation of the spec, on the base class of `Client`,\n// which provides `_call`.\n\n");
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
    s.push_str("] as const\n\n/** An operation of the API, as the spec names it. */\nexport type OperationId = (typeof OPERATION_IDS)[number]\n\n/** The operations of `Client`; `Client` provides `_call`. */\nexport abstract class Operations {\n  /** Runs one operation; for the generated methods below. */\n  protected abstract _call<T>(operation: OperationId, args: unknown[], options: RequestOptions | undefined): APIPromise<T>\n");
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
        doc.push_str("\n@param options - Per-call timeout (ms), retries, headers and signal.");
        let mut sig: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                format!(
                    "{}{}: {}",
                    enneo::ArgStyle::NODE.name(&p.snake),
                    if p.required { "" } else { "?" },
                    p.ty.typescript()
                )
            })
            .collect();
        sig.push("options?: RequestOptions".into());
        let args: Vec<String> = op
            .params
            .iter()
            .map(|p| enneo::ArgStyle::NODE.name(&p.snake))
            .collect();
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
    let (Some(a), Some(b)) = (current.find(README_START), current.find(README_END)) else {
        return Err(format!(
            "README.md lacks the markers {README_START} and {README_END}"
        ));
    };
    let mut table = String::from("\n\n| operation | `GET` path | returns | Rust and Python | Node | CLI |\n| --- | --- | --- | --- | --- | --- |\n");
    for op in ops {
        let args: Vec<String> = op.params.iter().map(|p| format!("{}=…", p.name)).collect();
        table.push_str(&format!(
            "| `{}` | `{}` | `{}` | `{}()` | `{}()` | `enneo call {} {}` |\n",
            op.id,
            op.path,
            op.response,
            op.snake,
            enneo::ArgStyle::NODE.name(&op.snake),
            op.id,
            args.join(" ")
        ));
    }
    table.push('\n');
    Ok(format!(
        "{}{README_START}{table}{}",
        &current[..a],
        &current[b..]
    ))
}
