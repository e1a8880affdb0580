//! Framework detection decided by configuration (`[frameworks]` in `http-status-ls.toml`)
//! rather than by a file's imports.

use std::collections::BTreeMap;

use hsl_facts::Family;

use crate::{Framework, Tables};

/// Framework detection decided by configuration rather than by the file's imports: `true`
/// treats a file as if it imported the framework (a handler module that receives `res` from a
/// router defined elsewhere), `false` ignores the framework in the file (its status sites are
/// not reported). Keys are framework table ids (`express`, `axum`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameworkOverrides {
    /// Table id → forced on (`true`) or off (`false`).
    pub frameworks: BTreeMap<String, bool>,
}

impl FrameworkOverrides {
    /// Whether any framework is forced off (responses then need filtering).
    pub fn turns_any_off(&self) -> bool {
        self.frameworks.values().any(|on| !on)
    }

    /// Whether the table `id` is forced off.
    pub fn is_off(&self, id: &str) -> bool {
        self.frameworks.get(id) == Some(&false)
    }

    /// Adjusts the frameworks an extractor of `family` detected from imports. Forcing a
    /// framework on detects every table of the language that the framework's imports would
    /// (`axum` also brings the `http` crate's `StatusCode` table); forcing it off removes only
    /// that table.
    pub fn apply(&self, detected: &mut Vec<String>, family: Family) {
        if self.frameworks.is_empty() {
            return;
        }
        let tables: Vec<&Framework> = Tables::get().for_language(family).collect();
        for (id, on) in &self.frameworks {
            if !on {
                continue;
            }
            let Some(forced) = tables.iter().find(|table| &table.id == id) else {
                continue;
            };
            for table in &tables {
                let same = &table.id == id
                    || table
                        .detect
                        .imports
                        .iter()
                        .any(|import| forced.detect.imports.contains(import));
                if same && !self.is_off(&table.id) && !detected.contains(&table.id) {
                    detected.push(table.id.clone());
                }
            }
        }
        detected.retain(|id| !self.is_off(id));
    }
}
