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
//!
//! Its state is bounded by byte budgets, not only by a count of contexts: a context costs 8
//! bytes (its hits, its right semi-context, the next context with the same left one: ids are
//! `u16`), a semi-context 12 plus its facts, all in flat vectors that grow by an eighth; the
//! model counts what it holds and starts over rather than exceed its budgets (see
//! [`ContextDetector::bytes_bound`]). Stored, contexts are three integers each, not maps.

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
    /// Contexts learnt at most (at most [`MAX_IDS`] whatever this says): beyond, the model
    /// starts over, and output rests while it relearns.
    pub max_contexts: usize,
    /// Heap bytes the model may hold, as [`ContextDetector::bytes_bound`] bounds them: a
    /// context that would take it beyond is not learnt, and the model starts over at the next
    /// point, as at `max_contexts`. This, not the count of contexts, bounds the state by
    /// construction: a context's share of the bytes depends on how many semi-contexts and facts
    /// come with it.
    #[serde(
        default = "default_max_bytes",
        deserialize_with = "heap_budget_of_today"
    )]
    pub max_bytes: usize,
    /// The same for the bytes of its CBOR encoding (the anomaly job saves CBOR).
    #[serde(
        default = "default_max_encoded_bytes",
        deserialize_with = "encoded_budget_of_today"
    )]
    pub max_encoded_bytes: usize,
}

/// The default heap budget of model versions 6 to 16. A state saved with it keeps its settings,
/// and the budget would leave the statistical model of today (its spread view: model version 17)
/// too little room within 64 KB: loaded, it is today's default. A budget set by hand stays.
const EARLIER_DEFAULT_MAX_BYTES: [usize; 1] = [40_500];

/// A stored heap budget, an earlier default read as today's (see [`EARLIER_DEFAULT_MAX_BYTES`]).
fn heap_budget_of_today<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<usize, D::Error> {
    let budget = <usize as serde::Deserialize>::deserialize(deserializer)?;
    Ok(match EARLIER_DEFAULT_MAX_BYTES.contains(&budget) {
        true => DEFAULT_MAX_BYTES,
        false => budget,
    })
}

/// The default CBOR budgets of earlier model versions (6 and 7: 34,000; 8 to 11: 33,800; 12 to
/// 16: 33,200). A state
/// saved with one keeps its settings, and the budget of its contextual model would leave the
/// statistical model of today (larger as CBOR: see [`DEFAULT_MAX_ENCODED_BYTES`]) too little
/// room within 64 KB: loaded, they are today's default. A budget set by hand stays as it was.
const EARLIER_DEFAULT_MAX_ENCODED_BYTES: [usize; 3] = [34_000, 33_800, 33_200];

/// A stored CBOR budget, an earlier default read as today's (see
/// [`EARLIER_DEFAULT_MAX_ENCODED_BYTES`]).
fn encoded_budget_of_today<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<usize, D::Error> {
    let budget = <usize as serde::Deserialize>::deserialize(deserializer)?;
    Ok(match EARLIER_DEFAULT_MAX_ENCODED_BYTES.contains(&budget) {
        true => DEFAULT_MAX_ENCODED_BYTES,
        false => budget,
    })
}

/// The default heap budget: what 64 KB (64,000 bytes) per series leaves once the statistical
/// model is paid for (23,552 bytes of heap at most with the default settings: its buffers are
/// full after 288 points; 23,104 before model version 14's two days of distances of the
/// seasonal profile's 48 half hours, 96 bfloat16s, and 23,296 before model version 17's 32 log
/// spreads of the spread view), with 248 to spare (40,500 until version 16).
pub const DEFAULT_MAX_BYTES: usize = 40_200;

/// The default CBOR budget: what 64 KB leaves once the statistical model's encoding is paid for
/// (at most 30,016 bytes with the default settings, with every number at its longest encoding:
/// 29,800 before model version 12, whose seasonal slots keep the values of the current period,
/// at most 3 bytes, where they kept a count of periods, at most 5, and a running count of values
/// per period, at most 3; 26,435 measured on uniform noise then), the detector's own fields
/// (about 100), the fields of model versions 8 to 10 (at most about 215: the seasonal drift
/// 63, runs of repeats 96, the range seen 30, `record_margin` 23) and model version 14's
/// distances of the half hours (at most 308: two arrays of 48 bfloat16s stored as their bits,
/// 3 bytes each, their heads and names) and model version 17's log spreads (at most 298: 32
/// numbers of 9 bytes, their head and name), with about 163 to spare (33,200 until version 16).
pub const DEFAULT_MAX_ENCODED_BYTES: usize = 32_900;

fn default_max_bytes() -> usize {
    DEFAULT_MAX_BYTES
}

fn default_max_encoded_bytes() -> usize {
    DEFAULT_MAX_ENCODED_BYTES
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
            max_bytes: DEFAULT_MAX_BYTES,
            max_encoded_bytes: DEFAULT_MAX_ENCODED_BYTES,
        }
    }
}

/// Facts of active contexts are numbered from here, above any value fact.
const NEURON_BASE: u32 = 1 << 31;

/// Contexts and semi-contexts of one side at most: their ids are kept as `u16` (a context costs
/// 8 bytes, not 16). [`NONE`] is not an id.
pub const MAX_IDS: usize = u16::MAX as usize;
/// Active contexts fed back at most, whatever [`ContextConfig::max_active`] says: a
/// semi-context's facts are counted in `u16`.
const MAX_ACTIVE: usize = 1_024;
/// The end of a list of contexts.
const NONE: u16 = u16::MAX;
/// The top bit of [`Context::hits`]: learnt from two consecutive steps directly (not from an
/// intersection).
const ZERO_LEVEL: u32 = 1 << 31;

/// What [`ContextDetector::bytes_bound`] charges for the heap (growth slack included): a
/// context (8 bytes and an eighth of growth slack)...
const CONTEXT_HEAP: usize = 9;
/// ...a semi-context (12 bytes and slack, 13 in the hash index, 4 in the list of crossed
/// ones)...
const SEMI_HEAP: usize = 31;
/// ...each of its facts (4 bytes and slack in the side's facts and as many in the fact
/// index)...
const FACT_HEAP: usize = 9;
/// ...each distinct fact in the fact index (key, list header, control byte, first allocation)...
const INDEXED_FACT_HEAP: usize = 45;
/// ...and for CBOR: a context (its hits, left and right semi-context as CBOR integers of at
/// most 5, 3 and 3 bytes: ids stay below 2^16)...
const CONTEXT_CBOR: usize = 11;
/// ...a semi-context (its length, and its crossing if crossed: an id and a count)...
const SEMI_CBOR: usize = 13;
/// ...and each fact (a CBOR integer: fact numbers stay below 2^32).
const FACT_CBOR: usize = 5;
/// Both: the rest, settings, range, the last facts, flags, growth chunks (the recent raw scores
/// are charged per point of the rest period, 9 bytes each).
const FIXED_BYTES: usize = 1_200;

/// One side of contexts: a set of facts shared by many contexts (its facts are in
/// [`Side::facts`]).
#[derive(Debug, Clone, Default)]
struct SemiContext {
    /// Where its facts start in [`Side::facts`]; they are sorted.
    start: u32,
    /// How many facts it has (at most 64 value bits and [`MAX_ACTIVE`] active contexts).
    len: u16,
    /// How many facts of the current input it contains (the facts themselves are recomputed
    /// when needed: keeping them per semi-context doubled the memory).
    crossed: u16,
    /// For left semi-contexts: the first and last context learnt with it as their left side
    /// (the others follow [`Context::next`], in the order learnt), or [`NONE`].
    first: u16,
    last: u16,
}

/// A context: its right semi-context and confirmations; its left semi-context is the one whose
/// list it is in.
#[derive(Debug, Clone)]
struct Context {
    /// Times it was confirmed (saturating at 2^31 − 1), and [`ZERO_LEVEL`].
    hits: u32,
    right: u16,
    /// The next context with the same left semi-context, or [`NONE`].
    next: u16,
}

impl SemiContext {
    /// Where its facts end in [`Side::facts`].
    fn end(&self) -> usize {
        self.start as usize + usize::from(self.len)
    }
}

impl Context {
    fn hits(&self) -> u32 {
        self.hits & !ZERO_LEVEL
    }
}

/// The semi-contexts of one side (left: preceding facts; right: following facts), with indexes
/// rebuilt on load rather than stored.
#[derive(Debug, Clone, Default)]
struct Side {
    semis: Vec<SemiContext>,
    /// Every semi-context's facts, one after the other.
    facts: Vec<u32>,
    /// Semi-contexts with a non-empty crossing at the last crossing.
    crossed: Vec<u32>,
    /// Hash of a fact set → its semi-context. (On a 64-bit hash collision the second set is not
    /// indexed and may be learnt again later: harmless, and practically never.)
    by_facts: HashMap<u64, u32>,
    /// Fact → semi-contexts containing it.
    by_fact: HashMap<u32, Vec<u32>>,
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

/// Pushes onto a vector that grows by an eighth (and at least 16) rather than doubling: the
/// growth slack of the large per-series vectors stays a small share of the state.
fn push_tight<T>(vec: &mut Vec<T>, value: T) {
    if vec.len() == vec.capacity() {
        vec.reserve_exact(vec.len() / 8 + 16);
    }
    vec.push(value);
}

impl Side {
    /// The facts of semi-context `id`.
    fn facts_of(&self, id: u32) -> &[u32] {
        let semi = &self.semis[id as usize];
        &self.facts[semi.start as usize..semi.end()]
    }

    fn index(&mut self, id: u32) {
        let semi = &self.semis[id as usize];
        let facts = &self.facts[semi.start as usize..semi.end()];
        self.by_facts.entry(facts_hash(facts)).or_insert(id);
        for fact in facts {
            let ids = self.by_fact.entry(*fact).or_default();
            // Grown by an eighth (at least 4): most facts index few semi-contexts.
            if ids.len() == ids.capacity() {
                ids.reserve_exact(ids.len() / 8 + 4);
            }
            ids.push(id);
        }
    }

    /// The semi-context of `facts`, if learnt.
    fn find(&self, facts: &[u32]) -> Option<u32> {
        let id = *self.by_facts.get(&facts_hash(facts))?;
        (self.facts_of(id) == facts).then_some(id)
    }

    /// Learns the semi-context of `facts` (not yet learnt).
    fn add(&mut self, facts: &[u32]) -> u32 {
        let id = self.semis.len() as u32;
        let start = self.facts.len() as u32;
        for fact in facts {
            push_tight(&mut self.facts, *fact);
        }
        push_tight(
            &mut self.semis,
            SemiContext {
                start,
                // At most 64 value facts and `MAX_ACTIVE` active contexts.
                len: facts.len() as u16,
                crossed: 0,
                first: NONE,
                last: NONE,
            },
        );
        self.index(id);
        id
    }

    /// Intersects every semi-context with `facts`.
    fn cross(&mut self, facts: &[u32]) {
        let mut touched = std::mem::take(&mut self.crossed);
        for id in &touched {
            self.semis[*id as usize].crossed = 0;
        }
        touched.clear();
        let semis = self.semis.len();
        for fact in facts {
            if let Some(ids) = self.by_fact.get(fact) {
                for id in ids {
                    let semi = &mut self.semis[*id as usize];
                    if semi.crossed == 0 {
                        // Room for every semi-context at once, no more: the list is kept.
                        if touched.len() == touched.capacity() {
                            touched.reserve_exact(semis - touched.len());
                        }
                        touched.push(*id);
                    }
                    semi.crossed += 1;
                }
            }
        }
        touched.sort_unstable();
        self.crossed = touched;
    }

    /// Heap bytes, from the capacities (hash tables counted at their entries' size plus one
    /// control byte per entry).
    fn heap_bytes(&self) -> usize {
        let by_fact: usize = self
            .by_fact
            .values()
            .map(|ids| 4 + size_of::<Vec<u32>>() + 1 + 4 * ids.capacity())
            .sum();
        size_of::<SemiContext>() * self.semis.capacity()
            + 4 * self.facts.capacity()
            + self.by_facts.len() * (8 + 4 + 1)
            + by_fact
            + 4 * self.crossed.capacity()
    }

    /// What [`ContextDetector::bytes_bound`] charges for this side, heap and CBOR, with `semis`
    /// and `facts` more semi-contexts and facts, `indexed` of those facts new to the index.
    fn bytes_bound(&self, semis: usize, facts: usize, indexed: usize) -> (usize, usize) {
        let (semis, facts) = (self.semis.len() + semis, self.facts.len() + facts);
        let heap = SEMI_HEAP * semis
            + FACT_HEAP * facts
            + INDEXED_FACT_HEAP * (self.by_fact.len() + indexed);
        (heap, SEMI_CBOR * semis + FACT_CBOR * facts)
    }

    /// The side as stored: every semi-context's facts one after the other, their lengths, and
    /// the last crossing (semi-contexts and counts).
    fn state(&self) -> SideState {
        SideState {
            semis: Vec::new(),
            facts: self.facts.clone(),
            lens: self.semis.iter().map(|s| u32::from(s.len)).collect(),
            crossed: self.crossed.clone(),
            counts: self
                .crossed
                .iter()
                .map(|id| u32::from(self.semis[*id as usize].crossed))
                .collect(),
        }
    }
}

/// A semi-context as model versions up to 5 stored it (the lists of contexts are rebuilt from
/// the contexts).
#[derive(serde::Serialize, serde::Deserialize)]
struct SemiState {
    facts: Vec<u32>,
    crossed: u32,
}

/// What of a [`Side`] is stored. Model version 6 stores `facts`, `lens` and `counts`; earlier
/// versions stored `semis`, one map per semi-context, and the crossing counts in them.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct SideState {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    semis: Vec<SemiState>,
    #[serde(default)]
    facts: Vec<u32>,
    #[serde(default)]
    lens: Vec<u32>,
    crossed: Vec<u32>,
    #[serde(default)]
    counts: Vec<u32>,
}

impl SideState {
    /// The side, or `None` if the state is inconsistent or has more semi-contexts than ids.
    fn side(self) -> Option<Side> {
        let mut side = Side::default();
        if self.semis.is_empty() {
            side.facts = self.facts;
            for len in self.lens {
                let start = side.semis.last().map_or(0, |s| s.end() as u32);
                side.semis.push(SemiContext {
                    start,
                    len: u16::try_from(len).ok()?,
                    crossed: 0,
                    first: NONE,
                    last: NONE,
                });
            }
            let end = side.semis.last().map_or(0, SemiContext::end);
            if end != side.facts.len() || self.counts.len() != self.crossed.len() {
                return None;
            }
            for (id, count) in self.crossed.iter().zip(&self.counts) {
                side.semis.get_mut(*id as usize)?.crossed = u16::try_from(*count).ok()?;
            }
        } else {
            for semi in self.semis {
                let start = side.facts.len() as u32;
                side.facts.extend(&semi.facts);
                side.semis.push(SemiContext {
                    start,
                    len: u16::try_from(semi.facts.len()).ok()?,
                    crossed: u16::try_from(semi.crossed).ok()?,
                    first: NONE,
                    last: NONE,
                });
            }
            if self
                .crossed
                .iter()
                .any(|id| *id as usize >= side.semis.len())
            {
                return None;
            }
        }
        if side.semis.len() > MAX_IDS {
            return None;
        }
        side.crossed = self.crossed;
        for id in 0..side.semis.len() {
            side.index(id as u32);
        }
        Some(side)
    }
}

/// A context as model versions up to 5 stored it.
#[derive(serde::Serialize, serde::Deserialize)]
struct ContextState {
    hits: u32,
    zero_level: bool,
    left: u32,
    right: u32,
}

/// The contextual detector's per-series state. It grows with the contexts learnt, up to
/// `max_contexts` and `max_bytes` (docs/benchmarks.md has the bytes per series).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "DetectorState")]
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
    rested: bool,
    /// Whether a context was not learnt for want of room: the model starts over at the next
    /// point.
    exhausted: bool,
}

/// What of a [`ContextDetector`] is stored. Model version 6 stores the contexts as `links`,
/// three numbers each (hits with [`ZERO_LEVEL`], left and right semi-context); earlier versions
/// stored `contexts`, one map each.
#[derive(serde::Serialize, serde::Deserialize)]
struct DetectorState {
    config: ContextConfig,
    min: f64,
    max: f64,
    left: SideState,
    right: SideState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contexts: Vec<ContextState>,
    #[serde(default)]
    links: Vec<u32>,
    new_context: Option<u32>,
    left_facts: Vec<u32>,
    recent: VecDeque<f64>,
    #[serde(default)]
    rested: bool,
    #[serde(default)]
    exhausted: bool,
}

impl From<DetectorState> for ContextDetector {
    fn from(state: DetectorState) -> ContextDetector {
        let mut detector = ContextDetector::new(state.config.clone(), state.min, state.max);
        // A state that does not hold together (or one with more ids than fit) starts over with
        // its range and settings, as a full model does, rather than failing the whole load.
        if let Some(loaded) = ContextDetector::load(state) {
            detector = loaded;
        }
        detector
    }
}

impl serde::Serialize for ContextDetector {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut links = Vec::with_capacity(3 * self.contexts.len());
        let mut left_of = vec![0u32; self.contexts.len()];
        for (left, semi) in self.left.semis.iter().enumerate() {
            let mut next = semi.first;
            while next != NONE {
                left_of[next as usize] = left as u32;
                next = self.contexts[next as usize].next;
            }
        }
        for (context, left) in self.contexts.iter().zip(left_of) {
            links.extend([context.hits, left, u32::from(context.right)]);
        }
        DetectorState {
            config: self.config.clone(),
            min: self.min,
            max: self.max,
            left: self.left.state(),
            right: self.right.state(),
            contexts: Vec::new(),
            links,
            new_context: self.new_context,
            left_facts: self.left_facts.clone(),
            recent: self.recent.clone(),
            rested: self.rested,
            exhausted: self.exhausted,
        }
        .serialize(serializer)
    }
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
            exhausted: false,
        }
    }

    /// The detector a stored state describes, or `None` if it does not hold together.
    fn load(state: DetectorState) -> Option<ContextDetector> {
        let mut links: Vec<(u32, u32, u32)> = state
            .links
            .chunks_exact(3)
            .map(|l| (l[0], l[1], l[2]))
            .collect();
        if links.len() * 3 != state.links.len() {
            return None;
        }
        for old in &state.contexts {
            let flag = if old.zero_level { ZERO_LEVEL } else { 0 };
            links.push((old.hits.min(!ZERO_LEVEL) | flag, old.left, old.right));
        }
        let mut detector = ContextDetector {
            left: state.left.side()?,
            right: state.right.side()?,
            new_context: state.new_context,
            left_facts: state.left_facts,
            recent: state.recent,
            rested: state.rested,
            exhausted: state.exhausted,
            ..ContextDetector::new(state.config, state.min, state.max)
        };
        if links.len() > MAX_IDS {
            return None;
        }
        for (hits, left, right) in links {
            if right as usize >= detector.right.semis.len() {
                return None;
            }
            detector.link(left, right as u16, hits)?;
        }
        Some(detector)
    }

    /// Learns a context from semi-contexts `left` and `right`, last in `left`'s list; returns
    /// its id (`None` if `left` is not a semi-context).
    fn link(&mut self, left: u32, right: u16, hits: u32) -> Option<u32> {
        let id = self.contexts.len() as u16;
        let semi = self.left.semis.get_mut(left as usize)?;
        if semi.last == NONE {
            semi.first = id;
        } else {
            self.contexts[semi.last as usize].next = id;
        }
        semi.last = id;
        push_tight(
            &mut self.contexts,
            Context {
                hits,
                right,
                next: NONE,
            },
        );
        Some(u32::from(id))
    }

    /// Drops everything learnt but the value range; output rests for a rest period.
    fn forget(&mut self) {
        *self = ContextDetector::new(self.config.clone(), self.min, self.max);
    }

    /// Heap bytes held, computed from the collections' capacities (hash tables counted at
    /// their entries' size plus one control byte per entry).
    pub fn heap_bytes(&self) -> usize {
        self.left.heap_bytes()
            + self.right.heap_bytes()
            + size_of::<Context>() * self.contexts.capacity()
            + 4 * self.left_facts.capacity()
            + 8 * self.recent.capacity()
    }

    /// Upper bounds of the heap bytes ([`ContextDetector::heap_bytes`]) and of the CBOR
    /// encoding of the state, computed from the numbers of contexts, semi-contexts and facts
    /// (not from capacities, so that a restored state, with other capacities, starts over
    /// exactly when the original would). They never exceed `max_bytes` and
    /// `max_encoded_bytes`: a context that would take either beyond is not learnt, and the
    /// model starts over at the next point.
    pub fn bytes_bound(&self) -> (usize, usize) {
        self.bound_with(0, (0, 0, 0), (0, 0, 0))
    }

    /// [`ContextDetector::bytes_bound`] with `contexts` more contexts and, on each side, more
    /// (semi-contexts, facts, facts new to the index).
    fn bound_with(
        &self,
        contexts: usize,
        left: (usize, usize, usize),
        right: (usize, usize, usize),
    ) -> (usize, usize) {
        let contexts = self.contexts.len() + contexts;
        let (left_heap, left_cbor) = self.left.bytes_bound(left.0, left.1, left.2);
        let (right_heap, right_cbor) = self.right.bytes_bound(right.0, right.1, right.2);
        let fixed = FIXED_BYTES + 9 * self.config.rest_period.max(1);
        (
            fixed + CONTEXT_HEAP * contexts + left_heap + right_heap,
            fixed + CONTEXT_CBOR * contexts + left_cbor + right_cbor,
        )
    }

    /// The value range the bins divide, `(min, max)`: values outside get bins of their own.
    pub fn range(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Number of contexts learnt (the state grows with it).
    pub fn contexts(&self) -> usize {
        self.contexts.len()
    }

    /// Whether a context whose semi-contexts are `left` and `right` (`Err` with their facts
    /// where not learnt yet) may be learnt: within `max_contexts`, the ids, and the budgets once
    /// it is paid for, so that [`ContextDetector::bytes_bound`] never exceeds them.
    fn fits(&self, left: Result<u32, &[u32]>, right: Result<u32, &[u32]>) -> bool {
        if self.contexts.len() >= self.config.max_contexts.min(MAX_IDS)
            || self.left.semis.len() >= MAX_IDS - 1
            || self.right.semis.len() >= MAX_IDS - 1
        {
            return false;
        }
        // Far from the budgets (every fact counted as new to the index): no index lookups.
        let most =
            |semi: Result<u32, &[u32]>| semi.err().map_or((0, 0, 0), |f| (1, f.len(), f.len()));
        let (heap, cbor) = self.bound_with(1, most(left), most(right));
        if heap <= self.config.max_bytes && cbor <= self.config.max_encoded_bytes {
            return true;
        }
        let more = |side: &Side, semi: Result<u32, &[u32]>| match semi {
            Ok(_) => (0, 0, 0),
            Err(facts) => {
                let indexed = facts
                    .iter()
                    .filter(|f| !side.by_fact.contains_key(f))
                    .count();
                (1, facts.len(), indexed)
            }
        };
        let (heap, cbor) = self.bound_with(1, more(&self.left, left), more(&self.right, right));
        heap <= self.config.max_bytes && cbor <= self.config.max_encoded_bytes
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

    /// The context pairing semi-contexts `left` and `right`, if learnt.
    fn find(&self, left: u32, right: u32) -> Option<u32> {
        let mut next = self.left.semis[left as usize].first;
        while next != NONE {
            let context = &self.contexts[next as usize];
            if u32::from(context.right) == right {
                return Some(u32::from(next));
            }
            next = context.next;
        }
        None
    }

    /// Finds or learns contexts; returns how many were new. For a zero-level pair, learns at most
    /// the first and records it as `new_context`.
    fn learn(&mut self, pairs: &[FactPair], zero_level: bool) -> usize {
        let mut added = 0;
        for (left_facts, right_facts) in pairs {
            let left = self.left.find(left_facts);
            let right = self.right.find(right_facts);
            let known = match (left, right) {
                (Some(left), Some(right)) => self.find(left, right),
                _ => None,
            };
            match known {
                Some(id) => {
                    if zero_level {
                        self.contexts[id as usize].hits |= ZERO_LEVEL;
                        return 0;
                    }
                }
                // Full: learn nothing more this step; the next one starts over.
                None if !self.fits(left.ok_or(left_facts), right.ok_or(right_facts)) => {
                    self.exhausted = true;
                }
                None => {
                    let left = left.unwrap_or_else(|| self.left.add(left_facts));
                    let right = right.unwrap_or_else(|| self.right.add(right_facts));
                    let flag = if zero_level { ZERO_LEVEL } else { 0 };
                    // `full` keeps both sides' ids below `NONE`.
                    let Some(id) = self.link(left, right as u16, flag) else {
                        continue;
                    };
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
            let left_complete = left.len as usize == left_crossed;
            let mut next = left.first;
            while next != NONE {
                let context_id = u32::from(next);
                let context = &mut self.contexts[next as usize];
                next = context.next;
                if self.new_context == Some(context_id) {
                    continue;
                }
                let right = &self.right.semis[context.right as usize];
                let right_crossed = right.crossed as usize;
                let learnable = context.hits & ZERO_LEVEL != 0
                    && new_flag
                    && right_crossed > 0
                    && left_crossed <= self.config.max_left_len;
                if left_complete {
                    selected += 1;
                    if right_crossed > 0 && right.len as usize == right_crossed {
                        let hits = (context.hits() + 1).min(!ZERO_LEVEL);
                        context.hits = (context.hits & ZERO_LEVEL) | hits;
                        active.push((hits, *left_id, u32::from(context.right), context_id));
                        continue;
                    }
                }
                if learnable {
                    // The left side was crossed with the previous step's facts, the right side
                    // with this step's.
                    let left_facts = &self.left.facts[left.start as usize..left.end()];
                    let right_facts = &self.right.facts[right.start as usize..right.end()];
                    candidates.push((
                        intersection(left_facts, &self.left_facts),
                        intersection(right_facts, facts),
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
                .take(self.config.max_active.min(MAX_ACTIVE))
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
        if self.exhausted() {
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

    /// Whether the model is full: it starts over at the next point.
    fn exhausted(&self) -> bool {
        self.exhausted || self.contexts.len() >= self.config.max_contexts.min(MAX_IDS)
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
    fn a_state_saved_with_an_earlier_default_budget_loads_with_today_s() {
        // Kept, the budget of versions 8 to 16 and today's statistical model would exceed
        // 64 KB together; a budget set by hand is the user's.
        let with_budget = |budget: usize| {
            let config = ContextConfig {
                max_encoded_bytes: budget,
                ..ContextConfig::default()
            };
            let json = serde_json::to_string(&config).unwrap();
            serde_json::from_str::<ContextConfig>(&json)
                .unwrap()
                .max_encoded_bytes
        };
        assert_eq!(with_budget(33_800), DEFAULT_MAX_ENCODED_BYTES);
        assert_eq!(with_budget(33_200), DEFAULT_MAX_ENCODED_BYTES);
        assert_eq!(with_budget(34_000), DEFAULT_MAX_ENCODED_BYTES);
        assert_eq!(with_budget(20_000), 20_000);
        // The same for the heap budget of versions 6 to 16.
        let with_heap_budget = |budget: usize| {
            let config = ContextConfig {
                max_bytes: budget,
                ..ContextConfig::default()
            };
            let json = serde_json::to_string(&config).unwrap();
            serde_json::from_str::<ContextConfig>(&json)
                .unwrap()
                .max_bytes
        };
        assert_eq!(with_heap_budget(40_500), DEFAULT_MAX_BYTES);
        assert_eq!(with_heap_budget(20_000), 20_000);
        let mut detector = ContextDetector::new(
            ContextConfig {
                max_encoded_bytes: 33_800,
                ..ContextConfig::default()
            },
            0.0,
            9.0,
        );
        detector.score(1.0);
        let json = serde_json::to_string(&detector).unwrap();
        let loaded: ContextDetector = serde_json::from_str(&json).unwrap();
        assert_eq!(loaded.config.max_encoded_bytes, DEFAULT_MAX_ENCODED_BYTES);
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
