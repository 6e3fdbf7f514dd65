//! Isolation Forest (F. T. Liu, K. M. Ting, Z.-H. Zhou, "Isolation Forest", ICDM 2008):
//! anomalies are the points that random axis-parallel splits isolate in few steps. Trees are
//! grown on small random subsamples to a depth of ⌈log₂ ψ⌉; a point's score is
//! `2^(−E[h(x)]/c(ψ))`, about 0.5 or less for ordinary points and towards 1 for anomalies.
//!
//! Written here rather than taken from a crate: the detector needs a forest that is the same for
//! the same data (reproducible scores, states that restore bit for bit), small (a few KB per
//! series) and serialisable; `extended-isolation-forest` draws from the thread's random
//! generator. Trees are stored as flat complete binary trees.

/// Features per point.
pub const FEATURES: usize = 6;

/// One feature vector.
pub type Point = [f32; FEATURES];

/// Marks a leaf in [`Node::feature`].
const LEAF: u8 = u8::MAX;

/// One node of a flat tree (children of node `i` are `2i + 1` and `2i + 2`): the feature split
/// on or [`LEAF`], the points of the subsample that reached this leaf (capped at 255), and the
/// split value. A tuple, so that a saved forest is a compact JSON array; packed, 6 bytes rather
/// than 8 (2 KB of a series' state).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[repr(C, packed)]
struct Node(u8, u8, f32);

impl Node {
    fn feature(self) -> u8 {
        self.0
    }

    fn size(self) -> u8 {
        self.1
    }

    fn split(self) -> f32 {
        self.2
    }
}

const EMPTY: Node = Node(LEAF, 0, 0.0);

/// A trained forest.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IsolationForest {
    /// The trees, each `2^(depth + 1) − 1` nodes, one after the other.
    nodes: Vec<Node>,
    trees: usize,
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

/// xorshift64*: the forest must be the same for the same data and seed.
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

    fn unit(&mut self) -> f32 {
        ((self.next() >> 40) as f32) / (1u64 << 24) as f32
    }
}

fn grow(tree: &mut [Node], index: usize, points: &mut [Point], rng: &mut Rng) {
    let leaf = Node(LEAF, points.len().min(255) as u8, 0.0);
    if 2 * index + 2 >= tree.len() || points.len() <= 1 {
        tree[index] = leaf;
        return;
    }
    let feature = rng.below(FEATURES);
    let (low, high) = points
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[feature]), hi.max(p[feature]))
        });
    if high.partial_cmp(&low) != Some(std::cmp::Ordering::Greater) {
        tree[index] = leaf;
        return;
    }
    let split = low + rng.unit() * (high - low);
    let mut left = 0;
    for i in 0..points.len() {
        if points[i][feature] < split {
            points.swap(i, left);
            left += 1;
        }
    }
    tree[index] = Node(feature as u8, 0, split);
    let (low_points, high_points) = points.split_at_mut(left);
    grow(tree, 2 * index + 1, low_points, rng);
    grow(tree, 2 * index + 2, high_points, rng);
}

impl IsolationForest {
    /// Grows `trees` trees on random subsamples of `sample_size` points of `data`.
    pub fn fit(data: &[Point], trees: usize, sample_size: usize, seed: u64) -> IsolationForest {
        let mut rng = Rng(seed | 1);
        let sample_size = sample_size.min(data.len()).max(1);
        let depth = (sample_size as f64).log2().ceil() as u32;
        let per_tree = (1usize << (depth + 1)) - 1;
        let mut nodes = vec![EMPTY; per_tree * trees];
        if !data.is_empty() {
            for tree in nodes.chunks_mut(per_tree) {
                let mut sample: Vec<Point> = (0..sample_size)
                    .map(|_| data[rng.below(data.len())])
                    .collect();
                grow(tree, 0, &mut sample, &mut rng);
            }
        }
        IsolationForest {
            nodes,
            trees,
            sample_size,
        }
    }

    /// The anomaly score of `point`, in (0, 1].
    pub fn score(&self, point: &Point) -> f64 {
        if self.trees == 0 || self.sample_size < 2 {
            return 0.5;
        }
        let per_tree = self.nodes.len() / self.trees;
        let total: f64 = self
            .nodes
            .chunks(per_tree)
            .map(|tree| {
                let mut index = 0;
                let mut depth = 0;
                loop {
                    let node = tree[index];
                    if node.feature() == LEAF {
                        break depth as f64 + average_path(usize::from(node.size()));
                    }
                    let go_left = point[usize::from(node.feature())] < node.split();
                    index = 2 * index + if go_left { 1 } else { 2 };
                    depth += 1;
                }
            })
            .sum();
        let mean = total / self.trees as f64;
        2f64.powf(-mean / average_path(self.sample_size).max(1e-9))
    }

    /// Heap bytes of the forest.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolates_an_outlier_quickly_and_deterministically() {
        let mut rng = Rng(42);
        let data: Vec<Point> = (0..512)
            .map(|_| std::array::from_fn(|_| rng.unit()))
            .collect();
        let forest = IsolationForest::fit(&data, 100, 128, 7);
        let ordinary = forest.score(&[0.5; FEATURES]);
        // Outside the data in every feature: an unseen point follows the most extreme training
        // points, so it must be extreme in several features to be isolated quickly.
        let far = [5.0, -4.0, 6.0, -3.0, 5.0, 7.0];
        let outlier = forest.score(&far);
        assert!(ordinary < 0.6, "{ordinary}");
        assert!(outlier > ordinary + 0.15, "{outlier} vs {ordinary}");
        assert_eq!(
            IsolationForest::fit(&data, 100, 128, 7).score(&far),
            outlier
        );
    }

    #[test]
    fn constant_data_and_no_data_give_a_neutral_forest() {
        let forest = IsolationForest::fit(&[[1.0; FEATURES]; 64], 10, 32, 3);
        let score = forest.score(&[1.0; FEATURES]);
        assert!(score <= 0.5 + 1e-9, "{score}");
        let empty = IsolationForest::fit(&[], 10, 32, 3);
        assert_eq!(empty.score(&[0.0; FEATURES]), 0.5);
    }
}
