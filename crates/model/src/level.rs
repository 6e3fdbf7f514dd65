//! Log levels and their normalisation.

use std::fmt;

/// A normalised log level. Every stored log record carries one of these, written in upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Finest-grained diagnostics.
    Trace,
    /// Diagnostics for developers.
    Debug,
    /// Normal operation.
    Info,
    /// Something unexpected that the service survived.
    Warn,
    /// A failed operation.
    Error,
    /// The service (or a major part of it) cannot continue.
    Fatal,
}

/// The error for a level name that no normalisation rule recognises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown log level {0:?}; expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (or a common alias such as warning, err, critical)"
)]
pub struct ParseLevelError(pub String);

impl Level {
    /// All levels, from least to most severe.
    pub const ALL: [Level; 6] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
    ];

    /// The canonical upper-case name stored and returned by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Fatal => "FATAL",
        }
    }

    /// Normalises a level as written by common logging libraries and syslog.
    ///
    /// Matching is case-insensitive and ignores surrounding whitespace. Syslog's `notice` counts as
    /// INFO and `crit`/`alert`/`emerg` as FATAL, so that agents forwarding syslog need no mapping.
    pub fn normalise(raw: &str) -> Result<Level, ParseLevelError> {
        let lower = raw.trim().to_ascii_lowercase();
        let level = match lower.as_str() {
            "trace" | "trc" | "finest" | "verbose" => Level::Trace,
            "debug" | "dbg" | "fine" => Level::Debug,
            "info" | "inf" | "information" | "informational" | "notice" => Level::Info,
            "warn" | "warning" | "wrn" => Level::Warn,
            "error" | "err" | "eror" | "severe" => Level::Error,
            "fatal" | "critical" | "crit" | "alert" | "emerg" | "emergency" | "panic" => {
                Level::Fatal
            }
            _ => return Err(ParseLevelError(raw.to_string())),
        };
        Ok(level)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_aliases() {
        assert_eq!(Level::normalise("warning"), Ok(Level::Warn));
        assert_eq!(Level::normalise(" Error "), Ok(Level::Error));
        assert_eq!(Level::normalise("CRITICAL"), Ok(Level::Fatal));
        assert_eq!(Level::normalise("notice"), Ok(Level::Info));
        assert!(Level::normalise("loud").is_err());
    }

    #[test]
    fn canonical_names_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::normalise(level.as_str()), Ok(level));
        }
    }
}
