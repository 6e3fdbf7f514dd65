//! When an operator splits its work over the cores: evaluation runs on one thread per query,
//! and the large inputs (every sample of a day of a thousand series) are worth the threads.

/// Work (samples and step slots touched) above which an operator splits itself over the
/// cores: a thread costs some tens of microseconds, this much work a millisecond or more (an
/// hour of a thousand series at 15 s is about 500,000).
pub(crate) const PARALLEL_WORK: usize = 1 << 18;

/// How many threads `work` (samples and step slots touched) is worth: every core above
/// [`PARALLEL_WORK`], else one.
pub(crate) fn threads_for(work: usize) -> usize {
    if work < PARALLEL_WORK {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, usize::from)
}
