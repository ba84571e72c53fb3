//! `NativeStream`: the engine of `streamCustomers` and `getCustomers`.
//!
//! JavaScript feeds ids and takes results in batches; between the two, the
//! core's `fetch_stream_raw` keeps at most `concurrency` requests in flight
//! and yields in input order. The result channel holds at most
//! `concurrency` finished bodies, so a consumer that stops reading stops the
//! requests too. `close()` (or garbage collection) aborts what is in flight.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use napi_derive::napi;
use tokio::sync::mpsc;

use enneo::{Error, FlexibleId, Lookup, RawResponse, RequestOptions};

use crate::{to_outcome, Failure, Outcome};

type Results = Arc<tokio::sync::Mutex<mpsc::Receiver<Result<RawResponse, Error>>>>;

#[napi]
pub struct NativeStream {
    ids: Mutex<Option<mpsc::UnboundedSender<FlexibleId>>>,
    results: Results,
    task: tokio::task::AbortHandle,
}

impl NativeStream {
    pub fn start(
        client: enneo::Client,
        lookup: Lookup,
        concurrency: usize,
        options: RequestOptions,
    ) -> Self {
        let (id_tx, mut id_rx) = mpsc::unbounded_channel::<FlexibleId>();
        let (result_tx, result_rx) = mpsc::channel(concurrency.max(1));
        let ids = futures::stream::poll_fn(move |cx| id_rx.poll_recv(cx));
        let task = napi::bindgen_prelude::spawn(async move {
            let mut results = client.fetch_stream_raw(lookup, ids, concurrency, options);
            while let Some(r) = results.next().await {
                if result_tx.send(r).await.is_err() {
                    break;
                }
            }
        });
        NativeStream {
            ids: Mutex::new(Some(id_tx)),
            results: Arc::new(tokio::sync::Mutex::new(result_rx)),
            task: task.abort_handle(),
        }
    }
}

#[napi]
impl NativeStream {
    /// Queues more ids.
    #[napi]
    pub fn feed(&self, ids: Vec<String>) {
        let guard = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = guard.as_ref() {
            for id in ids {
                // A closed stream has no one to send to; its ids are moot.
                let _ = tx.send(FlexibleId::Text(id));
            }
        }
    }

    /// No more ids will come: the stream ends after the queued ones.
    #[napi]
    pub fn finish(&self) {
        self.ids.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The next results in input order: at least one, or none when the
    /// stream is finished or closed.
    #[napi]
    pub async fn next(&self) -> Vec<Outcome> {
        let mut rx = self.results.lock().await;
        let mut batch = Vec::new();
        if let Some(first) = rx.recv().await {
            batch.push(to_outcome(first.map_err(Failure::Api)));
            while let Ok(more) = rx.try_recv() {
                batch.push(to_outcome(more.map_err(Failure::Api)));
            }
        }
        batch
    }

    /// Stops the requests in flight; a pending `next()` resolves empty.
    #[napi]
    pub fn close(&self) {
        self.finish();
        self.task.abort();
    }
}

impl Drop for NativeStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}
