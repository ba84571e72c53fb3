//! `NativeStream`: the engine of `streamCustomers` and `getCustomers`, a
//! thin wrapper over the core's `LookupFeed` (which bounds the requests in
//! flight and keeps input order). JavaScript feeds ids and takes results in
//! batches.

use napi_derive::napi;

use enneo::{FlexibleId, LookupFeed, Operation, RequestOptions};

use crate::{to_outcome, to_trace, Failure, Outcome, TraceArg};

#[napi]
pub struct NativeStream {
    feed: LookupFeed,
}

impl NativeStream {
    pub fn start(
        client: enneo::Client,
        lookup: Operation,
        concurrency: enneo::Concurrency,
        options: RequestOptions,
    ) -> Self {
        let feed = napi::bindgen_prelude::within_runtime_if_available(|| {
            LookupFeed::start(&client, lookup, concurrency, options)
        });
        NativeStream { feed }
    }
}

#[napi]
impl NativeStream {
    /// Requests in flight at most (the core's default when none was given).
    #[napi(getter)]
    pub fn concurrency(&self) -> u32 {
        u32::try_from(self.feed.concurrency()).unwrap_or(u32::MAX)
    }

    /// Queues more ids; with `traces`, one trace context (or null) per
    /// id, whose outcome then carries its span's end.
    #[napi]
    pub fn feed(
        &self,
        ids: Vec<String>,
        traces: Option<Vec<Option<TraceArg>>>,
    ) -> napi::Result<()> {
        let mut traces = traces.unwrap_or_default().into_iter();
        let items = ids
            .into_iter()
            .map(|id| Ok((FlexibleId::Text(id), to_trace(traces.next().flatten())?)))
            .collect::<Result<Vec<_>, enneo::Error>>()
            .map_err(crate::invalid)?;
        self.feed.feed_traced(items);
        Ok(())
    }

    /// How many more ids to feed now (the core's read-ahead rule).
    #[napi(getter)]
    pub fn room(&self) -> u32 {
        u32::try_from(self.feed.room()).unwrap_or(u32::MAX)
    }

    /// No more ids will come: the stream ends after the queued ones.
    #[napi]
    pub fn finish(&self) {
        self.feed.finish();
    }

    /// The next results in input order: at least one, or none when the
    /// stream is finished or closed.
    #[napi]
    pub async fn next(&self) -> Vec<Outcome> {
        self.feed
            .next_batch()
            .await
            .into_iter()
            .map(|(r, span)| to_outcome(r.map_err(Failure::Api), span.as_ref(), false))
            .collect()
    }

    /// Stops the requests in flight; a pending `next()` resolves empty.
    #[napi]
    pub fn close(&self) {
        self.feed.close();
    }
}
