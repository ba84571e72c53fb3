//! `enneo`: look up Enneo customers from a terminal.

mod bulk;
mod render;

use std::process::ExitCode;

use clap::{
    Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use enneo::{Error, Operation, RequestOptions};

/// Exit codes, so scripts can tell failures apart.
mod exit {
    pub const API: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const AUTH: u8 = 4;
    pub const NETWORK: u8 = 5;
    /// `--ids-from`: at least one lookup failed (its line says why).
    pub const SOME_FAILED: u8 = 6;
}

#[derive(Parser)]
#[command(name = "enneo", version, about = "Look up customers in the Enneo API")]
struct Cli {
    // The client's settings are flags made from `enneo::SETTINGS` (see
    // `settings_flags`), global like these.
    /// Run against an embedded mock server: offline, no token needed
    #[arg(long, global = true)]
    mock: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Customer lookups
    Customer {
        #[command(subcommand)]
        action: CustomerAction,
    },
    /// Call any operation of the spec by its operationId and print the
    /// body exactly as sent, such as `enneo call getCustomerByTicketId
    /// ticketId=1200`
    Call {
        /// The spec's operationId (or its snake_case method name)
        operation: String,
        /// The operation's parameters, as NAME=VALUE
        #[arg(value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// The JSON request body, for an operation that takes one: the
        /// JSON itself, @FILE, or @- for standard input. Checked against
        /// the spec's schema before it is sent; numbers keep every digit
        #[arg(long, value_name = "JSON")]
        body: Option<String>,
    },
}

#[derive(Subcommand)]
enum CustomerAction {
    /// Show one customer with its tags and contracts, or look up many
    /// (--ids-from) as JSON lines
    Get {
        /// The customer id (or contract/ticket id with --by)
        #[arg(required_unless_present = "ids_from", conflicts_with = "ids_from")]
        id: Option<String>,
        /// Look up every id in FILE (one per line; `-` reads stdin) and write
        /// one JSON line per id, in input order: {"id", "customer"} or
        /// {"id", "error": {code, status, message}}. Exits 6 when any failed.
        #[arg(long, value_name = "FILE")]
        ids_from: Option<String>,
        #[arg(long, help = format!(
            "Lookups in flight at once with --ids-from [default: {}, growing up to {} while the answers keep their time]",
            enneo::DEFAULT_CONCURRENCY, enneo::MAX_AUTO_CONCURRENCY))]
        concurrency: Option<i64>,
        /// Which id it is
        #[arg(long, value_enum, default_value_t = By::Customer)]
        by: By,
        /// Print the customer as the API returned it
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum By {
    Customer,
    Contract,
    Ticket,
}

fn main() -> ExitCode {
    enneo::logging::init_from_env();
    let matches = settings_flags(Cli::command()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let generic = matches!(cli.command, Command::Call { .. });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli, &matches)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("enneo: {}", sentence(&e, generic));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Adds a global flag for each setting of the core's table that the CLI
/// takes, with its doc and default.
fn settings_flags(mut command: clap::Command) -> clap::Command {
    for setting in enneo::SETTINGS {
        let Some(flag) = setting.cli else { continue };
        let mut help = format!(
            "{} [default: {}]",
            setting.doc.trim_end_matches('.'),
            setting.default_text(enneo::TimeUnit::Seconds)
        );
        if let Some(env) = setting.env {
            help.push_str(&format!(" [env: {env}]"));
        }
        let mut arg = Arg::new(setting.name)
            .long(flag.long)
            .value_name(flag.value_name)
            .global(true)
            .help(help);
        if let Some(short) = flag.short {
            arg = arg.short(short);
        }
        if setting.kind == enneo::SettingKind::Headers {
            arg = arg.action(ArgAction::Append);
        }
        command = command.arg(arg);
    }
    command
}

/// The setting flags given, checked by the core as every binding's are.
fn client_args(matches: &ArgMatches) -> Result<enneo::ClientArgs, Error> {
    let given = enneo::SETTINGS
        .iter()
        .filter(|s| s.cli.is_some())
        .filter_map(|s| {
            let mut values: Vec<_> = matches
                .get_many::<String>(s.name)?
                .map(|v| enneo::ArgValue::Text(v.clone()))
                .collect();
            let value = if s.kind == enneo::SettingKind::Headers {
                enneo::ArgValue::List(values)
            } else {
                values.pop()?
            };
            Some((s.name_in(enneo::ArgStyle::CLI), value))
        });
    enneo::ClientArgs::parse(enneo::ArgStyle::CLI, given.collect::<Vec<_>>())
}

/// Runs the command; the exit code when it ran (0, or SOME_FAILED).
async fn run(cli: Cli, matches: &ArgMatches) -> Result<u8, Error> {
    let mut builder = client_args(matches)?.apply(enneo::Client::builder())?;
    // Keep the mock alive for the whole run.
    let mut _mock = None;
    if cli.mock {
        let server = enneo_mock::MockServer::start(Default::default())
            .await
            .map_err(|e| Error::Connection {
                message: format!("could not start the mock: {e}"),
                attempts: 0,
            })?;
        builder = builder.base_url(server.base_url()).token("mock");
        _mock = Some(server);
    }
    let client = builder.build()?;
    let (id, ids_from, concurrency, by, json) = match cli.command {
        Command::Customer {
            action:
                CustomerAction::Get {
                    id,
                    ids_from,
                    concurrency,
                    by,
                    json,
                    ..
                },
        } => (id, ids_from, concurrency, by, json),
        Command::Call {
            operation,
            params,
            body,
        } => return call(&client, &operation, &params, body.as_deref()).await,
    };
    let lookup = match by {
        By::Customer => Operation::GetCustomerByCustomerId,
        By::Contract => Operation::GetCustomerByContractId,
        By::Ticket => Operation::GetCustomerByTicketId,
    };
    if let Some(path) = ids_from {
        let concurrency = enneo::ArgStyle::CLI
            .concurrency(concurrency.map_or(enneo::ArgValue::Null, enneo::ArgValue::Int))?;
        let tally = bulk::run(&client, lookup, path, concurrency).await?;
        return Ok(if tally.failed == 0 {
            0
        } else {
            exit::SOME_FAILED
        });
    }
    let id = id.expect("clap requires an id without --ids-from");
    let fetched = client
        .fetch(lookup, id.into(), &RequestOptions::default())
        .await?;
    if json {
        println!("{}", String::from_utf8_lossy(&fetched.body));
    } else {
        print!("{}", render::summary(&fetched.customer));
    }
    Ok(0)
}

/// `enneo call OPERATION NAME=VALUE… [--body JSON]`: the body exactly as
/// sent.
async fn call(
    client: &enneo::Client,
    operation: &str,
    params: &[String],
    body: Option<&str>,
) -> Result<u8, Error> {
    let operation: Operation = operation.parse()?;
    let mut given: Vec<(&str, &str)> = Vec::new();
    for p in params {
        let (name, value) = p
            .split_once('=')
            .ok_or_else(|| Error::InvalidArgument(format!("parameter {p:?} must be NAME=VALUE")))?;
        given.push((name, value));
    }
    let known = operation.params();
    for (name, _) in &given {
        if !known.iter().any(|k| k.name == *name || k.snake == *name) {
            let names: Vec<&str> = known.iter().map(|k| k.name).collect();
            return Err(Error::InvalidArgument(format!(
                "{operation} has no parameter {name:?}; it takes {}",
                names.join(", ")
            )));
        }
    }
    // In the operation's order, checked and written by the core by each
    // parameter's type, as every binding's are.
    let mut values = Vec::new();
    for k in known {
        match given.iter().find(|(n, _)| *n == k.name || *n == k.snake) {
            Some((_, v)) => values.push(enneo::ArgValue::Text((*v).to_owned())),
            None if k.required => {
                return Err(Error::InvalidArgument(format!(
                    "{operation} needs {}=VALUE",
                    k.name
                )))
            }
            None => values.push(enneo::ArgValue::Null),
        }
    }
    let mut args = operation.bind(enneo::ArgStyle::CLI, values)?;
    if let Some(body) = body {
        let text = match body.strip_prefix('@') {
            Some("-") => std::io::read_to_string(std::io::stdin())
                .map_err(|e| Error::InvalidArgument(format!("--body @-: {e}")))?,
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| Error::InvalidArgument(format!("--body @{path}: {e}")))?,
            None => body.to_owned(),
        };
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::InvalidArgument(format!("--body is not JSON: {e}")))?;
        args.body = Some(operation.body(&json)?);
    }
    let response = client
        .call_raw(
            operation,
            &args.params,
            args.body.as_ref(),
            &RequestOptions::default(),
        )
        .await?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&response.body);
    let _ = out.write_all(b"\n");
    Ok(0)
}

fn exit_code(e: &Error) -> u8 {
    match e {
        Error::InvalidArgument(_) | Error::WrongType(_) => exit::BAD_INPUT,
        e if e.is_not_found() => exit::NOT_FOUND,
        e if e.is_auth() => exit::AUTH,
        e if e.is_network() => exit::NETWORK,
        _ => exit::API,
    }
}

/// The error as one sentence; `generic` for `call`, whose 404 need not be
/// about a customer.
fn sentence(e: &Error, generic: bool) -> String {
    match e {
        e if e.is_not_found() && generic => format!("{e}."),
        e if e.is_not_found() => "no customer matches that id (HTTP 404).".to_owned(),
        e if e.status() == Some(401) => {
            "the API rejected the token (HTTP 401); set ENNEO_TOKEN or pass --token.".to_owned()
        }
        e if e.status() == Some(403) => {
            "the token may not read this customer (HTTP 403).".to_owned()
        }
        e => format!("{e}."),
    }
}
