//! `NativeArrowStream`: the core's record batches of customers
//! (`enneo::Client::customers_arrow`) as one Arrow IPC stream, handed to
//! JavaScript a batch at a time (`customersArrowStream`, so that memory
//! holds a batch or two whatever the number of ids) or whole
//! (`customersArrow`).

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};

use arrow_array::RecordBatch;
use arrow_ipc::writer::StreamWriter;
use futures::{Stream, StreamExt};
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

type Batches = Pin<Box<dyn Stream<Item = enneo::Result<RecordBatch>> + Send>>;

/// The lookups' batches and the IPC writer they go through.
struct Encoder {
    batches: Batches,
    writer: StreamWriter<Vec<u8>>,
}

#[napi]
pub struct NativeArrowStream {
    /// `None` once the stream has ended or was closed: dropping the
    /// batches stops the lookups.
    encoder: tokio::sync::Mutex<Option<Encoder>>,
    closed: AtomicBool,
    close: tokio::sync::Notify,
}

impl NativeArrowStream {
    pub fn start(
        client: &enneo::Client,
        ids: Vec<String>,
        concurrency: enneo::Concurrency,
        options: enneo::RequestOptions,
        batch_size: usize,
    ) -> napi::Result<Self> {
        let writer = StreamWriter::try_new(Vec::new(), &enneo::arrow::customer_schema())
            .map_err(ipc_error)?;
        let ids = ids.into_iter().map(enneo::FlexibleId::Text);
        let batches = Box::pin(client.customers_arrow(ids, concurrency, options, batch_size));
        Ok(NativeArrowStream {
            encoder: tokio::sync::Mutex::new(Some(Encoder { batches, writer })),
            closed: AtomicBool::new(false),
            close: tokio::sync::Notify::new(),
        })
    }

    /// The stream's next bytes: a batch's (the schema's too, first), or
    /// with `whole` everything to the end; the end-of-stream marker comes
    /// with the last. `None` after the end, or once closed.
    async fn advance(&self, whole: bool) -> napi::Result<Option<Vec<u8>>> {
        let mut encoder = self.encoder.lock().await;
        loop {
            let closing = self.close.notified();
            tokio::pin!(closing);
            closing.as_mut().enable();
            if self.closed.load(Ordering::Acquire) {
                *encoder = None;
            }
            let Some(e) = encoder.as_mut() else {
                return Ok(None);
            };
            let next = tokio::select! {
                next = e.batches.next() => next,
                _ = &mut closing => {
                    *encoder = None;
                    return Ok(None);
                }
            };
            match next {
                Some(Ok(batch)) => {
                    e.writer.write(&batch).map_err(ipc_error)?;
                    if !whole {
                        return Ok(Some(std::mem::take(e.writer.get_mut())));
                    }
                }
                Some(Err(err)) => {
                    *encoder = None;
                    return Err(napi::Error::from_reason(err.message()));
                }
                None => {
                    e.writer.finish().map_err(ipc_error)?;
                    let rest = std::mem::take(e.writer.get_mut());
                    *encoder = None;
                    return Ok(Some(rest));
                }
            }
        }
    }
}

#[napi]
impl NativeArrowStream {
    /// The next bytes of the IPC stream: the schema with the first batch,
    /// then a batch each, the end-of-stream marker with the last; null
    /// after that, or once closed.
    #[napi]
    pub async fn next(&self) -> napi::Result<Option<Buffer>> {
        Ok(self.advance(false).await?.map(Buffer::from))
    }

    /// The rest of the IPC stream in one buffer (empty once closed).
    #[napi]
    pub async fn rest(&self) -> napi::Result<Buffer> {
        Ok(Buffer::from(self.advance(true).await?.unwrap_or_default()))
    }

    /// Stops the lookups; a pending `next()` resolves null.
    #[napi]
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.close.notify_waiters();
    }
}

fn ipc_error(e: arrow_schema::ArrowError) -> napi::Error {
    napi::Error::from_reason(format!("could not write the Arrow IPC stream: {e}"))
}
