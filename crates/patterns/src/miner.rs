//! The online miner: clusters of token sequences, matched by length, leading token and
//! similarity.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::mask::{is_one_run, join_quoted_runs};
use crate::{WILDCARD, tokenize_with};

/// Identifies a pattern; stable for the life of a miner.
pub type PatternId = u64;

/// Settings of the miner. The defaults are the ones evaluated in `docs/benchmarks.md`.
#[derive(Debug, Clone)]
pub struct MinerConfig {
    /// A message joins the most similar template of its group when at least this fraction of
    /// the template's non-variable tokens equal the message's.
    pub similarity_threshold: f64,
    /// Two different plain words at the same place never merge by similarity ("view" and
    /// "modify" are usually different events). Patterns that differ only at one place (a
    /// family) merge into one with a variable there once the place has shown at least this
    /// many distinct values — and their values are diverse enough, see `word_diversity` — since
    /// a place with many values is a variable after all (user names, hosts, states). Values of
    /// one key (`strategy=full`, `strategy=level`) need two: `key=value` marks a field.
    pub min_word_variants: usize,
    /// Value diversity: a family merges only if its distinct values at the differing place are
    /// at least this fraction of its lines. Different events that differ by a word (`is now UP`
    /// and `is now DOWN`) repeat a few values over many lines; a variable keeps bringing new
    /// ones. 0 counts values alone.
    pub word_diversity: f64,
    /// A family whose template keeps at least this many constant tokens besides the differing
    /// place merges from two distinct values (still subject to `word_diversity`): in a long,
    /// otherwise identical message a one-word difference is more likely a value than another
    /// event. `usize::MAX` turns the rule off.
    pub long_template_constants: usize,
    /// The leading token can be a variable too (`com.apple.<job>: told me to run this job`,
    /// `[<node>] updating replicas to <*>`): patterns of equal length that differ only in their
    /// leading token form a family, although the leading token picks the group a message is
    /// matched in, when they keep at least this many constant tokens besides it (fewer, and the
    /// family would be one of unrelated short messages). A pattern with a variable leading token
    /// is in the `<*>` group of its length, where a message whose own group has no match looks
    /// (so a word also joins the pattern of messages that had a number in its place), and it
    /// takes in the patterns of other groups it covers. `usize::MAX` turns the rule off.
    pub leading_variable_constants: usize,
    /// A leading token whose values share a frame (`[sshd]` and `[postfix]` give `[<*>]`,
    /// `(root)` and `(alice)` give `(<*>)`, `cron.service:` and `ssh.service:` give
    /// `<*>.service:`) marks a field more surely than a bare word does: such a family at the
    /// leading token needs only this many constant tokens besides it (`[<*>] Ban <*>`); a frame
    /// keeps two characters at least (`<*>:` is none), or one beside a value that was masked
    /// (`wlan0:` beside `<*>:`, the pattern of `wlp2s0:`). `usize::MAX` leaves it to
    /// `leading_variable_constants`, and both are off when that is `usize::MAX`.
    pub leading_framed_constants: usize,
    /// Several word variables in one message (`user=<*> database=<*> application_name=<*>`):
    /// patterns of one group that differ at up to this many places after the leading token
    /// form a family too, when every place has shown `min_word_variants` values, no place's
    /// value alone decides the others' (there are more combinations than values at any place:
    /// a state machine's `from A to B` messages, which are separate events, mostly have one
    /// combination per state reached), and at least two constant tokens stay. 1 keeps families
    /// to one place.
    pub family_places: usize,
    /// At most this many patterns are matched against; past it, the least recently seen one
    /// is evicted: it keeps its id and template (about 100 bytes) so its stored lines stay
    /// readable, drops its samples, and a new line of its shape starts a new pattern.
    pub max_patterns: usize,
    /// Extra variable shapes: a token (without surrounding punctuation) that matches one of
    /// these in full becomes `<*>`, besides the built-in shapes.
    pub extra_masks: Vec<regex::Regex>,
}

impl Default for MinerConfig {
    fn default() -> Self {
        // The first five: the setting leave-one-system-out cross-validation on Loghub-2k
        // chooses (in 7 of 8 folds; tests/loghub.rs checks it, docs/benchmarks.md has the
        // figures). `leading_framed_constants` and `family_places` change no Loghub system's
        // grouping, so that figure cannot choose them: the `generated` and `servers` corpora,
        // whose misses prompted them, did, and the then held-out `platforms` corpus checked them.
        MinerConfig {
            similarity_threshold: 0.6,
            min_word_variants: 4,
            word_diversity: 0.0,
            long_template_constants: usize::MAX,
            leading_variable_constants: 3,
            leading_framed_constants: 1,
            family_places: 3,
            max_patterns: 20_000,
            extra_masks: Vec::new(),
        }
    }
}

/// The outcome of adding one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternMatch {
    /// The pattern the message now belongs to (already resolved through merges).
    pub id: PatternId,
    /// Whether the message created a pattern.
    pub created: bool,
    /// Whether the message changed the pattern's template (more `<*>`) or its samples.
    pub changed: bool,
    /// Patterns this message caused to merge into `id` (their state changed too).
    pub absorbed: Vec<PatternId>,
    /// The pattern that took the message, before resolving through merges: `id` itself, or a
    /// pattern a person merged into `id`, which still takes messages of its shape (and whose
    /// template `changed` may have widened).
    pub matched: PatternId,
    /// Messages `matched` has taken, this one included.
    pub matched_lines: u64,
    /// A pattern evicted to make room for the one this message created (`max_patterns`): its
    /// samples are gone for good (a person's merge into it gives it none), and a saved state of
    /// it says so (a restore leaves it out of matching).
    pub evicted: Option<PatternId>,
}

/// Everything the miner keeps about one pattern; enough to rebuild the miner after a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternState {
    /// The pattern's id.
    pub id: PatternId,
    /// Tokens joined by single spaces.
    pub template: String,
    /// The pattern it was merged into, if any.
    pub merged_into: Option<PatternId>,
    /// Up to [`MAX_SAMPLES`] distinct messages, first seen first.
    pub samples: Vec<String>,
    /// Messages the miner had assigned to the pattern when the state was taken; 0 when not
    /// known (a state saved before counts were kept). A restore tells a pattern that took one
    /// message (a stray a wider template takes in) from one whose one sample stands for many
    /// identical lines.
    pub lines: u64,
    /// When the pattern last took a message, as any key that orders patterns by last use (this
    /// miner's count of messages, or a time — the tagger's is as of its last save of the
    /// pattern, up to a day old); 0 when not known. A restored miner evicts the
    /// patterns used least recently by it first (ids break ties, and patterns without it go
    /// first, oldest id first): with this miner's counts, as the miner that saved them would.
    pub last_used: u64,
}

/// How many example messages a pattern keeps.
pub const MAX_SAMPLES: usize = 5;

struct Cluster {
    tokens: Vec<String>,
    /// Positions of `tokens` with a variable inside (`<*>:`, `core.<*>`; see [`similarity`]).
    partial: Vec<u32>,
    /// [`token_kinds`] of `tokens`, what similarity asks of each.
    kinds: Vec<u8>,
    /// The group the pattern is matched in (kept, since a widened template may hash otherwise).
    key: GroupKey,
    /// Messages assigned to the pattern (after a restore: the saved count, or without one its
    /// distinct samples, a lower bound).
    size: u64,
    /// Set when this pattern was merged into another; its messages belong to that one now.
    merged_into: Option<usize>,
    samples: Vec<String>,
    /// The miner's tick when a message last matched (for eviction).
    last_seen: u64,
    /// Restored from a saved state without a line count: `size` then counts distinct samples,
    /// so one sample may stand for many identical lines and says nothing of a stray.
    restored: bool,
    /// Evicted (`max_patterns`): out of matching for good, its samples dropped. A person's merge
    /// into it still resolves to it, but gives it no samples: a saved state without samples is
    /// what tells a restore it is evicted.
    evicted: bool,
}

impl Cluster {
    /// Sets the template's tokens.
    fn set_tokens(&mut self, tokens: Vec<String>) {
        self.partial = partial_positions(&tokens);
        self.kinds = token_kinds(&tokens);
        self.tokens = tokens;
    }

    fn sample(&mut self, message: &str) -> bool {
        if !self.evicted
            && self.samples.len() < MAX_SAMPLES
            && !self.samples.iter().any(|s| s == message)
        {
            self.samples.push(message.to_string());
            return true;
        }
        false
    }
}

/// Hash of (token count, leading token or `<*>`). A collision only puts two groups' patterns
/// in one candidate list, where similarity still tells them apart.
type GroupKey = u64;

fn group_key<S: AsRef<str>>(tokens: &[S]) -> GroupKey {
    match tokens.first().map(AsRef::as_ref) {
        // A byte search first: most leading tokens hold no `*` at all.
        Some(first) if !(first.as_bytes().contains(&b'*') && first.contains(WILDCARD)) => {
            key_of(tokens.len(), Some(first))
        }
        Some(_) => wildcard_key(tokens.len()),
        None => key_of(0, None),
    }
}

/// Hash of a template's length and every token but the leading one: patterns that differ only
/// in their leading token share it.
fn tail_key(tokens: &[String]) -> u64 {
    let mut hash = Fnv::new(tokens.len());
    for token in tokens.iter().skip(1) {
        hash.write(token.as_bytes());
    }
    hash.0
}

/// The key of the group of `length`-token templates whose leading token is a variable.
fn wildcard_key(length: usize) -> GroupKey {
    key_of(length, Some(WILDCARD))
}

fn key_of(length: usize, first: Option<&str>) -> GroupKey {
    let mut hash = Fnv::new(length);
    if let Some(first) = first {
        hash.write(first.as_bytes());
    }
    hash.0
}

/// FNV-1a over tokens (each ended by a byte no UTF-8 text holds, so `ab c` and `a bc` differ),
/// started from a length folded in as one word: keys are hashed once per message, and SipHash's
/// resistance to chosen collisions buys nothing here — a collision (of 64-bit hashes: not to be
/// expected) only puts two groups' patterns in one list.
struct Fnv(u64);

impl Fnv {
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// The hash of a length, folded in as one word: one step, where eight bytes took eight
    /// (this runs for every message).
    fn new(length: usize) -> Fnv {
        Fnv((0xcbf2_9ce4_8422_2325 ^ length as u64).wrapping_mul(Self::PRIME))
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = self.0;
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(Self::PRIME);
        }
        self.0 = (hash ^ 0xff).wrapping_mul(Self::PRIME);
    }
}

/// The maps keyed by [`GroupKey`] and tail keys, which are hashes already: the key is its own
/// hash.
type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A hasher that passes a `u64` key through.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed; fold anything else in all the same.
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(Fnv::PRIME);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// A streaming template miner.
pub struct Miner {
    config: MinerConfig,
    clusters: Vec<Cluster>,
    /// (token count, leading token or `<*>`) -> indices into `clusters`.
    groups: KeyMap<Vec<usize>>,
    /// Hash of (token count, every token but the leading one) -> the patterns in `groups` with
    /// that tail: the candidates for a family at the leading token.
    tails: KeyMap<Vec<usize>>,
    /// Token count -> the patterns in `groups` of that length.
    lengths: HashMap<usize, Vec<usize>>,
    /// Patterns in `groups`, i.e. matched against.
    live: usize,
    /// Counts added messages; orders patterns by recency.
    tick: u64,
    /// Patterns a restore evicted (more were live than `max_patterns`), until taken.
    restore_evictions: Vec<PatternId>,
}

impl Miner {
    /// An empty miner.
    pub fn new(config: MinerConfig) -> Miner {
        Miner {
            config,
            clusters: Vec::new(),
            groups: KeyMap::default(),
            tails: KeyMap::default(),
            lengths: HashMap::new(),
            live: 0,
            tick: 0,
            restore_evictions: Vec::new(),
        }
    }

    /// A miner holding previously exported patterns (ids are kept).
    pub fn restore(config: MinerConfig, patterns: impl IntoIterator<Item = PatternState>) -> Miner {
        let mut miner = Miner::new(config);
        let mut patterns: Vec<PatternState> = patterns.into_iter().collect();
        patterns.sort_by_key(|p| p.id);
        for pattern in patterns {
            let index = pattern.id as usize;
            while miner.clusters.len() <= index {
                // A gap (an id never persisted) stays an empty, unreachable pattern.
                miner.clusters.push(Cluster {
                    tokens: Vec::new(),
                    partial: Vec::new(),
                    kinds: Vec::new(),
                    key: 0,
                    size: 0,
                    merged_into: None,
                    samples: Vec::new(),
                    last_seen: 0,
                    restored: true,
                    evicted: false,
                });
            }
            let mut tokens: Vec<String> = pattern
                .template
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            // Quoted runs joined again, as in the messages the template was made of. The rule
            // can join otherwise in a template than in its messages (a run that became `<*>`
            // brings a later closing quote within reach of an earlier opening one): then the
            // template's pieces are grouped as a sample's tokens are. Without a quote a template
            // splits as its messages did, and its samples are not tokenised again at start-up.
            join_quoted_runs(&mut tokens, 0);
            let quoted = pattern.template.contains(['\'', '"']);
            if quoted
                && let Some(aligned) = align_with_samples(
                    &pattern.template,
                    &tokens,
                    &pattern.samples,
                    &miner.config.extra_masks,
                )
            {
                tokens = aligned;
            }
            miner.clusters[index] = Cluster {
                key: group_key(&tokens),
                partial: partial_positions(&tokens),
                kinds: token_kinds(&tokens),
                tokens,
                // The saved count; without one (a state saved before counts were kept), the
                // distinct samples, a lower bound.
                size: pattern.lines.max(pattern.samples.len().max(1) as u64),
                merged_into: pattern.merged_into.map(|m| m as usize),
                samples: pattern.samples,
                // Ranked below, once every pattern is in.
                last_seen: pattern.last_used,
                restored: pattern.lines == 0,
                evicted: false,
            };
        }
        // Recency as this miner counts it, below its first tick: each pattern's rank by last
        // use, ids breaking ties as eviction does.
        let mut by_last_use: Vec<usize> = (0..miner.clusters.len()).collect();
        by_last_use.sort_by_key(|index| (miner.clusters[*index].last_seen, *index));
        for (rank, index) in by_last_use.into_iter().enumerate() {
            miner.clusters[index].last_seen = rank as u64;
        }
        for index in 0..miner.clusters.len() {
            // Patterns merged by the word-variant rule are covered by their survivor's template;
            // patterns merged by a person keep matching their own shape and resolve on.
            // A pattern without samples was taken in by another (its samples went to the
            // survivor) or evicted: neither was matched against by the miner that saved it.
            if miner.clusters[index].tokens.is_empty() || miner.clusters[index].samples.is_empty() {
                // Evicted, unless taken in (its messages resolve to the survivor's samples) or
                // an id never saved.
                let cluster = &mut miner.clusters[index];
                cluster.evicted = cluster.merged_into.is_none() && !cluster.tokens.is_empty();
                continue;
            }
            miner.insert_live(index);
        }
        miner.tick = miner.clusters.len() as u64;
        while miner.live > miner.config.max_patterns.max(1) {
            // Saved as they were, these would come back at the next restore: the caller saves
            // them (`take_restore_evictions`).
            if let Some(evicted) = miner.evict_least_recent() {
                miner.restore_evictions.push(evicted);
            }
        }
        miner
    }

    /// Assigns `message` a pattern, creating or widening one as needed.
    pub fn add(&mut self, message: &str) -> PatternMatch {
        let tokens = tokenize_with(message, &self.config.extra_masks);
        self.add_tokens(message, &tokens)
    }

    /// The most similar pattern of group `key` and its similarity; the first on ties. With
    /// `keeping_a_constant`, only patterns with a token that says something ([`says_nothing`]):
    /// a pattern of variables alone (ntpd's `<ip> <hex> <hex> <event>` once its event became a
    /// variable, or a message of numbers alone) matches every message of its length, and took
    /// in the short messages of unrelated programs whose own group had no pattern yet
    /// (docs/benchmarks.md, the `infra` corpus). It takes only messages of variables alone: a
    /// message keeping a constant after its leading token looks for patterns keeping one, in
    /// its own group and beyond it.
    fn best_in_group<S: AsRef<str>>(
        &self,
        key: GroupKey,
        tokens: &[S],
        facts: &[TokenFacts],
        keeping_a_constant: bool,
    ) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for &index in self.groups.get(&key)? {
            let cluster = &self.clusters[index];
            if keeping_a_constant
                && cluster
                    .kinds
                    .iter()
                    .all(|kind| kind & TokenKind::NO_CONSTANT != 0)
            {
                continue;
            }
            let similarity = similarity(cluster, tokens, facts);
            if best.is_none_or(|(_, s)| similarity > s) {
                best = Some((index, similarity));
                // Nothing beats a full match, and the first one found is the one kept anyway.
                if similarity >= 1.0 {
                    break;
                }
            }
        }
        best
    }

    /// [`Miner::add`] for a message already tokenised with [`tokenize_with`] and this miner's
    /// `extra_masks` (so callers can tokenise outside a lock around the miner).
    pub fn add_tokens<S: AsRef<str>>(&mut self, message: &str, tokens: &[S]) -> PatternMatch {
        self.tick += 1;
        let tick = self.tick;
        let key = group_key(tokens);
        // On the stack for messages of up to `STACK_FACTS` tokens (nearly all): this runs for
        // every line, and a heap allocation per line showed in profiles of the ingest.
        let on_stack: [TokenFacts; STACK_FACTS];
        let on_heap: Vec<TokenFacts>;
        let facts: &[TokenFacts] = match tokens.len() <= STACK_FACTS {
            true => {
                on_stack = std::array::from_fn(|_| TokenFacts::default());
                &on_stack[..tokens.len()]
            }
            false => {
                on_heap = vec![TokenFacts::default(); tokens.len()];
                &on_heap
            }
        };
        let threshold = self.config.similarity_threshold;
        // A short scan: nearly every message has a constant at its second token.
        let message_keeps_a_constant = tokens.iter().skip(1).any(|t| !says_nothing(t.as_ref()));
        let mut best = self.best_in_group(key, tokens, facts, message_keeps_a_constant);
        // A pattern whose leading token became a variable is in the `<*>` group of its length:
        // messages of any leading token look there when their own group has no match.
        if self.config.leading_variable_constants != usize::MAX
            && best.is_none_or(|(_, s)| s < threshold)
        {
            let wildcard = wildcard_key(tokens.len());
            if wildcard != key
                && let Some((index, similarity)) = self.best_in_group(wildcard, tokens, facts, true)
                && token_matches(&self.clusters[index].tokens[0], tokens[0].as_ref())
                && best.is_none_or(|(_, s)| similarity > s)
            {
                best = Some((index, similarity));
            }
        }
        // No pattern of its length matches well enough: one of a shorter one's variables may
        // take several of its tokens (names and phrases of more than one word).
        let spanning = match best.is_none_or(|(_, s)| s < threshold) {
            true => self.spanning_pattern(tokens),
            false => None,
        };
        let mut evicted = None;
        let (index, created, mut changed, absorbed) = match (spanning, best) {
            (Some(index), _) => {
                let cluster = &mut self.clusters[index];
                cluster.size += 1;
                cluster.last_seen = tick;
                (index, false, false, Vec::new())
            }
            (None, Some((index, similarity))) if similarity >= threshold => {
                let cluster = &mut self.clusters[index];
                let mut widened: Option<Vec<String>> = None;
                // A full match (nearly every message) matched every token: nothing to widen.
                let partial_match = if similarity < 1.0 { tokens.len() } else { 0 };
                for (position, incoming) in tokens.iter().enumerate().take(partial_match) {
                    let current = &cluster.tokens[position];
                    let incoming = incoming.as_ref();
                    if current != WILDCARD && !token_matches(current, incoming) {
                        let merged = merge_tokens(current, incoming);
                        widened.get_or_insert_with(|| cluster.tokens.clone())[position] = merged;
                    }
                }
                cluster.size += 1;
                cluster.last_seen = tick;
                let changed = widened.is_some();
                if let Some(widened) = widened {
                    self.set_tokens(index, widened);
                }
                let mut absorbed = if changed {
                    self.absorb_covered(index)
                } else {
                    Vec::new()
                };
                // A widened template may now differ from others at one place only: families are
                // looked for again, as for a new pattern.
                if changed && let Some((_, more)) = self.merge_variants(index) {
                    absorbed.extend(more);
                }
                (index, false, changed, absorbed)
            }
            _ => {
                let index = self.clusters.len();
                let tokens: Vec<String> = tokens.iter().map(|t| t.as_ref().to_string()).collect();
                self.clusters.push(Cluster {
                    partial: partial_positions(&tokens),
                    kinds: token_kinds(&tokens),
                    tokens,
                    key,
                    size: 1,
                    merged_into: None,
                    samples: Vec::new(),
                    last_seen: tick,
                    restored: false,
                    evicted: false,
                });
                self.insert_live(index);
                if self.live > self.config.max_patterns.max(1) {
                    evicted = self.evict_least_recent();
                }
                match self.merge_variants(index) {
                    Some((survivor, absorbed)) => (survivor, false, true, absorbed),
                    None => (index, true, false, Vec::new()),
                }
            }
        };
        let id = self.resolve(index as PatternId);
        changed |= self.clusters[id as usize].sample(message);
        PatternMatch {
            id,
            created,
            changed,
            absorbed: absorbed.into_iter().map(|a| a as PatternId).collect(),
            matched: index as PatternId,
            matched_lines: self.clusters[index].size,
            evicted,
        }
    }

    /// A shorter pattern whose variable covers several of the message's tokens (`Reached target
    /// <*>.` for `Reached target Sound Card.`): its other tokens match the message's before and
    /// after the span, and it keeps at least two constant tokens.
    fn spanning_pattern<S: AsRef<str>>(&self, tokens: &[S]) -> Option<usize> {
        let first = tokens.first()?.as_ref();
        let variable_first = first.contains(WILDCARD);
        for extra in 1..=MAX_SPAN_EXTRA {
            let Some(length) = tokens.len().checked_sub(extra).filter(|l| *l >= 2) else {
                break;
            };
            // The groups a shorter message of the same leading token would be matched in.
            let own = (!variable_first).then(|| key_of(length, Some(first)));
            for key in own.into_iter().chain([wildcard_key(length)]) {
                for &index in self.groups.get(&key).into_iter().flatten() {
                    if spans(&self.clusters[index].tokens, tokens) {
                        return Some(index);
                    }
                }
            }
        }
        None
    }

    /// Puts pattern `index` among those matched against, under its group key and tail.
    fn insert_live(&mut self, index: usize) {
        let cluster = &self.clusters[index];
        // A group is in id order, as a restore rebuilds it: a survivor moved to the `<*>` group
        // would otherwise go last, and ties of similarity are settled by the order.
        let group = self.groups.entry(cluster.key).or_default();
        let at = group.partition_point(|member| *member < index);
        group.insert(at, index);
        self.tails
            .entry(tail_key(&cluster.tokens))
            .or_default()
            .push(index);
        self.lengths
            .entry(cluster.tokens.len())
            .or_default()
            .push(index);
        self.live += 1;
    }

    /// Stops matching against pattern `index`.
    fn remove_live(&mut self, index: usize) {
        let cluster = &self.clusters[index];
        let (key, tail) = (cluster.key, tail_key(&cluster.tokens));
        for (map, key) in [(&mut self.groups, key), (&mut self.tails, tail)] {
            if let Some(members) = map.get_mut(&key) {
                members.retain(|m| *m != index);
                if members.is_empty() {
                    map.remove(&key);
                }
            }
        }
        let length = cluster.tokens.len();
        if let Some(members) = self.lengths.get_mut(&length) {
            members.retain(|m| *m != index);
            if members.is_empty() {
                self.lengths.remove(&length);
            }
        }
        self.live -= 1;
    }

    /// Sets a live pattern's tokens (of the same group), keeping the tail index right and its
    /// place in the group: the order patterns are tried in stays.
    fn set_tokens(&mut self, index: usize, tokens: Vec<String>) {
        let (old, new) = (tail_key(&self.clusters[index].tokens), tail_key(&tokens));
        self.clusters[index].set_tokens(tokens);
        if old == new {
            return;
        }
        if let Some(members) = self.tails.get_mut(&old) {
            members.retain(|m| *m != index);
            if members.is_empty() {
                self.tails.remove(&old);
            }
        }
        self.tails.entry(new).or_default().push(index);
    }

    /// Whether the template a family of `members` with `tokens` (the new pattern's) makes keeps
    /// a token that says something ([`says_nothing`]) outside the family's `places`. Counted on
    /// the template the family makes, each place generalised over the members as the merge
    /// does: a member with a variable where the new pattern has a constant leaves a variable
    /// there.
    fn family_keeps_a_token(&self, tokens: &[String], members: &[usize], places: &[usize]) -> bool {
        (0..tokens.len()).any(|i| {
            !places.contains(&i)
                && !says_nothing(&generalised(
                    &tokens[i],
                    members.iter().map(|m| self.clusters[*m].tokens[i].as_str()),
                ))
        })
    }

    /// If pattern `index` (new, or its template just widened) and others differ only at one
    /// place (a family) whose values make it a variable (see
    /// [`MinerConfig::min_word_variants`], `word_diversity`, `long_template_constants`,
    /// `leading_variable_constants` and `leading_framed_constants`), or failing that at several
    /// places that vary independently ([`MinerConfig::family_places`]), merges them into the
    /// oldest, with the places generalised. Returns the survivor and the absorbed patterns.
    fn merge_variants(&mut self, index: usize) -> Option<(usize, Vec<usize>)> {
        let new_tokens = &self.clusters[index].tokens;
        let leading = self.config.leading_variable_constants;
        let empty = Vec::new();
        // Where the family's other members are: a family after the leading token shares it (the
        // group); one at the leading token shares the rest (the tail), and needs the constants.
        let group = self.groups.get(&self.clusters[index].key).unwrap_or(&empty);
        let tail_constants = new_tokens
            .iter()
            .skip(1)
            .filter(|t| !t.contains(WILDCARD))
            .count();
        let framed_needed = self.config.leading_framed_constants;
        let tail = match leading != usize::MAX && tail_constants >= leading.min(framed_needed) {
            true => self.tails.get(&tail_key(new_tokens)).unwrap_or(&empty),
            false => &empty,
        };
        // Position -> the family's other members; ordered, so the first position decides.
        let mut by_position: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &other in group.iter().chain(tail) {
            if other == index
                || self.clusters[other].merged_into.is_some()
                || by_position.values().any(|members| members.contains(&other))
            {
                continue;
            }
            let tokens = &self.clusters[other].tokens;
            if let Some(position) = one_difference(tokens, new_tokens) {
                by_position.entry(position).or_default().push(other);
            } else if tail.contains(&other)
                && tokens[0] != new_tokens[0]
                && (token_matches(&tokens[0], &new_tokens[0])
                    || token_matches(&new_tokens[0], &tokens[0]))
            {
                // The same tail, and a leading token that covers the other's: a family at the
                // leading token whose place is a variable already (`[<*>] started` beside an
                // older `[search-node] started`).
                by_position.entry(0).or_default().push(other);
            }
        }
        let chosen = by_position.into_iter().find(|(position, siblings)| {
            let mut values: Vec<&str> = siblings
                .iter()
                .map(|s| self.clusters[*s].tokens[*position].as_str())
                .collect();
            values.push(&new_tokens[*position]);
            values.sort_unstable();
            values.dedup();
            let lines: u64 = siblings.iter().map(|s| self.clusters[*s].size).sum::<u64>() + 1;
            let constants = new_tokens
                .iter()
                .enumerate()
                .filter(|(i, t)| i != position && !t.contains(WILDCARD))
                .count();
            // The values of one key (`tsm1_strategy=full`, `tsm1_strategy=level`) are a field
            // however few: a program writes `key=value` for what varies. Two values show it,
            // as a frame does at the leading token.
            let keyed = *position > 0 && {
                fn key_prefix(value: &str) -> Option<&str> {
                    value.find('=').map(|at| &value[..=at])
                }
                let first = key_prefix(values[0]);
                first.is_some_and(|key| key.len() >= 2)
                    && values.iter().all(|value| key_prefix(value) == first)
            };
            let needed = if constants >= self.config.long_template_constants || keyed {
                2
            } else {
                self.config.min_word_variants.max(2)
            };
            let variable_already = *position == 0 && values.iter().any(|v| v.contains(WILDCARD));
            // The leading values keep a frame in common (`[<*>]`, `(<*>)`, `<*>.service:`): two
            // characters at least, so that `Error:` and `Warning:` (`<*>:`) are not one. One
            // character is enough beside a value masked already (`wlan0:` beside the `<*>:` of
            // `wlp2s0:`) for names of things: that place has been shown to hold values.
            let frame = match *position == 0 {
                false => 0,
                true => generalised(values[0], values[1..].iter().copied())
                    .replace(WILDCARD, "")
                    .chars()
                    .count(),
            };
            // The words beside the masked value must look like names of things (`wlan0`,
            // `br-lan`), not like words of the message: `Error:` beside a masked `4242:` stays
            // an event of its own.
            let named = |value: &&str| {
                value.contains(WILDCARD)
                    || value
                        .trim_end_matches(|c: char| c.is_ascii_punctuation())
                        .contains(|c: char| c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
            };
            let framed = frame >= 2 || (variable_already && frame >= 1 && values.iter().all(named));
            // A family leaves a constant token in its template at least: a pattern of variables
            // alone would match every message of its length (ntpd's peer events, `<ip> <hex>
            // <hex> reachable` and `... unreachable`, took in seven other programs' messages).
            constants >= 1
                && self.family_keeps_a_token(new_tokens, siblings, &[*position])
                && (*position > 0
                    || constants >= self.config.leading_variable_constants
                    || (framed && constants >= framed_needed))
                && (variable_already || values.len() >= needed)
                && values.len() as f64 >= self.config.word_diversity * lines as f64
        });
        let mut members = match chosen {
            Some((_, members)) => members,
            None => self.family_of_places(index)?,
        };
        members.push(index);
        members.sort_unstable();
        let survivor = members[0];
        let absorbed = members[1..].to_vec();
        // The survivor's template generalises every member's, place by place.
        let mut tokens = self.clusters[survivor].tokens.clone();
        for &other in &absorbed {
            for (current, incoming) in tokens.iter_mut().zip(&self.clusters[other].tokens) {
                if !token_matches(current, incoming) {
                    *current = merge_tokens(current, incoming);
                }
            }
        }
        for &other in &absorbed {
            self.absorb(other, survivor);
        }
        // A variable leading token moves the survivor to the `<*>` group of its length.
        let key = group_key(&tokens);
        if key != self.clusters[survivor].key {
            self.remove_live(survivor);
            self.clusters[survivor].set_tokens(tokens);
            self.clusters[survivor].key = key;
            self.insert_live(survivor);
        } else {
            self.set_tokens(survivor, tokens);
        }
        let mut absorbed = absorbed;
        absorbed.extend(self.absorb_covered(survivor));
        Some((survivor, absorbed))
    }

    /// The members, besides the new pattern `index`, of a family that differs at two or more
    /// places after the leading token (see [`MinerConfig::family_places`]), if one qualifies.
    fn family_of_places(&self, index: usize) -> Option<Vec<usize>> {
        let most = self.config.family_places;
        if most < 2 {
            return None;
        }
        let new_tokens = &self.clusters[index].tokens;
        let constants = |places: &[usize]| {
            new_tokens
                .iter()
                .enumerate()
                .filter(|(i, t)| !places.contains(i) && !t.contains(WILDCARD))
                .count()
        };
        // The group's other patterns and the places where each differs from the new one.
        let candidates: Vec<(usize, Vec<usize>)> = self
            .groups
            .get(&self.clusters[index].key)?
            .iter()
            .filter(|&&other| other != index && self.clusters[other].merged_into.is_none())
            .filter_map(|&other| {
                differences(&self.clusters[other].tokens, new_tokens, most)
                    .map(|places| (other, places))
            })
            .collect();
        // Each pattern's places, of two or more, are a candidate set; the family is every pattern
        // that differs within it. The first set that qualifies decides, as for one place.
        let mut tried: Vec<&[usize]> = Vec::new();
        for (_, places) in &candidates {
            if places.len() < 2 || tried.contains(&places.as_slice()) {
                continue;
            }
            tried.push(places);
            if constants(places) < 2 {
                continue;
            }
            let members: Vec<usize> = candidates
                .iter()
                .filter(|(_, theirs)| theirs.iter().all(|p| places.contains(p)))
                .map(|(other, _)| *other)
                .collect();
            // The template the family makes keeps a token that says something.
            if !self.family_keeps_a_token(new_tokens, &members, places) {
                continue;
            }
            // Each place needs its values, and a family has no more values than members.
            if members.len() + 1 < self.config.min_word_variants.max(2) {
                continue;
            }
            let tuple = |tokens: &'_ [String]| -> Vec<String> {
                places.iter().map(|p| tokens[*p].clone()).collect()
            };
            let mut tuples: Vec<Vec<String>> = members
                .iter()
                .map(|m| tuple(&self.clusters[*m].tokens))
                .chain(std::iter::once(tuple(new_tokens)))
                .collect();
            tuples.sort_unstable();
            tuples.dedup();
            let values: Vec<usize> = (0..places.len())
                .map(|k| {
                    // A variable already there is no value of its own.
                    let mut column: Vec<&str> = tuples
                        .iter()
                        .map(|t| t[k].as_str())
                        .filter(|v| !v.contains(WILDCARD))
                        .collect();
                    column.sort_unstable();
                    column.dedup();
                    column.len()
                })
                .collect();
            let (fewest, largest) = (
                values.iter().copied().min().unwrap_or(0),
                values.iter().copied().max().unwrap_or(0),
            );
            let lines: u64 = members.iter().map(|m| self.clusters[*m].size).sum::<u64>() + 1;
            if fewest >= self.config.min_word_variants.max(2)
                && tuples.len() > largest
                && largest as f64 >= self.config.word_diversity * lines as f64
            {
                return Some(members);
            }
        }
        None
    }

    /// Merges into `survivor` the later patterns of its group that its template now covers (all
    /// their tokens match it): patterns of a narrower shape made before a place became a
    /// variable (`for bob from` beside `for <*> from`) would otherwise keep their lines apart,
    /// though every message of their shape now stops at the survivor first. Earlier covered
    /// patterns join too while they hold only the message that made them; with a variable
    /// leading token, covered patterns of other groups; and longer patterns whose extra tokens
    /// one of the template's variables takes ([`spans`]). Earlier covered patterns that differ
    /// from the template only in tokens that are variables already (`<*>.com` beside `<*>`)
    /// join whatever their size. Returns them.
    fn absorb_covered(&mut self, survivor: usize) -> Vec<usize> {
        let template = &self.clusters[survivor].tokens;
        let Some(group) = self.groups.get(&self.clusters[survivor].key) else {
            return Vec::new();
        };
        // Patterns after the survivor in the group: messages try the group in order and stop at
        // a full match, so messages of their shape reach the survivor first. One before it still
        // takes its messages and stays, unless it has taken only its first: a message whose
        // shape never came again is a stray of the survivor's event (`user=postgres
        // database=orders` before `user=<*> database=<*>`), and left apart it alone makes the
        // event's lines two groups. An event of its own shows by coming again (separate
        // events that a wider template covers, such as state transitions, repeat). A pattern
        // restored without a saved count knows only its distinct samples, so it is never taken
        // for a stray.
        let from = group
            .iter()
            .position(|m| *m == survivor)
            .map_or(0, |p| p + 1);
        // A pattern a person merged the survivor into is not taken in (a merge cycle).
        let survivor_resolves_to = self.resolve(survivor as PatternId) as usize;
        let covers = |other: usize| {
            other != survivor
                && other != survivor_resolves_to
                && self.clusters[other].merged_into.is_none()
                && self.clusters[other].tokens.len() == template.len()
                && template
                    .iter()
                    .zip(&self.clusters[other].tokens)
                    .all(|(mine, theirs)| token_matches(mine, theirs))
        };
        // An earlier pattern that differs from the template only where its own tokens are
        // variables already (`<*>.com` under `<*>`, `HikariPool-<*>` under `<*>`) is no event of
        // its own either: what told it apart was judged a value.
        let only_in_variables = |other: usize| {
            template
                .iter()
                .zip(&self.clusters[other].tokens)
                .all(|(mine, theirs)| mine == theirs || theirs.contains(WILDCARD))
        };
        let mut covered: Vec<usize> = group
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                let stray = self.clusters[**o].size == 1 && !self.clusters[**o].restored;
                (*i >= from || stray || only_in_variables(**o)) && covers(**o)
            })
            .map(|(_, o)| *o)
            .collect();
        // A leading token that is a variable covers patterns of other groups too, whose messages
        // would come to it once their own group is gone (with the constants a family at the
        // leading token needs).
        let leading = match template[0] != WILDCARD {
            true => self
                .config
                .leading_variable_constants
                .min(self.config.leading_framed_constants),
            false => self.config.leading_variable_constants,
        };
        if leading != usize::MAX
            && self.clusters[survivor].key == wildcard_key(template.len())
            && template
                .iter()
                .skip(1)
                .filter(|t| !t.contains(WILDCARD))
                .count()
                >= leading
        {
            covered.extend(
                self.lengths
                    .get(&template.len())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|o| self.clusters[*o].key != self.clusters[survivor].key && covers(*o)),
            );
        }
        // Longer patterns whose extra tokens one of the template's variables now takes (`Reached
        // target Sound Card.` under `Reached target <*>.`), of any age: a message of theirs
        // would otherwise keep stopping at them.
        // Only the group of the template's leading token can hold them when it is a constant.
        let constant_first = template.first().filter(|t| !t.contains(WILDCARD));
        for extra in 1..=MAX_SPAN_EXTRA {
            let length = template.len() + extra;
            let candidates = match constant_first {
                Some(first) => self.groups.get(&key_of(length, Some(first))),
                None => self.lengths.get(&length),
            };
            for &other in candidates.into_iter().flatten() {
                if self.clusters[other].merged_into.is_none()
                    && spans(template, &self.clusters[other].tokens)
                    && !covered.contains(&other)
                {
                    covered.push(other);
                }
            }
        }
        for &other in &covered {
            self.absorb(other, survivor);
        }
        covered
    }

    /// Marks `other` merged into `survivor`, which takes its lines and samples.
    fn absorb(&mut self, other: usize, survivor: usize) {
        self.remove_live(other);
        let size = self.clusters[other].size;
        let samples = std::mem::take(&mut self.clusters[other].samples);
        self.clusters[other].merged_into = Some(survivor);
        self.clusters[survivor].size += size;
        for sample in samples {
            self.clusters[survivor].sample(&sample);
        }
    }

    /// Stops matching against the least recently seen pattern (see
    /// [`MinerConfig::max_patterns`]).
    fn evict_least_recent(&mut self) -> Option<PatternId> {
        let oldest = self
            .groups
            .values()
            .flatten()
            .min_by_key(|member| (self.clusters[**member].last_seen, **member))
            .copied();
        let member = oldest?;
        self.remove_live(member);
        let cluster = &mut self.clusters[member];
        cluster.samples = Vec::new();
        cluster.tokens.shrink_to_fit();
        cluster.evicted = true;
        Some(member as PatternId)
    }

    /// Merges pattern `from` into `into` (a person's decision): `from`'s id resolves to `into`
    /// from now on, and messages of `from`'s shape keep arriving in `into`. Refuses cycles.
    pub fn merge(&mut self, from: PatternId, into: PatternId) -> bool {
        let (from, into) = (self.resolve(from) as usize, self.resolve(into) as usize);
        if from == into || from >= self.clusters.len() || into >= self.clusters.len() {
            return false;
        }
        self.clusters[from].merged_into = Some(into);
        true
    }

    /// The pattern a pattern id stands for now (patterns merged into another resolve to it).
    pub fn resolve(&self, id: PatternId) -> PatternId {
        let mut index = id as usize;
        let mut hops = 0;
        while let Some(next) = self.clusters.get(index).and_then(|c| c.merged_into) {
            index = next;
            hops += 1;
            if hops > self.clusters.len() {
                break;
            }
        }
        index as PatternId
    }

    /// What the miner keeps about a pattern, for persistence.
    pub fn state(&self, id: PatternId) -> Option<PatternState> {
        self.clusters.get(id as usize).map(|c| PatternState {
            id,
            template: c.tokens.join(" "),
            merged_into: c.merged_into.map(|m| m as PatternId),
            samples: c.samples.clone(),
            lines: c.size,
            last_used: c.last_seen,
        })
    }

    /// The current template of a pattern.
    pub fn template(&self, id: PatternId) -> Option<String> {
        self.clusters
            .get(self.resolve(id) as usize)
            .map(|c| c.tokens.join(" "))
    }

    /// Messages assigned to the pattern an id resolves to, the patterns it took in counting
    /// with it (after a restore, from the saved counts: see [`PatternState::lines`]).
    pub fn support(&self, id: PatternId) -> u64 {
        self.clusters
            .get(self.resolve(id) as usize)
            .map_or(0, |c| c.size)
    }

    /// Number of live patterns (merged ones not counted).
    pub fn len(&self) -> usize {
        self.clusters
            .iter()
            .filter(|c| c.merged_into.is_none() && !c.tokens.is_empty())
            .count()
    }

    /// Patterns evicted to stay within `max_patterns`, by this miner or the one it was restored
    /// from: a later message of an evicted pattern's shape started a new pattern.
    pub fn evicted(&self) -> u64 {
        self.clusters.iter().filter(|c| c.evicted).count() as u64
    }

    /// The patterns the restore that made this miner evicted (more were live than
    /// `max_patterns`: a lowered limit, or states saved before evictions were): their states
    /// are to be saved again, without samples, or the next restore brings them back. Empty once
    /// taken.
    pub fn take_restore_evictions(&mut self) -> Vec<PatternId> {
        std::mem::take(&mut self.restore_evictions)
    }

    /// Whether the miner holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A restored template's tokens as its samples split: `None` when `joined` (the template split
/// at spaces, quoted runs joined) matches some sample's tokens one for one or there is no sample;
/// else the template's pieces grouped to match a sample's tokens, if they can be.
fn align_with_samples(
    template: &str,
    joined: &[String],
    samples: &[String],
    extra: &[regex::Regex],
) -> Option<Vec<String>> {
    let tokenized: Vec<Vec<String>> = samples
        .iter()
        .map(|s| {
            tokenize_with(s, extra)
                .into_iter()
                .map(|t| t.into_owned())
                .collect()
        })
        .collect();
    let fits = |tokens: &[String]| {
        tokenized.iter().any(|sample| {
            sample.len() == tokens.len()
                && tokens.iter().zip(sample).all(|(a, b)| token_matches(a, b))
        })
    };
    if tokenized.is_empty() || fits(joined) {
        return None;
    }
    /// Groups `parts` into consecutive runs (of at most [`MAX_GROUPED`] pieces) matching `tokens`
    /// one for one, appending them to `out`; false, `out` unchanged, when no grouping does.
    fn group(parts: &[&str], tokens: &[String], out: &mut Vec<String>) -> bool {
        let Some((first, rest)) = tokens.split_first() else {
            return parts.is_empty();
        };
        for n in 1..=parts.len().min(MAX_GROUPED) {
            let candidate = parts[..n].join(" ");
            if token_matches(&candidate, first) {
                out.push(candidate);
                if group(&parts[n..], rest, out) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
    let parts: Vec<&str> = template.split(' ').filter(|t| !t.is_empty()).collect();
    tokenized.iter().find_map(|sample| {
        let mut out = Vec::new();
        group(&parts, sample, &mut out).then_some(out)
    })
}

/// The most pieces of a restored template [`align_with_samples`] groups into one token.
const MAX_GROUPED: usize = 8;

/// Fraction of the template's non-variable tokens that the message repeats at the same place
/// (tokens with a variable inside count only when they do not match).
fn similarity<S: AsRef<str>>(cluster: &Cluster, tokens: &[S], facts: &[TokenFacts]) -> f64 {
    let (template, partial) = (&cluster.tokens, &cluster.partial);
    let mut constant = 0usize;
    let mut equal = 0usize;
    for (((a, b), fact), kind) in template.iter().zip(tokens).zip(facts).zip(&cluster.kinds) {
        if kind & TokenKind::BARE_WILDCARD != 0 {
            continue;
        }
        let b = b.as_ref();
        constant += 1;
        // `token_matches`, with the template's half of it known.
        if a == b || (kind & TokenKind::HAS_STAR != 0 && token_matches(a, b)) {
            equal += 1;
        } else if kind & TokenKind::PLAIN_WORD != 0
            && fact.is_plain_word(b)
            // The message's token generalises the template's (`partition=<*>,` against
            // `partition=<*>-<*>,`): the same word with another shape of value, no conflict.
            && !token_matches(b, a)
        {
            return WORD_CONFLICT_SIMILARITY;
        }
    }
    // A variable inside a token (`<*>:`, `core.<*>`) that matches says no more than a bare one
    // about whether this is the template's event: `<*>: removed` and `<*>: client=...` share
    // only their queue ids. Such tokens are few; they are taken back out here rather than tested
    // for in the loop every message runs.
    for position in partial {
        let position = *position as usize;
        if let (Some(a), Some(b)) = (template.get(position), tokens.get(position))
            && token_matches(a, b.as_ref())
        {
            constant -= 1;
            equal -= 1;
        }
    }
    if constant == 0 {
        1.0
    } else {
        equal as f64 / constant as f64
    }
}

/// Bits of [`token_kinds`].
struct TokenKind;

impl TokenKind {
    /// The token is `<*>`.
    const BARE_WILDCARD: u8 = 1;
    /// The token holds a `*`, so it may match other text than itself ([`token_matches`]).
    const HAS_STAR: u8 = 2;
    /// [`is_plain_word`].
    const PLAIN_WORD: u8 = 4;
    /// The token says nothing of the event: `<*>`, or a variable with at most one character
    /// around it (`<*>:`), which similarity counts as no constant either.
    const NO_CONSTANT: u8 = 8;
}

/// What similarity asks of each template token, worked out when the template is set instead of
/// again for every message compared with it.
fn token_kinds(tokens: &[String]) -> Vec<u8> {
    tokens
        .iter()
        .map(|token| {
            let mut kind = 0;
            if token == WILDCARD {
                kind |= TokenKind::BARE_WILDCARD;
            }
            if says_nothing(token) {
                kind |= TokenKind::NO_CONSTANT;
            }
            if token.as_bytes().contains(&b'*') {
                kind |= TokenKind::HAS_STAR;
            }
            if is_plain_word(token) {
                kind |= TokenKind::PLAIN_WORD;
            }
            kind
        })
        .collect()
}

/// Positions of tokens with a variable inside that are not a bare variable (`<*>:`, `core.<*>`).
fn partial_positions(tokens: &[String]) -> Vec<u32> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.as_str() != WILDCARD && t.contains(WILDCARD))
        .map(|(position, _)| position as u32)
        .collect()
}

/// Messages of up to this many tokens keep their [`TokenFacts`] on the stack.
const STACK_FACTS: usize = 64;

/// What the miner asks of a message's token, worked out at most once per message and only when
/// a candidate template needs it.
#[derive(Clone, Default)]
struct TokenFacts(Cell<u8>);

impl TokenFacts {
    const WORD_KNOWN: u8 = 1;
    const WORD: u8 = 2;

    /// [`is_plain_word`] of `token`, the token these facts are of.
    fn is_plain_word(&self, token: &str) -> bool {
        self.get(Self::WORD_KNOWN, Self::WORD, || is_plain_word(token))
    }

    fn get(&self, known: u8, set: u8, work: impl FnOnce() -> bool) -> bool {
        let bits = self.0.get();
        if bits & known != 0 {
            return bits & set != 0;
        }
        let value = work();
        self.0.set(bits | known | if value { set } else { 0 });
        value
    }
}

const WORD_CONFLICT_SIMILARITY: f64 = 0.0;

/// The one place where two templates differ, if they differ at exactly one (a place where one
/// template's token matches the other's, `<*>` or `com.apple.<*>:` against a value, is no
/// difference). After the leading token, a plain word against a plain word counts, and a value
/// that is no word (`system.users`) against another: a word against a value is similarity's to
/// settle. Short messages need this for their values: one constant of two tokens is too little
/// for similarity. The leading token picks the group, so there any two tokens count.
fn one_difference(a: &[String], b: &[String]) -> Option<usize> {
    differing_places(a, b, 1)?.first().copied()
}

/// The places after the leading token where two templates of equal length differ, if they
/// share their leading token and differ at no more than `most` places, each of the kind
/// [`one_difference`] counts (a plain word against a plain word, or a value against a value).
fn differences(a: &[String], b: &[String], most: usize) -> Option<Vec<usize>> {
    if a.first() != b.first() {
        return None;
    }
    differing_places(a, b, most)
}

/// The places where two templates of equal length differ (a place where one's token matches
/// the other's is no difference), if there are at most `most` of them and each after the
/// leading token sets a plain word against a plain word or a value against a value.
fn differing_places(a: &[String], b: &[String], most: usize) -> Option<Vec<usize>> {
    if a.len() != b.len() {
        return None;
    }
    let mut places = Vec::new();
    for (position, (x, y)) in a.iter().zip(b).enumerate() {
        if x == y || token_matches(x, y) || token_matches(y, x) {
            continue;
        }
        if places.len() == most || (position > 0 && is_plain_word(x) != is_plain_word(y)) {
            return None;
        }
        places.push(position);
    }
    Some(places)
}

/// How many more tokens than its template a message may have when one variable of the
/// template covers several of its tokens.
const MAX_SPAN_EXTRA: usize = 3;

/// Whether `template` matches `tokens` with one of its variable tokens after the leading one
/// covering `tokens.len() - template.len() + 1` tokens (joined by spaces) and every other token
/// matching one for one; the template needs two constant tokens, and a bare variable spans only
/// where a token of the template follows it.
fn spans<S: AsRef<str>>(template: &[String], tokens: &[S]) -> bool {
    let Some(extra) = tokens.len().checked_sub(template.len()).filter(|e| *e > 0) else {
        return false;
    };
    if template.iter().filter(|t| !t.contains(WILDCARD)).count() < 2 {
        return false;
    }
    let matches =
        |t: &[String], m: &[S]| t.iter().zip(m).all(|(a, b)| token_matches(a, b.as_ref()));
    for (place, token) in template.iter().enumerate().skip(1) {
        if !token.contains(WILDCARD) {
            continue;
        }
        let bare = token == WILDCARD;
        // A bare variable at the end would take whatever follows it, constants too
        // (`Connection closed by <*>` and `… by 10.0.0.1 [preauth]`): the span needs an end.
        if bare && place + 1 == template.len() {
            return false;
        }
        if !matches(&template[..place], &tokens[..place]) {
            // The tokens before every later place include this one's.
            return false;
        }
        let spanned = bare || {
            let joined = tokens[place..=place + extra]
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(" ");
            token_matches(token, &joined)
        };
        if spanned && matches(&template[place + 1..], &tokens[place + 1 + extra..]) {
            return true;
        }
    }
    false
}

/// A token made of letters (after trimming punctuation), possibly ending in one or two digits
/// (`SOCKS5`, `eth0`): the stuff of message text and names, not of values.
fn is_plain_word(token: &str) -> bool {
    if token.is_ascii() {
        // The common case, without char decoding.
        let bytes = token.as_bytes();
        let Some(start) = bytes.iter().position(u8::is_ascii_alphanumeric) else {
            return false;
        };
        let end = bytes
            .iter()
            .rposition(u8::is_ascii_alphanumeric)
            .map_or(start, |e| e + 1);
        let core = &bytes[start..end];
        let digits = core.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let letters = &core[..core.len() - digits];
        return !letters.is_empty() && digits <= 2 && letters.iter().all(u8::is_ascii_alphabetic);
    }
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    let letters = core.trim_end_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty()
        && core.len() - letters.len() <= 2
        && letters.chars().all(|c| c.is_alphabetic())
}

/// Whether a template token (possibly holding `<*>` inside, like `com.apple.<*>:`) matches a
/// message token; `<*>` stands for any text.
fn token_matches(template: &str, token: &str) -> bool {
    if template == token {
        return true;
    }
    // Most template tokens hold no wildcard; a byte scan settles those without a substring
    // search.
    if !template.as_bytes().contains(&b'*') {
        return false;
    }
    let mut parts = template.split(WILDCARD);
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = token.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Whether `token` says nothing of the event: `<*>`, or a variable with at most one character
/// around it (`<*>:`; two, `(<*>)`, are a frame, as at the leading token). A template of such
/// tokens alone matches every message of its length. One pass over the bytes, which stops at
/// the second that is no part of a wildcard: this runs on every message, where substring
/// searches cost ten times more.
fn says_nothing(token: &str) -> bool {
    let bytes = token.as_bytes();
    let (mut wildcards, mut others, mut at) = (0, 0, 0);
    while at < bytes.len() {
        if bytes[at..].starts_with(WILDCARD.as_bytes()) {
            wildcards += 1;
            at += WILDCARD.len();
        } else {
            others += 1;
            if others == 2 {
                return false;
            }
            at += 1;
        }
    }
    wildcards > 0
}

/// `first` widened to cover each of `others` in turn, as a merge widens a template's token.
fn generalised<'a>(first: &str, others: impl Iterator<Item = &'a str>) -> String {
    others.fold(first.to_string(), |merged, other| {
        match token_matches(&merged, other) {
            true => merged,
            false => merge_tokens(&merged, other),
        }
    })
}

/// Generalises two different tokens into one template token: the common prefix up to a
/// delimiter and the common suffix from a delimiter stay, the middle becomes `<*>`
/// (`com.apple.Safari:` and `com.apple.mail:` give `com.apple.<*>:`).
fn merge_tokens(template: &str, token: &str) -> String {
    let boundary = |c: char| !c.is_alphanumeric();
    let mut prefix = 0;
    for ((i, a), b) in template.char_indices().zip(token.chars()) {
        if a != b {
            break;
        }
        if boundary(a) {
            prefix = i + a.len_utf8();
        }
    }
    let mut suffix = 0;
    for ((i, a), b) in template.char_indices().rev().zip(token.chars().rev()) {
        if a != b || template.len() - i + prefix > template.len().min(token.len()) {
            break;
        }
        if boundary(a) {
            suffix = template.len() - i;
        }
    }
    let merged = format!(
        "{}{WILDCARD}{}",
        &template[..prefix],
        &template[template.len() - suffix..]
    );
    // Adjacent wildcards say nothing more than one.
    let merged = merged.replace("<*><*>", WILDCARD);
    // A token with spaces is a quoted run; one that is no longer a run as a restore splits it
    // (`'Good <*>`, its closing quote lost) would split there into more tokens than its
    // messages have: the whole token is the variable.
    match merged.contains(' ') && !is_one_run(&merged) {
        true => WILDCARD.to_string(),
        false => merged,
    }
}

#[cfg(test)]
mod restore_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_messages_that_differ_in_variables() {
        let mut miner = Miner::new(MinerConfig::default());
        let a = miner.add("Connection from user svc-alice closed");
        let b = miner.add("Connection from user svc-bob closed");
        assert_eq!(a.id, b.id);
        assert_eq!(
            miner.template(b.id).unwrap(),
            "Connection from user svc-<*> closed"
        );
        assert!(b.changed);
        let c = miner.add("Disk full on /dev/sda1");
        assert_ne!(c.id, a.id);
        assert!(c.created);
        assert_eq!(
            miner.template(a.id).as_deref(),
            Some("Connection from user svc-<*> closed")
        );
        assert_eq!(miner.support(a.id), 2);
    }

    #[test]
    fn a_pattern_told_apart_only_by_a_variable_joins_the_wider_one() {
        let mut miner = Miner::new(MinerConfig::default());
        // Mostly `.com` names, so that `<*>.com` becomes a pattern of its own before the few
        // other names widen a later one to `<*>`.
        let names = [
            "www.google.com",
            "api.github.com",
            "time.android.com",
            "graph.facebook.com",
            "ocsp.digicert.com",
            "50.1.168.192.in-addr.arpa",
            "wpad.lan",
            "printer.local",
        ];
        let types = ["A", "AAAA", "PTR", "SRV"];
        let mut state = 7u64;
        let ids: Vec<PatternId> = (0..200)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick = (state >> 33) as usize;
                let name = if i < 60 {
                    names[pick % 5]
                } else {
                    names[pick % names.len()]
                };
                let kind = types[(pick / 8) % types.len()];
                miner
                    .add(&format!(
                        "query[{kind}] {name} from 10.0.{}.{}",
                        i % 3,
                        i % 250
                    ))
                    .id
            })
            .collect();
        let distinct: std::collections::BTreeSet<PatternId> =
            ids.iter().map(|id| miner.resolve(*id)).collect();
        assert_eq!(
            distinct.len(),
            1,
            "one event: {:?}",
            distinct
                .iter()
                .map(|id| miner.template(*id).unwrap())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn few_word_variants_stay_apart_many_merge() {
        let mut miner = Miner::new(MinerConfig::default());
        let active = miner.add("Location icon should now be in state Active");
        let inactive = miner.add("Location icon should now be in state Inactive");
        assert_ne!(active.id, inactive.id, "two states are two events");
        let users: Vec<PatternMatch> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|u| miner.add(&format!("session opened for user {u}")))
            .collect();
        assert_ne!(users[0].id, users[1].id);
        let last = users.last().unwrap();
        assert_eq!(
            miner.template(last.id).unwrap(),
            "session opened for user <*>"
        );
        for user in &users {
            assert_eq!(
                miner.resolve(user.id),
                last.id,
                "earlier variants resolve to the merged pattern"
            );
        }
        assert_eq!(miner.support(users[0].id), 5);
        assert_eq!(
            users[3].absorbed.len(),
            3,
            "the fourth variant merged the three before it"
        );
    }

    #[test]
    fn short_messages_differing_in_a_value_that_is_no_word_merge_once_it_varies() {
        let mut miner = Miner::new(MinerConfig::default());
        // One constant of two tokens is too little for similarity; the place still shows
        // values (dotted names: `system_schema.columns`), not words, and once it has shown four it is a variable.
        let tables: Vec<PatternMatch> = [
            "system_schema.columns",
            "system_auth.roles",
            "shop_db.orders",
            "crm_db.leads",
        ]
        .iter()
        .map(|t| miner.add(&format!("Initializing {t}")))
        .collect();
        assert_ne!(tables[2].id, tables[0].id, "three values are not enough");
        let last = tables.last().unwrap();
        assert_eq!(miner.template(last.id).unwrap(), "Initializing <*>");
        assert_eq!(miner.support(last.id), 4);
        // A word against a value is no family difference: three values and a word stay apart.
        let mut miner = Miner::new(MinerConfig::default());
        for message in [
            "Initializing system_schema.columns",
            "Initializing system_auth.roles",
            "Initializing shop_db.orders",
            "Initializing finished",
        ] {
            assert!(miner.add(message).created, "{message}");
        }
    }

    #[test]
    fn a_leading_word_can_be_a_variable_when_the_rest_is_long_enough() {
        let mut miner = Miner::new(MinerConfig::default());
        let jobs: Vec<PatternMatch> = ["heartbeat", "SafeBrowsing", "CacheDelete", "daily"]
            .iter()
            .map(|job| miner.add(&format!("com.apple.{job}: told me to run this job now")))
            .collect();
        let merged = jobs.last().unwrap();
        assert_eq!(
            merged.absorbed.len(),
            3,
            "the fourth leading word merges all"
        );
        assert_eq!(
            miner.template(merged.id).unwrap(),
            "com.apple.<*>: told me to run this job now"
        );
        let later = miner.add("com.apple.spotlight: told me to run this job now");
        assert!(!later.created);
        assert_eq!(later.id, merged.id);
        for job in &jobs {
            assert_eq!(miner.resolve(job.id), merged.id);
        }
        // Two constants after the leading word are too few to tell a variable from four events.
        let mut miner = Miner::new(MinerConfig::default());
        let users: Vec<u64> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|user| miner.add(&format!("{user} logged in")).id)
            .collect();
        assert_eq!(miner.len(), users.len());
    }

    #[test]
    fn values_of_one_key_are_a_field_from_two_values() {
        let mut miner = Miner::new(MinerConfig::default());
        // A key holding a digit is masked (`<*>=full`), and what is left is a word: two words at
        // one place, which similarity never merges.
        let full = miner.add("TSM compaction (end) engine=tsm1 tsm1_strategy=full op=compact");
        let level = miner.add("TSM compaction (end) engine=tsm1 tsm1_strategy=level op=compact");
        assert_eq!(miner.resolve(full.id), miner.resolve(level.id));
        assert_eq!(
            miner.template(level.id).unwrap(),
            "TSM compaction (end) engine=tsm1 <*>=<*> op=compact"
        );
        // Two words without a key are two events until the place shows more values.
        let up = miner.add("Endpoint checkout is now UP");
        let down = miner.add("Endpoint checkout is now DOWN");
        assert_ne!(miner.resolve(up.id), miner.resolve(down.id));
    }

    #[test]
    fn a_family_keeps_a_constant_token_and_a_pattern_of_variables_takes_no_other_group() {
        // ntpd's peer events: an address, two hex fields and an event word. Six events are
        // six patterns rather than one of variables alone, which would match every message of
        // four tokens.
        let mut miner = Miner::new(MinerConfig::default());
        let events = [
            "reachable",
            "unreachable",
            "restart",
            "sys_peer",
            "spike",
            "popcorn",
        ];
        let ids: Vec<u64> = events
            .iter()
            .map(|event| miner.add(&format!("10.0.0.7 8014 84 {event}")).id)
            .collect();
        assert_eq!(miner.len(), events.len(), "{ids:?}");
        assert!(
            ids.iter()
                .all(|id| miner.template(*id).unwrap() != "<*> <*> <*> <*>")
        );
        // A message of variables alone is a pattern of variables alone; a message of another
        // group looking into the `<*>` group does not join it.
        let numbers = miner.add("10.0.0.9 8024 93 17");
        assert_eq!(miner.template(numbers.id).unwrap(), "<*> <*> <*> <*>");
        let channel = miner.add("New Channel sofia/internal/1001 [4b2e]");
        assert!(channel.created, "{:?}", miner.template(channel.id));
        assert_ne!(channel.id, numbers.id);
    }

    #[test]
    fn a_family_whose_members_hold_variables_makes_no_template_of_variables_alone() {
        // The constant left is counted on the template the family makes: the fourth event has
        // a word where the others had a hex field, so only its event word would stay constant
        // in the new pattern, and the generalised template would keep nothing.
        let mut miner = Miner::new(MinerConfig::default());
        for event in ["alpha", "delta", "epsilon"] {
            miner.add(&format!("10.0.0.7 8014 84 {event}"));
        }
        let fourth = miner.add("10.0.0.7 8014 peer gamma");
        let template = miner.template(fourth.id).unwrap();
        assert_ne!(
            template, "<*> <*> <*> <*>",
            "absorbed {:?}",
            fourth.absorbed
        );
        // The same through a family of several places.
        let mut miner = Miner::new(MinerConfig::default());
        for (a, b) in [
            ("ant", "bee"),
            ("cat", "dog"),
            ("elk", "fox"),
            ("gnu", "hen"),
        ] {
            miner.add(&format!("10.0.0.7 8014 84 {a} {b}"));
        }
        let last = miner.add("10.0.0.7 link peer ant dog");
        let template = miner.template(last.id).unwrap();
        assert_ne!(
            template, "<*> <*> <*> <*> <*>",
            "absorbed {:?}",
            last.absorbed
        );
    }

    #[test]
    fn a_pattern_of_variables_alone_takes_no_message_with_a_constant_in_its_own_group_either() {
        let mut miner = Miner::new(MinerConfig::default());
        let reachable = miner.add("10.0.0.7 8014 84 reachable");
        let numbers = miner.add("10.0.0.9 8024 93 17");
        assert_ne!(numbers.id, reachable.id);
        let refused = miner.add("10.0.0.9 connection refused 5");
        assert_ne!(refused.id, numbers.id, "{:?}", miner.template(refused.id));
        // A message of variables alone still joins it.
        let more = miner.add("10.0.0.3 8034 11 42");
        assert_eq!(more.id, numbers.id);
    }

    #[test]
    fn a_pattern_whose_only_constants_are_variables_in_one_character_takes_no_other_group() {
        // `4242:` masks to `<*>:`, which similarity counts as no constant: the template matches
        // every message of four tokens with a colon at the second.
        let mut miner = Miner::new(MinerConfig::default());
        let numbers = miner.add("10.0.0.1 4242: 17 18");
        assert_eq!(miner.template(numbers.id).unwrap(), "<*> <*>: <*> <*>");
        let kernel = miner.add("kernel: eth0: link up");
        assert!(kernel.created, "joined {:?}", miner.template(kernel.id));
        // A variable inside a longer constant says something: `class=<*>` is a field.
        assert!(!says_nothing("class=<*>") && !says_nothing("pool='<*>'"));
        assert!(!says_nothing("(<*>)") && !says_nothing("eth0"));
        assert!(says_nothing("<*>") && says_nothing("<*>:") && says_nothing("<*>-<*>"));
    }

    #[test]
    fn says_nothing_counts_wildcards_as_a_substring_search_does() {
        // The definition: a wildcard, and fewer than two bytes besides the wildcards that
        // `str::matches` finds (left to right, not overlapping).
        let by_search = |token: &str| {
            token.contains(WILDCARD)
                && token.len() - WILDCARD.len() * token.matches(WILDCARD).count() < 2
        };
        let mut tokens = vec![String::new()];
        for _ in 0..7 {
            let longer: Vec<String> = tokens
                .iter()
                .filter(|t| t.chars().count() == tokens.last().map_or(0, |l| l.chars().count()))
                .flat_map(|t| ["<", "*", ">", "a", ":", "é"].map(|c| format!("{t}{c}")))
                .collect();
            tokens.extend(longer);
        }
        for token in &tokens {
            assert_eq!(says_nothing(token), by_search(token), "{token:?}");
        }
    }

    #[test]
    fn a_framed_leading_field_is_a_variable_before_a_short_rest() {
        let mut miner = Miner::new(MinerConfig::default());
        let jails = ["sshd", "postfix", "recidive", "nginx-http-auth"];
        let bans: Vec<PatternMatch> = jails
            .iter()
            .enumerate()
            .map(|(i, jail)| miner.add(&format!("[{jail}] Ban 203.0.113.{i}")))
            .collect();
        let merged = bans.last().unwrap();
        assert_eq!(merged.absorbed.len(), 3);
        assert_eq!(miner.template(merged.id).unwrap(), "[<*>] Ban <*>");
        assert_eq!(miner.add("[dovecot] Ban 198.51.100.7").id, merged.id);
        // A frame of one character is no frame (`Error:` and `Warning:` are not a field).
        let mut miner = Miner::new(MinerConfig::default());
        for level in ["Error:", "Warning:", "Notice:", "Info:"] {
            miner.add(&format!("{level} disk 7 full"));
        }
        assert_eq!(miner.len(), 4);
        // Bare words before one constant stay events of their own.
        let mut miner = Miner::new(MinerConfig::default());
        for (i, jail) in jails.iter().enumerate() {
            miner.add(&format!("{jail} Ban 203.0.113.{i}"));
        }
        assert_eq!(miner.len(), jails.len());
    }

    #[test]
    fn a_leading_word_beside_a_masked_value_of_the_same_frame_joins_it() {
        // `wlp2s0:` is masked (`<*>:`), `wlan0:` is a word: one character of frame in common,
        // with a place that has been shown to hold values, is a field.
        let mut miner = Miner::new(MinerConfig::default());
        let word = miner.add("wlan0: AP-STA-CONNECTED 3c:22:fb:01:02:03");
        let masked = miner.add("wlp2s0: AP-STA-CONNECTED 3c:22:fb:01:02:04");
        assert_eq!(miner.resolve(word.id), miner.resolve(masked.id));
        assert_eq!(
            miner.template(word.id).unwrap(),
            "<*>: AP-STA-CONNECTED <*>"
        );
        // Without a frame character in common a masked value is no field for a word: Mac's
        // `hibernate_setup(...) took 5 ms` is not `<*> took <*>`.
        let mut miner = Miner::new(MinerConfig::default());
        let word = miner.add("hibernate took 7");
        let masked = miner.add("0x1f took 5");
        assert_ne!(miner.resolve(word.id), miner.resolve(masked.id));
        // A word of the message is no name, frame or not: `Error:` stays apart from `<*>:`.
        let mut miner = Miner::new(MinerConfig::default());
        let word = miner.add("Error: connection refused");
        let masked = miner.add("4242: connection refused");
        assert_ne!(miner.resolve(word.id), miner.resolve(masked.id));
    }

    #[test]
    fn a_word_where_numbers_were_joins_their_pattern_in_either_order() {
        let mut miner = Miner::new(MinerConfig::default());
        let numbered = miner.add("[es-data-1] updating replicas to 2 for index orders");
        let named = miner.add("[search] updating replicas to 1 for index orders");
        assert_eq!(
            named.id, numbered.id,
            "no pattern of its own: the <*> group"
        );
        let mut miner = Miner::new(MinerConfig::default());
        let named = miner.add("[search] updating replicas to 1 for index orders");
        let numbered = miner.add("[es-data-1] updating replicas to 2 for index orders");
        assert_eq!(miner.resolve(named.id), miner.resolve(numbered.id));
        assert_eq!(
            miner.template(named.id).unwrap(),
            "[<*>] updating replicas to <*> for index orders"
        );
    }

    #[test]
    fn later_patterns_a_widened_template_covers_join_it() {
        let mut miner = Miner::new(MinerConfig::default());
        let ids: Vec<u64> = ["backup", "test", "bob"]
            .iter()
            .map(|user| {
                miner
                    .add(&format!("session opened for user {user} by sshd"))
                    .id
            })
            .collect();
        assert_eq!(miner.len(), 3, "three words are three events, so far");
        // Not a plain word: similarity takes it in, and the place becomes a variable.
        let widened = miner.add("session opened for user www-data by sshd");
        assert_eq!(widened.id, ids[0]);
        assert_eq!(widened.absorbed, vec![ids[1], ids[2]]);
        assert_eq!(
            miner.template(ids[2]).unwrap(),
            "session opened for user <*> by sshd"
        );
        assert_eq!(miner.support(ids[0]), 4);
    }

    #[test]
    fn an_earlier_pattern_that_took_one_message_joins_a_template_covering_it() {
        let lines = [
            "connection authorized: user:postgres database:orders",
            "connection authorized: user:jenkins database:billing",
            "connection authorized: user:jenkins database:sales",
            // Widens the second pattern to `user:<*> database:<*>`, which covers the first. (With
            // `user=`, the values of one key would make a family of all four lines.)
            "connection authorized: user:app database:sales",
        ];
        let mut miner = Miner::new(MinerConfig::default());
        let ids: Vec<u64> = lines.iter().map(|line| miner.add(line).id).collect();
        assert_ne!(ids[0], ids[1], "too different to join by similarity");
        assert_eq!(miner.resolve(ids[0]), ids[3]);
        assert_eq!(
            miner.template(ids[0]).unwrap(),
            "connection authorized: user:<*> database:<*>"
        );
        // A shape that came again is an event of its own: it stays.
        let mut miner = Miner::new(MinerConfig::default());
        let repeated = miner.add(lines[0]).id;
        miner.add(lines[0]);
        let ids: Vec<u64> = lines[1..].iter().map(|line| miner.add(line).id).collect();
        assert_eq!(miner.resolve(repeated), repeated);
        assert_ne!(repeated, ids[2]);
        // After a restore the saved count tells: one sample standing for two lines is no stray,
        // nor is one whose count was not saved (a state of an earlier version), but a pattern
        // that took one line is, as it was before the restore.
        let restored_after = |repeats: usize, forget_count: bool| {
            let mut miner = Miner::new(MinerConfig::default());
            let first = (0..repeats).map(|_| miner.add(lines[0]).id).last().unwrap();
            let mut state = miner.state(first).unwrap();
            assert_eq!(state.samples.len(), 1);
            assert_eq!(state.lines, repeats as u64);
            if forget_count {
                state.lines = 0;
            }
            let mut restored = Miner::restore(MinerConfig::default(), [state]);
            for line in &lines[1..] {
                restored.add(line);
            }
            restored.resolve(first) == first
        };
        assert!(restored_after(2, false), "two lines: an event of its own");
        assert!(restored_after(1, true), "no count saved: kept apart");
        assert!(!restored_after(1, false), "one line: a stray, taken in");
    }

    #[test]
    fn word_variables_at_several_places_merge_when_they_vary_independently() {
        let pairs = [
            ("alice", "orders"),
            ("bob", "billing"),
            ("carol", "sales"),
            ("dave", "hr"),
            ("alice", "billing"),
        ];
        let line =
            |(user, db): (&str, &str)| format!("login of user {user} to database {db} failed");
        let mut miner = Miner::new(MinerConfig::default());
        let ids: Vec<u64> = pairs
            .iter()
            .map(|pair| miner.add(&line(*pair)).id)
            .collect();
        assert_eq!(
            miner.len(),
            1,
            "four users and four databases, in five combinations"
        );
        assert_eq!(
            miner.template(ids[0]).unwrap(),
            "login of user <*> to database <*> failed"
        );
        // With families kept to one place, each pair of words stays an event.
        let mut miner = Miner::new(MinerConfig {
            family_places: 1,
            ..MinerConfig::default()
        });
        for pair in pairs {
            miner.add(&line(pair));
        }
        assert_eq!(miner.len(), pairs.len());
        // A state machine's transitions are separate events: each state is reached from one
        // state, so no place varies apart from the other.
        let mut miner = Miner::new(MinerConfig::default());
        let states = ["NEW", "QUEUED", "RUNNING", "DONE", "ARCHIVED", "PURGED"];
        for _ in 0..2 {
            for step in states.windows(2) {
                miner.add(&format!("Task moved from {} to {} state", step[0], step[1]));
            }
        }
        assert_eq!(miner.len(), states.len() - 1);
    }

    #[test]
    fn a_variable_takes_several_tokens_of_a_longer_message() {
        let mut miner = Miner::new(MinerConfig::default());
        let two_words = miner.add("Reached target Sound Card.").id;
        let ids: Vec<u64> = ["Network.", "Timers.", "Sockets.", "Swap."]
            .iter()
            .map(|target| miner.add(&format!("Reached target {target}")).id)
            .collect();
        let survivor = miner.resolve(ids[0]);
        assert_eq!(miner.template(survivor).unwrap(), "Reached target <*>.");
        assert_eq!(
            miner.resolve(two_words),
            survivor,
            "the earlier, longer one joins"
        );
        let three_words = miner.add("Reached target Local File Systems.");
        assert!(!three_words.created);
        assert_eq!(three_words.id, survivor);
        assert_eq!(miner.len(), 1);
        // A bare variable at the end spans nothing: what follows may be a constant.
        let mut miner = Miner::new(MinerConfig::default());
        let closed = miner.add("Connection closed by 10.0.0.1").id;
        let preauth = miner.add("Connection closed by 10.0.0.2 [preauth]");
        assert!(preauth.created);
        assert_ne!(preauth.id, closed);
        // One constant is too little to say a longer message is the same event.
        let mut miner = Miner::new(MinerConfig::default());
        for unit in ["cron.", "ssh.", "nginx.", "redis."] {
            miner.add(&format!("Started {unit}"));
        }
        assert!(miner.add("Started Daily Cleanup.").created);
    }

    #[test]
    fn variables_inside_tokens_are_no_evidence_of_one_event() {
        let mut miner = Miner::new(MinerConfig::default());
        let removed = miner.add("4F3A21C0E2: removed");
        let client = miner.add("A1B2C3D4E5: client=unknown[10.0.0.1]");
        assert_ne!(removed.id, client.id, "they share only a queue id");
        // The same key with values of two shapes is no word conflict.
        let mut miner = Miner::new(MinerConfig::default());
        let a = miner.add("[Log partition=metrics-7, dir=/var/lib/kafka] Rolled new log segment");
        let b =
            miner.add("[Log partition=audit-events-3, dir=/var/lib/kafka] Rolled new log segment");
        assert_eq!(a.id, b.id);
    }

    #[test]
    fn empty_messages_have_a_pattern_too() {
        let mut miner = Miner::new(MinerConfig::default());
        let empty = miner.add("");
        assert_eq!(miner.add("   ").id, empty.id);
        assert_ne!(miner.add("x").id, empty.id);
    }

    #[test]
    fn restored_miner_keeps_ids_and_templates() {
        let mut miner = Miner::new(MinerConfig::default());
        let a = miner.add("worker 1 finished job 77 in 3ms");
        let b = miner.add("cache miss for key k1");
        miner.add("worker 2 finished job 78 in 5ms");
        let states: Vec<PatternState> = [a.id, b.id]
            .iter()
            .filter_map(|id| miner.state(*id))
            .collect();
        assert_eq!(states[0].samples.len(), 2);
        let mut restored = Miner::restore(MinerConfig::default(), states);
        assert_eq!(restored.add("worker 9 finished job 1 in 1ms").id, a.id);
        assert_eq!(restored.add("cache miss for key k2").id, b.id);
        let c = restored.add("something entirely new happened");
        assert!(c.created);
        assert!(c.id > b.id, "new ids continue after restored ones");
    }

    #[test]
    fn a_person_can_merge_patterns_and_both_shapes_keep_arriving() {
        let mut miner = Miner::new(MinerConfig::default());
        let timeout = miner.add("db timeout after 30s");
        let refused = miner.add("connection refused by db host");
        assert!(miner.merge(refused.id, timeout.id));
        assert_eq!(miner.add("connection refused by db host").id, timeout.id);
        assert_eq!(miner.add("db timeout after 31s").id, timeout.id);
        assert!(!miner.merge(timeout.id, refused.id), "no cycles");
    }

    #[test]
    fn evicts_the_least_recently_seen_pattern_past_the_cap() {
        let config = MinerConfig {
            max_patterns: 2,
            ..MinerConfig::default()
        };
        let mut miner = Miner::new(config);
        let a = miner.add("alpha event happened");
        let b = miner.add("beta thing failed badly");
        miner.add("alpha event happened");
        let c = miner.add("gamma job started now again");
        assert!(c.created);
        // b was least recently seen: evicted; a is still matched.
        assert_eq!(miner.add("alpha event happened").id, a.id);
        let b_again = miner.add("beta thing failed badly");
        assert_ne!(
            b_again.id, b.id,
            "an evicted pattern is not matched any more"
        );
        assert_eq!(
            miner.template(b.id).as_deref(),
            Some("beta thing failed badly"),
            "but its id stays readable"
        );
    }

    #[test]
    fn merges_inside_tokens() {
        assert_eq!(
            merge_tokens("com.apple.Safari.Update:", "com.apple.mail:"),
            "com.apple.<*>:"
        );
        assert_eq!(merge_tokens("QQ(<*>)", "WeChat(<*>)"), "<*>(<*>)");
        assert_eq!(merge_tokens("alice", "bob"), "<*>");
        assert!(token_matches("com.apple.<*>:", "com.apple.x.y:"));
        assert!(!token_matches("com.apple.<*>:", "org.apple.x:"));
        assert!(token_matches("<*>(<*>)", "a(<*>)"));
    }
}
