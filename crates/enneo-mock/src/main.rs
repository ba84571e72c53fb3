//! `enneo-mock [--port N] [--token T] [--fixtures DIR] [--tls-cert PEM --tls-key PEM]
//! [--rate-limit N [--rate-burst B] [--rate-limit-headers]]`
//!
//! Prints `listening on http://127.0.0.1:PORT` as its first line and serves
//! the API under `/api/mind` until killed.

use std::io::Write;
use std::process::ExitCode;

use enneo_mock::{MockConfig, MockServer, TlsIdentity};

const USAGE: &str =
    "usage: enneo-mock [--port N] [--token T] [--fixtures DIR] [--tls-cert PEM --tls-key PEM]
                  [--rate-limit N [--rate-burst B] [--rate-limit-headers]]";

fn parse_args() -> Result<MockConfig, String> {
    let mut config = MockConfig::default();
    let (mut cert, mut key) = (None, None);
    let (mut rate, mut burst, mut announce) = (None, None, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => {
                config.port = value()?
                    .parse()
                    .map_err(|_| "--port needs a number".to_owned())?
            }
            "--token" => config.token = Some(value()?),
            "--fixtures" => config.fixtures = Some(value()?.into()),
            "--tls-cert" => cert = Some(value()?),
            "--tls-key" => key = Some(value()?),
            "--rate-limit" => {
                rate = Some(
                    value()?
                        .parse::<f64>()
                        .map_err(|_| "--rate-limit needs a number of requests a second")?,
                )
            }
            "--rate-burst" => {
                burst = Some(
                    value()?
                        .parse::<u32>()
                        .map_err(|_| "--rate-burst needs a whole number")?,
                )
            }
            "--rate-limit-headers" => announce = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    config.rate_limit = match rate {
        Some(r) => {
            let limit = enneo_mock::RateLimit::with_options(r, burst, announce);
            limit.validate()?;
            Some(limit)
        }
        None if burst.is_some() || announce => {
            return Err("--rate-burst and --rate-limit-headers need --rate-limit".into())
        }
        None => None,
    };
    config.tls = match (cert, key) {
        (None, None) => None,
        (Some(c), Some(k)) => {
            let read = |p: &str| std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}"));
            Some(TlsIdentity {
                cert_pem: read(&c)?,
                key_pem: read(&k)?,
            })
        }
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    Ok(config)
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("enneo-mock: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let server = match MockServer::start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("enneo-mock: could not start: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on {}", server.url());
        let _ = std::io::stdout().flush();
        server.wait().await;
        ExitCode::SUCCESS
    })
}
