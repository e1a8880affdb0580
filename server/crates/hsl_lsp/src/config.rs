//! Client settings the server applies: per-rule severity (or `off`) and inlay hints on/off,
//! from `initializationOptions` and `workspace/didChangeConfiguration`, over the
//! `http-status-ls.toml` of each document. Unknown keys and bad values are ignored (and
//! reported), never fatal.

use serde_json::Value;

use hsl_config::{Level, RuleSelection};
use hsl_rules as rules;

/// The section name clients nest settings under (`{"http-status-ls": {...}}`).
pub const SECTION: &str = "http-status-ls";

/// The client's settings. They override the `http-status-ls.toml` that applies to a document
/// (`hsl_config`): a rule the client names takes the client's level, the others keep the
/// file's; `inlay_hints` is `None` when the client does not say.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub rules: RuleSelection,
    pub inlay_hints: Option<bool>,
}

impl Config {
    /// Reads settings given either bare or nested under [`SECTION`]; returns the problems met.
    pub fn from_value(value: &Value) -> (Config, Vec<String>) {
        let value = value.get(SECTION).unwrap_or(value);
        let mut config = Config::default();
        let mut problems = Vec::new();
        if let Some(rules_value) = value.get("rules").and_then(Value::as_object) {
            for (id, level) in rules_value {
                if !rules::is_configurable(id) {
                    problems.push(format!("http-status-ls: unknown rule `{id}` in settings"));
                    continue;
                }
                let Some(level) = level.as_str().and_then(Level::parse) else {
                    problems.push(format!(
                        "http-status-ls: `{id}`: expected off, error, warning, info or hint, got {level}"
                    ));
                    continue;
                };
                config.rules.set(id, level);
            }
        }
        if let Some(enable) = value
            .get("inlayHints")
            .and_then(|hints| hints.get("enable"))
            .and_then(Value::as_bool)
        {
            config.inlay_hints = Some(enable);
        }
        (config, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_rules::Severity;
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
            config
                .rules
                .severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            config
                .rules
                .severity("invalid-status-code", Severity::Error),
            None
        );
        assert_eq!(config.inlay_hints, Some(false));
        assert_eq!(problems.len(), 1);
        let (bare, _) = Config::from_value(&json!({"rules": {"redirect-changes-method": "hint"}}));
        assert_eq!(
            bare.rules
                .severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Hint)
        );
    }
}
