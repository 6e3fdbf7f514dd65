//! The times a node of a query is evaluated at.

/// The times a node is evaluated at: `start..=end` every `step` ms (one time when equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grid {
    pub start: i64,
    pub end: i64,
    pub step: i64,
}

impl Grid {
    /// The number of evaluation times.
    pub fn len(&self) -> usize {
        if self.step <= 0 || self.end <= self.start {
            1
        } else {
            usize::try_from(self.end.saturating_sub(self.start) / self.step)
                .unwrap_or(usize::MAX)
                .saturating_add(1)
        }
    }

    /// The `index`th evaluation time.
    pub fn time(&self, index: usize) -> i64 {
        self.start
            .saturating_add(self.step.max(0).saturating_mul(index as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_count_their_times() {
        let grid = Grid {
            start: 0,
            end: 100,
            step: 10,
        };
        assert_eq!(grid.len(), 11);
        assert_eq!(grid.time(10), 100);
        let instant = Grid {
            start: 5,
            end: 5,
            step: 0,
        };
        assert_eq!((instant.len(), instant.time(0)), (1, 5));
    }
}
