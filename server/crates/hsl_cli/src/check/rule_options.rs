//! `--select` and `--ignore`: rule ids from the command line, over each file's config.

use hsl_config::{Level, RuleSelection, configurable_ids, suggestion};
use hsl_rules as rules;

/// The rule ids named with `--select` and `--ignore`, checked.
pub struct RuleOptions {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
}

impl RuleOptions {
    /// Checks every id; an unknown one is an error naming the nearest id, as a rule would
    /// otherwise silently not run (or run when it should not).
    pub fn new(select: &[String], ignore: &[String]) -> Result<RuleOptions, String> {
        for (option, ids) in [("--select", select), ("--ignore", ignore)] {
            for id in ids {
                if !rules::is_configurable(id) {
                    return Err(format!(
                        "unknown rule `{id}` in {option}{}; expected one of: {}",
                        suggestion(id, configurable_ids()),
                        configurable_ids().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        Ok(RuleOptions {
            select: (!select.is_empty()).then(|| select.to_vec()),
            ignore: ignore.to_vec(),
        })
    }

    /// A file's rule selection with the command line on top: `--select` keeps only its rules
    /// (turning them on), then `--ignore` turns its rules off.
    pub fn apply(&self, selection: &mut RuleSelection) {
        if let Some(select) = &self.select {
            selection.select_from_command_line(select);
        }
        for id in &self.ignore {
            selection.set(id, Level::Off);
        }
    }
}
