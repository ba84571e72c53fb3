//! Opt-in logging to stderr for programs that do not set up `tracing`
//! themselves (the CLI).

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

pub use crate::log::LOG_ENV;
use crate::LogLevel;

/// Installs a stderr logger for this crate's events when `ENNEO_LOG` names
/// a level ([`LogLevel::from_env`], as every binding reads it). Does nothing
/// when it is unset or `off`, or a global subscriber already exists.
pub fn init_from_env() {
    let level = match LogLevel::from_env() {
        None | Some(LogLevel::Off) => return,
        Some(LogLevel::Debug) => LevelFilter::DEBUG,
        Some(LogLevel::Info) => LevelFilter::INFO,
        Some(LogLevel::Warn) => LevelFilter::WARN,
        Some(LogLevel::Error) => LevelFilter::ERROR,
    };
    let filter = Targets::new().with_target("enneo", level);
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_filter(filter),
        )
        .try_init();
}
