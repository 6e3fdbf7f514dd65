//! Go's `mime.ParseMediaType`, as far as Prometheus' choice of parser depends on it: the
//! lowercased media type, or nothing when Go would return an error (Prometheus then falls back
//! to the text format, even for an OpenMetrics type with a malformed parameter).

/// The media type of a `Content-Type`, lowercased, or `None` where Go's parser fails.
pub(super) fn media_type(value: &str) -> Option<String> {
    let (base, mut params) = match value.find(';') {
        Some(i) => (&value[..i], &value[i..]),
        None => (value, ""),
    };
    let media = base.to_lowercase().trim().to_string();
    check_media_type(&media)?;
    let mut seen: Vec<(String, String)> = Vec::new();
    loop {
        params = params.trim_start();
        if params.is_empty() {
            break;
        }
        let Some((key, value, rest)) = consume_param(params) else {
            if params.trim() == ";" {
                // A trailing semicolon is no error.
                break;
            }
            return None;
        };
        match seen.iter().find(|(k, _)| *k == key) {
            // Go allows a repeated parameter only with the same value.
            Some((_, v)) if *v != value => return None,
            Some(_) => {}
            None => seen.push((key, value)),
        }
        params = rest;
    }
    Some(media)
}

/// `type "/" subtype`, both tokens, nothing after (Go's `checkMediaTypeDisposition`; a type
/// without subtype passes too).
fn check_media_type(s: &str) -> Option<()> {
    let (typ, rest) = consume_token(s);
    if typ.is_empty() {
        return None;
    }
    if rest.is_empty() {
        return Some(());
    }
    let rest = rest.strip_prefix('/')?;
    let (subtype, rest) = consume_token(rest);
    (!subtype.is_empty() && rest.is_empty()).then_some(())
}

fn is_tspecial(c: char) -> bool {
    "()<>@,;:\\\"/[]?=".contains(c)
}

fn is_token_char(c: char) -> bool {
    c > ' ' && c < '\u{7f}' && !is_tspecial(c)
}

fn consume_token(s: &str) -> (&str, &str) {
    let end = s.find(|c| !is_token_char(c)).unwrap_or(s.len());
    s.split_at(end)
}

/// `; key = value`, value a token or a quoted string: key (lowercased), value and the rest.
fn consume_param(s: &str) -> Option<(String, String, &str)> {
    let rest = s.trim_start().strip_prefix(';')?.trim_start();
    let (key, rest) = consume_token(rest);
    if key.is_empty() {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let (value, rest) = consume_value(rest)?;
    Some((key.to_lowercase(), value, rest))
}

fn consume_value(s: &str) -> Option<(String, &str)> {
    let Some(quoted) = s.strip_prefix('"') else {
        let (token, rest) = consume_token(s);
        return (!token.is_empty()).then(|| (token.to_string(), rest));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &quoted[i + 1..])),
            // Go undoes a backslash only before a special character; elsewhere it is literal.
            '\\' if quoted[i + 1..].starts_with(is_tspecial) => {
                if let Some((_, next)) = chars.next() {
                    value.push(next);
                }
            }
            '\r' | '\n' => return None,
            c => value.push(c),
        }
    }
    None
}
