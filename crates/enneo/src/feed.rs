//! `LookupFeed`: a stream of lookups that a caller feeds ids to and takes
//! results from, for the language bindings' streaming calls.
//!
//! Between the two ends, [`Client::fetch_stream_raw`] keeps at most
//! `concurrency` requests in flight and yields in input order. The result
//! channel holds at most `concurrency` finished responses, so a consumer
//! that stops taking stops the requests too. Closing or dropping the feed
//! aborts what is in flight.
//!
//! How many ids a feeder reads ahead is decided here too ([`LookupFeed::room`]):
//! two windows of ids queued or in flight, so that the requests never wait
//! for the caller, while a lazy source is read only as results are taken.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{
    Client, Concurrency, FlexibleId, Operation, RawResponse, RequestOptions, Result, SpanEnd,
    TraceContext,
};

/// A result in the feed's order, with its span's end when its id was traced.
pub type FeedResult = (Result<RawResponse>, Option<SpanEnd>);

type FeedItem = (FlexibleId, Option<TraceContext>);

type Results = Arc<tokio::sync::Mutex<mpsc::Receiver<FeedResult>>>;

/// A running stream of lookups; see the module docs.
#[derive(Debug)]
pub struct LookupFeed {
    ids: Mutex<Option<mpsc::UnboundedSender<FeedItem>>>,
    results: Results,
    task: tokio::task::AbortHandle,
    concurrency: Concurrency,
    /// Ids fed whose results were not yet taken.
    pending: Arc<AtomicUsize>,
}

impl LookupFeed {
    /// Starts the feed's task on the current tokio runtime (call it inside
    /// a runtime context). Each success is a [`RawResponse::detached`]
    /// body checked to be a JSON object.
    pub fn start(
        client: &Client,
        lookup: Operation,
        concurrency: impl Into<Concurrency>,
        options: RequestOptions,
    ) -> Self {
        let concurrency = concurrency.into();
        let (id_tx, mut id_rx) = mpsc::unbounded_channel::<FeedItem>();
        let (result_tx, result_rx) = mpsc::channel(concurrency.max());
        let ids = futures::stream::poll_fn(move |cx| id_rx.poll_recv(cx));
        let mut results = client.fetch_stream_raw(lookup, ids, concurrency, options);
        let task = tokio::spawn(async move {
            while let Some(r) = results.next().await {
                if result_tx.send(r).await.is_err() {
                    break;
                }
            }
        });
        LookupFeed {
            ids: Mutex::new(Some(id_tx)),
            results: Arc::new(tokio::sync::Mutex::new(result_rx)),
            task: task.abort_handle(),
            concurrency,
            pending: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// How many more ids to feed now: two windows of
    /// [`LookupFeed::concurrency`], less the ids fed and not yet taken.
    pub fn room(&self) -> usize {
        (2 * self.concurrency()).saturating_sub(self.pending())
    }

    /// Ids fed whose results were not yet taken: 0 once every result of a
    /// finished feed was.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }

    /// The most requests in flight at once: what the feeder sizes its
    /// window of queued ids by.
    pub fn concurrency(&self) -> usize {
        self.concurrency.max()
    }

    /// Queues more ids. Ids fed after [`LookupFeed::finish`] or
    /// [`LookupFeed::close`] are dropped.
    pub fn feed(&self, ids: impl IntoIterator<Item = FlexibleId>) {
        self.feed_traced(ids.into_iter().map(|id| (id, None)));
    }

    /// Queues more ids, each with the trace context of its own span or none.
    pub fn feed_traced(&self, ids: impl IntoIterator<Item = (FlexibleId, Option<TraceContext>)>) {
        let guard = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = guard.as_ref() {
            for id in ids {
                // The task has ended (closed): its ids are moot.
                if tx.send(id).is_ok() {
                    self.pending.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
    }

    /// No more ids will come: the results end after the queued ones.
    pub fn finish(&self) {
        self.ids.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The next results in input order: at least one, or none when the feed
    /// is finished or closed. The future owns what it needs, so it can be
    /// handed to another thread or event loop.
    pub fn next_batch(&self) -> impl Future<Output = Vec<FeedResult>> + Send + 'static {
        let (results, pending) = (self.results.clone(), self.pending.clone());
        async move {
            let mut rx = results.lock().await;
            let mut batch = Vec::new();
            if let Some(first) = rx.recv().await {
                batch.push(first);
                while let Ok(more) = rx.try_recv() {
                    batch.push(more);
                }
            }
            let _ = pending.fetch_update(Ordering::AcqRel, Ordering::Acquire, |p| {
                Some(p.saturating_sub(batch.len()))
            });
            batch
        }
    }

    /// Stops the requests in flight; a pending `next_batch` resolves empty.
    pub fn close(&self) {
        self.finish();
        self.task.abort();
    }
}

impl Drop for LookupFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn room_is_two_windows_less_what_was_not_taken() {
        let server = enneo_mock::MockServer::start(Default::default())
            .await
            .unwrap();
        let client = Client::builder()
            .base_url(server.base_url())
            .build()
            .unwrap();
        let feed = LookupFeed::start(
            &client,
            Operation::GetCustomerByCustomerId,
            3,
            RequestOptions::default(),
        );
        assert_eq!((feed.room(), feed.pending()), (6, 0));
        feed.feed((1..=4u64).map(FlexibleId::from));
        assert_eq!((feed.room(), feed.pending()), (2, 4));
        let mut taken = 0;
        while taken < 4 {
            taken += feed.next_batch().await.len();
        }
        assert_eq!((feed.room(), feed.pending()), (6, 0));
        feed.finish();
        // Ids fed after the end are dropped, and not counted.
        feed.feed([FlexibleId::from(5u64)]);
        assert_eq!(feed.pending(), 0);
        assert!(feed.next_batch().await.is_empty());
    }
}
