//! Reading one `http-status-ls.toml`: parse with spans, then validate key by key, so that one
//! bad key is reported with its line and column and the rest of the file still applies.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{FILE_NAME, Level, Problem, RuleSelection, Settings};
use hsl_rules as rules;
use hsl_tables::FrameworkOverrides;
use hsl_tables::Tables;

/// The top-level keys, in the order the messages list them.
pub const TOP_LEVEL_KEYS: &[&str] = &["rules", "include", "exclude", "frameworks", "inlay-hints"];

/// Parses the text of a config file at `path` (whose directory anchors the globs). Never
/// fails: problems are returned beside whatever settings were valid (the defaults when the text
/// is not TOML at all).
pub fn parse(path: &Path, text: &str) -> (Settings, Vec<Problem>) {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut reader = Reader {
        path,
        text,
        problems: Vec::new(),
    };
    let mut settings = Settings::default();
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(err) => {
            let at = err.span().map_or(0, |span| span.start);
            let message = err.message().trim().replace('\n', "; ");
            reader.problem(
                at,
                format!("{FILE_NAME} is not valid TOML: {message}; using the defaults"),
            );
            return (settings, reader.problems);
        }
    };
    let mut entries: Vec<(&Spanned<std::borrow::Cow<'_, str>>, &Spanned<DeValue<'_>>)> =
        table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in entries {
        match key.get_ref().as_ref() {
            "rules" => settings.rules = reader.rules(value),
            "include" => settings.include = reader.globs(&dir, "include", value),
            "exclude" => settings.exclude = reader.globs(&dir, "exclude", value),
            "frameworks" => settings.frameworks = reader.frameworks(value),
            "inlay-hints" => settings.inlay_hints = reader.boolean("inlay-hints", value),
            other => {
                let message = format!(
                    "unknown key `{other}` in {FILE_NAME}; expected one of: {}{}",
                    TOP_LEVEL_KEYS.join(", "),
                    suggestion(other, TOP_LEVEL_KEYS.iter().copied())
                );
                reader.problem(key.span().start, message);
            }
        }
    }
    (settings, reader.problems)
}

/// Collects problems with their positions.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        let (line, column) = line_col(self.text, offset);
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        });
    }

    /// `[rules]`: rule id → level.
    fn rules(&mut self, value: &Spanned<DeValue<'_>>) -> RuleSelection {
        let mut selection = RuleSelection::default();
        let Some(table) = self.table("rules", value) else {
            return selection;
        };
        let ids: Vec<&str> = rules::RULES.iter().map(|(meta, _)| meta.id).collect();
        for (key, level) in sorted(table) {
            let id = key.get_ref().as_ref();
            if !rules::is_configurable(id) {
                let message = format!(
                    "unknown rule `{id}` in [rules]{}; expected one of: {}",
                    suggestion(id, ids.iter().copied()),
                    ids.join(", ")
                );
                self.problem(key.span().start, message);
                continue;
            }
            let parsed = match level.get_ref() {
                DeValue::String(name) => Level::parse(name).ok_or_else(|| {
                    format!(
                        "invalid level \"{name}\" for rule `{id}`; expected one of: {}{}",
                        Level::CHOICES.join(", "),
                        suggestion(name, Level::CHOICES.iter().copied())
                    )
                }),
                other => Err(format!(
                    "the level of rule `{id}` must be a string, found {}; expected one of: {}",
                    type_name(other),
                    Level::CHOICES.join(", ")
                )),
            };
            match parsed {
                Ok(parsed) => selection.set(id, parsed),
                Err(message) => self.problem(level.span().start, message),
            }
        }
        selection
    }

    /// `include` / `exclude`: gitignore-style globs relative to the config's directory. A bad
    /// glob is reported and skipped; the others still apply.
    fn globs(&mut self, dir: &Path, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Gitignore> {
        let DeValue::Array(items) = value.get_ref() else {
            let message = format!(
                "`{key}` must be an array of glob strings, found {}",
                type_name(value.get_ref())
            );
            self.problem(value.span().start, message);
            return None;
        };
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        for item in items {
            let DeValue::String(glob) = item.get_ref() else {
                let message = format!(
                    "`{key}` entries must be glob strings, found {}",
                    type_name(item.get_ref())
                );
                self.problem(item.span().start, message);
                continue;
            };
            // Validate each glob alone so that one bad glob does not discard the others.
            let mut alone = GitignoreBuilder::new(dir);
            let checked = alone
                .add_line(None, glob)
                .map_err(|err| err.to_string())
                .and_then(|b| b.build().map(|_| ()).map_err(|err| err.to_string()));
            if let Err(err) = checked {
                let message = format!("invalid glob \"{glob}\" in `{key}`: {err}");
                self.problem(item.span().start, message);
                continue;
            }
            if builder.add_line(None, glob).is_ok() {
                any = true;
            }
        }
        if !any {
            return None;
        }
        builder.build().ok()
    }

    /// `[frameworks]`: table id → bool.
    fn frameworks(&mut self, value: &Spanned<DeValue<'_>>) -> FrameworkOverrides {
        let mut overrides = FrameworkOverrides::default();
        let Some(table) = self.table("frameworks", value) else {
            return overrides;
        };
        let ids: Vec<&str> = Tables::get()
            .frameworks
            .iter()
            .map(|framework| framework.id.as_str())
            .collect();
        for (key, on) in sorted(table) {
            let id = key.get_ref().as_ref();
            if !ids.contains(&id) {
                let message = format!(
                    "unknown framework `{id}` in [frameworks]{}; expected one of: {}",
                    suggestion(id, ids.iter().copied()),
                    ids.join(", ")
                );
                self.problem(key.span().start, message);
                continue;
            }
            let label = format!("frameworks.{id}");
            if let Some(on) = self.boolean(&label, on) {
                overrides.frameworks.insert(id.to_string(), on);
            }
        }
        overrides
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(on) => Some(*on),
            other => {
                let message = format!("`{key}` must be true or false, found {}", type_name(other));
                self.problem(value.span().start, message);
                None
            }
        }
    }

    fn table<'v, 'i>(
        &mut self,
        key: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                let message = format!("`{key}` must be a table, found {}", type_name(other));
                self.problem(value.span().start, message);
                None
            }
        }
    }
}

/// A table's entries in source order (the map itself is sorted by key).
fn sorted<'v, 'i>(
    table: &'v DeTable<'i>,
) -> Vec<(
    &'v Spanned<std::borrow::Cow<'i, str>>,
    &'v Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn type_name(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("the string \"{text}\""),
        DeValue::Integer(_) => "an integer".to_string(),
        DeValue::Float(_) => "a float".to_string(),
        DeValue::Boolean(on) => format!("`{on}`"),
        DeValue::Datetime(_) => "a date-time".to_string(),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    (line, column)
}

/// ` (did you mean `x`?)` for the nearest choice within a small edit distance, else nothing.
pub fn suggestion<'c>(given: &str, choices: impl Iterator<Item = &'c str>) -> String {
    let choices: Vec<&str> = choices.collect();
    // An abbreviation (`warn` for `warning`) is a good guess whatever its distance.
    let prefixed = choices.iter().find(|choice| {
        given.chars().count() >= 3 && choice.starts_with(given) && **choice != given
    });
    let best = choices
        .iter()
        .map(|choice| (distance(given, choice), *choice))
        .min_by_key(|(d, _)| *d);
    match (prefixed, best) {
        (Some(choice), _) => format!(" (did you mean `{choice}`?)"),
        (None, Some((d, choice))) if d > 0 && d <= (given.chars().count() / 3).max(2) => {
            format!(" (did you mean `{choice}`?)")
        }
        _ => String::new(),
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_rules::Severity;
    use std::path::PathBuf;

    fn read(text: &str) -> (Settings, Vec<Problem>) {
        parse(&PathBuf::from("/project/http-status-ls.toml"), text)
    }

    #[test]
    fn valid_file_applies_everything() {
        let (settings, problems) = read(
            "include = [\"src/\"]\nexclude = [\"src/generated/\"]\ninlay-hints = false\n\n[rules]\nredirect-changes-method = \"error\"\nbody-on-bodiless-status = \"off\"\nnumeric-status-literal = \"hint\"\n\n[frameworks]\nexpress = true\nkoa = false\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings
                .rules
                .severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            settings
                .rules
                .severity("body-on-bodiless-status", Severity::Error),
            None
        );
        let numeric = rules::meta("numeric-status-literal").expect("rule");
        assert!(
            settings.rules.enabled(numeric),
            "a level enables an opt-in rule"
        );
        assert_eq!(settings.inlay_hints, Some(false));
        assert_eq!(settings.frameworks.frameworks.get("express"), Some(&true));
        assert!(settings.frameworks.is_off("koa"));
        assert!(settings.include.is_some() && settings.exclude.is_some());
    }

    #[test]
    fn unknown_top_level_key_with_suggestion_and_the_rest_applies() {
        let (settings, problems) =
            read("[rulez]\nx = 1\n\n[rules]\nredirect-changes-method = \"off\"\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 2));
        assert_eq!(
            problems[0].message,
            "unknown key `rulez` in http-status-ls.toml; expected one of: rules, include, exclude, frameworks, inlay-hints (did you mean `rules`?)"
        );
        assert_eq!(
            settings
                .rules
                .severity("redirect-changes-method", Severity::Warning),
            None
        );
    }

    #[test]
    fn bad_level_is_reported_at_the_value() {
        let (settings, problems) = read(
            "[rules]\nredirect-changes-method = \"warn\"\nbody-on-bodiless-status = \"info\"\ninvalid-status-code = 3\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (2, 27));
        assert!(
            problems[0]
                .message
                .contains("expected one of: error, warning, info, hint, off")
                && problems[0].message.contains("did you mean `warning`?"),
            "{}",
            problems[0].message
        );
        assert_eq!(problems[1].line, 4);
        assert!(
            problems[1]
                .message
                .contains("must be a string, found an integer")
        );
        assert_eq!(
            settings
                .rules
                .severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Warning),
            "a bad level leaves the default"
        );
        assert_eq!(
            settings
                .rules
                .severity("body-on-bodiless-status", Severity::Error),
            Some(Severity::Info)
        );
    }

    #[test]
    fn unknown_rule_id_suggests_the_nearest() {
        let (_, problems) = read("[rules]\nredirect-change-method = \"error\"\n");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (2, 1));
        assert!(
            problems[0]
                .message
                .starts_with("unknown rule `redirect-change-method` in [rules] (did you mean `redirect-changes-method`?); expected one of: "),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn bad_glob_is_reported_and_the_others_apply() {
        let (settings, problems) = read("exclude = [\"gen/\", \"src/{a\", 7]\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 20));
        assert!(
            problems[0]
                .message
                .starts_with("invalid glob \"src/{a\" in `exclude`: ")
        );
        assert!(
            problems[1]
                .message
                .contains("must be glob strings, found an integer")
        );
        let exclude = settings.exclude.expect("the good glob applies");
        assert!(
            exclude
                .matched_path_or_any_parents("gen/a.ts", false)
                .is_ignore()
        );
    }

    #[test]
    fn invalid_toml_gives_defaults_and_a_position() {
        let (settings, problems) = read("[rules]\nredirect-changes-method = \"error\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        assert!(problems[0].message.contains("is not valid TOML"));
        assert_eq!(settings.rules, RuleSelection::default());
        assert!(settings.include.is_none() && settings.exclude.is_none());
    }

    #[test]
    fn wrong_type_for_inlay_hints() {
        let (settings, problems) = read("inlay-hints = \"no\"\nrules = 1\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 15));
        assert_eq!(
            problems[0].message,
            "`inlay-hints` must be true or false, found the string \"no\""
        );
        assert_eq!(
            problems[1].message,
            "`rules` must be a table, found an integer"
        );
        assert_eq!(settings.inlay_hints, None);
    }

    #[test]
    fn unknown_framework_and_bad_framework_value() {
        let (settings, problems) =
            read("[frameworks]\nexpres = true\nkoa = \"yes\"\nhono = false\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("(did you mean `express`?)"));
        assert_eq!(problems[1].line, 3);
        assert!(settings.frameworks.is_off("hono"));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é = 1\nabc", 8), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
