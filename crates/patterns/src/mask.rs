//! Tokenisation and masking of variable shapes inside tokens.
//!
//! A token is split into leading punctuation, a core and trailing punctuation; punctuation is
//! kept, so `(TID 1301)` becomes `(TID <*>)`. A core holding a digit is a variable, with two
//! refinements that keep the constant part visible: `key=value` and `key:value` keep their key
//! (`ambient=<*>`), and `word.number` keeps its word (`core.<*>`). Addresses with ports and
//! dotted hosts are variables as a whole. Weekday and month names written next to a number
//! (`Mon Sep 22 10:00:01 2025`) are parts of a date and variables too.
//!
//! Every message of the logs ingest passes through here, so the work per token is kept to one
//! scan of the core's bytes ([`Shape::of`]) with a table of byte classes; the rules read what
//! the scan found instead of searching the token again for digits, punctuation, delimiters, a
//! key, a host or a numeric suffix (issue 15: those separate passes were the larger part of
//! the miner's cost). Cheaper checks come first: the split of an ASCII message notes which
//! tokens hold a digit or an `@` (without extra masks, the others are kept as they are, not
//! masked), and a core of letters and digits only (`200`, `87ms`), a plain number (`21.0`) or a
//! path of host-name characters with two slashes and a digit (`api/orders/17`) is decided
//! without the full scan.
//! `reference.rs` keeps the rules written as separate checks, and the tests hold both to the
//! same output.

use std::borrow::Cow;

use crate::WILDCARD;

/// Byte classes, looked up in [`CLASSES`] (a table, not a search of the punctuation lists: the
/// lists were searched for every byte of every token).
///
/// Punctuation that may open a token: `(`, `[`, `{`, quotes, `<`, `/`.
const LEADING: u8 = 1;
/// Punctuation that may close a token: `)`, `]`, `}`, quotes, `,`, `;`, `.`, `:`, `>`, `!`, `?`.
const TRAILING: u8 = 1 << 1;
/// Delimiters that split a token into independently masked segments.
const DELIMITER: u8 = 1 << 2;
const DIGIT: u8 = 1 << 3;
const ALPHA: u8 = 1 << 4;
/// What a host name is made of: ASCII letters, digits, `-`, `.`, `_`.
const HOST: u8 = 1 << 5;
/// What a key is made of: ASCII letters, `_`, `-`.
const WORD: u8 = 1 << 6;
/// What a plain number is made of: digits, `.`, `-`, `+`.
const NUMBER: u8 = 1 << 7;

static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut index = 0;
    while index < table.len() {
        let byte = index as u8;
        let mut class = 0;
        if matches!(byte, b'(' | b'[' | b'{' | b'"' | b'\'' | b'<' | b'/') {
            class |= LEADING;
        }
        if matches!(
            byte,
            b')' | b']' | b'}' | b'"' | b'\'' | b',' | b';' | b'.' | b':' | b'>' | b'!' | b'?'
        ) {
            class |= TRAILING;
        }
        if matches!(
            byte,
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'=' | b',' | b';' | b'|'
        ) {
            class |= DELIMITER;
        }
        if byte.is_ascii_digit() {
            class |= DIGIT | HOST | NUMBER;
        }
        if byte.is_ascii_alphabetic() {
            class |= ALPHA | HOST | WORD;
        }
        if matches!(byte, b'-' | b'.' | b'_') {
            class |= HOST;
        }
        if matches!(byte, b'-' | b'_') {
            class |= WORD;
        }
        if matches!(byte, b'.' | b'-' | b'+') {
            class |= NUMBER;
        }
        table[index] = class;
        index += 1;
    }
    table
}

fn class(byte: u8) -> u8 {
    CLASSES[usize::from(byte)]
}

/// Splits a message on whitespace and masks each token. A unit written after a masked number
/// (`2034 bytes`, `1.98 KB`, `1 sec`, `3:05 PM`) joins the number's variable, and so does a
/// parenthesised variable with its unit right after another (`2034 bytes (1.98 KB)`): both are
/// one value written two ways, and keeping them as tokens would make messages of one event
/// differ in length. For the same reason a quoted run of up to eight tokens (`'Garage Door Relay'`,
/// `"Scan Media Library"`, `ssid="Home Net"`) is one token once its words are masked.
pub fn tokenize(message: &str) -> Vec<Cow<'_, str>> {
    tokenize_with(message, &[])
}

/// [`tokenize`], also masking tokens that match one of `extra` in full.
pub fn tokenize_with<'a>(message: &'a str, extra: &[regex::Regex]) -> Vec<Cow<'a, str>> {
    let mut tokens = Vec::with_capacity(16);
    tokenize_into(message, extra, &mut tokens);
    tokens
}

/// [`tokenize_with`], appending the message's tokens to `tokens`: a caller tokenising a batch
/// keeps every message's tokens in one vector instead of allocating one per message.
pub fn tokenize_into<'a>(message: &'a str, extra: &[regex::Regex], tokens: &mut Vec<Cow<'a, str>>) {
    let first = tokens.len();
    // ASCII messages (nearly all) split faster on ASCII whitespace, in a pass that also finds
    // the tokens masking may change and the quotes; the result is the same but for a vertical
    // tab, which only the Unicode split splits at.
    let quoted = if message.is_ascii() {
        let mut raw_tokens = AsciiTokens::new(message);
        tokenize_split(&mut raw_tokens, extra, tokens);
        // The quote flag covers the whole message only if the split read every token.
        debug_assert!(raw_tokens.next().is_none());
        raw_tokens.quoted
    } else {
        let raw_tokens = message.split_whitespace().map(|raw| (raw, true));
        tokenize_split(raw_tokens, extra, tokens);
        memchr::memchr2(b'"', b'\'', message.as_bytes()).is_some()
    };
    // Most messages hold no quote, and their tokens are left as they are.
    if quoted {
        join_quoted_runs(tokens, first);
    }
}

/// The tokens of an ASCII message, split at ASCII whitespace as `str::split_ascii_whitespace`
/// splits, each with whether it holds a digit or an `@`. Found in the same pass as the split,
/// that lets the masking pass by the many tokens without one (words, and punctuation around
/// words), which [`mask_token`] would return as they are after scanning them again.
struct AsciiTokens<'a> {
    message: &'a str,
    /// Where the search for the next token starts.
    at: usize,
    /// Whether a token split so far holds a quote (`"` or `'`), which may open a quoted run.
    quoted: bool,
}

impl<'a> AsciiTokens<'a> {
    fn new(message: &'a str) -> Self {
        AsciiTokens {
            message,
            at: 0,
            quoted: false,
        }
    }
}

impl<'a> Iterator for AsciiTokens<'a> {
    /// A token, and whether it holds a digit or an `@` (whether masking may change it).
    type Item = (&'a str, bool);

    // Inlined into the loop over tokens: called for every token, it is mostly call overhead
    // otherwise.
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.message.as_bytes();
        let start = self.at
            + bytes[self.at..]
                .iter()
                .position(|b| SPLIT_CLASSES[usize::from(*b)] & SPACE == 0)?;
        // One table lookup a byte, for the split and the searches for digits and quotes alike.
        let mut end = start;
        let mut seen = 0;
        while let Some(&byte) = bytes.get(end) {
            let class = SPLIT_CLASSES[usize::from(byte)];
            if class & SPACE != 0 {
                break;
            }
            seen |= class;
            end += 1;
        }
        self.at = end;
        self.quoted |= seen & QUOTE != 0;
        // The message is ASCII: every byte position is a character boundary.
        Some((&self.message[start..end], seen & MAY_VARY != 0))
    }
}

/// Classes of bytes for splitting an ASCII message, looked up in [`SPLIT_CLASSES`]: ASCII
/// whitespace (what `u8::is_ascii_whitespace` accepts) separates tokens.
const SPACE: u8 = 1;
/// A digit or an `@`, without which [`mask_token`] keeps a token as it is.
const MAY_VARY: u8 = 1 << 1;
/// A quote, without which no quoted run is joined.
const QUOTE: u8 = 1 << 2;

static SPLIT_CLASSES: [u8; 256] = split_classes();

const fn split_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut index = 0;
    while index < table.len() {
        let byte = index as u8;
        if byte.is_ascii_whitespace() {
            table[index] = SPACE;
        } else if byte.is_ascii_digit() || byte == b'@' {
            table[index] = MAY_VARY;
        } else if byte == b'"' || byte == b'\'' {
            table[index] = QUOTE;
        }
        index += 1;
    }
    table
}

/// The most tokens a quoted run joins into one. Eight since issue 15's session 23 (six before,
/// never measured): chosen on the development log corpora with Loghub's cross-validated figure
/// (the same at 6, 8 and 12; 3 and 4 lost on two corpora, Loghub not run); 8 and 12 tie there and 8 is the smaller change (docs/benchmarks.md,
/// "Every default and how it was chosen").
const MAX_QUOTED_TOKENS: usize = 8;

/// Joins each quoted run of `tokens[from..]` (`'Garage`, `Door`, `Relay'`) into one token, its
/// tokens separated by single spaces: a quoted value is one value whatever its words (a name, a
/// title, a task), and as several tokens it would make one event's messages differ in length.
/// A run opens at a token that starts a quote (`'Garage`, or a key's value, `ssid="Home`) without
/// closing it and ends at the first token that closes the same quote, at most
/// [`MAX_QUOTED_TOKENS`] tokens in all; without a closing token near, nothing is joined. It runs
/// on masked tokens, and on a template's tokens split at spaces when a miner is restored: the
/// same tokens give the same runs, so a template splits as its messages do.
pub(crate) fn join_quoted_runs<T: AsRef<str> + From<String>>(tokens: &mut Vec<T>, from: usize) {
    let mut at = from;
    while at < tokens.len() {
        if let Some(quote) = opens_quote(tokens[at].as_ref()) {
            let last = (at + 1..tokens.len().min(at + MAX_QUOTED_TOKENS))
                .find(|next| closes_quote(tokens[*next].as_ref(), quote));
            if let Some(last) = last {
                let joined = tokens[at..=last]
                    .iter()
                    .map(AsRef::as_ref)
                    .collect::<Vec<&str>>()
                    .join(" ");
                tokens.splice(at..=last, std::iter::once(T::from(joined)));
            }
        }
        at += 1;
    }
}

/// Whether a template token holding spaces is one quoted run, as a restore splits and joins it
/// again: a merge that loses a run's closing quote (`'Good <*>`) makes a token that is not.
pub(crate) fn is_one_run(token: &str) -> bool {
    let mut tokens: Vec<String> = token.split(' ').map(str::to_string).collect();
    join_quoted_runs(&mut tokens, 0);
    tokens.len() == 1
}

/// The quote a token opens without closing it, if it does: at its start (`'Garage`) or as a
/// key's value (`ssid="Home`).
fn opens_quote(token: &str) -> Option<u8> {
    let bytes = token.as_bytes();
    let at = match bytes.first()? {
        b'\'' | b'"' => 0,
        _ => {
            let equals = bytes.iter().position(|b| *b == b'=')?;
            match bytes.get(equals + 1)? {
                b'\'' | b'"' => equals + 1,
                _ => return None,
            }
        }
    };
    let quote = bytes[at];
    (!closes_quote(&token[at + 1..], quote)).then_some(quote)
}

/// Whether `token` ends with `quote`, punctuation after it aside (`'Relay':`, `"x"),`).
fn closes_quote(token: &str, quote: u8) -> bool {
    let core = token.trim_end_matches([',', '.', ':', ';', ')', ']', '}', '!', '?']);
    core.as_bytes().last() == Some(&quote)
}

/// Masks `token` as a whole when one of `extra` matches its core (punctuation kept).
fn mask_extra<'a>(token: &'a str, extra: &[regex::Regex]) -> Option<Cow<'a, str>> {
    let core =
        token.trim_matches(|c: char| c.is_ascii() && class(c as u8) & (LEADING | TRAILING) != 0);
    if core.is_empty() {
        return None;
    }
    let matched = extra.iter().any(|re| {
        re.find(core)
            .is_some_and(|m| m.start() == 0 && m.end() == core.len())
    });
    if !matched {
        return None;
    }
    let start = token.find(core).unwrap_or(0);
    Some(wildcard_between(
        &token[..start],
        &token[start + core.len()..],
    ))
}

/// Masks `raw_tokens` and appends them to `all` (tokens of earlier messages stay untouched).
/// Each token comes with whether it may hold a variable: a token without a digit or an `@`
/// is kept as it is by [`mask_token`], which it skips (though not `extra`, which may match
/// a word).
fn tokenize_split<'a>(
    raw_tokens: impl Iterator<Item = (&'a str, bool)>,
    extra: &[regex::Regex],
    all: &mut Vec<Cow<'a, str>>,
) {
    let first = all.len();
    // Positions of weekday and month names, found as tokens are pushed (a token that is one
    // never ends in `<*>`, so joining a unit, which changes only such a token, keeps them).
    let mut names: Vec<usize> = Vec::new();
    // Inside an absorbed `(<*> unit)`: its closing parenthesis goes too.
    let mut open_parenthetical = false;
    for (raw, may_vary) in raw_tokens {
        let masked = match (extra.is_empty(), may_vary) {
            (true, false) => Cow::Borrowed(raw),
            (true, true) => mask_token(raw),
            (false, _) => mask_extra(raw, extra).unwrap_or_else(|| mask_token(raw)),
        };
        if let Some(previous) = all[first..].last_mut()
            && previous.ends_with(WILDCARD)
        {
            let (core, trailing) = split_trailing(&masked);
            if is_unit(core) {
                let trailing = match trailing.strip_prefix(')') {
                    Some(rest) if open_parenthetical => rest,
                    _ => trailing,
                };
                previous.to_mut().push_str(trailing);
                open_parenthetical = false;
                continue;
            }
            // Only a parenthetical left open (`(1.98` before `KB)`): a closed one after a
            // variable (`EXT4-fs (sda3):`) is a token of its own, and joining it dropped its
            // punctuation and split one event by whether the name inside had digits.
            if previous.as_ref() == WILDCARD && core == "(<*>" && trailing.is_empty() {
                open_parenthetical = true;
                continue;
            }
        }
        open_parenthetical = false;
        if could_be_calendar_name(&masked) && calendar_core(&masked).is_some() {
            names.push(all.len() - first);
        }
        all.push(masked);
    }
    if !names.is_empty() {
        mask_calendar_words(&mut all[first..], &names);
    }
}

/// Masks weekday and month names that stand in a date (`Mon Sep 22 10:00:01 2025`,
/// `22 Sep 2025`, `Tuesday 17 January`): a name next to a masked number or to another such
/// name. Alone (`state May`, `Sun Microsystems`) a name stays a word; next to a number it is
/// part of a date, a value that would otherwise split one event into one pattern per day.
/// `names` are the positions of the names, ascending.
fn mask_calendar_words(tokens: &mut [Cow<'_, str>], names: &[usize]) {
    let is_number = |token: &str| {
        let (core, _) = split_trailing(token);
        // `<` both opens punctuation and the wildcard, so strip at most one leading mark.
        core == WILDCARD
            || core
                .strip_suffix(WILDCARD)
                .is_some_and(|p| p.len() == 1 && class(p.as_bytes()[0]) & LEADING != 0)
    };
    for (k, &index) in names.iter().enumerate() {
        // A name masked before this one was a name: its flag, not its new text, counts.
        let name_before = k > 0 && names[k - 1] + 1 == index;
        let name_after = names.get(k + 1).is_some_and(|next| *next == index + 1);
        let number_before = index > 0 && is_number(&tokens[index - 1]);
        let number_after = tokens.get(index + 1).is_some_and(|t| is_number(t));
        if name_before || name_after || number_before || number_after {
            let Some((start, end)) = calendar_core(&tokens[index]) else {
                continue;
            };
            let token = &tokens[index];
            tokens[index] = wildcard_between(&token[..start], &token[end..]);
        }
    }
}

/// The cheap part of [`calendar_core`], inlined into the loop over tokens: most tokens stop
/// here (too long for a name, or no capital after the opening marks, as in a masked `<*>`).
#[inline]
fn could_be_calendar_name(token: &str) -> bool {
    token.len() <= 11 && calendar_core_start(token).is_some()
}

/// Where the core of a token that may be a calendar name starts: after its opening marks, at
/// a capital, which every name listed in [`calendar_core`] starts with.
#[inline]
fn calendar_core_start(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    let start = bytes.iter().position(|b| class(*b) & LEADING == 0)?;
    bytes[start].is_ascii_uppercase().then_some(start)
}

/// The byte range of a weekday or month name (English, abbreviated or full, capitalised or
/// upper case) inside a token's punctuation, if the token is one.
fn calendar_core(token: &str) -> Option<(usize, usize)> {
    if token.len() > 11 {
        return None;
    }
    let start = calendar_core_start(token)?;
    let bytes = token.as_bytes();
    let end = bytes
        .iter()
        .rposition(|b| class(*b) & TRAILING == 0)
        .map_or(start, |i| i + 1);
    let core = token.get(start..end)?;
    let known = match core.len() {
        // Abbreviations, capitalised or upper case (`Sep`, `SEP`).
        3 => {
            let b = core.as_bytes();
            let title = [
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_lowercase(),
                b[2].to_ascii_lowercase(),
            ];
            let upper_or_title =
                core.bytes().all(|c| c.is_ascii_uppercase()) || (b[1..] == title[1..]);
            upper_or_title
                && b[0] == title[0]
                && matches!(
                    &title,
                    b"Mon"
                        | b"Tue"
                        | b"Wed"
                        | b"Thu"
                        | b"Fri"
                        | b"Sat"
                        | b"Sun"
                        | b"Jan"
                        | b"Feb"
                        | b"Mar"
                        | b"Apr"
                        | b"May"
                        | b"Jun"
                        | b"Jul"
                        | b"Aug"
                        | b"Sep"
                        | b"Oct"
                        | b"Nov"
                        | b"Dec"
                )
        }
        4..=9 => matches!(
            core,
            "Tues"
                | "Thur"
                | "Thurs"
                | "Sept"
                | "Monday"
                | "Tuesday"
                | "Wednesday"
                | "Thursday"
                | "Friday"
                | "Saturday"
                | "Sunday"
                | "January"
                | "February"
                | "March"
                | "April"
                | "June"
                | "July"
                | "August"
                | "September"
                | "October"
                | "November"
                | "December"
        ),
        _ => false,
    };
    known.then_some((start, end))
}

/// Splits trailing punctuation off a masked token, never cutting into a final `<*>`.
fn split_trailing(token: &str) -> (&str, &str) {
    let bytes = token.as_bytes();
    let mut end = bytes.len();
    // The punctuation is ASCII: a byte of a longer character ends the search.
    while end > 0 && class(bytes[end - 1]) & TRAILING != 0 && !bytes[..end].ends_with(b"<*>") {
        end -= 1;
    }
    token.split_at(end)
}

/// Units of size and abbreviated units of time, and the half of a 12-hour clock (`3:05 PM`:
/// one value, whose `AM` or `PM` would otherwise be a word that splits one event in two).
fn is_unit(word: &str) -> bool {
    if matches!(word, "AM" | "PM" | "am" | "pm" | "a.m" | "p.m") {
        return true;
    }
    // Units compare without case: lower-case the few bytes a unit can have, then one `match`.
    let bytes = word.as_bytes();
    let mut lower = [0u8; 5];
    let Some(lower) = lower.get_mut(..bytes.len()) else {
        return false;
    };
    for (to, from) in lower.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"b" | b"byte"
            | b"bytes"
            | b"kb"
            | b"mb"
            | b"gb"
            | b"tb"
            | b"kib"
            | b"mib"
            | b"gib"
            | b"tib"
            | b"sec"
            | b"secs"
            | b"ms"
            | b"msec"
            | b"us"
            | b"ns"
    )
}

/// `<*>` between punctuation, without allocating for the common marks (`<*>,`, `(<*>)`...):
/// most masked tokens are a bare value with a mark or two around it.
fn wildcard_between(prefix: &str, suffix: &str) -> Cow<'static, str> {
    let common = match (prefix, suffix) {
        ("", "") => "<*>",
        ("", ",") => "<*>,",
        ("", ")") => "<*>)",
        ("", "]") => "<*>]",
        ("", ".") => "<*>.",
        ("", ":") => "<*>:",
        ("", ";") => "<*>;",
        ("", "),") => "<*>),",
        ("", "],") => "<*>],",
        ("", "]:") => "<*>]:",
        ("", "):") => "<*>):",
        ("", "\"") => "<*>\"",
        ("", "'") => "<*>'",
        ("", ">") => "<*>>",
        ("(", "") => "(<*>",
        ("[", "") => "[<*>",
        ("{", "") => "{<*>",
        ("\"", "") => "\"<*>",
        ("'", "") => "'<*>",
        ("<", "") => "<<*>",
        ("(", ")") => "(<*>)",
        ("(", "),") => "(<*>),",
        ("(", "):") => "(<*>):",
        ("[", "]") => "[<*>]",
        ("[", "],") => "[<*>],",
        ("[", "]:") => "[<*>]:",
        ("{", "}") => "{<*>}",
        ("\"", "\"") => "\"<*>\"",
        ("'", "'") => "'<*>'",
        ("<", ">") => "<<*>>",
        _ => return Cow::Owned([prefix, WILDCARD, suffix].concat()),
    };
    Cow::Borrowed(common)
}

/// Masks the variable parts of one token (see the module documentation).
pub fn mask_token(token: &str) -> Cow<'_, str> {
    // The punctuation classes are ASCII, so byte positions are character boundaries.
    let bytes = token.as_bytes();
    let start = bytes
        .iter()
        .position(|b| class(*b) & LEADING == 0)
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| class(*b) & TRAILING == 0)
        .map_or(start, |i| i + 1);
    if start >= end {
        return Cow::Borrowed(token);
    }
    let core = &token[start..end];
    // Digits and `@` are not punctuation: the core holds them if the token does.
    let letters = leading_letters(core);
    if letters == core.len() {
        return Cow::Borrowed(token);
    }
    if let Some(numbered_name) = alphanumeric_with_digit(core, letters) {
        return match numbered_name {
            true => Cow::Borrowed(token),
            false => wildcard_between(&token[..start], &token[end..]),
        };
    }
    if let Some(dotted) = plain_number(core) {
        // A dotted number takes the slash before it, as an absolute path would (`/10.0.0.1`).
        let prefix = &token[..start];
        let prefix = match dotted {
            true => prefix.strip_suffix('/').unwrap_or(prefix),
            false => prefix,
        };
        return wildcard_between(prefix, &token[end..]);
    }
    if slashed_path(core, letters) {
        // A path's slash before it goes with it, as below.
        let prefix = &token[..start];
        return wildcard_between(prefix.strip_suffix('/').unwrap_or(prefix), &token[end..]);
    }
    let shape = Shape::of(core, letters);
    if !shape.has_variable() {
        return Cow::Borrowed(token);
    }
    let (mut prefix, suffix) = (&token[..start], &token[end..]);
    // An absolute path whose segments hold the digits: a variable as a whole, with its slash.
    if prefix.ends_with('/') && (shape.slashes > 0 || shape.dots > 0 || shape.last_colon.is_some())
    {
        prefix = &prefix[..prefix.len() - 1];
    }
    match mask_core(core, &shape) {
        Masked::Variable => wildcard_between(prefix, suffix),
        Masked::Unchanged if prefix.len() == start => Cow::Borrowed(token),
        Masked::Unchanged => Cow::Owned([prefix, core, suffix].concat()),
        Masked::Rewritten(masked) if prefix.is_empty() && suffix.is_empty() => Cow::Owned(masked),
        Masked::Rewritten(masked) => Cow::Owned([prefix, &masked, suffix].concat()),
    }
}

/// The fast path of [`mask_token`] for a core of ASCII letters and digits holding a digit
/// (`200`, `87ms`: the commonest variables; `utun1`: a numbered name): whether it is a numbered
/// name (kept, see [`Shape::is_numbered_name`]), or `None` when the core holds anything else.
/// Such a core has no `@`, separator, delimiter, dot, dash or slash, so every other rule of
/// [`mask_core`] passes it by and it is a variable as a whole; deciding that here skips
/// [`Shape::of`].
/// `letters` is the length of the core's leading run of letters, shorter than the core.
fn alphanumeric_with_digit(core: &str, letters: usize) -> Option<bool> {
    let rest = &core.as_bytes()[letters..];
    // `rest` starts at a byte that is no letter: a digit if the core is alphanumeric.
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    if digits == rest.len() {
        // Letters, then digits only: a numbered name when two letters or more take one or two.
        return Some(letters >= 2 && digits <= 2);
    }
    // More after the digits (`87ms`, `0x1f`): never a numbered name (letters, then digits only).
    rest[digits..]
        .iter()
        .all(u8::is_ascii_alphanumeric)
        .then_some(false)
}

/// The second fast path of [`mask_token`]: whether a core is a plain number (digits, `.`, `-`
/// and `+`, with a digit: `21.0`, `-17`, `10.0.0.1`), a variable as a whole in [`mask_core`],
/// and if so whether it holds a dot; `None` for any other core.
fn plain_number(core: &str) -> Option<bool> {
    let mut any = 0;
    let mut dotted = false;
    for &byte in core.as_bytes() {
        let class = class(byte);
        if class & NUMBER == 0 {
            return None;
        }
        any |= class;
        dotted |= byte == b'.';
    }
    (any & DIGIT != 0).then_some(dotted)
}

/// The third fast path of [`mask_token`]: whether a core is a path of host-name characters
/// (letters, digits, `-`, `.`, `_`) with two slashes or more and a digit (`api/orders/17`,
/// `user/root/part-00295`), a variable as a whole in [`mask_core`] (no `@`, delimiter or
/// separator for another rule to take first, and a slash before the trailing digits, so never
/// a numbered name). `letters` is the length of the core's leading run of letters.
fn slashed_path(core: &str, letters: usize) -> bool {
    let (mut slashes, mut digits) = (0, false);
    for &byte in &core.as_bytes()[letters..] {
        if byte == b'/' {
            slashes += 1;
        } else if class(byte) & HOST == 0 {
            return false;
        } else {
            digits |= byte.is_ascii_digit();
        }
    }
    slashes >= 2 && digits
}

/// What masking made of a core.
enum Masked {
    /// The core as it was.
    Unchanged,
    /// `<*>` in place of the whole core.
    Variable,
    /// A core with variables inside (`ambient=<*>`, `core.<*>`).
    Rewritten(String),
}

impl Masked {
    fn text<'a>(&'a self, core: &'a str) -> &'a str {
        match self {
            Masked::Unchanged => core,
            Masked::Variable => WILDCARD,
            Masked::Rewritten(text) => text,
        }
    }
}

/// Length of the leading run of ASCII letters: all of most tokens, which need no more.
fn leading_letters(core: &str) -> usize {
    core.bytes()
        .position(|b| class(b) & ALPHA == 0)
        .unwrap_or(core.len())
}

/// What the masking rules ask of a token's core, found in one scan of its bytes. Letters, the
/// bulk of most tokens, cost a table lookup and two bit operations; digits and punctuation
/// record where they are.
struct Shape {
    /// Length of the core.
    length: usize,
    /// Classes held by at least one byte, and by every byte.
    any: u8,
    every: u8,
    /// Length of the leading run of ASCII letters.
    alpha_prefix: usize,
    /// The first byte that is no letter, `_` or `-`.
    first_non_word: Option<usize>,
    /// The last digit, and where the run of digits it ends starts.
    last_digit: Option<usize>,
    digit_run: usize,
    /// Whether an `@` occurs.
    at: bool,
    /// Number of `/`.
    slashes: usize,
    /// Whether `://` occurs.
    scheme: bool,
    first_delimiter: Option<usize>,
    /// The first `=` or `:`.
    first_separator: Option<usize>,
    /// The first `.` or `-`.
    first_dot_or_dash: Option<usize>,
    last_colon: Option<usize>,
    /// Number of `.`, in all and before the last `:`.
    dots: usize,
    dots_before_last_colon: usize,
    /// Where the first `..` starts.
    first_double_dot: Option<usize>,
    /// Number of bytes that are no part of a host name.
    non_host: usize,
}

impl Shape {
    /// The shape of `core`, whose first `letters` bytes are ASCII letters (see
    /// [`leading_letters`]: the caller looks at those first, as most tokens are letters only).
    fn of(core: &str, letters: usize) -> Shape {
        let bytes = core.as_bytes();
        let (any, every) = match letters {
            0 => (0, u8::MAX),
            _ => (class(b'a'), class(b'a')),
        };
        let mut shape = Shape {
            length: bytes.len(),
            any,
            every,
            alpha_prefix: letters,
            first_non_word: None,
            last_digit: None,
            digit_run: 0,
            at: false,
            slashes: 0,
            scheme: false,
            first_delimiter: None,
            first_separator: None,
            first_dot_or_dash: None,
            last_colon: None,
            dots: 0,
            dots_before_last_colon: 0,
            first_double_dot: None,
            non_host: 0,
        };
        for (at, &byte) in bytes.iter().enumerate().skip(letters) {
            let class = class(byte);
            shape.any |= class;
            shape.every &= class;
            if class & ALPHA != 0 {
                continue;
            }
            if class & DIGIT != 0 {
                if shape.last_digit.is_none_or(|last| last + 1 != at) {
                    shape.digit_run = at;
                }
                shape.last_digit = Some(at);
                shape.first_non_word.get_or_insert(at);
            } else {
                shape.punctuation(bytes, at, class);
            }
        }
        shape
    }

    /// Whether the core holds a digit or an `@`: without, there is nothing to mask.
    fn has_variable(&self) -> bool {
        self.any & DIGIT != 0 || self.at
    }

    /// Notes punctuation (or a byte of a longer character) at `at`.
    fn punctuation(&mut self, bytes: &[u8], at: usize, class: u8) {
        if class & WORD == 0 {
            self.first_non_word.get_or_insert(at);
        }
        self.non_host += usize::from(class & HOST == 0);
        if class & DELIMITER != 0 {
            self.first_delimiter.get_or_insert(at);
        }
        match bytes[at] {
            b'/' => self.slashes += 1,
            b'.' => {
                if at > 0 && bytes[at - 1] == b'.' {
                    self.first_double_dot.get_or_insert(at - 1);
                }
                self.dots += 1;
                self.first_dot_or_dash.get_or_insert(at);
            }
            b'-' => {
                self.first_dot_or_dash.get_or_insert(at);
            }
            b':' => {
                self.last_colon = Some(at);
                self.dots_before_last_colon = self.dots;
                self.first_separator.get_or_insert(at);
                self.scheme |= bytes[at + 1..].starts_with(b"//");
            }
            b'=' => {
                self.first_separator.get_or_insert(at);
            }
            b'@' => self.at = true,
            _ => {}
        }
    }

    /// Length of the leading run of ASCII letters, `_` and `-`.
    fn word_prefix(&self) -> usize {
        self.first_non_word.unwrap_or(self.length)
    }

    /// Where the digits that end the core start (the length when it ends otherwise).
    fn trailing_digits(&self) -> usize {
        match self.last_digit {
            Some(last) if last + 1 == self.length => self.digit_run,
            _ => self.length,
        }
    }

    /// A name that ends in a one- or two-digit number, like `SOCKS5`, `IPV6`, `en0` or `utun1`:
    /// protocol versions and interface names, constants of the message rather than values.
    fn is_numbered_name(&self) -> bool {
        let letters = self.trailing_digits();
        (1..=2).contains(&(self.length - letters)) && letters >= 2 && self.alpha_prefix >= letters
    }

    /// Shapes that are one value as a whole even though they contain delimiters: IP addresses
    /// (with port), `host:port`, paths, URLs.
    fn is_whole_variable(&self, core: &str) -> bool {
        self.scheme
            || (core.starts_with('/') && core.len() > 1)
            || (self.slashes >= 2 && self.first_delimiter.is_none())
            || (self.dots > 0 && self.is_address())
    }

    /// A dotted host, with a port or with at least three labels (`10.0.0.1`, `a.b:80`).
    fn is_address(&self) -> bool {
        // A port: digits after the last `:`, at least one.
        let port = self
            .last_colon
            .filter(|colon| colon + 1 < self.length && self.trailing_digits() == colon + 1);
        let host = port.unwrap_or(self.length);
        let (dots, non_host) = match port {
            Some(_) => (self.dots_before_last_colon, self.non_host - 1),
            None => (self.dots, self.non_host),
        };
        host > 0
            && dots > 0
            // No empty labels: `instruction......0` is a dotted leader, not a host.
            && self.first_double_dot.is_none_or(|at| at + 2 > host)
            && non_host == 0
            && (dots >= 2 || port.is_some())
    }
}

fn mask_core(core: &str, shape: &Shape) -> Masked {
    if shape.at && is_email(core) {
        return Masked::Variable;
    }
    if shape.any & DIGIT == 0 || shape.is_numbered_name() {
        return Masked::Unchanged;
    }
    // The commonest variable, a plain number, skips the shape checks below.
    if shape.every & NUMBER != 0 || shape.is_whole_variable(core) {
        return Masked::Variable;
    }
    // Structured tokens (`QQ(10018)`, `deny(1)`, `a=1,b=2`) keep their structure: only the
    // segments between delimiters that hold digits become variables.
    if let Some(position) = shape.first_delimiter {
        let (head, rest) = core.split_at(position);
        let (delimiter, tail) = rest.split_at(1);
        let mut masked = String::with_capacity(core.len());
        if !head.is_empty() {
            let shape = Shape::of(head, leading_letters(head));
            let masked_head = match shape.has_variable() {
                true => mask_core(head, &shape),
                false => Masked::Unchanged,
            };
            masked.push_str(masked_head.text(head));
        }
        masked.push_str(delimiter);
        if !tail.is_empty() {
            masked.push_str(&mask_token(tail));
        }
        return Masked::Rewritten(masked);
    }
    // `key=value` or `key:value` with an alphabetic key and a value holding a digit; a host
    // with a port (`example.com:443`) is not one, since its "key" has a dot. (A bare word
    // before a port, `myhost:8080`, keeps its word: a rule that took long lowercase words for
    // hosts came from one Proxifier line and changed no result when removed.)
    if let Some(position) = shape.first_separator
        && position > 0
        && shape.word_prefix() >= position
        && shape.last_digit.is_some_and(|at| at > position)
    {
        let (key, value) = core.split_at(position + 1);
        return Masked::Rewritten([key, &mask_token(value)].concat());
    }
    // `core.114`, `node-148`: a word with a numeric suffix keeps the word; so does a dotted
    // leader of aligned output (`instruction......0`), whose dots are as constant as the word.
    if let Some(position) = shape.first_dot_or_dash
        && position > 0
        && shape.alpha_prefix >= position
    {
        let digits = match core.as_bytes()[position] {
            b'.' => position + core[position..].bytes().take_while(|b| *b == b'.').count(),
            _ => position + 1,
        };
        if core.len() > digits && shape.trailing_digits() == digits {
            return Masked::Rewritten([&core[..digits], WILDCARD].concat());
        }
    }
    Masked::Variable
}

/// `local@domain.tld`: something before the `@`, a dot in the domain after it.
fn is_email(core: &str) -> bool {
    match core.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && core
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._%+-@".contains(c))
        }
        None => false,
    }
}

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
