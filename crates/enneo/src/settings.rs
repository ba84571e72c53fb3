//! The client's settings as one table ([`SETTINGS`]). Each row names a
//! setting once, says what kind of value it takes, and how it changes a
//! [`ClientBuilder`]. From it come every binding's constructor and
//! `with_options` (written by `enneo-codegen`), the CLI's flags, the README's
//! configuration table, and every refusal's message, in each language's
//! spelling and units. Adding a setting is a row here plus its behaviour on
//! the builder.

use std::time::Duration;

use crate::log::LogLevel;
use crate::options::{ArgStyle, NameCase, TimeUnit};
use crate::{Client, ClientBuilder, Error, Result};

/// The kind of value a setting takes: its type in each language and its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// Text, such as a URL.
    Text,
    /// Text that is a credential: never quoted in a message.
    Secret,
    /// A positive time: seconds in Python and the CLI, milliseconds in Node.
    Time,
    /// A whole number, 0 or more.
    Count,
    /// A positive, finite number.
    PerSecond,
    /// PEM text or a path to a PEM file, or a list of them.
    Certificates,
    /// Header names to values.
    Headers,
    /// A log level name: `debug`, `info`, `warn`, `error` or `off`.
    LogLevel,
}

/// How Python takes a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PythonArg {
    /// By position or keyword, in the table's order.
    Positional,
    /// By keyword only.
    Keyword,
    /// Not at all (the binding sets it, or Python configures it otherwise).
    Absent,
}

/// A setting's default, as the docs quote it.
#[derive(Debug, Clone, Copy)]
pub enum SettingDefault {
    /// A time, quoted in each language's unit.
    Time(Duration),
    /// A number.
    Count(u32),
    /// Words, the same in every language.
    Words(&'static str),
}

/// A setting's command-line flag.
#[derive(Debug, Clone, Copy)]
pub struct CliFlag {
    /// The long name, without `--`.
    pub long: &'static str,
    /// A short letter, if any.
    pub short: Option<char>,
    /// The placeholder in `--help`.
    pub value_name: &'static str,
}

/// A checked setting value.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    /// [`SettingKind::Text`], [`SettingKind::Secret`].
    Text(String),
    /// [`SettingKind::Time`].
    Time(Duration),
    /// [`SettingKind::Count`].
    Count(u32),
    /// [`SettingKind::PerSecond`].
    PerSecond(f64),
    /// [`SettingKind::Certificates`].
    List(Vec<String>),
    /// [`SettingKind::Headers`], in the caller's order.
    Headers(Vec<(String, String)>),
    /// [`SettingKind::LogLevel`].
    Level(LogLevel),
}

/// One client setting. See [`SETTINGS`].
pub struct Setting {
    /// The name in snake_case; each language spells it in its own case.
    pub name: &'static str,
    /// What it takes.
    pub kind: SettingKind,
    /// One sentence for every language's docs; units are added per language.
    pub doc: &'static str,
    /// The default, for the docs (the builder holds the behaviour).
    pub default: SettingDefault,
    /// The environment variable read when it is not given, if any.
    pub env: Option<&'static str>,
    /// The Rust builder method, as the README names it.
    pub rust: &'static str,
    /// How Python takes it.
    pub python: PythonArg,
    /// Whether Node's `ClientOptions` has it.
    pub node: bool,
    /// The CLI flag, if the CLI has one.
    pub cli: Option<CliFlag>,
    /// True when a derived client given it needs connections of its own.
    pub own_pool: bool,
    apply: fn(ClientBuilder, SettingValue) -> Result<ClientBuilder>,
    read: fn(&Client) -> Option<SettingValue>,
}

impl std::fmt::Debug for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setting")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

fn text(v: SettingValue) -> String {
    match v {
        SettingValue::Text(s) => s,
        other => unreachable!("checked as text: {other:?}"),
    }
}

fn time(v: SettingValue) -> Duration {
    match v {
        SettingValue::Time(d) => d,
        other => unreachable!("checked as a time: {other:?}"),
    }
}

const fn flag(long: &'static str, value_name: &'static str) -> Option<CliFlag> {
    Some(CliFlag {
        long,
        short: None,
        value_name,
    })
}

/// Every client setting, in the order Python takes the positional ones.
pub const SETTINGS: &[Setting] = &[
    Setting {
        name: "token",
        kind: SettingKind::Secret,
        doc: "The bearer JWT.",
        default: SettingDefault::Words("none"),
        env: Some(crate::TOKEN_ENV),
        rust: ".token()",
        python: PythonArg::Positional,
        node: true,
        cli: flag("token", "JWT"),
        own_pool: false,
        apply: |b, v| Ok(b.token(text(v))),
        read: |c| c.inner().token.clone().map(SettingValue::Text),
    },
    Setting {
        name: "base_url",
        kind: SettingKind::Text,
        doc: "The API root including `/api/mind`; there is no default host.",
        default: SettingDefault::Words("none: required"),
        env: Some(crate::BASE_URL_ENV),
        rust: ".base_url()",
        python: PythonArg::Positional,
        node: true,
        cli: flag("base-url", "URL"),
        own_pool: false,
        apply: |b, v| Ok(b.base_url(text(v))),
        read: |c| Some(SettingValue::Text(c.base_url().to_owned())),
    },
    Setting {
        name: "timeout",
        kind: SettingKind::Time,
        doc: "Total time one attempt may take, body included.",
        default: SettingDefault::Time(crate::DEFAULT_TIMEOUT),
        env: None,
        rust: ".timeout()",
        python: PythonArg::Positional,
        node: true,
        cli: flag("timeout", "SECONDS"),
        own_pool: false,
        apply: |b, v| Ok(b.timeout(time(v))),
        read: |c| Some(SettingValue::Time(c.inner().timeout)),
    },
    Setting {
        name: "connect_timeout",
        kind: SettingKind::Time,
        doc: "Time to establish a connection.",
        default: SettingDefault::Time(crate::DEFAULT_CONNECT_TIMEOUT),
        env: None,
        rust: ".connect_timeout()",
        python: PythonArg::Positional,
        node: true,
        cli: flag("connect-timeout", "SECONDS"),
        own_pool: true,
        apply: |b, v| Ok(b.connect_timeout(time(v))),
        read: |c| Some(SettingValue::Time(c.inner().connect_timeout)),
    },
    Setting {
        name: "max_retries",
        kind: SettingKind::Count,
        doc: "Retries after the first attempt; 0 disables them.",
        default: SettingDefault::Count(crate::DEFAULT_MAX_RETRIES),
        env: None,
        rust: ".max_retries()",
        python: PythonArg::Positional,
        node: true,
        cli: flag("max-retries", "N"),
        own_pool: false,
        apply: |b, v| match v {
            SettingValue::Count(n) => Ok(b.max_retries(n)),
            other => unreachable!("checked as a count: {other:?}"),
        },
        read: |c| Some(SettingValue::Count(c.inner().max_retries)),
    },
    Setting {
        name: "max_requests_per_second",
        kind: SettingKind::PerSecond,
        doc: "Caps the requests this client and those derived from it send per second, retries included; starts are spaced evenly, with no burst.",
        default: SettingDefault::Words("unlimited"),
        env: None,
        rust: ".max_requests_per_second()",
        python: PythonArg::Positional,
        node: true,
        cli: Some(CliFlag {
            long: "max-rps",
            short: None,
            value_name: "N",
        }),
        own_pool: false,
        apply: |b, v| match v {
            SettingValue::PerSecond(r) => Ok(b.max_requests_per_second(r)),
            other => unreachable!("checked as a rate: {other:?}"),
        },
        read: |c| {
            c.inner()
                .throttle
                .as_ref()
                .map(|t| SettingValue::PerSecond(t.per_second()))
        },
    },
    Setting {
        name: "ca_cert",
        kind: SettingKind::Certificates,
        doc: "CA certificates to trust besides the system's (PEM text or a path to a PEM file), for TLS-inspecting proxies and private CAs.",
        default: SettingDefault::Words("system roots"),
        env: Some(crate::CA_FILE_ENV),
        rust: ".ca_cert()",
        python: PythonArg::Keyword,
        node: true,
        cli: flag("ca-cert", "PEM"),
        own_pool: true,
        apply: |b, v| match v {
            SettingValue::List(certs) => Ok(certs.into_iter().fold(b, |b, c| b.ca_cert(c))),
            other => unreachable!("checked as certificates: {other:?}"),
        },
        read: |c| {
            let certs = &c.inner().ca_certs;
            (!certs.is_empty()).then(|| SettingValue::List(certs.clone()))
        },
    },
    Setting {
        name: "default_headers",
        kind: SettingKind::Headers,
        doc: "Headers sent with every request; `Authorization`, `User-Agent` and the framing headers are the client's and are refused. A derived client adds them to its parent's.",
        default: SettingDefault::Words("none"),
        env: None,
        rust: ".default_header()",
        python: PythonArg::Keyword,
        node: true,
        cli: Some(CliFlag {
            long: "header",
            short: Some('H'),
            value_name: "NAME:VALUE",
        }),
        own_pool: false,
        apply: |b, v| match v {
            SettingValue::Headers(h) => h
                .iter()
                .try_fold(b, |b, (name, value)| b.default_header(name, value)),
            other => unreachable!("checked as headers: {other:?}"),
        },
        read: |c| {
            let headers: Vec<_> = c
                .inner()
                .default_headers
                .iter()
                .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect();
            (!headers.is_empty()).then_some(SettingValue::Headers(headers))
        },
    },
    Setting {
        name: "proxy",
        kind: SettingKind::Secret,
        doc: "Sends every request through this HTTP(S) proxy (`http://user:password@host:port`), instead of the one `HTTPS_PROXY`/`HTTP_PROXY` name.",
        default: SettingDefault::Words("`HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` when set"),
        env: None,
        rust: ".proxy()",
        python: PythonArg::Keyword,
        node: true,
        cli: flag("proxy", "URL"),
        own_pool: true,
        apply: |b, v| Ok(b.proxy(text(v))),
        read: |c| c.inner().proxy.clone().map(SettingValue::Text),
    },
    Setting {
        name: "user_agent",
        kind: SettingKind::Text,
        doc: "The `User-Agent` header; each binding names itself and its version.",
        default: SettingDefault::Words("`enneo-<language>/<version>`"),
        env: None,
        rust: ".user_agent()",
        python: PythonArg::Absent,
        node: false,
        cli: None,
        own_pool: true,
        apply: |b, v| Ok(b.user_agent(text(v))),
        read: |c| Some(SettingValue::Text(c.inner().user_agent.clone())),
    },
    Setting {
        name: "log_level",
        kind: SettingKind::LogLevel,
        doc: "The least important log records sent (`debug`, `info`, `warn`, `error` or `off`).",
        default: SettingDefault::Words("off (Node: `warn` once a `logger` is given)"),
        env: Some(crate::LOG_ENV),
        rust: ".logger(sink, level)",
        python: PythonArg::Absent,
        node: true,
        cli: None,
        own_pool: false,
        apply: |b, v| match v {
            SettingValue::Level(level) => Ok(b.log_level(level)),
            other => unreachable!("checked as a level: {other:?}"),
        },
        read: |c| {
            c.inner()
                .logger
                .as_ref()
                .map(|l| SettingValue::Level(l.level))
        },
    },
];

/// A value as a binding received it, before any check: what each binding
/// converts its language's values to, and back.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// `None`, `undefined` or `null`: not given.
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A whole number beyond 64 bits, by its exact digits.
    BigInt(String),
    /// Any other number.
    Float(f64),
    /// A decimal number by its exact digits (a Python `Decimal`): sent in
    /// a JSON body as written, never through a float.
    Decimal(String),
    /// Text (a Python path-like is its path).
    Text(String),
    /// A point in time (Python `datetime`, a JavaScript `Date`), as
    /// RFC 3339 text.
    DateTime(String),
    /// A calendar date (Python `date`), as `YYYY-MM-DD`.
    Date(String),
    /// A list, tuple or array.
    List(Vec<ArgValue>),
    /// A mapping or plain object, in its order.
    Map(Vec<(String, ArgValue)>),
    /// Anything else, by the name its language gives its type.
    Other(String),
}

impl ArgValue {
    /// What a message calls this value in `style`'s language.
    pub(crate) fn describe(&self, style: ArgStyle) -> String {
        let python = style.case == NameCase::Snake;
        match self {
            ArgValue::Null if python => "None".into(),
            ArgValue::Null => "null".into(),
            ArgValue::Bool(_) if python => "bool".into(),
            ArgValue::Bool(_) => "a boolean".into(),
            ArgValue::Int(_) | ArgValue::BigInt(_) if python => "int".into(),
            ArgValue::BigInt(d) => d.clone(),
            ArgValue::Decimal(_) if python => "Decimal".into(),
            ArgValue::Decimal(d) => d.clone(),
            ArgValue::DateTime(_) if python => "datetime".into(),
            ArgValue::DateTime(_) => "a Date".into(),
            ArgValue::Date(_) => "date".into(),
            ArgValue::Float(_) if python => "float".into(),
            ArgValue::Int(n) => n.to_string(),
            ArgValue::Float(n) => n.to_string(),
            ArgValue::Text(_) if python => "str".into(),
            ArgValue::Text(s) => format!("{s:?}"),
            ArgValue::List(_) if python => "list".into(),
            ArgValue::List(_) => "an array".into(),
            ArgValue::Map(_) if python => "dict".into(),
            ArgValue::Map(_) => "an object".into(),
            ArgValue::Other(name) => name.clone(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            ArgValue::Int(n) => Some(*n as f64),
            ArgValue::Float(n) => Some(*n),
            ArgValue::BigInt(d) | ArgValue::Decimal(d) => d.parse().ok(),
            _ => None,
        }
    }
}

/// What a kind is called in refusals, per language.
fn expected(kind: SettingKind, style: ArgStyle) -> &'static str {
    let python = style.case == NameCase::Snake;
    match kind {
        SettingKind::Text | SettingKind::Secret | SettingKind::LogLevel if python => "a str",
        SettingKind::Text | SettingKind::Secret | SettingKind::LogLevel => "a string",
        SettingKind::Time | SettingKind::PerSecond => "a number",
        SettingKind::Count if python => "an int",
        SettingKind::Count => "a whole number",
        SettingKind::Certificates if python => "PEM text or a path, or a list of them",
        SettingKind::Certificates => "PEM text or a path, or an array of them",
        SettingKind::Headers if python => "a mapping of header names to values",
        SettingKind::Headers if style.case == NameCase::Kebab => "NAME:VALUE",
        SettingKind::Headers => "an object of header names to values",
    }
}

impl Setting {
    /// The name as `style`'s users write it: `--max-rps` is the CLI's flag.
    pub fn name_in(&self, style: ArgStyle) -> String {
        match (style.case, self.cli) {
            (NameCase::Kebab, Some(flag)) => format!("--{}", flag.long),
            _ => style.name(self.name),
        }
    }

    /// Checks a value a binding received for this setting. Every refusal's
    /// message is made here.
    pub fn check(&self, value: ArgValue, style: ArgStyle) -> Result<SettingValue> {
        check_value(&self.name_in(style), self.kind, value, style)
    }

    /// A resolved value back as a binding gives it to its users.
    pub fn to_arg(&self, value: &SettingValue, style: ArgStyle) -> ArgValue {
        match value {
            SettingValue::Text(s) => ArgValue::Text(s.clone()),
            SettingValue::Time(d) => ArgValue::Float(style.number(*d)),
            SettingValue::Count(n) => ArgValue::Int(i64::from(*n)),
            SettingValue::PerSecond(r) => ArgValue::Float(*r),
            SettingValue::List(l) => {
                ArgValue::List(l.iter().cloned().map(ArgValue::Text).collect())
            }
            SettingValue::Headers(h) => ArgValue::Map(
                h.iter()
                    .map(|(k, v)| (k.clone(), ArgValue::Text(v.clone())))
                    .collect(),
            ),
            SettingValue::Level(l) => ArgValue::Text(l.as_str().to_owned()),
        }
    }

    /// The default as `unit`'s docs quote it.
    pub fn default_text(&self, unit: TimeUnit) -> String {
        match self.default {
            SettingDefault::Time(d) => match unit {
                TimeUnit::Seconds => format!("{} s", trim_float(d.as_secs_f64())),
                TimeUnit::Milliseconds => format!("{} ms", trim_float(d.as_secs_f64() * 1000.0)),
            },
            SettingDefault::Count(n) => n.to_string(),
            SettingDefault::Words(w) => w.to_owned(),
        }
    }
}

/// Checks a value a binding received for an option of `kind` named `name`
/// (in the binding's spelling): every refusal's message is made here, for
/// client settings and per-call options alike.
pub(crate) fn check_value(
    name: &str,
    kind: SettingKind,
    value: ArgValue,
    style: ArgStyle,
) -> Result<SettingValue> {
    let name = name.to_owned();
    let wrong = |v: &ArgValue| {
        Error::WrongType(format!(
            "{name} must be {}, not {}",
            expected(kind, style),
            v.describe(style)
        ))
    };
    // The CLI's values arrive as text: numbers are read from it.
    let value = match (value, kind) {
        (ArgValue::Text(s), SettingKind::Time | SettingKind::Count | SettingKind::PerSecond)
            if style.case == NameCase::Kebab =>
        {
            let t = s.trim();
            t.parse::<i64>()
                .map(ArgValue::Int)
                .or_else(|_| t.parse::<f64>().map(ArgValue::Float))
                .map_err(|_| {
                    Error::InvalidArgument(format!(
                        "{name} must be {}, got {s:?}",
                        expected(kind, style)
                    ))
                })?
        }
        (v, _) => v,
    };
    match kind {
        SettingKind::Text | SettingKind::Secret => match value {
            ArgValue::Text(s) => Ok(SettingValue::Text(s)),
            v => Err(wrong(&v)),
        },
        SettingKind::LogLevel => match value {
            ArgValue::Text(s) => Ok(SettingValue::Level(s.parse()?)),
            v => Err(wrong(&v)),
        },
        SettingKind::Time => match value.number() {
            Some(n) => Ok(SettingValue::Time(style.duration_as(&name, n)?)),
            None => Err(wrong(&value)),
        },
        SettingKind::PerSecond => match value.number() {
            Some(r) if r.is_finite() && r > 0.0 => Ok(SettingValue::PerSecond(r)),
            Some(r) => Err(Error::InvalidArgument(format!(
                "{name} must be a positive number, got {r}"
            ))),
            None => Err(wrong(&value)),
        },
        SettingKind::Count => match value {
            ArgValue::Int(n) => u32::try_from(n)
                .map(SettingValue::Count)
                .map_err(|_| Error::InvalidArgument(format!("{name} must be 0 or more, got {n}"))),
            v => Err(wrong(&v)),
        },
        SettingKind::Certificates => match value {
            ArgValue::Text(s) => Ok(SettingValue::List(vec![s])),
            ArgValue::List(items) => items
                .into_iter()
                .map(|i| match i {
                    ArgValue::Text(s) => Ok(s),
                    v => Err(wrong(&v)),
                })
                .collect::<Result<_>>()
                .map(SettingValue::List),
            v => Err(wrong(&v)),
        },
        SettingKind::Headers => {
            let pairs = match value {
                ArgValue::Map(pairs) => pairs
                    .into_iter()
                    .map(|(k, v)| match v {
                        ArgValue::Text(s) => Ok((k, s)),
                        v => Err(Error::WrongType(format!(
                            "{name} must map header names to {}, got {k:?}: {}",
                            expected(SettingKind::Text, style).trim_start_matches("a "),
                            v.describe(style)
                        ))),
                    })
                    .collect::<Result<Vec<_>>>()?,
                // The CLI's repeated NAME:VALUE.
                ArgValue::List(items) if style.case == NameCase::Kebab => items
                    .into_iter()
                    .map(|i| match i {
                        ArgValue::Text(h) => h
                            .split_once(':')
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .ok_or_else(|| {
                                Error::InvalidArgument(format!("{name} {h:?} must be NAME:VALUE"))
                            }),
                        v => Err(wrong(&v)),
                    })
                    .collect::<Result<Vec<_>>>()?,
                v => return Err(wrong(&v)),
            };
            // Names and values are checked now, not at the first request.
            for (k, v) in &pairs {
                crate::check_header(k, v)?;
            }
            Ok(SettingValue::Headers(pairs))
        }
    }
}

fn trim_float(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

/// A client's settings as a binding received them, checked against
/// [`SETTINGS`] in the binding's terms; [`ClientArgs::apply`] sets them on
/// a builder. Unset ones keep the builder's value.
#[derive(Clone, Default)]
pub struct ClientArgs {
    given: Vec<(&'static Setting, SettingValue)>,
}

impl std::fmt::Debug for ClientArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: values include the token and a proxy's credentials.
        f.debug_list()
            .entries(self.given.iter().map(|(s, _)| s.name))
            .finish()
    }
}

impl ClientArgs {
    /// Checks `(name, value)` pairs as a binding received them, names in
    /// `style`'s case; `Null` values are left unset.
    pub fn parse(
        style: ArgStyle,
        items: impl IntoIterator<Item = (String, ArgValue)>,
    ) -> Result<Self> {
        // The surface's own User-Agent first: it is no setting users pass.
        let user_agent = SETTINGS.iter().find(|s| s.name == "user_agent");
        let mut given: Vec<_> = user_agent
            .map(|s| (s, SettingValue::Text(style.user_agent())))
            .into_iter()
            .collect();
        for (name, value) in items {
            if value == ArgValue::Null {
                continue;
            }
            let setting = SETTINGS
                .iter()
                .find(|s| s.name_in(style) == name)
                .ok_or_else(|| Error::WrongType(format!("unexpected setting {name:?}")))?;
            given.push((setting, setting.check(value, style)?));
        }
        Ok(Self { given })
    }

    /// True when the setting of this snake_case name was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(s, _)| s.name == name)
    }

    /// Adds one checked setting, replacing any earlier value of it.
    pub fn set(&mut self, name: &str, value: SettingValue) {
        self.given.retain(|(s, _)| s.name != name);
        if let Some(setting) = SETTINGS.iter().find(|s| s.name == name) {
            self.given.push((setting, value));
        }
    }

    /// Sets on `builder` what was given.
    pub fn apply(self, builder: ClientBuilder) -> Result<ClientBuilder> {
        self.given
            .into_iter()
            .try_fold(builder, |b, (setting, value)| (setting.apply)(b, value))
    }
}

impl Client {
    /// Every setting with a value, resolved from the environment, as a
    /// binding's users would pass them again (for a pickled Python client).
    /// Contains the token.
    pub fn settings(&self, style: ArgStyle) -> Vec<(String, ArgValue)> {
        SETTINGS
            .iter()
            .filter_map(|s| {
                let value = (s.read)(self)?;
                Some((s.name_in(style), s.to_arg(&value, style)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(style: ArgStyle, name: &str, v: ArgValue) -> Result<ClientArgs> {
        ClientArgs::parse(style, [(name.to_owned(), v)])
    }

    fn refusal(style: ArgStyle, name: &str, v: ArgValue) -> String {
        parse(style, name, v).unwrap_err().message()
    }

    #[test]
    fn one_message_per_refusal_in_each_language_s_terms() {
        let py = ArgStyle::PYTHON;
        let node = ArgStyle::NODE;
        assert_eq!(
            refusal(py, "timeout", ArgValue::Text("5".into())),
            "timeout must be a number, not str"
        );
        assert_eq!(
            refusal(node, "connectTimeout", ArgValue::Bool(true)),
            "connectTimeout must be a number, not a boolean"
        );
        assert_eq!(
            refusal(node, "maxRetries", ArgValue::Float(1.5)),
            "maxRetries must be a whole number, not 1.5"
        );
        assert_eq!(
            refusal(py, "max_retries", ArgValue::Int(-1)),
            "max_retries must be 0 or more, got -1"
        );
        assert_eq!(
            refusal(ArgStyle::CLI, "--timeout", ArgValue::Text("soon".into())),
            "--timeout must be a number, got \"soon\""
        );
        assert!(refusal(
            py,
            "default_headers",
            ArgValue::Map(vec![("Authorization".into(), ArgValue::Text("x".into()))])
        )
        .contains("cannot be overridden"));
        let e = parse(py, "token", ArgValue::Int(3)).unwrap_err();
        assert!(matches!(e, Error::WrongType(_)), "{e:?}");
        assert_eq!(
            refusal(node, "max_retries", ArgValue::Int(1)),
            "unexpected setting \"max_retries\""
        );
    }

    #[test]
    fn the_cli_reads_numbers_and_headers_from_text() {
        let a = ClientArgs::parse(
            ArgStyle::CLI,
            [
                ("--timeout".to_owned(), ArgValue::Text("2.5".into())),
                ("--max-retries".to_owned(), ArgValue::Text("0".into())),
                (
                    "--header".to_owned(),
                    ArgValue::List(vec![ArgValue::Text("X-A: 1".into())]),
                ),
            ],
        )
        .unwrap();
        let values: Vec<_> = a.given.iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(
            values,
            [
                SettingValue::Text(format!("enneo-cli/{}", env!("CARGO_PKG_VERSION"))),
                SettingValue::Time(Duration::from_millis(2500)),
                SettingValue::Count(0),
                SettingValue::Headers(vec![("X-A".into(), "1".into())]),
            ]
        );
    }

    #[test]
    fn each_surface_sends_its_own_user_agent() {
        for (style, surface) in [
            (ArgStyle::PYTHON, "python"),
            (ArgStyle::NODE, "node"),
            (ArgStyle::CLI, "cli"),
        ] {
            let a = ClientArgs::parse(style, []).unwrap();
            let builder = Client::builder().base_url("http://127.0.0.1:1");
            let client = a.apply(builder).unwrap().build().unwrap();
            let want = format!("enneo-{surface}/{}", env!("CARGO_PKG_VERSION"));
            assert_eq!(client.inner().user_agent, want);
        }
        let rust = Client::builder()
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
        assert!(rust.inner().user_agent.starts_with("enneo-rust/"));
    }

    #[test]
    fn null_is_unset_and_values_come_back_in_the_binding_s_units() {
        let a = ClientArgs::parse(
            ArgStyle::NODE,
            [
                ("token".to_owned(), ArgValue::Null),
                ("timeout".to_owned(), ArgValue::Int(1500)),
                (
                    "baseUrl".to_owned(),
                    ArgValue::Text("http://127.0.0.1:9/api/mind".into()),
                ),
            ],
        )
        .unwrap();
        assert!(!a.has("token") && a.has("timeout"));
        let client = a.apply(Client::builder()).unwrap().build().unwrap();
        let settings = client.settings(ArgStyle::PYTHON);
        assert!(settings.contains(&("timeout".into(), ArgValue::Float(1.5))));
        assert!(settings.iter().all(|(name, _)| name != "proxy"));
    }

    #[test]
    fn every_setting_is_named_once_and_documented() {
        for (i, s) in SETTINGS.iter().enumerate() {
            assert!(s.doc.ends_with('.'), "{}", s.name);
            assert!(SETTINGS[..i].iter().all(|o| o.name != s.name), "{}", s.name);
        }
        // Python's positional settings come first, in the table's order.
        let first_keyword = SETTINGS
            .iter()
            .position(|s| s.python != PythonArg::Positional)
            .unwrap();
        assert!(SETTINGS[first_keyword..]
            .iter()
            .all(|s| s.python != PythonArg::Positional));
    }
}
