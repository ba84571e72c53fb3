//! Opt-in logging to stderr for programs that do not set up `tracing`
//! themselves (the CLI and the Python and Node bindings).

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

pub use crate::log::LOG_ENV;

/// Installs a stderr logger for this crate's events when `ENNEO_LOG` is set.
/// Does nothing when it is unset or a global subscriber already exists.
pub fn init_from_env() {
    let Ok(level) = std::env::var(LOG_ENV) else {
        return;
    };
    let Ok(level) = level.trim().parse::<LevelFilter>() else {
        return;
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
