//! The masking as it was before the one-pass classifier (issue 15), kept for tests only: the
//! property tests check that [`super::tokenize_with`] and [`super::mask_token`] give exactly
//! what this gives, token for token.

use std::borrow::Cow;

use crate::WILDCARD;

const LEADING: &[char] = &['(', '[', '{', '"', '\'', '<', '/'];
const TRAILING: &[char] = &[')', ']', '}', '"', '\'', ',', ';', '.', ':', '>', '!', '?'];

/// Splits a message on whitespace and masks each token, also masking tokens that match one of `extra` in full.
pub(super) fn tokenize_with<'a>(message: &'a str, extra: &[regex::Regex]) -> Vec<Cow<'a, str>> {
    // ASCII messages (nearly all) split faster on ASCII whitespace; the result is the same.
    let mut tokens = if message.is_ascii() {
        tokenize_split(message.split_ascii_whitespace(), extra)
    } else {
        tokenize_split(message.split_whitespace(), extra)
    };
    // Quoted runs are joined after masking, as in the masking under test (not its subject).
    super::join_quoted_runs(&mut tokens, 0);
    tokens
}

/// Masks `token` as a whole when one of `extra` matches its core (punctuation kept).
fn mask_extra<'a>(token: &'a str, extra: &[regex::Regex]) -> Option<Cow<'a, str>> {
    let core = token.trim_matches(|c: char| LEADING.contains(&c) || TRAILING.contains(&c));
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
    Some(Cow::Owned(format!(
        "{}{WILDCARD}{}",
        &token[..start],
        &token[start + core.len()..]
    )))
}

fn tokenize_split<'a>(
    raw_tokens: impl Iterator<Item = &'a str>,
    extra: &[regex::Regex],
) -> Vec<Cow<'a, str>> {
    let mut tokens: Vec<Cow<'a, str>> = Vec::with_capacity(16);
    // Inside an absorbed `(<*> unit)`: its closing parenthesis goes too.
    let mut open_parenthetical = false;
    for raw in raw_tokens {
        let masked = match extra.is_empty() {
            true => mask_token(raw),
            false => mask_extra(raw, extra).unwrap_or_else(|| mask_token(raw)),
        };
        if let Some(previous) = tokens.last_mut()
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
        tokens.push(masked);
    }
    mask_calendar_words(&mut tokens);
    tokens
}

/// Masks weekday and month names that stand in a date (`Mon Sep 22 10:00:01 2025`,
/// `22 Sep 2025`, `Tuesday 17 January`): a name next to a masked number or to another such
/// name. Alone (`state May`, `Sun Microsystems`) a name stays a word; next to a number it is
/// part of a date, a value that would otherwise split one event into one pattern per day.
fn mask_calendar_words(tokens: &mut [Cow<'_, str>]) {
    // Cheap pre-check: most messages have no capitalised token of a name's length.
    if !tokens.iter().any(|t| calendar_core(t).is_some()) {
        return;
    }
    let is_number = |token: &str| {
        let (core, _) = split_trailing(token);
        // `<` both opens punctuation and the wildcard, so strip at most one leading mark.
        core == WILDCARD
            || core
                .strip_suffix(WILDCARD)
                .is_some_and(|p| p.len() == 1 && LEADING.contains(&char::from(p.as_bytes()[0])))
    };
    let names: Vec<bool> = tokens.iter().map(|t| calendar_core(t).is_some()).collect();
    for index in 0..tokens.len() {
        if !names[index] {
            continue;
        }
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| tokens.get(i)).is_some_and(|t| is_number(t))
                || i.and_then(|i| names.get(i)).copied().unwrap_or(false)
        };
        if neighbour(index.checked_sub(1)) || neighbour(Some(index + 1)) {
            let Some((start, end)) = calendar_core(&tokens[index]) else {
                continue;
            };
            let token = &tokens[index];
            let masked = format!("{}{WILDCARD}{}", &token[..start], &token[end..]);
            tokens[index] = Cow::Owned(masked);
        }
    }
}

/// The byte range of a weekday or month name (English, abbreviated or full, capitalised or
/// upper case) inside a token's punctuation, if the token is one.
fn calendar_core(token: &str) -> Option<(usize, usize)> {
    let bytes = token.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_uppercase() || LEADING.contains(&char::from(first))) || token.len() > 11 {
        return None;
    }
    let start = bytes
        .iter()
        .position(|b| !LEADING.contains(&char::from(*b)))?;
    let end = bytes
        .iter()
        .rposition(|b| !TRAILING.contains(&char::from(*b)))
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
    let mut end = token.len();
    while let Some(c) = token[..end].chars().next_back() {
        if token[..end].ends_with(WILDCARD) || !TRAILING.contains(&c) {
            break;
        }
        end -= c.len_utf8();
    }
    token.split_at(end)
}

/// Units of size and abbreviated units of time, and the half of a 12-hour clock (`3:05 PM`:
/// one value, whose `AM` or `PM` would otherwise be a word that splits one event in two).
fn is_unit(word: &str) -> bool {
    if matches!(word, "AM" | "PM" | "am" | "pm" | "a.m" | "p.m") {
        return true;
    }
    const UNITS: &[&str] = &[
        "b", "byte", "bytes", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "sec", "secs",
        "ms", "msec", "us", "ns",
    ];
    UNITS.iter().any(|unit| unit.eq_ignore_ascii_case(word))
}

/// Masks the variable parts of one token (see the module documentation).
pub(super) fn mask_token(token: &str) -> Cow<'_, str> {
    if !token.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return Cow::Borrowed(token);
    }
    // The punctuation sets are ASCII, so byte positions are character boundaries.
    let bytes = token.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !LEADING.contains(&char::from(*b)))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !TRAILING.contains(&char::from(*b)))
        .map_or(start, |i| i + 1);
    if start >= end {
        return Cow::Borrowed(token);
    }
    let (prefix, core, suffix) = (&token[..start], &token[start..end], &token[end..]);
    // An absolute path whose segments hold the digits: a variable as a whole, with its slash.
    let prefix = if prefix.ends_with('/') && core.contains(['/', '.', ':']) {
        &prefix[..prefix.len() - 1]
    } else {
        prefix
    };
    let masked = mask_core(core);
    if prefix.is_empty() && suffix.is_empty() {
        return masked;
    }
    Cow::Owned(format!("{prefix}{masked}{suffix}"))
}

fn mask_core(core: &str) -> Cow<'_, str> {
    if is_email(core) {
        return Cow::Borrowed(WILDCARD);
    }
    if !core.bytes().any(|b| b.is_ascii_digit()) || is_numbered_name(core) {
        return Cow::Borrowed(core);
    }
    // The commonest variable, a plain number, skips the shape checks below.
    if core
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
    {
        return Cow::Borrowed(WILDCARD);
    }
    if is_whole_variable(core) {
        return Cow::Borrowed(WILDCARD);
    }
    // Structured tokens (`QQ(10018)`, `deny(1)`, `a=1,b=2`) keep their structure: only the
    // segments between delimiters that hold digits become variables.
    if let Some(position) = core.bytes().position(is_segment_delimiter) {
        let (head, rest) = core.split_at(position);
        let delimiter = &rest[..1];
        let tail = &rest[1..];
        let head = if head.is_empty() {
            Cow::Borrowed("")
        } else {
            mask_core(head)
        };
        let tail = if tail.is_empty() {
            Cow::Borrowed("")
        } else {
            mask_token(tail)
        };
        return Cow::Owned(format!("{head}{delimiter}{tail}"));
    }
    if let Some((key, separator, value)) = split_key_value(core) {
        return Cow::Owned(format!("{key}{separator}{}", mask_token(value)));
    }
    // `core.114`, `node-148`: a word with a numeric suffix keeps the word; so does a dotted
    // leader of aligned output (`instruction......0`), whose dots are as constant as the word.
    if let Some(position) = core.find(['.', '-'])
        && position > 0
        && core[..position].chars().all(|c| c.is_ascii_alphabetic())
    {
        let separator = core.as_bytes()[position];
        let digits = match separator {
            b'.' => position + core[position..].bytes().take_while(|b| *b == b'.').count(),
            _ => position + 1,
        };
        if core.len() > digits && core[digits..].bytes().all(|b| b.is_ascii_digit()) {
            return Cow::Owned(format!("{}{WILDCARD}", &core[..digits]));
        }
    }
    Cow::Borrowed(WILDCARD)
}

/// Delimiters that split a token into independently masked segments.
fn is_segment_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'=' | b',' | b';' | b'|'
    )
}

/// Shapes that are one value as a whole even though they contain delimiters: IP addresses
/// (with port), `host:port`, paths, URLs.
fn is_whole_variable(core: &str) -> bool {
    let address = |text: &str| {
        let host = text.rsplit_once(':').map_or(text, |(host, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() {
                host
            } else {
                text
            }
        });
        !host.is_empty()
            && host.contains('.')
            // No empty labels: `instruction......0` is a dotted leader, not a host.
            && !host.contains("..")
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
            && (host.split('.').count() >= 3 || host.len() < text.len())
    };
    let slashes = core.bytes().filter(|b| *b == b'/').count();
    (slashes > 0 && core.contains("://"))
        || (core.starts_with('/') && core.len() > 1)
        || (slashes >= 2 && !core.bytes().any(is_segment_delimiter))
        || (core.contains('.') && address(core))
}

/// `key=value` or `key:value` with an alphabetic key and a value holding a digit; a host with a
/// port (`example.com:443`) is not one, since its "key" has a dot. (A bare word before a port,
/// `myhost:8080`, keeps its word: a rule that took long lowercase words for hosts came from one
/// Proxifier line and changed no result when removed.)
fn split_key_value(core: &str) -> Option<(&str, char, &str)> {
    let position = core.find(['=', ':'])?;
    let (key, rest) = core.split_at(position);
    let separator = rest.chars().next()?;
    let value = &rest[1..];
    if is_word(key) && !value.is_empty() && value.bytes().any(|b| b.is_ascii_digit()) {
        return Some((key, separator, value));
    }
    None
}

/// A name that ends in a one- or two-digit number, like `SOCKS5`, `IPV6`, `en0` or `utun1`:
/// protocol versions and interface names, constants of the message rather than values.
fn is_numbered_name(core: &str) -> bool {
    let letters = core.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = core.len() - letters.len();
    (1..=2).contains(&digits)
        && letters.len() >= 2
        && letters.chars().all(|c| c.is_ascii_alphabetic())
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

fn is_word(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
}
