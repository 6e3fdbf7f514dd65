//! Tests of the masking: examples, and agreement with the reference implementation.

use super::*;

fn check(token: &str, expected: &str) {
    assert_eq!(mask_token(token), expected, "{token}");
}

#[test]
fn masks_variable_shapes() {
    check("1301)", "<*>)");
    check("(TID", "(TID");
    check("blk_-6330812010936261924", "<*>");
    check("10.251.71.240:50010", "<*>");
    check("/10.251.202.181:47130", "<*>");
    check("proxy.cse.cuhk.edu.hk:5070", "<*>");
    check("touch.0", "touch.<*>");
    check("core.114", "core.<*>");
    check("node-148", "node-<*>");
    check("instruction......0", "instruction......<*>");
    check("a..b1", "<*>");
    check("ambient=30", "ambient=<*>");
    check("headroom=<memory:0,", "headroom=<memory:<*>,");
    check("0x00e462c0,", "<*>,");
    check("rank", "rank");
    check("21.0", "<*>");
    check("/mnt/hadoop/dfs/data/current/subdir32/blk_1", "<*>");
    check("<alice@example.com>", "<<*>>");
    check("user@host", "user@host");
}

#[test]
fn joins_units_and_alternative_renderings() {
    assert_eq!(
        tokenize("a.b:80 close, 2034 bytes (1.98 KB) sent, lifetime <1 sec"),
        vec!["<*>", "close,", "<*>", "sent,", "lifetime", "<<*>"]
    );
    assert_eq!(
        tokenize("EXT4-fs (sda3): mounted; EXT4-fs (nvme0n1p2): mounted"),
        vec!["<*>", "(sda3):", "mounted;", "<*>", "(<*>):", "mounted"]
    );
    assert_eq!(
        tokenize("next run at 3:05 PM, then 11:00 a.m. daily"),
        vec!["next", "run", "at", "<*>,", "then", "<*>.", "daily"]
    );
    assert_eq!(
        tokenize("open through proxy p.q.r:5070 SOCKS5"),
        vec!["open", "through", "proxy", "<*>", "SOCKS5"]
    );
}

#[test]
fn extra_masks_apply_to_whole_tokens() {
    let extra = vec![
        regex::Regex::new(r"[a-z]+-(east|west)-\d").unwrap(),
        regex::Regex::new(r"tenant_[a-z]+").unwrap(),
    ];
    assert_eq!(
        tokenize_with("moved tenant_acme to us-east-1, ok", &extra),
        vec!["moved", "<*>", "to", "<*>,", "ok"]
    );
    assert_eq!(
        tokenize_with("tenant_acme-x stays", &extra),
        vec!["tenant_acme-x", "stays"],
        "a match must cover the token"
    );
}

#[test]
fn calendar_names_are_recognised_as_listed() {
    for name in [
        "Mon",
        "Tue",
        "Tues",
        "Wed",
        "Thu",
        "Thur",
        "Thurs",
        "Fri",
        "Sat",
        "Sun",
        "Monday",
        "Sunday",
        "Jan",
        "May",
        "Sep",
        "Sept",
        "Dec",
        "January",
        "June",
        "September",
    ] {
        assert!(calendar_core(name).is_some(), "{name}");
        assert_eq!(
            calendar_core(&format!("({name},")),
            Some((1, 1 + name.len()))
        );
    }
    for upper in ["MON", "SEP", "MAY"] {
        assert!(calendar_core(upper).is_some(), "{upper}");
    }
    for word in [
        "SEp", "sep", "MONDAY", "Septem", "Mayo", "Any", "M", "Sundays",
    ] {
        assert!(calendar_core(word).is_none(), "{word}");
    }
}

#[test]
fn masks_weekday_and_month_names_in_dates_only() {
    assert_eq!(
        tokenize("last login Mon Sep 22 10:00:01 2025 from host"),
        vec![
            "last", "login", "<*>", "<*>", "<*>", "<*>", "<*>", "from", "host"
        ]
    );
    assert_eq!(
        tokenize("runs on Sun, 22 Sep 2025 (Tuesday 17 January)"),
        vec![
            "runs", "on", "<*>,", "<*>", "<*>", "<*>", "(<*>", "<*>", "<*>)"
        ]
    );
    assert_eq!(
        tokenize("state May change; Sun Microsystems"),
        vec!["state", "May", "change;", "Sun", "Microsystems"]
    );
}

#[test]
fn tokenizes_on_whitespace() {
    assert_eq!(
        tokenize("Running task 21.0 in  stage 28.0 (TID 1301)"),
        vec![
            "Running", "task", "<*>", "in", "stage", "<*>", "(TID", "<*>)"
        ]
    );
}

#[test]
fn common_wildcards_read_as_written() {
    for (prefix, suffix) in [
        ("", ""),
        ("", ","),
        ("(", ")"),
        ("[", "]:"),
        ("\"", "\""),
        ("<", ">"),
        ("{", "};"),
        ("((", ""),
    ] {
        assert_eq!(
            wildcard_between(prefix, suffix),
            format!("{prefix}{WILDCARD}{suffix}")
        );
    }
}

#[test]
fn units_compare_without_case_and_clock_halves_as_listed() {
    for unit in [
        "b", "B", "bytes", "KB", "MiB", "sec", "Secs", "ms", "NS", "AM", "p.m",
    ] {
        assert!(is_unit(unit), "{unit}");
    }
    for word in [
        "",
        "Am",
        "P.M",
        "a.m.",
        "kbytes",
        "bytess",
        "m",
        "millisecond",
    ] {
        assert!(!is_unit(word), "{word}");
    }
}

/// Tokens of the new masking and of the reference, for one message, with `extra` masks.
fn agree(message: &str, extra: &[regex::Regex]) {
    assert_eq!(
        tokenize_with(message, extra),
        reference::tokenize_with(message, extra),
        "tokenize_with({message:?})"
    );
    for token in message.split_whitespace() {
        assert_eq!(
            mask_token(token),
            reference::mask_token(token),
            "mask_token({token:?})"
        );
    }
}

/// Every line of the Loghub-2k logs, raw (with their headers: dates, hosts, levels) and as
/// labelled messages, masks as the reference does.
#[test]
fn agrees_with_the_reference_on_the_loghub_logs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench-data/loghub2k");
    let mut files = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(&dir).expect("benchmark data") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy();
        if !(name.ends_with(".log") || name.ends_with("_structured.csv")) {
            continue;
        }
        files += 1;
        for line in std::fs::read_to_string(&path).expect("log").lines() {
            agree(line, &[]);
            lines += 1;
        }
    }
    assert_eq!(files, 16, "the eight systems' logs and labelled messages");
    assert!(lines >= 32_000, "{lines} lines");
}

/// Every token of up to four bytes from an alphabet of the bytes the rules look at (the
/// delimiters, punctuation, digits, letters, `@`, `<*>`'s bytes, a byte of a longer character).
#[test]
fn agrees_with_the_reference_on_all_short_tokens() {
    const ALPHABET: &[&str] = &[
        "a", "Z", "0", "9", ".", "-", "/", ":", "=", "@", "(", ")", "[", ",", "<", "*", ">", "_",
        "+", "é",
    ];
    let mut tokens = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = tokens
            .iter()
            .filter(|t| t.chars().count() == tokens.last().map_or(0, |l| l.chars().count()))
            .flat_map(|t| ALPHABET.iter().map(move |c| format!("{t}{c}")))
            .collect();
        tokens.extend(longer);
    }
    assert_eq!(tokens.len(), 1 + 20 + 400 + 8_000 + 160_000);
    for token in &tokens {
        assert_eq!(
            mask_token(token),
            reference::mask_token(token),
            "mask_token({token:?})"
        );
    }
}

/// Pieces the rules give meaning to, so that generated tokens hit every rule and its edges.
const PIECES: &[&str] = &[
    "a", "ab", "core", "Mon", "SEP", "Sept", "May", "Tuesday", "bytes", "KB", "sec", "PM", "a.m",
    "0", "7", "42", "2025", "10.0.0.1", "0x1f", ".", "..", "...", "-", "_", "/", "//", "://", ":",
    "=", ",", ";", "|", "(", ")", "[", "]", "{", "}", "<", ">", "<*>", "'", "\"", "!", "?", "@",
    "x.com", "+", "%", "é", "日",
];

fn piece_token() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 1..6).prop_map(|p| p.concat())
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(2_000))]

    /// Tokens built from meaningful pieces mask as the reference masks them.
    #[test]
    fn agrees_with_the_reference_on_generated_tokens(token in piece_token()) {
        proptest::prop_assert_eq!(mask_token(&token), reference::mask_token(&token));
    }

    /// Messages of such tokens (units after numbers, names beside dates, extra masks)
    /// tokenise as the reference tokenises them.
    #[test]
    fn agrees_with_the_reference_on_generated_messages(
        tokens in proptest::collection::vec(piece_token(), 0..12),
        separators in proptest::collection::vec(proptest::sample::select(&[" ", "  ", "\t"][..]), 12),
    ) {
        let mut message = String::new();
        for (token, separator) in tokens.iter().zip(&separators) {
            message.push_str(token);
            message.push_str(separator);
        }
        agree(&message, &[]);
        let extra = [regex::Regex::new(r"[a-z]+-(east|west)-\d|x\.com").expect("regex")];
        agree(&message, &extra);
    }

    /// Any text at all.
    #[test]
    fn agrees_with_the_reference_on_any_text(message in "\\PC{0,40}") {
        agree(&message, &[]);
    }

    /// Joining quoted runs loses, adds and reorders nothing: its tokens, split at spaces, are
    /// the tokens it was given; and joining the split tokens again gives the same runs (what a
    /// restored template relies on).
    #[test]
    fn quoted_runs_keep_every_token_in_order(words in proptest::collection::vec("[a-z'\"=:,.<>*]{1,6}", 0..14)) {
        let mut joined = words.clone();
        join_quoted_runs(&mut joined, 0);
        let split: Vec<String> = joined.iter().flat_map(|t| t.split(' ')).map(str::to_string).collect();
        proptest::prop_assert_eq!(&split, &words);
        let mut again = split;
        join_quoted_runs(&mut again, 0);
        proptest::prop_assert_eq!(again, joined);
    }
}

#[test]
fn a_quoted_run_of_words_is_one_token() {
    let tokens = |message: &str| -> Vec<String> {
        tokenize(message)
            .into_iter()
            .map(|t| t.into_owned())
            .collect()
    };
    assert_eq!(
        tokens("'Garage Door Relay' Turning ON."),
        ["'Garage Door Relay'", "Turning", "ON."]
    );
    assert_eq!(
        tokens("\"Scan Media Library\" Completed after 2 minute(s)"),
        [
            "\"Scan Media Library\"",
            "Completed",
            "after",
            "<*>",
            "minute(s)"
        ]
    );
    // Punctuation after the closing quote belongs to the run's token.
    assert_eq!(
        tokens("'Hallway Occupancy': Sending state ON"),
        ["'Hallway Occupancy':", "Sending", "state", "ON"]
    );
    // Words inside keep their masks.
    assert_eq!(
        tokens("Torrent: \"Big Buck 2\""),
        ["Torrent:", "\"Big Buck <*>\""]
    );
    // An unclosed quote, or one closed too far away, joins nothing.
    assert_eq!(
        tokens("it's 'unclosed so far"),
        ["it's", "'unclosed", "so", "far"]
    );
    assert_eq!(
        tokens("'a b c d e f g h i' j"),
        ["'a", "b", "c", "d", "e", "f", "g", "h", "i'", "j"]
    );
    // Eight tokens are the most one run joins.
    assert_eq!(tokens("'a b c d e f g h' i"), ["'a b c d e f g h'", "i"]);
    // A quoted word is a token as before; a quote of the other kind does not close.
    assert_eq!(tokens("'one' \"two' three\""), ["'one'", "\"two' three\""]);
    // A key's quoted value is a run too.
    assert_eq!(
        tokens("id=3 ssid=\"Home Net 5G\" auth_failures=1"),
        ["id=<*>", "ssid=\"Home Net <*>\"", "auth_failures=<*>"]
    );
    assert_eq!(tokens("a=b c=\"d"), ["a=b", "c=\"d"]);
}

/// Tokens appended for a batch are each message's tokens: a unit or a date name never joins
/// or masks across the boundary between two messages.
#[test]
fn batch_tokenising_keeps_messages_apart() {
    let messages = [
        "sent 2034",
        "bytes to Mon",
        "Sep 22 ok",
        "",
        "took 3 ms (4",
        "KB) then 5",
    ];
    let mut all = Vec::new();
    let mut ends = Vec::new();
    for message in messages {
        tokenize_into(message, &[], &mut all);
        ends.push(all.len());
    }
    let mut start = 0;
    for (message, end) in messages.iter().zip(ends) {
        assert_eq!(all[start..end], tokenize(message)[..], "{message:?}");
        start = end;
    }
    assert_eq!(tokenize("bytes to Mon"), vec!["bytes", "to", "Mon"]);
}

/// The split of ASCII messages splits where `split_ascii_whitespace` does, at every kind of
/// ASCII whitespace, and notes the tokens with a digit or an `@` (the ones masking may change)
/// and whether a quote occurs.
#[test]
fn ascii_tokens_split_as_ascii_whitespace_and_note_digits() {
    // A vertical tab is no ASCII whitespace: `\x0Bvt` is one token.
    let message = " \tGET /api/orders/12345\r\nreturned\x0C200  user@host \x0Bvt\t";
    let split: Vec<(&str, bool)> = AsciiTokens::new(message).collect();
    let expected: Vec<&str> = message.split_ascii_whitespace().collect();
    assert_eq!(
        split.iter().map(|(token, _)| *token).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        split
            .iter()
            .map(|(_, may_vary)| *may_vary)
            .collect::<Vec<_>>(),
        [false, true, false, true, true, false]
    );
    let mut unquoted = AsciiTokens::new(message);
    unquoted.by_ref().for_each(drop);
    assert!(!unquoted.quoted);
    let mut quoted = AsciiTokens::new("name 'Garage Door'");
    quoted.by_ref().for_each(drop);
    assert!(quoted.quoted);
    assert_eq!(AsciiTokens::new("").count(), 0);
    assert_eq!(AsciiTokens::new(" \t ").count(), 0);
}

/// Cores of letters and digits and plain numbers, which skip the full scan of their shape,
/// mask as the reference masks them: numbered names (letters, then one or two digits) kept,
/// a dotted number taking the slash before it.
#[test]
fn alphanumeric_cores_and_plain_numbers_mask_as_the_reference() {
    for token in [
        "200",
        "87ms",
        "utun1",
        "en0",
        "SOCKS5",
        "IPV6",
        "x1",
        "abc123",
        "ab12cd34",
        "ab1c2",
        "0x1f",
        "(200)",
        "/12345",
        "42,",
        "[utun10]",
        "7781.",
        "900ms)",
        "é1",
        "1é",
        "21.0",
        "-17",
        "+3",
        "/10.0.0.1",
        "(/1.5)",
        "1.2.3.",
        "-",
        "+-.",
        "/-.5",
        "1..2",
        "1e5",
    ] {
        assert_eq!(mask_token(token), reference::mask_token(token), "{token}");
    }
    check("utun1", "utun1");
    check("abc123", "<*>");
    check("(87ms),", "(<*>),");
    check("/10.0.0.1", "<*>");
    check("/-17", "/<*>");
}

#[test]
fn slashed_paths_mask_as_the_reference() {
    // Taken by the fast path: host-name characters, two slashes or more, a digit.
    for token in [
        "/api/orders/17",
        "api/orders/17",
        "(/var/log/app-3.log)",
        "/user/root/part-00295,",
        "ab/cd/ef12",
        "1//",
        "'/a/b/c9'",
    ] {
        let core = core_of(token);
        assert!(slashed_path(core, leading_letters(core)), "{token}");
        assert_eq!(mask_token(token), reference::mask_token(token), "{token}");
    }
    // Left to the full rules: no digit, one slash, or a byte no host name has.
    for token in [
        "/a/b/c",
        "/a/1",
        "a/b:1/c2",
        "a/b@1/c",
        "x/é/1",
        "a/b=1/c",
        "http://a/1",
        "/a/b/(1)",
    ] {
        let core = core_of(token);
        assert!(!slashed_path(core, leading_letters(core)), "{token}");
        assert_eq!(mask_token(token), reference::mask_token(token), "{token}");
    }
    check("/api/orders/17", "<*>");
    check("(/var/log/app-3.log)", "(<*>)");
}

/// A token without its opening and closing punctuation, as [`mask_token`] takes its core.
fn core_of(token: &str) -> &str {
    let token = token.trim_start_matches(|c: char| c.is_ascii() && class(c as u8) & LEADING != 0);
    token.trim_end_matches(|c: char| c.is_ascii() && class(c as u8) & TRAILING != 0)
}
