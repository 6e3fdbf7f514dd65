//! Relabeling as Prometheus defines it for `relabel_configs` and `metric_relabel_configs`
//! (`relabel_config` in Prometheus' configuration reference): the eleven actions, Prometheus'
//! defaults and load-time validation, and its replacement templates.
//!
//! Prometheus runs on Go, so "the same semantics" reaches below the config format:
//!
//! - **Regexes** are RE2 as Go's `regexp` reads them, anchored as `^(?s:…)$`. The `regex` crate
//!   agrees on nearly all of that syntax, but its `\d`, `\w`, `\s` and `\b` are Unicode-aware
//!   where Go's are ASCII-only, it reads `\<`, `\>` as word boundaries where Go reads literal
//!   `<`, `>`, it has no `\Q…\E`, and it nests classes and treats `&&`, `~~`, `--` inside them as
//!   set operations. [`Regex::new`] rewrites those constructs into their Go meaning before
//!   compiling, so a `prometheus.yml` regex matches the same strings here as in Prometheus. (A
//!   few patterns Go refuses compile here, such as the `(?x)` flag; Go's `\C` and group names
//!   that start with a digit are refused here.)
//! - **Templates** (`replacement`, and `target_label` for `replace`) expand as Go's
//!   `Regexp.Expand` does, not as `regex::Captures::expand`: both read `$1x` as the group named
//!   `1x`, but Go reads `$01` and `${01}` as the group *named* `01` (so empty), takes Unicode
//!   letters and digits into names (`$é`), and keeps a malformed `${}` as it is.
//! - **`lowercase` / `uppercase`** use Go's per-character simple case mapping (`ß` stays `ß`,
//!   a final `Σ` becomes `σ`), not Rust's full, context-sensitive one.
//! - **Label names** are validated with the legacy scheme (`[a-zA-Z_][a-zA-Z0-9_]*`), the one the
//!   rest of TelemetryHub stores; Prometheus 3 defaults to UTF-8 names, under which for example
//!   `target_label: "utf-8.label"` is accepted. Configs valid under the legacy scheme behave
//!   identically under both.
//! - An empty label value is the same as a missing label (Prometheus' `labels.Builder`): such
//!   labels are removed before the first step, and setting a label to `""` deletes it.
//!
//! Relabeling leaves `__`-prefixed labels alone: removing them is the scraper's job, after target
//! relabeling. `labelmap` may create a label name that is not valid (an empty one, say) exactly as
//! Prometheus does; the scraper validates the final label set, as Prometheus' scrape loop does.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use md5::{Digest, Md5};
use serde::{Deserialize, Deserializer};
use telemetryhub_model::prometheus_names::is_label_name;
use telemetryhub_model::{ErrorCode, Labels};

#[cfg(test)]
mod tests;

/// The default `separator` between joined source label values.
pub const DEFAULT_SEPARATOR: &str = ";";
/// The default `regex`: anything, captured as group 1.
pub const DEFAULT_REGEX: &str = "(.*)";
/// The default `replacement`: the first capture group.
pub const DEFAULT_REPLACEMENT: &str = "$1";

/// A relabeling config that Prometheus would refuse to load, with Prometheus' message where it
/// has one; each message names the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelabelError {
    /// `action` is given but empty (`action: null`).
    #[error("relabel action cannot be empty")]
    EmptyAction,
    /// `action` names no relabel action.
    #[error("unknown relabel action {0:?}")]
    UnknownAction(String),
    /// `regex` does not compile.
    #[error("invalid 'regex' {regex:?}: {reason}")]
    InvalidRegex {
        /// The regex as written.
        regex: String,
        /// Why it does not compile.
        reason: String,
    },
    /// A name in `source_labels` is not a valid label name.
    #[error("{0:?} is not a valid label name in 'source_labels'")]
    InvalidSourceLabel(String),
    /// `hashmod` without a `modulus` (or with `modulus: 0`).
    #[error("relabel configuration for hashmod requires non-zero modulus")]
    ZeroModulus,
    /// An action that writes a label has no `target_label`.
    #[error("relabel configuration for {0} action requires 'target_label' value")]
    MissingTargetLabel(RelabelAction),
    /// `target_label` is not a valid label name (or, for `replace`, template of one).
    #[error("{target_label:?} is invalid 'target_label' for {action} action")]
    InvalidTargetLabel {
        /// The target label as written.
        target_label: String,
        /// The action it was given for.
        action: RelabelAction,
    },
    /// `replacement` given for an action that does not use it.
    #[error("'replacement' can not be set for {0} action")]
    ReplacementNotAllowed(RelabelAction),
    /// `labelmap`'s `replacement` is not a template of a valid label name.
    #[error("{replacement:?} is invalid 'replacement' for {action} action")]
    InvalidReplacement {
        /// The replacement as written.
        replacement: String,
        /// The action it was given for.
        action: RelabelAction,
    },
    /// `keepequal` / `dropequal` with a field other than `source_labels` and `target_label`.
    #[error("{0} action requires only 'source_labels' and `target_label`, and no other fields")]
    OnlySourceAndTargetLabels(RelabelAction),
    /// `labeldrop` / `labelkeep` with a field other than `regex`.
    #[error("{0} action requires only 'regex', and no other fields")]
    OnlyRegex(RelabelAction),
}

impl RelabelError {
    /// Every relabeling error is a bad configuration value.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidArgument
    }
}

/// What a relabeling step does; the names are those of `prometheus.yml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelabelAction {
    /// Sets `target_label` (a template) to `replacement` (a template) when `regex` matches the
    /// joined source values; an empty result deletes the label.
    #[default]
    Replace,
    /// Drops the label set unless `regex` matches the joined source values.
    Keep,
    /// Drops the label set when `regex` matches the joined source values.
    Drop,
    /// Drops the label set unless the joined source values equal `target_label`'s value.
    KeepEqual,
    /// Drops the label set when the joined source values equal `target_label`'s value.
    DropEqual,
    /// Sets `target_label` to the MD5 of the joined source values modulo `modulus`.
    HashMod,
    /// Copies every label whose name matches `regex` to the name `replacement` expands to.
    LabelMap,
    /// Removes every label whose name matches `regex`.
    LabelDrop,
    /// Removes every label whose name does not match `regex`.
    LabelKeep,
    /// Sets `target_label` to the joined source values in lower case.
    Lowercase,
    /// Sets `target_label` to the joined source values in upper case.
    Uppercase,
}

impl RelabelAction {
    /// Every action, in the order of Prometheus' documentation.
    pub const ALL: [RelabelAction; 11] = [
        RelabelAction::Replace,
        RelabelAction::Lowercase,
        RelabelAction::Uppercase,
        RelabelAction::Keep,
        RelabelAction::Drop,
        RelabelAction::KeepEqual,
        RelabelAction::DropEqual,
        RelabelAction::HashMod,
        RelabelAction::LabelMap,
        RelabelAction::LabelDrop,
        RelabelAction::LabelKeep,
    ];

    /// The action's name in `prometheus.yml`.
    pub fn as_str(self) -> &'static str {
        match self {
            RelabelAction::Replace => "replace",
            RelabelAction::Keep => "keep",
            RelabelAction::Drop => "drop",
            RelabelAction::KeepEqual => "keepequal",
            RelabelAction::DropEqual => "dropequal",
            RelabelAction::HashMod => "hashmod",
            RelabelAction::LabelMap => "labelmap",
            RelabelAction::LabelDrop => "labeldrop",
            RelabelAction::LabelKeep => "labelkeep",
            RelabelAction::Lowercase => "lowercase",
            RelabelAction::Uppercase => "uppercase",
        }
    }

    /// Whether the action writes or compares `target_label`, which it then requires.
    fn needs_target_label(self) -> bool {
        matches!(
            self,
            RelabelAction::Replace
                | RelabelAction::HashMod
                | RelabelAction::Lowercase
                | RelabelAction::Uppercase
                | RelabelAction::KeepEqual
                | RelabelAction::DropEqual
        )
    }

    /// The actions whose target is a plain label name and that take no `replacement`.
    fn is_case_or_equal(self) -> bool {
        matches!(
            self,
            RelabelAction::Lowercase
                | RelabelAction::Uppercase
                | RelabelAction::KeepEqual
                | RelabelAction::DropEqual
        )
    }
}

impl fmt::Display for RelabelAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RelabelAction {
    type Err = RelabelError;

    /// Reads an action name ignoring case, as Prometheus does (`Replace` is `replace`).
    fn from_str(name: &str) -> Result<RelabelAction, RelabelError> {
        RelabelAction::ALL
            .into_iter()
            .find(|action| action.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| RelabelError::UnknownAction(name.to_string()))
    }
}

/// A relabeling regex: the text as written (for display and config dumps) and its compiled form,
/// anchored at both ends with `.` matching newlines, as Prometheus compiles it (`^(?s:…)$`), in
/// Go's RE2 dialect (see the module documentation).
#[derive(Clone)]
pub struct Regex {
    source: String,
    anchored: regex::Regex,
}

/// The default regex, compiled once: most configs leave `regex` out.
static DEFAULT_COMPILED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DEFAULT_REGEX).expect("the default relabel regex `(.*)` compiles"));

impl Regex {
    /// Compiles `source` as Prometheus does: Go's syntax, anchored, `(?s)`.
    pub fn new(source: &str) -> Result<Regex, RelabelError> {
        let translated = rust_syntax(source);
        let anchored = compile(&format!("^(?s:{translated})$")).map_err(|error| {
            // The `regex` crate's message quotes the pattern it compiled; the user's own pattern
            // (translated, usually unchanged) reads better, when it fails alone too.
            let reason = compile(&translated).err().unwrap_or(error);
            RelabelError::InvalidRegex {
                regex: source.to_string(),
                reason: one_line(&reason),
            }
        })?;
        Ok(Regex {
            source: source.to_string(),
            anchored,
        })
    }

    /// The regex as written, without the anchoring.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled, anchored regex.
    pub fn as_regex(&self) -> &regex::Regex {
        &self.anchored
    }

    /// Whether the regex matches the whole of `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.anchored.is_match(text)
    }

    /// Whether this is the default regex `(.*)`, which `keepequal` and `dropequal` require.
    pub fn is_default(&self) -> bool {
        self.source == DEFAULT_REGEX
    }
}

impl Default for Regex {
    /// Prometheus' default, `(.*)`.
    fn default() -> Regex {
        DEFAULT_COMPILED.clone()
    }
}

impl PartialEq for Regex {
    /// Regexes are equal when written alike: the compiled form follows from the text.
    fn eq(&self, other: &Regex) -> bool {
        self.source == other.source
    }
}

impl Eq for Regex {}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regex").field(&self.source).finish()
    }
}

impl fmt::Display for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// One relabeling step, as written in `relabel_configs` / `metric_relabel_configs`.
///
/// Deserialising (YAML as in `prometheus.yml`, or TOML) fills in Prometheus' defaults — separator
/// `;`, regex `(.*)`, replacement `$1`, action `replace` — and validates as Prometheus does on
/// load. A config built in code should go through [`RelabelConfig::validate`]; [`relabel`] does
/// not re-check, and never panics on an unvalidated config either.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawRelabelConfig")]
pub struct RelabelConfig {
    /// Labels whose values are joined, in this order, with `separator`; a missing label
    /// contributes `""`.
    pub source_labels: Vec<String>,
    /// What goes between joined source values.
    pub separator: String,
    /// Matched against the joined source values (or, for `labelmap`, `labeldrop` and
    /// `labelkeep`, against each label name).
    pub regex: Regex,
    /// The divisor of `hashmod`.
    pub modulus: u64,
    /// The label written (`replace`: a template over `regex`'s groups) or compared.
    pub target_label: String,
    /// The template of the value written by `replace`, or of the name by `labelmap`.
    pub replacement: String,
    /// What the step does.
    pub action: RelabelAction,
}

impl Default for RelabelConfig {
    /// Prometheus' defaults: a `replace` of `(.*)` by `$1`, joined with `;` — which still needs a
    /// `target_label` to be valid.
    fn default() -> RelabelConfig {
        RelabelConfig {
            source_labels: Vec::new(),
            separator: DEFAULT_SEPARATOR.to_string(),
            regex: Regex::default(),
            modulus: 0,
            target_label: String::new(),
            replacement: DEFAULT_REPLACEMENT.to_string(),
            action: RelabelAction::Replace,
        }
    }
}

/// `target_label` of `replace`, and `replacement` of `labelmap`, when they hold templates: label
/// name characters and `$name` / `${name}` references, not starting with a digit. This is
/// Prometheus' check under legacy names, with Go's ASCII `\w` spelled out.
static LABEL_NAME_TEMPLATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(?:(?:[a-zA-Z_]|\$(?:\{[0-9A-Za-z_]+\}|[0-9A-Za-z_]+))+[0-9A-Za-z_]*)+$")
        .expect("the label name template pattern compiles")
});

impl RelabelConfig {
    /// Checks the config as Prometheus does when it loads one, in Prometheus' order.
    ///
    /// `keepequal` / `dropequal` refuse a `regex` other than the default here; on load they also
    /// refuse `regex` written out at all (even as `(.*)`), as Prometheus does.
    pub fn validate(&self) -> Result<(), RelabelError> {
        check_source_labels(&self.source_labels)?;
        self.check(!self.regex.is_default(), !self.source_labels.is_empty())
    }

    /// [`validate`](Self::validate), told whether `regex` and `source_labels` were given, which
    /// is what Prometheus compares against its defaults.
    fn check(&self, regex_given: bool, source_labels_given: bool) -> Result<(), RelabelError> {
        let action = self.action;
        let target = self.target_label.as_str();
        let invalid_target = || RelabelError::InvalidTargetLabel {
            target_label: target.to_string(),
            action,
        };
        if action == RelabelAction::HashMod && self.modulus == 0 {
            return Err(RelabelError::ZeroModulus);
        }
        if action.needs_target_label() && target.is_empty() {
            return Err(RelabelError::MissingTargetLabel(action));
        }
        if action == RelabelAction::Replace {
            // A template can only be checked for shape; its expansion is checked per label set.
            let valid = if target.contains('$') {
                LABEL_NAME_TEMPLATE.is_match(target)
            } else {
                is_label_name(target)
            };
            if !valid {
                return Err(invalid_target());
            }
        }
        if action.is_case_or_equal() && !is_label_name(target) {
            return Err(invalid_target());
        }
        if action.is_case_or_equal() && self.replacement != DEFAULT_REPLACEMENT {
            return Err(RelabelError::ReplacementNotAllowed(action));
        }
        if action == RelabelAction::LabelMap && !LABEL_NAME_TEMPLATE.is_match(&self.replacement) {
            return Err(RelabelError::InvalidReplacement {
                replacement: self.replacement.clone(),
                action,
            });
        }
        if action == RelabelAction::HashMod && !is_label_name(target) {
            return Err(invalid_target());
        }
        let defaults_kept = self.modulus == 0
            && self.separator == DEFAULT_SEPARATOR
            && self.replacement == DEFAULT_REPLACEMENT;
        if matches!(action, RelabelAction::KeepEqual | RelabelAction::DropEqual)
            && (regex_given || !defaults_kept)
        {
            return Err(RelabelError::OnlySourceAndTargetLabels(action));
        }
        if matches!(action, RelabelAction::LabelDrop | RelabelAction::LabelKeep)
            && (source_labels_given || !target.is_empty() || !defaults_kept)
        {
            return Err(RelabelError::OnlyRegex(action));
        }
        Ok(())
    }

    /// Applies this one step to `labels`; false when it drops the label set. [`relabel`] is the
    /// entry point: it also removes empty-valued labels first, as Prometheus does.
    pub fn apply(&self, labels: &mut Labels) -> bool {
        match self.action {
            RelabelAction::Keep => self.regex.is_match(&self.joined_source(labels)),
            RelabelAction::Drop => !self.regex.is_match(&self.joined_source(labels)),
            RelabelAction::KeepEqual => {
                self.joined_source(labels) == value_of(labels, &self.target_label)
            }
            RelabelAction::DropEqual => {
                self.joined_source(labels) != value_of(labels, &self.target_label)
            }
            RelabelAction::Replace => {
                self.replace(labels);
                true
            }
            RelabelAction::Lowercase => {
                let value = go_lowercase(&self.joined_source(labels));
                set_label(labels, &self.target_label, value);
                true
            }
            RelabelAction::Uppercase => {
                let value = go_uppercase(&self.joined_source(labels));
                set_label(labels, &self.target_label, value);
                true
            }
            RelabelAction::HashMod => {
                let digest = Md5::digest(self.joined_source(labels).as_bytes());
                let mut tail = [0; 8];
                tail.copy_from_slice(&digest[8..]);
                // Prometheus takes the last 8 bytes, big-endian, to keep the shards that
                // earlier versions of its code assigned. A zero modulus (only possible in an
                // unvalidated config) leaves the set unchanged instead of dividing by zero.
                if let Some(shard) = u64::from_be_bytes(tail).checked_rem(self.modulus) {
                    set_label(labels, &self.target_label, shard.to_string());
                }
                true
            }
            RelabelAction::LabelMap => {
                // Prometheus reads every label before writing any: a label written by this step
                // is not itself mapped, and names colliding resolve in label-name order.
                let mut mapped = Vec::new();
                for (name, value) in labels.iter() {
                    if let Some(captures) = self.regex.anchored.captures(name) {
                        let mut new_name = String::new();
                        expand(&self.replacement, &captures, &mut new_name);
                        mapped.push((new_name, value.clone()));
                    }
                }
                for (name, value) in mapped {
                    set_label(labels, &name, value);
                }
                true
            }
            RelabelAction::LabelDrop => {
                labels.retain(|name, _| !self.regex.is_match(name));
                true
            }
            RelabelAction::LabelKeep => {
                labels.retain(|name, _| self.regex.is_match(name));
                true
            }
        }
    }

    /// The `replace` action: when `regex` matches, expands `target_label` and `replacement` from
    /// its groups; an expanded name that is not a valid label name changes nothing, an empty
    /// value deletes the label.
    fn replace(&self, labels: &mut Labels) {
        let joined = self.joined_source(labels);
        if !self.target_label.contains('$') && !self.replacement.contains('$') {
            // A fixed label pair (`target_label: cluster`, `replacement: eu`): no groups needed,
            // and a match test is cheaper than capturing them.
            if self.regex.is_match(&joined) && is_label_name(&self.target_label) {
                set_label(labels, &self.target_label, self.replacement.clone());
            }
            return;
        }
        let Some(captures) = self.regex.anchored.captures(&joined) else {
            return;
        };
        let target: Cow<'_, str> = if self.target_label.contains('$') {
            let mut target = String::new();
            expand(&self.target_label, &captures, &mut target);
            Cow::Owned(target)
        } else {
            Cow::Borrowed(&self.target_label)
        };
        if !is_label_name(&target) {
            return;
        }
        let mut value = String::new();
        expand(&self.replacement, &captures, &mut value);
        set_label(labels, &target, value);
    }

    /// The source labels' values joined with `separator`, built once per step and only when
    /// there is more than one source label.
    fn joined_source<'a>(&self, labels: &'a Labels) -> Cow<'a, str> {
        match self.source_labels.as_slice() {
            [] => Cow::Borrowed(""),
            [only] => Cow::Borrowed(value_of(labels, only)),
            [first, rest @ ..] => {
                let mut joined = value_of(labels, first).to_string();
                for name in rest {
                    joined.push_str(&self.separator);
                    joined.push_str(value_of(labels, name));
                }
                Cow::Owned(joined)
            }
        }
    }
}

/// Applies `configs` in order to `labels`; false when the label set is dropped (`labels` is then
/// as the steps before the dropping one left it, and should be discarded).
///
/// Labels with an empty value are removed first: Prometheus treats an empty value as a missing
/// label. `__`-prefixed labels are kept; the scraper removes them after target relabeling.
pub fn relabel(labels: &mut Labels, configs: &[RelabelConfig]) -> bool {
    labels.retain(|_, value| !value.is_empty());
    configs.iter().all(|config| config.apply(labels))
}

/// Source label names must be label names: Prometheus reads them as such.
fn check_source_labels(names: &[String]) -> Result<(), RelabelError> {
    match names.iter().find(|name| !is_label_name(name)) {
        Some(name) => Err(RelabelError::InvalidSourceLabel(name.clone())),
        None => Ok(()),
    }
}

/// A label's value, `""` when it is missing.
fn value_of<'a>(labels: &'a Labels, name: &str) -> &'a str {
    labels.get(name).map_or("", String::as_str)
}

/// Sets a label as Prometheus' label builder does: an empty value deletes it. The name is
/// copied only when the label is new.
fn set_label(labels: &mut Labels, name: &str, value: String) {
    if value.is_empty() {
        labels.remove(name);
    } else if let Some(slot) = labels.get_mut(name) {
        *slot = value;
    } else {
        labels.insert(name.to_string(), value);
    }
}

/// The raw form of a [`RelabelConfig`] as written, before defaults and validation. `Option`s tell
/// a field left out (the default) from one given as YAML `null` (Go's zero value, e.g. an empty
/// separator), as Prometheus' YAML decoder does.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelabelConfig {
    #[serde(default)]
    source_labels: Option<Vec<String>>,
    #[serde(default = "default_separator")]
    separator: Option<String>,
    #[serde(default, deserialize_with = "given")]
    regex: Option<Option<String>>,
    #[serde(default)]
    modulus: Option<u64>,
    #[serde(default)]
    target_label: Option<String>,
    #[serde(default = "default_replacement")]
    replacement: Option<String>,
    #[serde(default = "default_action")]
    action: Option<String>,
}

/// `separator` when left out.
fn default_separator() -> Option<String> {
    Some(DEFAULT_SEPARATOR.to_string())
}

/// `replacement` when left out.
fn default_replacement() -> Option<String> {
    Some(DEFAULT_REPLACEMENT.to_string())
}

/// `action` when left out.
fn default_action() -> Option<String> {
    Some(RelabelAction::Replace.as_str().to_string())
}

/// Marks a field as given, `null` included (`Some(None)`); a missing one takes the default `None`.
fn given<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

impl TryFrom<RawRelabelConfig> for RelabelConfig {
    type Error = RelabelError;

    fn try_from(raw: RawRelabelConfig) -> Result<RelabelConfig, RelabelError> {
        let action = raw.action.as_deref().map(str::parse).transpose()?;
        let regex = match &raw.regex {
            None => Regex::default(),
            // `regex: null` compiles as the empty regex (matching only ""), as in Prometheus.
            Some(given) => Regex::new(given.as_deref().unwrap_or(""))?,
        };
        check_source_labels(raw.source_labels.as_deref().unwrap_or_default())?;
        let Some(action) = action else {
            return Err(RelabelError::EmptyAction);
        };
        let source_labels_given = raw.source_labels.is_some();
        let config = RelabelConfig {
            source_labels: raw.source_labels.unwrap_or_default(),
            separator: raw.separator.unwrap_or_default(),
            regex,
            modulus: raw.modulus.unwrap_or_default(),
            target_label: raw.target_label.unwrap_or_default(),
            replacement: raw.replacement.unwrap_or_default(),
            action,
        };
        config.check(raw.regex.is_some(), source_labels_given)?;
        Ok(config)
    }
}

/// Appends `template` expanded with `captures` to `out`, as Go's `Regexp.Expand`: `$$` is `$`;
/// `$name` and `${name}` take the longest run of letters, digits and `_` as the name; a name of
/// ASCII digits without a leading zero is a group number, any other a group name; a group that
/// does not exist or did not take part expands to nothing; a `$` not followed by a valid
/// reference is kept as it is.
fn expand(template: &str, captures: &regex::Captures<'_>, out: &mut String) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let Some((name, after)) = template_reference(rest) else {
            out.push('$');
            continue;
        };
        rest = after;
        let group = match group_number(name) {
            Some(number) => captures.get(number),
            None => captures.name(name),
        };
        if let Some(group) = group {
            out.push_str(group.as_str());
        }
    }
    out.push_str(rest);
}

/// The reference at the start of `text` (just after a `$`), and the text after it.
fn template_reference(text: &str) -> Option<(&str, &str)> {
    let (body, braced) = match text.strip_prefix('{') {
        Some(body) => (body, true),
        None => (text, false),
    };
    let end = body
        .char_indices()
        .find(|&(_, c)| !is_template_name_char(c))
        .map_or(body.len(), |(index, _)| index);
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    if braced {
        body[end..].strip_prefix('}').map(|after| (name, after))
    } else {
        Some((name, &body[end..]))
    }
}

/// A reference's group number: ASCII digits without a leading zero. Go gives up on numbers from
/// 10^8 up, reading them as names; no group has such a number or name, so they expand to nothing
/// either way.
fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    Some(name.parse().unwrap_or(usize::MAX))
}

/// Unicode letters and decimal digits (Go's `unicode.IsLetter` / `IsDigit`), for the rare
/// non-ASCII character in a template name.
static LETTER_OR_DIGIT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^[\p{L}\p{Nd}]$").expect("the letter-or-digit pattern compiles")
});

/// Whether `c` may be part of a template reference's name.
fn is_template_name_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        LETTER_OR_DIGIT.is_match(c.encode_utf8(&mut [0; 4]))
    }
}

/// Go's `strings.ToLower`: each character by its simple lower-case mapping.
fn go_lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().map(simple_lowercase).collect()
}

/// Go's `strings.ToUpper`: each character by its simple upper-case mapping.
fn go_uppercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    text.chars().map(simple_uppercase).collect()
}

/// A character's simple lower-case mapping. Rust gives the full mapping, which differs only
/// where it has more than one character — in Unicode, only `İ` (U+0130) → `i̇`, whose simple
/// mapping is the first of them.
fn simple_lowercase(c: char) -> char {
    let mut lower = c.to_lowercase();
    lower.next().unwrap_or(c)
}

/// A character's simple upper-case mapping. Where Rust's full mapping has more than one
/// character (`ß` → `SS`), the simple mapping is the character itself, except for the Greek
/// letters with ypogegrammeni, which map to their title-case forms.
fn simple_uppercase(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(single), None) => single,
        _ => {
            let offset = match u32::from(c) {
                0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => 8,
                0x1FB3 | 0x1FC3 | 0x1FF3 => 9,
                _ => 0,
            };
            char::from_u32(u32::from(c) + offset).unwrap_or(c)
        }
    }
}

/// A regex error on one line, for config errors: the `regex` crate draws the pattern and a caret
/// over several lines, then states the error on a line of its own, which is what is kept.
fn one_line(error: &regex::Error) -> String {
    let text = error.to_string();
    let stated: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("error: "))
        .collect();
    if stated.is_empty() {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        stated.join("; ")
    }
}

/// Compiles a pattern already in the `regex` crate's syntax.
fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        // Go reads `\0`, `\12`, `\101` as octal escapes; the `regex` crate only when asked.
        .octal(true)
        .build()
}

/// Rewrites a regex in Go's RE2 syntax into the `regex` crate's syntax with the same meaning:
/// ASCII-only `\d \D \w \W \s \S \b \B`; `\<`, `\>` as literals; `\Q…\E` quoted; `[`, `&`, `~` and
/// a second `-` inside a class as literals (the `regex` crate nests classes and has set
/// operators); `{` and `}` that do not form a counted repetition as literals. Everything else is
/// the same in both and is copied as it is; what Go would reject is left for the `regex` crate
/// to judge.
fn rust_syntax(go: &str) -> Cow<'_, str> {
    if !go.contains(['\\', '[', '{', '}']) {
        return Cow::Borrowed(go);
    }
    let mut out = String::with_capacity(go.len() + 16);
    let mut rest = go;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => rest = escape(rest, false, &mut out),
            '[' => rest = class(rest, &mut out),
            '{' => match counted_repetition(rest) {
                Some(length) => {
                    out.push('{');
                    out.push_str(&rest[..length]);
                    rest = &rest[length..];
                }
                None => out.push_str(r"\{"),
            },
            '}' => out.push_str(r"\}"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Translates the escape after a `\` (inside a class when `in_class`); returns the rest.
fn escape<'a>(rest: &'a str, in_class: bool, out: &mut String) -> &'a str {
    let Some(c) = rest.chars().next() else {
        // A trailing backslash: invalid in both dialects.
        out.push('\\');
        return rest;
    };
    let after = &rest[c.len_utf8()..];
    let perl_class = match c {
        'd' => Some("[0-9]"),
        'D' => Some("[^0-9]"),
        'w' => Some("[0-9A-Za-z_]"),
        'W' => Some("[^0-9A-Za-z_]"),
        's' => Some(r"[\t\n\x0C\r ]"),
        'S' => Some(r"[^\t\n\x0C\r ]"),
        _ => None,
    };
    if let Some(ascii) = perl_class {
        // A nested class is a union inside a class, so the same text serves in both places.
        out.push_str(ascii);
        return after;
    }
    match c {
        'b' | 'B' if !in_class => {
            out.push_str("(?-u:\\");
            out.push(c);
            out.push(')');
            after
        }
        '<' | '>' => {
            out.push(c);
            after
        }
        'Q' if !in_class => {
            let (literal, after) = after.split_once(r"\E").unwrap_or((after, ""));
            out.push_str(&regex::escape(literal));
            after
        }
        'p' | 'P' | 'x' if after.starts_with('{') => {
            let end = after.find('}').map_or(after.len(), |index| index + 1);
            out.push('\\');
            out.push(c);
            out.push_str(&after[..end]);
            &after[end..]
        }
        _ => {
            out.push('\\');
            out.push(c);
            after
        }
    }
}

/// Translates a bracketed class whose `[` was just read; returns the text after its `]`.
fn class<'a>(rest: &'a str, out: &mut String) -> &'a str {
    out.push('[');
    let mut rest = rest;
    if let Some(after) = rest.strip_prefix('^') {
        out.push('^');
        rest = after;
    }
    // A `]` first in the class is a literal.
    if let Some(after) = rest.strip_prefix(']') {
        out.push_str(r"\]");
        rest = after;
    }
    let mut after_dash = false;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        let mut dash = false;
        match c {
            ']' => {
                out.push(']');
                return rest;
            }
            // `[:name:]`, as Go recognises it: `[:` with a `:]` somewhere after.
            '[' if rest.starts_with(':') && rest[1..].contains(":]") => {
                let end = rest[1..].find(":]").map_or(rest.len(), |index| index + 3);
                out.push('[');
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '[' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '-' if after_dash => out.push_str(r"\-"),
            '-' => {
                out.push('-');
                dash = true;
            }
            '\\' => rest = escape(rest, true, out),
            _ => out.push(c),
        }
        after_dash = dash;
    }
    // Unterminated: invalid in both dialects.
    rest
}

/// The length of a counted repetition's body after its `{` — `n}`, `n,}` or `n,m}`, numbers
/// without leading zeros — or `None` when Go reads the `{` as a literal.
fn counted_repetition(text: &str) -> Option<usize> {
    let number = |text: &str| -> Option<usize> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0 && !(digits > 1 && text.starts_with('0'))).then_some(digits)
    };
    let mut length = number(text)?;
    if text[length..].starts_with(',') {
        length += 1;
        if !text[length..].starts_with('}') {
            length += number(&text[length..])?;
        }
    }
    text[length..].starts_with('}').then_some(length + 1)
}
