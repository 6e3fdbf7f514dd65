//! Go's `fmt.Sprintf` for template values: flags `-`, `+`, `0`, ` `, width and precision, and
//! the verbs `v s d f F e E g G q x X t c %`. A verb whose argument is missing prints Go's
//! `%!v(MISSING)`.

use super::funcs::{Value, format_float};

struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

fn pad(spec: &Spec, body: String) -> String {
    let Some(width) = spec.width else {
        return body;
    };
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = width - len;
    if spec.minus {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero {
        let (sign, digits) = match body.strip_prefix(['-', '+']) {
            Some(rest) => (&body[..1], rest),
            None => ("", body.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

fn signed(spec: &Spec, text: String, negative: bool) -> String {
    if negative {
        text
    } else if spec.plus {
        format!("+{text}")
    } else if spec.space {
        format!(" {text}")
    } else {
        text
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(v) => Some(*v as f64),
        Value::Float(v) => Some(*v),
        Value::Str(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn format_one(verb: char, spec: &Spec, value: &Value) -> String {
    let body = match verb {
        'v' | 's' => {
            let mut text = value.to_text();
            if verb == 's'
                && let Some(precision) = spec.precision
            {
                text = text.chars().take(precision).collect();
            }
            text
        }
        'q' => format!("{:?}", value.to_text()),
        't' => match value {
            Value::Bool(flag) => flag.to_string(),
            other => format!("%!t({}={})", other.kind(), other.to_text()),
        },
        'd' => match value {
            Value::Int(v) => signed(spec, v.to_string(), *v < 0),
            other => format!("%!d({}={})", other.kind(), other.to_text()),
        },
        'c' => match value {
            Value::Int(v) => u32::try_from(*v)
                .ok()
                .and_then(char::from_u32)
                .map_or_else(|| "\u{fffd}".to_string(), String::from),
            other => format!("%!c({}={})", other.kind(), other.to_text()),
        },
        'x' | 'X' => {
            let text = match value {
                Value::Int(v) if *v < 0 => format!("-{:x}", v.unsigned_abs()),
                Value::Int(v) => format!("{v:x}"),
                other => other
                    .to_text()
                    .bytes()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            };
            if verb == 'X' {
                text.to_uppercase()
            } else {
                text
            }
        }
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => match value {
            Value::Float(_) | Value::Int(_) if number(value).is_some() => {
                let v = number(value).unwrap_or(0.0);
                let text = match verb {
                    'f' | 'F' => format!("{:.*}", spec.precision.unwrap_or(6), v),
                    'e' | 'E' => {
                        let raw = format!("{:.*e}", spec.precision.unwrap_or(6), v);
                        let (mantissa, exp) = raw.split_once('e').unwrap_or((&raw, "0"));
                        let exp: i32 = exp.parse().unwrap_or(0);
                        let text = format!(
                            "{mantissa}e{}{:02}",
                            if exp < 0 { '-' } else { '+' },
                            exp.abs()
                        );
                        if verb == 'E' {
                            text.to_uppercase()
                        } else {
                            text
                        }
                    }
                    _ => format_float(v),
                };
                signed(spec, text, v.is_sign_negative())
            }
            other => format!("%!{verb}({}={})", other.kind(), other.to_text()),
        },
        other => format!("%!{other}({}={})", value.kind(), value.to_text()),
    };
    pad(spec, body)
}

/// Formats `args` by `format` as Go's `fmt.Sprintf` does for these verbs.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec {
            minus: false,
            plus: false,
            zero: false,
            space: false,
            width: None,
            precision: None,
        };
        while let Some(&flag) = chars.peek() {
            match flag {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        let digits = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
            let mut value: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = Some(
                    value
                        .unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(d as usize)
                        .min(4096),
                );
                chars.next();
            }
            value
        };
        spec.width = digits(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(digits(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(next_arg) {
            Some(value) => out.push_str(&format_one(verb, &spec, value)),
            None => out.push_str(&format!("%!{verb}(MISSING)")),
        }
        next_arg += 1;
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next_arg..]
            .iter()
            .map(|v| format!("{}={}", v.kind(), v.to_text()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}
