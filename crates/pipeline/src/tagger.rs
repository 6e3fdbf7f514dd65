//! One streaming miner per tenant, shared by all ingest requests.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use telemetryhub_model::{LogRecord, PatternTemplate};
use telemetryhub_patterns::{Miner, MinerConfig, PatternId, PatternState, tokenize_into};

/// Nanoseconds in a day: a pattern's last sighting is saved at most once a day of its lines.
const DAY_NS: i64 = 86_400_000_000_000;

/// What tagging a batch changed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TagOutcome {
    /// Pattern states created or changed by the batch; store them with the batch.
    pub updates: Vec<PatternTemplate>,
    /// Patterns the batch created, with the service of the line that created each.
    pub created: Vec<(u64, String)>,
}

/// A map keyed by pattern id, hashed with foldhash rather than SipHash: `last_seen` is written
/// for every line, and ids are the miner's, not chosen by clients.
type IdMap<V> = HashMap<PatternId, V, foldhash::fast::RandomState>;

struct TenantPatterns {
    miner: Miner,
    first_seen: IdMap<i64>,
    /// When a line of each pattern last arrived (the tagger's clock, ns; see
    /// [`PatternTemplate::last_seen_ns`]).
    last_seen: IdMap<i64>,
    /// Patterns the restore evicted, to be saved as evicted with the next batch.
    evicted_on_restore: Vec<PatternId>,
    /// Version of the last state handed out; every change takes the next one.
    clock: u64,
}

impl TenantPatterns {
    fn new(config: MinerConfig) -> Self {
        TenantPatterns {
            miner: Miner::new(config),
            first_seen: HashMap::default(),
            last_seen: HashMap::default(),
            evicted_on_restore: Vec::new(),
            clock: 0,
        }
    }

    /// The pattern's state under a new version, for storing a change.
    fn export(&mut self, tenant: &str, id: PatternId) -> Option<PatternTemplate> {
        self.miner.state(id)?;
        self.clock += 1;
        self.current(tenant, id)
    }

    fn current(&self, tenant: &str, id: PatternId) -> Option<PatternTemplate> {
        let state = self.miner.state(id)?;
        Some(PatternTemplate {
            tenant: tenant.to_string(),
            id,
            template: state.template,
            merged_into: state.merged_into,
            samples: state.samples,
            first_seen_ns: self.first_seen.get(&id).copied().unwrap_or(0),
            lines: state.lines,
            last_seen_ns: self.last_seen.get(&id).copied().unwrap_or(0),
            version: self.clock,
        })
    }
}

/// Assigns log lines their patterns. Cheap to share behind an `Arc`.
pub struct PatternTagger {
    config: MinerConfig,
    tenants: Mutex<HashMap<String, TenantPatterns>>,
}

impl PatternTagger {
    /// A tagger with no patterns yet.
    pub fn new(config: MinerConfig) -> PatternTagger {
        PatternTagger {
            config,
            tenants: Mutex::new(HashMap::new()),
        }
    }

    /// A tagger holding stored pattern states (ids, templates, samples and merges are kept).
    pub fn restore(config: MinerConfig, stored: Vec<PatternTemplate>) -> PatternTagger {
        let mut by_tenant: HashMap<String, Vec<PatternTemplate>> = HashMap::new();
        for pattern in stored {
            by_tenant
                .entry(pattern.tenant.clone())
                .or_default()
                .push(pattern);
        }
        let mut tenants = HashMap::new();
        for (tenant, patterns) in by_tenant {
            let clock = patterns.iter().map(|p| p.version).max().unwrap_or(0);
            let first_seen = patterns.iter().map(|p| (p.id, p.first_seen_ns)).collect();
            let last_seen = patterns.iter().map(|p| (p.id, p.last_seen_ns)).collect();
            let states = patterns.into_iter().map(|p| PatternState {
                id: p.id,
                template: p.template,
                merged_into: p.merged_into,
                samples: p.samples,
                lines: p.lines,
                // States saved before `last_seen_ns` was kept rank by their version (the latest
                // change of each; a count of changes, far below any time in ns), all before
                // those with a time: a better guess at recency than their ids.
                last_used: match u64::try_from(p.last_seen_ns) {
                    Ok(seen) if seen > 0 => seen,
                    _ => p.version,
                },
            });
            let mut miner = Miner::restore(config.clone(), states);
            let evicted_on_restore = miner.take_restore_evictions();
            tenants.insert(
                tenant,
                TenantPatterns {
                    miner,
                    first_seen,
                    last_seen,
                    evicted_on_restore,
                    clock,
                },
            );
        }
        PatternTagger {
            config,
            tenants: Mutex::new(tenants),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, TenantPatterns>> {
        // A panic inside the miner leaves at worst one half-widened template; keep serving.
        self.tenants
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets `pattern_id` on every record and returns what changed.
    pub fn tag(&self, tenant: &str, records: &mut [LogRecord]) -> TagOutcome {
        self.tag_at(tenant, records, telemetryhub_model::now_ns())
    }

    /// [`PatternTagger::tag`] with the tagger's clock at `now` (ns).
    fn tag_at(&self, tenant: &str, records: &mut [LogRecord], now: i64) -> TagOutcome {
        // Tokenising is most of the work and needs no shared state: do it before taking the lock
        // that concurrent requests contend for.
        // One vector for the whole batch (message `i`'s tokens end at `ends[i]`), not one each.
        let mut tokens: Vec<Cow<'_, str>> = Vec::with_capacity(records.len() * 12);
        let mut ends = Vec::with_capacity(records.len());
        for record in records.iter() {
            tokenize_into(&record.message, &self.config.extra_masks, &mut tokens);
            ends.push(tokens.len());
        }
        let mut ids = Vec::with_capacity(records.len());
        let mut outcome = TagOutcome::default();
        {
            let mut tenants = self.lock();
            let patterns = tenants
                .entry(tenant.to_string())
                .or_insert_with(|| TenantPatterns::new(self.config.clone()));
            // Patterns the restore evicted are saved as evicted with the first batch after it.
            let mut dirty: Vec<PatternId> = std::mem::take(&mut patterns.evicted_on_restore);
            let mut start = 0;
            let today = now.div_euclid(DAY_NS);
            for (record, &end) in records.iter().zip(&ends) {
                let found = patterns
                    .miner
                    .add_tokens(&record.message, &tokens[start..end]);
                start = end;
                ids.push(found.id);
                if found.created {
                    patterns.first_seen.insert(found.id, record.ts_ns);
                    outcome.created.push((found.id, record.service.clone()));
                }
                if found.created || found.changed {
                    // The pattern that took the line (merged by a person into `id`, it still
                    // takes lines of its shape) may be the one whose template widened.
                    dirty.extend([found.id, found.matched]);
                } else if found.matched_lines == 2 {
                    // A pattern's second line is saved too: after a restart, a pattern of one
                    // line (a stray a wider template may take in) is told from one of many.
                    dirty.push(found.matched);
                }
                // When the pattern was last seen goes with every save of it, and the first line
                // of a later day saves it for that alone: a restart ranks patterns by it, to
                // evict the least recently seen first, as the running miner does. The tagger's
                // clock, not the line's time: a backfill or a line dated in the future says
                // nothing of when the pattern was last used.
                let before = patterns.last_seen.insert(found.matched, now);
                if before.is_none_or(|seen| seen.div_euclid(DAY_NS) < today) {
                    dirty.push(found.matched);
                }
                dirty.extend(found.absorbed);
                // An evicted pattern is saved without its samples, as evicted: a restore leaves
                // it out of matching, as the running miner does.
                dirty.extend(found.evicted);
            }
            dirty.sort_unstable();
            dirty.dedup();
            outcome.updates = dirty
                .into_iter()
                .filter_map(|id| patterns.export(tenant, id))
                .collect();
        }
        drop(tokens);
        for (record, id) in records.iter_mut().zip(ids) {
            record.pattern_id = Some(id);
        }
        outcome
    }

    /// Merges pattern `from` into `into` for a tenant; returns the changed states, or `None`
    /// when either id is unknown or the merge would make a cycle.
    pub fn merge(&self, tenant: &str, from: u64, into: u64) -> Option<Vec<PatternTemplate>> {
        let mut tenants = self.lock();
        let patterns = tenants.get_mut(tenant)?;
        patterns.miner.state(from)?;
        patterns.miner.state(into)?;
        // The miner merges the pattern `from` resolves to (one a wider template took in, `from`
        // resolves to that template's): that is the state that changed, and the one to save.
        let merged = patterns.miner.resolve(from);
        if !patterns.miner.merge(from, into) {
            return None;
        }
        patterns.export(tenant, merged).map(|state| vec![state])
    }

    /// The pattern an id resolves to (through merges), with its current state.
    pub fn pattern(&self, tenant: &str, id: u64) -> Option<PatternTemplate> {
        let tenants = self.lock();
        let patterns = tenants.get(tenant)?;
        let resolved = patterns.miner.resolve(id);
        patterns
            .current(tenant, resolved)
            .filter(|p| !p.template.is_empty())
    }

    /// The id a stored pattern id resolves to now.
    pub fn resolve(&self, tenant: &str, id: u64) -> u64 {
        self.lock().get(tenant).map_or(id, |p| p.miner.resolve(id))
    }

    /// Every id that resolves to `id` (itself and the patterns merged into it).
    pub fn members(&self, tenant: &str, id: u64) -> Vec<u64> {
        let tenants = self.lock();
        let Some(patterns) = tenants.get(tenant) else {
            return vec![id];
        };
        let target = patterns.miner.resolve(id);
        let mut members: Vec<u64> = patterns
            .first_seen
            .keys()
            .copied()
            .chain(std::iter::once(id))
            .filter(|candidate| patterns.miner.resolve(*candidate) == target)
            .collect();
        members.sort_unstable();
        members.dedup();
        members
    }

    /// Tenants that have patterns.
    pub fn tenants(&self) -> Vec<String> {
        let mut tenants: Vec<String> = self.lock().keys().cloned().collect();
        tenants.sort();
        tenants
    }

    /// How many live patterns a tenant has.
    pub fn count(&self, tenant: &str) -> usize {
        self.lock().get(tenant).map_or(0, |p| p.miner.len())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use telemetryhub_model::Level;

    use super::*;

    fn line(message: &str) -> LogRecord {
        LogRecord {
            tenant: "t".into(),
            service: "api".into(),
            level: Level::Error,
            message: message.into(),
            ts_ns: 42,
            context: None,
            trace_id: None,
            span_id: None,
            pattern_id: None,
            stream_labels: None,
        }
    }

    #[test]
    fn tags_lines_and_reports_changes() {
        let tagger = PatternTagger::new(MinerConfig::default());
        let mut batch = vec![
            line("db timeout after 3s"),
            line("db timeout after 4s"),
            line("user logged in"),
        ];
        let outcome = tagger.tag("t", &mut batch);
        assert_eq!(batch[0].pattern_id, batch[1].pattern_id);
        assert_ne!(batch[0].pattern_id, batch[2].pattern_id);
        assert_eq!(outcome.created.len(), 2);
        assert_eq!(outcome.updates.len(), 2);
        assert!(
            outcome
                .updates
                .iter()
                .all(|u| u.first_seen_ns == 42 && u.version > 0)
        );
        // A line that changes nothing reports nothing.
        let mut again = vec![line("db timeout after 3s")];
        assert!(tagger.tag("t", &mut again).updates.is_empty());
    }

    #[test]
    fn restores_and_keeps_ids_per_tenant() {
        let tagger = PatternTagger::new(MinerConfig::default());
        let mut batch = vec![line("db timeout after 3s"), line("user logged in")];
        let updates = tagger.tag("t", &mut batch).updates;
        let restored = PatternTagger::restore(MinerConfig::default(), updates);
        let mut later = vec![line("user logged in"), line("db timeout after 9s")];
        restored.tag("t", &mut later);
        assert_eq!(later[0].pattern_id, batch[1].pattern_id);
        assert_eq!(later[1].pattern_id, batch[0].pattern_id);
        let mut other_tenant = vec![line("user logged in")];
        restored.tag("u", &mut other_tenant);
        assert_eq!(
            other_tenant[0].pattern_id,
            Some(0),
            "each tenant has its own patterns"
        );
    }

    #[test]
    fn a_pattern_is_saved_again_when_its_second_line_arrives() {
        let tagger = PatternTagger::new(MinerConfig::default());
        let tag = |message: &str| tagger.tag("t", &mut [line(message)]).updates;
        let first = tag("user logged in");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].lines, 1);
        // The same line again changes neither template nor samples, but the pattern is no
        // longer one of a single line: its state is saved with the count.
        let second = tag("user logged in");
        assert_eq!(second.len(), 1, "{second:?}");
        assert_eq!((second[0].id, second[0].lines), (first[0].id, 2));
        assert!(second[0].version > first[0].version);
        assert!(
            tag("user logged in").is_empty(),
            "the third changes nothing"
        );
        // Restored, the pattern keeps its count.
        let restored = PatternTagger::restore(MinerConfig::default(), second);
        assert_eq!(restored.pattern("t", first[0].id).map(|p| p.lines), Some(2));
    }

    #[test]
    fn a_restart_evicts_as_the_running_tagger_did_and_keeps_the_patterns_seen_last() {
        let config = at_most(2);
        let (tagger, saved) = (PatternTagger::new(config.clone()), Saved::default());
        let tag = |tagger: &PatternTagger, message: &str, now: i64| {
            tag_counted(tagger, &saved, message, now)
        };
        let (alpha, _) = tag(&tagger, "alpha started", 0);
        assert_eq!(
            tag(&tagger, "alpha started", 1),
            (alpha, 1),
            "its second line"
        );
        let (once, _) = tag(&tagger, "disk quota exceeded", 2);
        assert_eq!(tag(&tagger, "alpha started", 3), (alpha, 0), "the same day");
        // A third pattern: the running tagger evicts the one-off (used before alpha's last
        // line), and hands its state out as evicted.
        tag(&tagger, "connection reset by peer", 4);
        let once = once.unwrap();
        assert!(saved.borrow()[&once].samples.is_empty(), "saved as evicted");
        // A line on a later day saves the pattern for that alone.
        assert_eq!(tag(&tagger, "alpha started", DAY_NS + 5), (alpha, 1));
        assert_eq!(saved.borrow()[&alpha.unwrap()].last_seen_ns, DAY_NS + 5);
        // Restarted: the evicted pattern stays out, alpha keeps its lines' pattern.
        let restored = restored_from(&config, &saved);
        assert_eq!(tag(&restored, "alpha started", DAY_NS + 6).0, alpha);
        assert_eq!(tag(&tagger, "alpha started", DAY_NS + 6).0, alpha);
    }

    /// The default miner with at most `max_patterns` live patterns.
    fn at_most(max_patterns: usize) -> MinerConfig {
        MinerConfig {
            max_patterns,
            ..MinerConfig::default()
        }
    }

    /// A tagger's saved states, as the store keeps them (the latest of each pattern).
    type Saved = std::cell::RefCell<HashMap<u64, PatternTemplate>>;

    /// Tags `message` with the clock at `now`, keeping the states handed out in `saved`; the
    /// line's pattern, resolved, and how many states the line handed out.
    fn tag_counted(
        tagger: &PatternTagger,
        saved: &Saved,
        message: &str,
        now: i64,
    ) -> (Option<u64>, usize) {
        let mut record = [line(message)];
        let updates = tagger.tag_at("t", &mut record, now).updates;
        let handed_out = updates.len();
        for state in updates {
            saved.borrow_mut().insert(state.id, state);
        }
        let id = record[0].pattern_id.map(|id| tagger.resolve("t", id));
        (id, handed_out)
    }

    /// [`tag_counted`]'s pattern alone.
    fn tag_kept(tagger: &PatternTagger, saved: &Saved, message: &str, now: i64) -> Option<u64> {
        tag_counted(tagger, saved, message, now).0
    }

    fn restored_from(config: &MinerConfig, saved: &Saved) -> PatternTagger {
        PatternTagger::restore(config.clone(), saved.borrow().values().cloned().collect())
    }

    #[test]
    fn a_person_s_merge_into_an_evicted_pattern_leaves_it_evicted_after_a_restart() {
        let config = at_most(4);
        let (tagger, saved) = (PatternTagger::new(config), Saved::default());
        let alpha = tag_kept(&tagger, &saved, "alpha started", 0).unwrap();
        let disk = tag_kept(&tagger, &saved, "disk quota exceeded", 1).unwrap();
        tag_kept(&tagger, &saved, "cache warmed up", 2);
        tag_kept(&tagger, &saved, "disk quota exceeded", 3);
        tag_kept(&tagger, &saved, "queue drained", 4);
        // A fifth pattern evicts alpha, seen least recently; a person merges disk into it.
        tag_kept(&tagger, &saved, "backup finished", 5);
        assert!(
            saved.borrow()[&alpha].samples.is_empty(),
            "saved as evicted"
        );
        for state in tagger.merge("t", disk, alpha).unwrap() {
            saved.borrow_mut().insert(state.id, state);
        }
        // A line of the merged pattern resolves to the evicted one, which takes no sample.
        assert_eq!(
            tag_kept(&tagger, &saved, "disk quota exceeded", 6),
            Some(alpha)
        );
        assert!(saved.borrow()[&alpha].samples.is_empty(), "still evicted");
        // Restarted, with room to spare: alpha is no live pattern, as in the running tagger.
        let roomy = at_most(10);
        let restored = restored_from(&roomy, &saved);
        for message in ["alpha started", "disk quota exceeded"] {
            assert_eq!(
                tag_kept(&restored, &Saved::default(), message, 7),
                tag_kept(&tagger, &Saved::default(), message, 7),
                "{message}"
            );
        }
    }

    #[test]
    fn patterns_a_restore_evicts_are_saved_as_evicted() {
        let wide = at_most(4);
        let (tagger, saved) = (PatternTagger::new(wide), Saved::default());
        let alpha = tag_kept(&tagger, &saved, "alpha started", 0).unwrap();
        tag_kept(&tagger, &saved, "disk quota exceeded", 1);
        tag_kept(&tagger, &saved, "session for alice opened", 2);
        tag_kept(&tagger, &saved, "session for bob opened", 3);
        // A lower limit: the restore evicts alpha, seen least recently, and the first batch
        // after it saves alpha as evicted.
        let narrow = at_most(3);
        let first = restored_from(&narrow, &saved);
        tag_kept(&first, &saved, "disk quota exceeded", 4);
        assert!(
            saved.borrow()[&alpha].samples.is_empty(),
            "saved as evicted"
        );
        // Patterns taken in make room; restarted again, alpha stays evicted as it is in the
        // running tagger.
        tag_kept(&first, &saved, "session for carol opened", 5);
        tag_kept(&first, &saved, "session for dave opened", 6);
        let second = restored_from(&narrow, &saved);
        assert_eq!(
            tag_kept(&second, &Saved::default(), "alpha started", 7),
            tag_kept(&first, &Saved::default(), "alpha started", 7),
        );
    }

    #[test]
    fn states_saved_without_a_time_are_evicted_by_their_last_change() {
        let (tagger, saved) = (PatternTagger::new(MinerConfig::default()), Saved::default());
        let alpha = tag_kept(&tagger, &saved, "alpha started", 0).unwrap();
        let beta = tag_kept(&tagger, &saved, "beta stopped now", 1).unwrap();
        // Alpha is saved last (its second line), then both lose their times, as states of an
        // earlier version have none.
        tag_kept(&tagger, &saved, "alpha started", 2);
        for state in saved.borrow_mut().values_mut() {
            state.last_seen_ns = 0;
        }
        assert!(saved.borrow()[&alpha].version > saved.borrow()[&beta].version);
        let narrow = at_most(1);
        let restored = restored_from(&narrow, &saved);
        assert_eq!(
            tag_kept(&restored, &Saved::default(), "alpha started", 3),
            Some(alpha),
            "beta, saved less recently, was evicted"
        );
    }

    #[test]
    fn lines_of_a_pattern_merged_by_a_person_save_it_not_its_survivor() {
        let tagger = PatternTagger::new(MinerConfig::default());
        let tag = |message: &str| tagger.tag("t", &mut [line(message)]).updates;
        let into = tag("user logged in")[0].id;
        tag("user logged in");
        let from = tag("db timeout after 3s")[0].id;
        assert!(tagger.merge("t", from, into).is_some());
        // The merged pattern takes its second line: its own state is saved with the count (and
        // the survivor's, which gains the sample).
        let second = tag("db timeout after 3s");
        let saved = |id: u64| second.iter().find(|p| p.id == id).map(|p| p.lines);
        assert_eq!(saved(from), Some(2), "{second:?}");
        assert_eq!(saved(into), Some(2), "{second:?}");
        // The third changes nothing: the survivor, which still has two lines of its own, is not
        // saved again for every line its merged pattern takes.
        assert!(tag("db timeout after 3s").is_empty());
    }

    /// Messages of a few shapes with words and values varying, as a log has.
    fn messages() -> impl Strategy<Value = Vec<String>> {
        let pieces = prop::sample::select(
            &[
                "user", "job", "started", "failed", "from", "7", "42", "alice", "bob", "db=sales",
                "(root)", "[sshd]", "10.0.0.1", "3 ms",
            ][..],
        );
        let skeleton = prop::collection::vec(pieces.clone(), 2..6);
        let edit = (0..3usize, prop::collection::vec((0..6usize, pieces), 0..3));
        (
            prop::collection::vec(skeleton, 1..4),
            prop::collection::vec(edit, 1..20),
        )
            .prop_map(|(skeletons, edits)| {
                edits
                    .into_iter()
                    .map(|(which, replaced)| {
                        let mut words = skeletons[which % skeletons.len()].clone();
                        for (at, piece) in replaced {
                            let at = at % words.len();
                            words[at] = piece;
                        }
                        words.join(" ")
                    })
                    .collect()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// What a server restart does: the states the tagger handed out (the latest of each
        /// pattern, as the store keeps them) restore a tagger that tags every message as the
        /// one that saved them does.
        #[test]
        fn a_tagger_restored_from_its_saved_states_tags_as_the_one_that_saved_them(
            messages in messages(),
            batch in 1..4usize,
            merge: bool,
        ) {
            let tagger = PatternTagger::new(MinerConfig::default());
            let mut saved: HashMap<u64, PatternTemplate> = HashMap::new();
            let mut keep = |updates: Vec<PatternTemplate>| {
                for state in updates {
                    if saved.get(&state.id).is_none_or(|s| s.version < state.version) {
                        saved.insert(state.id, state);
                    }
                }
            };
            let mut ids = Vec::new();
            for chunk in messages.chunks(batch) {
                let mut records: Vec<LogRecord> = chunk.iter().map(|m| line(m)).collect();
                keep(tagger.tag("t", &mut records).updates);
                ids.extend(records.iter().filter_map(|r| r.pattern_id));
            }
            if merge && let (Some(first), Some(last)) = (ids.first(), ids.last()) {
                keep(tagger.merge("t", *first, *last).unwrap_or_default());
            }
            let restored =
                PatternTagger::restore(MinerConfig::default(), saved.into_values().collect());
            for message in &messages {
                let (mut original, mut again) = ([line(message)], [line(message)]);
                tagger.tag("t", &mut original);
                restored.tag("t", &mut again);
                let resolve = |tagger: &PatternTagger, record: &LogRecord| {
                    record.pattern_id.map(|id| tagger.resolve("t", id))
                };
                prop_assert_eq!(
                    resolve(&restored, &again[0]),
                    resolve(&tagger, &original[0]),
                    "{:?}",
                    message
                );
            }
        }
    }

    #[test]
    fn merges_resolve_and_list_members() {
        let tagger = PatternTagger::new(MinerConfig::default());
        let mut batch = vec![
            line("db timeout after 3s"),
            line("connection refused by db host"),
        ];
        tagger.tag("t", &mut batch);
        let (a, b) = (batch[0].pattern_id.unwrap(), batch[1].pattern_id.unwrap());
        let changed = tagger.merge("t", b, a).unwrap();
        assert_eq!(changed[0].merged_into, Some(a));
        assert_eq!(tagger.resolve("t", b), a);
        assert_eq!(tagger.members("t", a), vec![a, b]);
        assert_eq!(tagger.pattern("t", b).unwrap().id, a);
        assert!(tagger.merge("t", a, 999).is_none());
    }
}
