//! A restored miner against the miner that saved it, on generated messages.

use super::*;
use proptest::prelude::*;

/// Pieces messages are built of: words, values of each kind the masks know, quotes alone and
/// around words, key=value pairs, parentheses and punctuation.
const PIECES: &[&str] = &[
    "user",
    "job",
    "started",
    "failed",
    "ok",
    "from",
    "Error:",
    "wlan0:",
    "[sshd]",
    "(root)",
    "svc-a",
    "7",
    "42",
    "12 MB",
    "3 ms",
    "0x1f3a",
    "10.0.0.1",
    "Mon Sep 22",
    "'",
    "\"",
    "'Garage Door'",
    "\"x y\"",
    "user=bob",
    "db=sales",
    "ssid=\"Home Net\"",
    "(TID 5)",
    ",",
    "-",
    "=",
    "<*>",
    "a.b",
    "core.5",
];

/// Up to 15 messages, each one of up to three skeletons with up to two pieces replaced: messages
/// of a few shapes, as a log has, with values and words varying.
fn messages() -> impl Strategy<Value = Vec<String>> {
    let skeleton = prop::collection::vec(prop::sample::select(PIECES), 2..7);
    let edit = (
        0..3usize,
        prop::collection::vec((0..7usize, prop::sample::select(PIECES)), 0..3),
    );
    (
        prop::collection::vec(skeleton, 1..4),
        prop::collection::vec(edit, 1..16),
    )
        .prop_map(|(skeletons, edits)| {
            edits
                .into_iter()
                .map(|(which, replaced)| {
                    let mut pieces = skeletons[which % skeletons.len()].clone();
                    for (at, piece) in replaced {
                        let at = at % pieces.len();
                        pieces[at] = piece;
                    }
                    pieces.join(" ")
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Saved and restored (after a person's merge, sometimes), a miner gives every message the
    /// pattern the miner that saved it gives it: it starts no pattern the saving one would not
    /// (the live miner can, for a message it has seen: a message a variable of several tokens
    /// took may find no pattern once that pattern is taken into one with fewer constants), and
    /// a pattern restored with one line is taken for a stray as the saving miner takes it. Not
    /// covered here: eviction (the next property).
    #[test]
    fn a_restored_miner_gives_every_message_the_pattern_the_saving_one_gives_it(
        messages in messages(),
        merge: bool,
    ) {
        let (mut miner, _, mut restored) = saved_and_restored(&messages, merge);
        for message in &messages {
            let (original, again) = (miner.add(message), restored.add(message));
            prop_assert!(!again.created || original.created, "{:?}", message);
            prop_assert_eq!(
                restored.resolve(again.id),
                miner.resolve(original.id),
                "{:?}",
                message
            );
        }
    }

    /// The same where patterns are evicted (at most three live): a restored miner evicts the
    /// pattern used least recently, as the miner that saved it does.
    #[test]
    fn a_restored_miner_evicts_as_the_saving_one_does(
        messages in messages(),
        merge: bool,
    ) {
        let config = MinerConfig {
            max_patterns: 3,
            ..MinerConfig::default()
        };
        let (mut miner, _, mut restored) = saved_and_restored_with(config, &messages, merge);
        for message in &messages {
            let (original, again) = (miner.add(message), restored.add(message));
            prop_assert_eq!(
                restored.resolve(again.id),
                miner.resolve(original.id),
                "{:?}",
                message
            );
        }
    }
}

/// A miner that has mined `messages` (the first pattern merged by a person into the last
/// message's, with `merge`), the ids it gave them, and a miner restored from its saved state.
fn saved_and_restored<S: AsRef<str>>(
    messages: &[S],
    merge: bool,
) -> (Miner, Vec<PatternId>, Miner) {
    saved_and_restored_with(MinerConfig::default(), messages, merge)
}

/// [`saved_and_restored`] with `config` for both miners.
fn saved_and_restored_with<S: AsRef<str>>(
    config: MinerConfig,
    messages: &[S],
    merge: bool,
) -> (Miner, Vec<PatternId>, Miner) {
    let mut miner = Miner::new(config.clone());
    let ids: Vec<PatternId> = messages.iter().map(|m| miner.add(m.as_ref()).id).collect();
    if merge {
        miner.merge(ids[0], ids[ids.len() - 1]);
    }
    let states: Vec<PatternState> = (0..).map_while(|id| miner.state(id)).collect();
    let restored = Miner::restore(config, states);
    (miner, ids, restored)
}

/// Mines `messages`, saves and restores the miner, and adds them again to both: each goes to
/// the same pattern, and none starts one.
fn goes_on_as_the_original(messages: &[&str]) {
    let (mut miner, _, mut restored) = saved_and_restored(messages, false);
    for message in messages {
        let (original, again) = (miner.add(message), restored.add(message));
        assert_eq!(again.created, original.created, "{message:?}");
        assert_eq!(restored.resolve(again.id), original.id, "{message:?}");
    }
}

#[test]
fn patterns_the_miner_took_in_stay_out_of_matching_after_a_restore() {
    // The second message's pattern is taken in by the third's; restored as live, it took the
    // fourth message.
    goes_on_as_the_original(&[
        "7 user user ' 7 \"",
        "Mon Sep 22 svc-a user ' 7 \"",
        "user svc-a user ' 7 \"",
        "Mon Sep 22 svc-a user user 7 \"",
    ]);
}

#[test]
fn a_restored_template_is_split_as_its_samples_were() {
    // Widened to `" user <*> <*> "x y"`, the template's lone opening quote finds a closing one
    // within six pieces, which its messages' did not: its samples decide.
    goes_on_as_the_original(&[
        "\" user 7 'Garage Door' \"x y\"",
        "\" user 7 'Garage Door' \"x y\"",
        "\" user 'Garage Door' user \"x y\"",
    ]);
}

#[test]
fn groups_keep_id_order_as_a_restore_rebuilds_them() {
    // A survivor moved to the `<*>` group went last there, and a tie of similarity went to
    // another pattern than after a restore.
    goes_on_as_the_original(&[
        "user ' user user user 7",
        "7 ' user svc-a user user",
        "7 user user user user user",
        "7 ' 7 user user user",
        "7 ' user user user user",
        "7 ' user user user 7",
    ]);
}

#[test]
fn restored_templates_split_as_their_messages_do() {
    // A quoted run of words is one token in a restored template too.
    let message = "'Garage Door Relay' Turning ON.";
    let (_, ids, mut restored) = saved_and_restored(&[message], false);
    let again = restored.add(message);
    assert!(!again.created);
    assert_eq!(again.id, ids[0]);
    // Each set mined, saved, restored: every message finds its pattern again. Quoted runs
    // (merged, holding units, tabs, doubled spaces, other scripts), and tokens the ASCII split
    // keeps whole (a vertical tab).
    let sets: &[&[&str]] = &[
        &[
            "Scene 'Good Night', activated",
            "Scene 'Good Morning' activated",
        ],
        &["\"Downloaded 12 MB of 40 MB file\" done"],
        &["job=\"sync 12 ms then 3 ms done\" ok"],
        &["a\x0Bb. ok"],
        &[
            "'Shelly Plus 2' Turning ON.",
            "'Garage  Door\tRelay' Turning ON.",
            "'Küche Licht 2' Turning ON.",
            "'Relay' Turning ON.",
        ],
    ];
    for messages in sets {
        let (miner, ids, mut restored) = saved_and_restored(messages, false);
        for (message, id) in messages.iter().zip(&ids) {
            let again = restored.add(message);
            assert!(
                !again.created,
                "{message:?}: a new pattern after the restore"
            );
            assert_eq!(
                restored.resolve(again.id),
                miner.resolve(*id),
                "{message:?}"
            );
        }
    }
}

#[test]
fn a_pattern_restored_with_one_line_is_taken_in_as_a_stray() {
    // Mined again, the fourth message widens the sixth's pattern to cover the fifth's, which
    // took one line: a stray, taken in. Restored without its count, it kept its message apart.
    goes_on_as_the_original(&[
        "job Mon Sep 22 user ' user",
        "user Mon Sep 22 user user user",
        "user user svc-a ' user",
        "user Mon Sep 22 \" ' user",
        "user Mon Sep 22 user ' \"x y\"",
        "user Mon Sep 22 7 ' \"",
        "user svc-a user ' user",
    ]);
}
