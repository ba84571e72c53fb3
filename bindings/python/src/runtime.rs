//! The tokio runtime behind the async client and bulk lookups.
//!
//! The runtime itself is the core's (`enneo::io_runtime`, one I/O thread).
//!
//! A runtime's worker threads do not survive `fork()`, so the runtime is
//! keyed by process id: a forked child builds its own on first use instead of
//! waiting forever on threads that no longer exist. The parent's runtime is
//! leaked in the child, since dropping it would try to join those threads.

use std::sync::{Arc, Mutex};

use tokio::runtime::Runtime;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

pub fn get() -> Arc<Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    match slot.as_ref() {
        Some((owner, rt)) if *owner == pid => rt.clone(),
        _ => {
            if let Some((_, stale)) = slot.take() {
                std::mem::forget(stale);
            }
            let rt = Arc::new(enneo::io_runtime().expect("tokio runtime starts"));
            *slot = Some((pid, rt.clone()));
            rt
        }
    }
}
