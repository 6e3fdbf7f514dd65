//! A contextual anomaly detector: learns which patterns of recent values follow which, and
//! scores a point by how little of what it sees was predicted.
//!
//! Method: Contextual Anomaly Detector, open-source edition (M. Smirnov, 2016,
//! <https://github.com/smirmik/CAD>; the "ContextOSE" detector of the Numenta Anomaly
//! Benchmark). Each value is quantised to a few bins and written as bit facts. A *context* pairs
//! a left set of facts (the previous step's facts plus the contexts active then) with a right set
//! (this step's facts). At each step the detector finds the contexts whose left side is complete
//! and counts how many of them see their right side complete (predicted); contexts that would be
//! new are learnt. The raw score is the share of selected contexts not confirmed plus the share
//! of new contexts among the candidates, halved. After a high score, scores are held at 0 for a
//! rest period, so one incident gives one alarm.

use std::collections::VecDeque;
use std::hash::BuildHasher;

// foldhash rather than SipHash: these maps are rebuilt from the state on load, and hashing was a
// share of every step's cost (nothing here needs protection against crafted collisions).
use foldhash::{HashMap, HashSet};

/// Settings of the contextual detector.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContextConfig {
    /// Bits per quantised value (bins = 2^bits).
    pub value_bits: u32,
    /// Longest left semi-context considered for new contexts.
    pub max_left_len: usize,
    /// Active contexts fed back as facts of the next step.
    pub max_active: usize,
    /// Raw score after which output is held at 0.
    pub rest_threshold: f64,
    /// Points output is held at 0 after a raw score above `rest_threshold`.
    pub rest_period: usize,
    /// Contexts learnt at most: beyond, the model starts over (bounds the state per series), and
    /// output rests while it relearns.
    pub max_contexts: usize,
}

impl Default for ContextConfig {
    fn default() -> Self {
        ContextConfig {
            value_bits: 3,
            max_left_len: 7,
            max_active: 15,
            rest_threshold: 0.75,
            rest_period: 30,
            max_contexts: usize::MAX,
        }
    }
}

/// Facts of active contexts are numbered from here, above any value fact.
const NEURON_BASE: u32 = 1 << 31;

/// One side of contexts: a set of facts shared by many contexts.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct SemiContext {
    /// Sorted.
    facts: Box<[u32]>,
    /// How many facts of the current input it contains (the facts themselves are recomputed
    /// when needed: keeping them per semi-context doubled the memory).
    crossed: u32,
    /// For left semi-contexts: (right semi-context id, context id), in the order learnt.
    contexts: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Context {
    /// Times it was confirmed.
    hits: u32,
    /// Learnt from two consecutive steps directly (not from an intersection).
    zero_level: bool,
    left: u32,
    right: u32,
}

/// The semi-contexts of one side (left: preceding facts; right: following facts), with indexes
/// rebuilt on load rather than stored.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "SideState")]
struct Side {
    semis: Vec<SemiContext>,
    /// Semi-contexts with a non-empty crossing at the last crossing.
    crossed: Vec<u32>,
    /// Hash of a fact set → its semi-context. (On a 64-bit hash collision the second set is not
    /// indexed and may be learnt again later: harmless, and practically never.)
    #[serde(skip)]
    by_facts: HashMap<u64, u32>,
    /// Fact → semi-contexts containing it.
    #[serde(skip)]
    by_fact: HashMap<u32, Vec<u32>>,
}

/// What of a [`Side`] is stored.
#[derive(serde::Deserialize)]
struct SideState {
    semis: Vec<SemiContext>,
    crossed: Vec<u32>,
}

impl From<SideState> for Side {
    fn from(state: SideState) -> Side {
        let mut side = Side {
            semis: state.semis,
            crossed: state.crossed,
            ..Side::default()
        };
        for id in 0..side.semis.len() {
            side.index(id as u32);
        }
        side
    }
}

/// The common elements of two sorted fact lists, in order.
fn intersection(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn facts_hash(facts: &[u32]) -> u64 {
    foldhash::fast::FixedState::default().hash_one(facts)
}

impl Side {
    fn index(&mut self, id: u32) {
        let semi = &self.semis[id as usize];
        self.by_facts.entry(facts_hash(&semi.facts)).or_insert(id);
        for fact in &semi.facts {
            self.by_fact.entry(*fact).or_default().push(id);
        }
    }

    /// The semi-context of `facts`, learnt if new.
    fn semi(&mut self, facts: &[u32]) -> u32 {
        if let Some(id) = self.by_facts.get(&facts_hash(facts))
            && *self.semis[*id as usize].facts == *facts
        {
            return *id;
        }
        let id = self.semis.len() as u32;
        self.semis.push(SemiContext {
            facts: facts.into(),
            ..SemiContext::default()
        });
        self.index(id);
        id
    }

    /// Intersects every semi-context with `facts`.
    fn cross(&mut self, facts: &[u32]) {
        for id in std::mem::take(&mut self.crossed) {
            self.semis[id as usize].crossed = 0;
        }
        let mut touched = Vec::new();
        for fact in facts {
            if let Some(ids) = self.by_fact.get(fact) {
                for id in ids {
                    let semi = &mut self.semis[*id as usize];
                    if semi.crossed == 0 {
                        touched.push(*id);
                    }
                    semi.crossed += 1;
                }
            }
        }
        touched.sort_unstable();
        self.crossed = touched;
    }
}

/// The contextual detector's per-series state. It grows with the contexts learnt, up to
/// `max_contexts` (docs/benchmarks.md has the bytes per series).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ContextDetector {
    config: ContextConfig,
    min: f64,
    max: f64,
    left: Side,
    right: Side,
    contexts: Vec<Context>,
    /// The context learnt from the last two steps directly, if it was new.
    new_context: Option<u32>,
    left_facts: Vec<u32>,
    /// Recent raw scores (the last `rest_period`).
    recent: VecDeque<f64>,
    /// Whether the last score was held at 0 by the rest period.
    #[serde(default)]
    rested: bool,
}

type FactPair = (Vec<u32>, Vec<u32>);

/// An active context: (hits, left, right, id), ordered so the most confirmed come last.
type Active = (u32, u32, u32, u32);

impl ContextDetector {
    /// A detector for values expected in `[min, max]` (values outside get bins beyond the range).
    pub fn new(config: ContextConfig, min: f64, max: f64) -> ContextDetector {
        ContextDetector {
            config,
            min,
            max,
            left: Side::default(),
            right: Side::default(),
            contexts: Vec::new(),
            new_context: None,
            left_facts: Vec::new(),
            recent: VecDeque::from([1.0]),
            rested: false,
        }
    }

    /// Drops everything learnt but the value range; output rests for a rest period.
    fn forget(&mut self) {
        *self = ContextDetector::new(self.config.clone(), self.min, self.max);
    }

    /// Heap bytes held, computed from the collections' capacities (hash tables counted at
    /// their entries' size plus one control byte per bucket).
    pub fn heap_bytes(&self) -> usize {
        fn side_bytes(side: &Side) -> usize {
            let semis: usize = side
                .semis
                .iter()
                .map(|s| size_of::<SemiContext>() + 4 * s.facts.len() + 8 * s.contexts.capacity())
                .sum();
            let by_facts = side.by_facts.len() * (8 + 4 + 1);
            let by_fact: usize = side
                .by_fact
                .values()
                .map(|ids| 4 + size_of::<Vec<u32>>() + 1 + 4 * ids.capacity())
                .sum();
            semis + by_facts + by_fact + 4 * side.crossed.capacity()
        }
        side_bytes(&self.left)
            + side_bytes(&self.right)
            + size_of::<Context>() * self.contexts.capacity()
            + 4 * self.left_facts.capacity()
            + 8 * self.recent.capacity()
    }

    /// The value range the bins divide, `(min, max)`: values outside get bins of their own.
    pub fn range(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Number of contexts learnt (the state grows with it).
    pub fn contexts(&self) -> usize {
        self.contexts.len()
    }

    /// The value's facts: bit `i` of its bin is fact `2i` (0) or `2i + 1` (1).
    fn facts_of(&self, value: f64) -> Vec<u32> {
        let top = (1u64 << self.config.value_bits) as f64 - 1.0;
        let range = if self.max > self.min {
            self.max - self.min
        } else {
            top
        };
        let bin = ((value - self.min) / (range / top)).floor();
        let bin = if bin.is_finite() {
            bin.max(0.0) as u64
        } else {
            0
        };
        let bits = (64 - bin.leading_zeros()).max(self.config.value_bits);
        (0..bits)
            .map(|bit| bit * 2 + ((bin >> bit) & 1) as u32)
            .collect()
    }

    /// Finds or learns contexts; returns how many were new. For a zero-level pair, learns at most
    /// the first and records it as `new_context`.
    fn learn(&mut self, pairs: &[FactPair], zero_level: bool) -> usize {
        let mut added = 0;
        for (left_facts, right_facts) in pairs {
            let left = self.left.semi(left_facts);
            let right = self.right.semi(right_facts);
            let known = self.left.semis[left as usize]
                .contexts
                .iter()
                .find(|(r, _)| *r == right)
                .map(|(_, c)| *c);
            match known {
                Some(id) => {
                    if zero_level {
                        self.contexts[id as usize].zero_level = true;
                        return 0;
                    }
                }
                // Full: learn nothing more this step; the next one starts over.
                None if self.contexts.len() >= self.config.max_contexts => {}
                None => {
                    let id = self.contexts.len() as u32;
                    self.contexts.push(Context {
                        hits: 0,
                        zero_level,
                        left,
                        right,
                    });
                    self.left.semis[left as usize].contexts.push((right, id));
                    added += 1;
                    if zero_level {
                        self.new_context = Some(id);
                        return 1;
                    }
                }
            }
        }
        added
    }

    /// Confirms predicted contexts; returns the active contexts, how many contexts were
    /// selected (left side complete), and the candidate new contexts.
    fn activate(&mut self, facts: &[u32], new_flag: bool) -> (Vec<Active>, usize, Vec<FactPair>) {
        let mut active = Vec::new();
        let mut selected = 0;
        let mut candidates = Vec::new();
        for left_id in &self.left.crossed {
            let left = &self.left.semis[*left_id as usize];
            let left_crossed = left.crossed as usize;
            let left_complete = left.facts.len() == left_crossed;
            for (right_id, context_id) in &left.contexts {
                if self.new_context == Some(*context_id) {
                    continue;
                }
                let right = &self.right.semis[*right_id as usize];
                let right_crossed = right.crossed as usize;
                let context = &mut self.contexts[*context_id as usize];
                let learnable = context.zero_level
                    && new_flag
                    && right_crossed > 0
                    && left_crossed <= self.config.max_left_len;
                if left_complete {
                    selected += 1;
                    if right_crossed > 0 && right.facts.len() == right_crossed {
                        context.hits = context.hits.saturating_add(1);
                        active.push((context.hits, context.left, context.right, *context_id));
                        continue;
                    }
                }
                if learnable {
                    // The left side was crossed with the previous step's facts, the right side
                    // with this step's.
                    candidates.push((
                        intersection(&left.facts, &self.left_facts),
                        intersection(&right.facts, facts),
                    ));
                }
            }
        }
        self.new_context = None;
        (active, selected, candidates)
    }

    /// The raw contextual score of `value` in `[0, 1]`, before the rest period.
    fn raw(&mut self, value: f64) -> f64 {
        let facts = self.facts_of(value);
        let mut unique: HashSet<FactPair> = HashSet::default();
        let new_flag = if self.left_facts.is_empty() {
            false
        } else {
            let pair = (self.left_facts.clone(), facts.clone());
            unique.insert(pair.clone());
            self.learn(&[pair], true) == 1
        };
        self.right.cross(&facts);
        let (mut active, selected, candidates) = self.activate(&facts, new_flag);
        unique.extend(candidates.iter().cloned());
        let confirmed = if selected > 0 {
            active.len() as f64 / selected as f64
        } else {
            0.0
        };
        active.sort_unstable();
        let mut left_facts: Vec<u32> = facts.clone();
        left_facts.extend(
            active
                .iter()
                .rev()
                .take(self.config.max_active)
                .map(|(_, _, _, id)| NEURON_BASE + *id),
        );
        left_facts.sort_unstable();
        left_facts.dedup();
        self.left_facts = left_facts;
        let mut added = if candidates.is_empty() {
            0
        } else {
            self.learn(&candidates, false)
        };
        let left_facts = self.left_facts.clone();
        self.left.cross(&left_facts);
        if new_flag {
            added += 1;
        }
        let novelty = if new_flag && !unique.is_empty() {
            added as f64 / unique.len() as f64
        } else {
            0.0
        };
        (1.0 - confirmed + novelty) / 2.0
    }

    /// Scores `value` (0 during the rest period after a high raw score).
    pub fn score(&mut self, value: f64) -> f64 {
        if self.contexts.len() >= self.config.max_contexts {
            self.forget();
        }
        let raw = self.raw(value);
        let resting = self.recent.iter().any(|s| *s >= self.config.rest_threshold);
        self.recent.push_back(raw);
        while self.recent.len() > self.config.rest_period.max(1) {
            self.recent.pop_front();
        }
        self.rested = resting;
        if resting { 0.0 } else { raw }
    }

    /// Whether the last score was held at 0 by the rest period (after a high raw score).
    pub fn rested(&self) -> bool {
        self.rested
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repeating pattern of ten values in [0, 9].
    fn pattern(i: usize) -> f64 {
        [0.0, 2.0, 5.0, 9.0, 7.0, 4.0, 3.0, 1.0, 6.0, 8.0][i % 10]
    }

    #[test]
    fn learns_a_pattern_and_flags_a_break() {
        let mut detector = ContextDetector::new(ContextConfig::default(), 0.0, 9.0);
        let scores: Vec<f64> = (0..400).map(|i| detector.score(pattern(i))).collect();
        let late = scores[300..].iter().copied().fold(0.0, f64::max);
        assert!(late < 0.3, "a learnt pattern stays quiet: {late}");
        // The pattern breaks: the same values in another order.
        let broken = [9.0, 0.0, 9.0, 0.0, 9.0];
        let peak = broken
            .iter()
            .map(|v| detector.score(*v))
            .fold(0.0, f64::max);
        assert!(peak > 0.5, "a broken pattern is anomalous: {peak}");
    }

    #[test]
    fn state_survives_serialisation_and_stays_bounded() {
        let config = ContextConfig {
            max_contexts: 50,
            ..ContextConfig::default()
        };
        let mut original = ContextDetector::new(config, 0.0, 9.0);
        for i in 0..200 {
            original.score(pattern(i * 7 + i / 13));
            assert!(original.contexts() <= 50);
        }
        let json = serde_json::to_string(&original).unwrap();
        let mut restored: ContextDetector = serde_json::from_str(&json).unwrap();
        for i in 200..300 {
            let value = pattern(i * 3);
            assert_eq!(
                original.score(value).to_bits(),
                restored.score(value).to_bits(),
                "point {i}"
            );
        }
    }
}
