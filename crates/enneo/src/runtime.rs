//! The tokio runtime the bindings run their requests on.

/// A runtime with one I/O thread, `enneo-io`, for every request of a
/// process. A lookup's future and its connection task then share a thread,
/// so a call costs one wake-up each way between the caller's thread and
/// it. On the 2-core CI machine, 20 000 lookups at concurrency 64 took
/// about 24 µs each with one worker and 27-31 µs with two, which contend
/// with the server and the caller's thread for the cores. Python and Node
/// both build theirs here; a Rust service brings its own runtime.
pub fn io_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("enneo-io")
        .enable_all()
        .build()
}
