//! Client settings the server applies: per-rule severity (or `off`) and inlay hints on/off,
//! from `initializationOptions` and `workspace/didChangeConfiguration`. Unknown keys and bad
//! values are ignored (and reported), never fatal.

use std::collections::HashMap;

use serde_json::Value;

use crate::rules::{self, Severity};

/// The section name clients nest settings under (`{"http-status-ls": {...}}`).
pub const SECTION: &str = "http-status-ls";

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Severity(Severity),
}

/// The settings in force.
#[derive(Clone, Debug)]
pub struct Config {
    pub rules: HashMap<String, Level>,
    pub inlay_hints: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: HashMap::new(),
            inlay_hints: true,
        }
    }
}

impl Config {
    /// Reads settings given either bare or nested under [`SECTION`]; returns the problems met.
    pub fn from_value(value: &Value) -> (Config, Vec<String>) {
        let value = value.get(SECTION).unwrap_or(value);
        let mut config = Config::default();
        let mut problems = Vec::new();
        if let Some(rules_value) = value.get("rules").and_then(Value::as_object) {
            for (id, level) in rules_value {
                if rules::meta(id).is_none() {
                    problems.push(format!("http-status-ls: unknown rule `{id}` in settings"));
                    continue;
                }
                let level = match level.as_str() {
                    Some("off") => Level::Off,
                    Some("error") => Level::Severity(Severity::Error),
                    Some("warning") => Level::Severity(Severity::Warning),
                    Some("info") => Level::Severity(Severity::Info),
                    Some("hint") => Level::Severity(Severity::Hint),
                    _ => {
                        problems.push(format!(
                            "http-status-ls: `{id}`: expected off, error, warning, info or hint, got {level}"
                        ));
                        continue;
                    }
                };
                config.rules.insert(id.clone(), level);
            }
        }
        if let Some(enable) = value
            .get("inlayHints")
            .and_then(|hints| hints.get("enable"))
            .and_then(Value::as_bool)
        {
            config.inlay_hints = enable;
        }
        (config, problems)
    }

    /// The severity a finding of `rule` is reported with; `None` when the rule is off.
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(rule) {
            Some(Level::Off) => None,
            Some(Level::Severity(severity)) => Some(*severity),
            None => Some(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_or_bare() {
        let (config, problems) = Config::from_value(&json!({
            "http-status-ls": {
                "rules": {"redirect-changes-method": "error", "invalid-status-code": "off", "nope": "error"},
                "inlayHints": {"enable": false}
            }
        }));
        assert_eq!(
            config.severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            config.severity("invalid-status-code", Severity::Error),
            None
        );
        assert!(!config.inlay_hints);
        assert_eq!(problems.len(), 1);
        let (bare, _) = Config::from_value(&json!({"rules": {"redirect-changes-method": "hint"}}));
        assert_eq!(
            bare.severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Hint)
        );
    }
}
