//! The defaults quoted in the bindings' docstrings and TSDoc and in the
//! README, written from the core's constants (`enneo::DEFAULT_*`): each
//! quote is found by the words around it and its number rewritten, so that
//! the prose stays hand-written and the numbers cannot drift.

use std::path::Path;

/// A quote of a default: the text before its number, the text after, and
/// the number as the core has it.
struct Quote {
    file: &'static str,
    before: &'static str,
    after: &'static str,
    value: fn() -> String,
}

fn secs(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        s.to_string()
    }
}

const QUOTES: &[Quote] = &[
    Quote {
        file: "bindings/python/python/enneo/_client.py",
        before: "``timeout`` (per\n    attempt, default ",
        after: ")",
        value: || secs(enneo::DEFAULT_TIMEOUT),
    },
    Quote {
        file: "bindings/python/python/enneo/_client.py",
        before: "``connect_timeout`` (default ",
        after: ")",
        value: || secs(enneo::DEFAULT_CONNECT_TIMEOUT),
    },
    Quote {
        file: "bindings/python/python/enneo/_client.py",
        before: "``max_retries``\n    defaults to ",
        after: ".",
        value: || enneo::DEFAULT_MAX_RETRIES.to_string(),
    },
    Quote {
        file: "bindings/python/python/enneo/_client.py",
        before: "``concurrency`` defaults to ",
        after: ",",
        value: || enneo::DEFAULT_CONCURRENCY.to_string(),
    },
    Quote {
        file: "bindings/python/python/enneo/_client.py",
        before: "grows up to ",
        after: " while",
        value: || enneo::MAX_AUTO_CONCURRENCY.to_string(),
    },
    Quote {
        file: "bindings/node/ts/index.ts",
        before: "Unset, it grows up to ",
        after: " while",
        value: || enneo::MAX_AUTO_CONCURRENCY.to_string(),
    },
    Quote {
        file: "bindings/node/ts/index.ts",
        before: "Left unset, it grows up to ",
        after: " while",
        value: || enneo::MAX_AUTO_CONCURRENCY.to_string(),
    },
    Quote {
        file: "bindings/node/ts/index.ts",
        before: "Lookups in flight at once (inside Rust). Default ",
        after: ".",
        value: || enneo::DEFAULT_CONCURRENCY.to_string(),
    },
    Quote {
        file: "bindings/node/ts/index.ts",
        before: "Lookups in flight at once. Default ",
        after: ".",
        value: || enneo::DEFAULT_CONCURRENCY.to_string(),
    },
    Quote {
        file: "README.md",
        before: "retried (`max_retries`, default ",
        after: ")",
        value: || enneo::DEFAULT_MAX_RETRIES.to_string(),
    },
];

/// The files `files` (path below the root, text) with every quoted default
/// rewritten; a quote that is missing is an error, so a rewording that
/// loses one fails `make generate`.
pub fn apply(files: &mut Vec<(std::path::PathBuf, String)>, root: &Path) -> Result<(), String> {
    for q in QUOTES {
        let path = root.join(q.file);
        if !files.iter().any(|(p, _)| *p == path) {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("read {}: {e}", q.file))?;
            files.push((path.clone(), text));
        }
        let (_, text) = files
            .iter_mut()
            .find(|(p, _)| *p == path)
            .expect("added above");
        let start = text.find(q.before).ok_or_else(|| {
            format!(
                "{}: the default quoted after {:?} is missing",
                q.file, q.before
            )
        })? + q.before.len();
        let len = text[start..]
            .find(q.after)
            .ok_or_else(|| format!("{}: no {:?} after {:?}", q.file, q.after, q.before))?;
        text.replace_range(start..start + len, &(q.value)());
    }
    Ok(())
}
