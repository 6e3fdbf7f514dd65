//! The process allocator: mimalloc.
//!
//! Ingest allocates and frees many small strings per point; under glibc's allocator a third of a
//! remote_write load's CPU time went to malloc and free, with mimalloc a few percent, and
//! remote_write throughput rose by about half (docs/benchmarks.md).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
