//! Isolation Forest (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008): anomalies are the points
//! that random axis-parallel splits isolate in few steps. Trees are grown on small random
//! subsamples to a depth of ⌈log₂ ψ⌉; a point's score is `2^(−E[h(x)]/c(ψ))`, about 0.5 for
//! ordinary points and towards 1 for anomalies.

/// Features per point.
pub const FEATURES: usize = 4;

/// One feature vector.
pub type Point = [f64; FEATURES];

enum Node {
    Leaf {
        size: usize,
    },
    Split {
        feature: usize,
        value: f64,
        left: Box<Node>,
        right: Box<Node>,
    },
}

/// A trained forest.
pub struct IsolationForest {
    trees: Vec<Node>,
    sample_size: usize,
}

/// Average path length of an unsuccessful search in a binary search tree of `n` points: the
/// normaliser `c(n)` of the paper.
fn average_path(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        n => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + 0.577_215_664_901_532_9) - 2.0 * (n - 1.0) / n
        }
    }
}

/// xorshift64*: the forest must be the same for the same data (deterministic scores).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn grow(points: &mut [Point], depth: usize, limit: usize, rng: &mut Rng) -> Node {
    if depth >= limit || points.len() <= 1 {
        return Node::Leaf { size: points.len() };
    }
    let feature = rng.below(FEATURES);
    let (low, high) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[feature]), hi.max(p[feature]))
        });
    if !(high > low) {
        return Node::Leaf { size: points.len() };
    }
    let value = low + rng.unit() * (high - low);
    let mut split = 0;
    for i in 0..points.len() {
        if points[i][feature] < value {
            points.swap(i, split);
            split += 1;
        }
    }
    let (left, right) = points.split_at_mut(split);
    Node::Split {
        feature,
        value,
        left: Box::new(grow(left, depth + 1, limit, rng)),
        right: Box::new(grow(right, depth + 1, limit, rng)),
    }
}

fn path_length(node: &Node, point: &Point, depth: usize) -> f64 {
    match node {
        Node::Leaf { size } => depth as f64 + average_path(*size),
        Node::Split {
            feature,
            value,
            left,
            right,
        } => {
            let next = if point[*feature] < *value {
                left
            } else {
                right
            };
            path_length(next, point, depth + 1)
        }
    }
}

impl IsolationForest {
    /// Grows `trees` trees on subsamples of `sample_size` points of `data`.
    pub fn fit(data: &[Point], trees: usize, sample_size: usize, seed: u64) -> IsolationForest {
        let mut rng = Rng(seed | 1);
        let sample_size = sample_size.min(data.len()).max(1);
        let limit = (sample_size as f64).log2().ceil() as usize;
        let trees = (0..trees)
            .map(|_| {
                let mut sample: Vec<Point> = (0..sample_size)
                    .map(|_| data[rng.below(data.len())])
                    .collect();
                grow(&mut sample, 0, limit, &mut rng)
            })
            .collect();
        IsolationForest { trees, sample_size }
    }

    /// The anomaly score of `point`, in (0, 1].
    pub fn score(&self, point: &Point) -> f64 {
        if self.trees.is_empty() {
            return 0.5;
        }
        let mean = self
            .trees
            .iter()
            .map(|t| path_length(t, point, 0))
            .sum::<f64>()
            / self.trees.len() as f64;
        2f64.powf(-mean / average_path(self.sample_size).max(1e-9))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolates_an_outlier_quickly() {
        let mut rng = Rng(42);
        let data: Vec<Point> = (0..512)
            .map(|_| [rng.unit(), rng.unit(), rng.unit(), rng.unit()])
            .collect();
        let forest = IsolationForest::fit(&data, 100, 128, 7);
        let ordinary = forest.score(&[0.5, 0.5, 0.5, 0.5]);
        let outlier = forest.score(&[5.0, -4.0, 0.5, 0.5]);
        assert!(ordinary < 0.65, "{ordinary}");
        assert!(outlier > ordinary + 0.1, "{outlier} vs {ordinary}");
        // Deterministic for the same data and seed.
        assert_eq!(
            IsolationForest::fit(&data, 100, 128, 7).score(&[5.0, -4.0, 0.5, 0.5]),
            outlier
        );
    }
}
