//! `enneo customer get --ids-from FILE`: one JSON line per id, in input
//! order, streamed with flat memory.

use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, Instant};

use enneo::{Error, FlexibleId, Operation, RequestOptions};
use futures::StreamExt;
use tokio::sync::mpsc;

/// Lines read ahead of the requests; the reader blocks when they are queued.
const READ_AHEAD: usize = 1024;

/// What a bulk run saw.
pub struct Tally {
    pub done: u64,
    pub failed: u64,
}

/// Ids from `path` (`-` is stdin), one per line, blank lines skipped, read
/// on a thread of their own so that a slow pipe never blocks the requests.
fn read_ids(path: String) -> Result<mpsc::Receiver<String>, Error> {
    let reader: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&path)
            .map_err(|e| Error::InvalidArgument(format!("--ids-from {path}: {e}")))?;
        Box::new(std::io::BufReader::new(file))
    };
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            let id = line.trim();
            if !id.is_empty() && tx.blocking_send(id.to_owned()).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}

/// The output line for one id.
fn line(id: &str, result: Result<enneo::RawResponse, Error>) -> String {
    let id_json = serde_json::to_string(id).expect("a string serializes");
    match result {
        // The body as sent, minus insignificant whitespace: every digit kept.
        Ok(raw) => format!("{{\"id\":{id_json},\"customer\":{}}}", compact(&raw.body)),
        Err(e) => {
            let error =
                serde_json::json!({"code": e.code(), "status": e.status(), "message": e.message()});
            format!("{{\"id\":{id_json},\"error\":{error}}}")
        }
    }
}

/// JSON text without whitespace outside strings, so that it fits one line.
fn compact(json: &[u8]) -> String {
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Streams the lookups and writes the lines to stdout; a progress line goes
/// to stderr when it is a terminal.
pub async fn run(
    client: &enneo::Client,
    lookup: Operation,
    path: String,
    concurrency: enneo::Concurrency,
) -> Result<Tally, Error> {
    let mut ids_rx = read_ids(path)?;
    // Ids travel twice: to the requests, and in order to the output.
    let (order_tx, mut order_rx) = mpsc::unbounded_channel::<String>();
    let ids = futures::stream::poll_fn(move |cx| ids_rx.poll_recv(cx)).map(move |id: String| {
        let _ = order_tx.send(id.clone());
        (FlexibleId::Text(id), None)
    });
    let mut results =
        Box::pin(client.fetch_stream_raw(lookup, ids, concurrency, RequestOptions::default()));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let progress = std::io::stderr().is_terminal();
    let mut last_shown = Instant::now();
    let mut tally = Tally { done: 0, failed: 0 };
    while let Some((result, _)) = results.next().await {
        let id = order_rx.recv().await.expect("every result has its id");
        tally.done += 1;
        tally.failed += u64::from(result.is_err());
        writeln!(out, "{}", line(&id, result))
            .map_err(|e| Error::InvalidArgument(format!("could not write the output: {e}")))?;
        if progress && last_shown.elapsed() >= Duration::from_millis(100) {
            let _ = out.flush();
            eprint!("\r{} looked up, {} failed", tally.done, tally.failed);
            last_shown = Instant::now();
        }
    }
    out.flush()
        .map_err(|e| Error::InvalidArgument(format!("could not write the output: {e}")))?;
    if progress {
        eprintln!("\r{} looked up, {} failed", tally.done, tally.failed);
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_keeps_strings_and_digits() {
        let text = b"{\n  \"a b\": \"x \\\" y\",\n  \"n\": 12345678901234567890123,\n  \"f\": 5.960464477539063e-08\n}";
        assert_eq!(
            compact(text),
            r#"{"a b":"x \" y","n":12345678901234567890123,"f":5.960464477539063e-08}"#
        );
    }
}
