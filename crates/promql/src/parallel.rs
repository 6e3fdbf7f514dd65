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

/// `f` of each of `items`, in their order: one thread here, or the items cut into `threads` runs
/// of about equal length, each mapped on a thread of its own.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    if threads < 2 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut runs: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items;
    while rest.len() > per_thread {
        let tail = rest.split_off(per_thread);
        runs.push(rest);
        rest = tail;
    }
    runs.push(rest);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.into_iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
