//! The process allocator: mimalloc.
//!
//! Ingest allocates and frees many small strings per point; under glibc's allocator a third of a
//! remote_write load's CPU time went to malloc and free, with mimalloc a few percent, and
//! remote_write throughput rose by about half (docs/benchmarks.md).
//!
//! Built with `no_thp`: mimalloc otherwise asks for transparent huge pages, and the kernel then
//! zeroes 2 MiB for every fresh region that a request's short-lived buffers touch — a sixth of
//! the server's CPU under remote_write load. Without them: about 7 % more samples/s and a third
//! less peak memory (docs/benchmarks.md).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
