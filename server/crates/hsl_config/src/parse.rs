//! Reading one `http-status-ls.toml`: parse with spans, then validate key by key, so that one
//! bad key is reported with its line and column and the rest of the file still applies.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::position::{line_cols, suggestion};
use super::{FILE_NAME, Level, Problem, ProblemSeverity, RuleSelection, Settings};
use hsl_rules::{self as rules, Severity};
use hsl_tables::FrameworkOverrides;
use hsl_tables::Tables;

/// The top-level keys, in the order the messages list them.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "rules",
    "select",
    "ignore",
    "fail-level",
    "include",
    "exclude",
    "extend-exclude",
    "default-excludes",
    "frameworks",
    "inlay-hints",
    "openapi",
];

/// The levels `fail-level` accepts, in the order messages list them.
pub const FAIL_LEVELS: &[&str] = &["error", "warning", "info", "hint"];

/// A severity from its name, for `fail-level` and `--fail-level`.
pub fn fail_level(name: &str) -> Option<Severity> {
    match Level::parse(name) {
        Some(Level::Severity(severity)) => Some(severity),
        _ => None,
    }
}

/// Every id that `[rules]`, `select` and `ignore` may name: the rules, and `unused-ignore`.
pub fn configurable_ids() -> impl Iterator<Item = &'static str> {
    rules::RULES
        .iter()
        .map(|(meta, _)| meta.id)
        .chain([rules::UNUSED_IGNORE])
}

/// Parses the text of a config file at `path` (whose directory anchors the globs). Never
/// fails: problems are returned beside whatever settings were valid (the defaults when the text
/// is not TOML at all).
pub fn parse(path: &Path, text: &str) -> (Settings, Vec<Problem>) {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut reader = Reader {
        path,
        text,
        pending: Vec::new(),
    };
    let mut settings = Settings::default();
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(err) => {
            let at = err.span().map_or(0, |span| span.start);
            let message = err.message().trim().replace('\n', "; ");
            reader.warn(
                at,
                format!("{FILE_NAME} is not valid TOML: {message}; using the defaults"),
            );
            return (settings, reader.finish());
        }
    };
    let expected = TOP_LEVEL_KEYS.join(", ");
    let mut select = None;
    let mut ignore = Vec::new();
    let mut excludes = Vec::new();
    for (key, value) in sorted(&table) {
        match key.get_ref().as_ref() {
            "rules" => settings.rules = reader.rules(value),
            "select" => select = Some(reader.rule_ids("select", value)),
            "ignore" => ignore = reader.rule_ids("ignore", value),
            "fail-level" => settings.fail_level = reader.fail_level(value),
            "include" => settings.include = build(&dir, &reader.globs("include", value)),
            "exclude" | "extend-exclude" => {
                excludes.extend(reader.globs(key.get_ref().as_ref(), value));
            }
            "default-excludes" => {
                settings.default_excludes = reader.boolean_or_error("default-excludes", value);
            }
            "frameworks" => settings.frameworks = reader.frameworks(value),
            "inlay-hints" => settings.inlay_hints = reader.boolean("inlay-hints", value),
            "openapi" => settings.openapi = reader.path("openapi", value).map(|p| dir.join(p)),
            other => {
                let message = format!(
                    "unknown key `{other}` in {FILE_NAME}; expected one of: {expected}{}",
                    suggestion(other, TOP_LEVEL_KEYS.iter().copied())
                );
                reader.warn(key.span().start, message);
            }
        }
    }
    settings.exclude = build(&dir, &excludes);
    // `[rules]` sets levels; `select` and `ignore` then filter, whatever the key order.
    if let Some(select) = select {
        settings.rules.keep_only(&select);
    }
    for id in &ignore {
        settings.rules.set(id, Level::Off);
    }
    (settings, reader.finish())
}

/// A gitignore matcher of already validated lines; `None` without lines.
fn build(dir: &Path, lines: &[String]) -> Option<Gitignore> {
    if lines.is_empty() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(dir);
    builder.allow_unclosed_class(false);
    for line in lines {
        // Each line was built alone already; a failure here cannot happen.
        let _ = builder.add_line(None, line);
    }
    builder.build().ok()
}

/// A problem before its position is known: positions are computed for all problems at once.
struct Pending {
    offset: usize,
    severity: ProblemSeverity,
    message: String,
}

/// Collects problems with their offsets.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    pending: Vec<Pending>,
}

impl Reader<'_> {
    fn warn(&mut self, offset: usize, message: String) {
        self.problem(offset, ProblemSeverity::Warning, message);
    }

    fn error(&mut self, offset: usize, message: String) {
        self.problem(offset, ProblemSeverity::Error, message);
    }

    fn problem(&mut self, offset: usize, severity: ProblemSeverity, message: String) {
        self.pending.push(Pending {
            offset,
            severity,
            message,
        });
    }

    /// The problems with their lines and columns, in the order they were found.
    fn finish(self) -> Vec<Problem> {
        let offsets: Vec<usize> = self.pending.iter().map(|p| p.offset).collect();
        let positions = line_cols(self.text, &offsets);
        self.pending
            .into_iter()
            .zip(positions)
            .map(|(pending, (line, column))| Problem {
                path: self.path.to_path_buf(),
                line,
                column,
                severity: pending.severity,
                message: pending.message,
            })
            .collect()
    }

    /// `[rules]`: rule id → level.
    fn rules(&mut self, value: &Spanned<DeValue<'_>>) -> RuleSelection {
        let mut selection = RuleSelection::default();
        let Some(table) = self.table("rules", value) else {
            return selection;
        };
        let ids: Vec<&str> = rules::RULES.iter().map(|(meta, _)| meta.id).collect();
        let expected = ids.join(", ");
        for (key, level) in sorted(table) {
            let id = key.get_ref().as_ref();
            if !rules::is_configurable(id) {
                let message = format!(
                    "unknown rule `{id}` in [rules]{}; expected one of: {expected}",
                    suggestion(id, ids.iter().copied()),
                );
                self.warn(key.span().start, message);
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
                Err(message) => self.warn(level.span().start, message),
            }
        }
        selection
    }

    /// `select` / `ignore`: rule ids. An id that names no rule is an error: the run would
    /// check other rules than the ones meant.
    fn rule_ids(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        let Some(items) = self.array(key, "rule ids", value) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        for item in items {
            let DeValue::String(id) = item.get_ref() else {
                let message = format!(
                    "`{key}` entries must be rule ids, found {}",
                    type_name(item.get_ref())
                );
                self.error(item.span().start, message);
                continue;
            };
            if rules::is_configurable(id) {
                ids.push(id.to_string());
            } else {
                let message = format!(
                    "unknown rule `{id}` in `{key}`{}; expected one of: {}",
                    suggestion(id, configurable_ids()),
                    configurable_ids().collect::<Vec<_>>().join(", ")
                );
                self.error(item.span().start, message);
            }
        }
        ids
    }

    /// `fail-level`: the lowest severity that fails `check`. A bad value is an error: a gate
    /// that silently fell back to its default could pass a build it should fail.
    fn fail_level(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Severity> {
        let parsed = match value.get_ref() {
            DeValue::String(name) => fail_level(name).ok_or_else(|| {
                format!(
                    "invalid `fail-level` \"{name}\"; expected one of: {}{}",
                    FAIL_LEVELS.join(", "),
                    suggestion(name, FAIL_LEVELS.iter().copied())
                )
            }),
            other => Err(format!(
                "`fail-level` must be a string, found {}; expected one of: {}",
                type_name(other),
                FAIL_LEVELS.join(", ")
            )),
        };
        parsed
            .map_err(|message| self.error(value.span().start, message))
            .ok()
    }

    /// `include`, `exclude`, `extend-exclude`: gitignore-style globs relative to the config's
    /// directory. A glob that cannot be read is an error naming it (the run would check other
    /// files than the ones meant); the valid lines are returned.
    fn globs(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        let Some(items) = self.array(key, "glob strings", value) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        for item in items {
            let DeValue::String(glob) = item.get_ref() else {
                let message = format!(
                    "`{key}` entries must be glob strings, found {}",
                    type_name(item.get_ref())
                );
                self.error(item.span().start, message);
                continue;
            };
            match super::globs::check(glob) {
                Ok(()) => lines.push(glob.to_string()),
                Err(reason) => {
                    let message = format!("invalid glob \"{glob}\" in `{key}`: {reason}");
                    self.error(item.span().start, message);
                }
            }
        }
        lines
    }

    fn array<'v, 'i>(
        &mut self,
        key: &str,
        what: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<&'v DeArray<'i>> {
        match value.get_ref() {
            DeValue::Array(items) => Some(items),
            other => {
                let message = format!(
                    "`{key}` must be an array of {what}, found {}",
                    type_name(other)
                );
                self.error(value.span().start, message);
                None
            }
        }
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
        let expected = ids.join(", ");
        for (key, on) in sorted(table) {
            let id = key.get_ref().as_ref();
            if !ids.contains(&id) {
                let message = format!(
                    "unknown framework `{id}` in [frameworks]{}; expected one of: {expected}",
                    suggestion(id, ids.iter().copied()),
                );
                self.warn(key.span().start, message);
                continue;
            }
            let label = format!("frameworks.{id}");
            if let Some(on) = self.boolean(&label, on) {
                overrides.frameworks.insert(id.to_string(), on);
            }
        }
        overrides
    }

    /// A path to a file, as written (the caller makes it relative to the config's folder).
    fn path(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<PathBuf> {
        match value.get_ref() {
            DeValue::String(path) if !path.trim().is_empty() => Some(PathBuf::from(path.as_ref())),
            other => {
                let message = format!(
                    "`{key}` must be the path of an OpenAPI document (a string such as \"spec/api.yaml\"), found {}",
                    type_name(other)
                );
                self.problem(value.span().start, ProblemSeverity::Warning, message);
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<bool> {
        self.boolean_with(key, value, ProblemSeverity::Warning)
    }

    /// A boolean whose wrong value changes which files are checked.
    fn boolean_or_error(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<bool> {
        self.boolean_with(key, value, ProblemSeverity::Error)
    }

    fn boolean_with(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        severity: ProblemSeverity,
    ) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(on) => Some(*on),
            other => {
                let message = format!("`{key}` must be true or false, found {}", type_name(other));
                self.problem(value.span().start, severity, message);
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
                self.warn(value.span().start, message);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProblemSeverity;
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
            "unknown key `rulez` in http-status-ls.toml; expected one of: rules, select, ignore, fail-level, include, exclude, extend-exclude, default-excludes, frameworks, inlay-hints, openapi (did you mean `rules`?)"
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
        assert_eq!(problems[0].severity, ProblemSeverity::Error);
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
    fn openapi_names_a_document_relative_to_the_config() {
        let (settings, problems) = read("openapi = \"spec/api.yaml\"\n");
        assert_eq!(problems, Vec::new());
        let path = settings.openapi.expect("openapi");
        assert!(path.ends_with("spec/api.yaml"), "{}", path.display());
        let (settings, problems) = read("openapi = 3\n");
        assert_eq!(settings.openapi, None);
        assert!(
            problems[0]
                .message
                .starts_with("`openapi` must be the path"),
            "{problems:?}"
        );
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
    fn select_and_ignore_filter_whatever_the_key_order() {
        let (settings, problems) = read(
            "ignore = [\"retry-after-missing\"]\nselect = [\"retry-after-missing\", \"numeric-status-literal\", \"body-on-bodiless-status\", \"redirect-changes-method\"]\n[rules]\nbody-on-bodiless-status = \"off\"\nredirect-changes-method = \"hint\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let rules = &settings.rules;
        let on = |id: &str| rules::meta(id).is_some_and(|meta| rules.enabled(meta));
        assert!(
            on("numeric-status-literal"),
            "select turns an opt-in rule on"
        );
        assert!(!on("retry-after-missing"), "ignore wins over select");
        assert!(!on("body-on-bodiless-status"), "[rules] off stays off");
        assert!(!on("invalid-status-code"), "not selected");
        assert_eq!(
            rules.severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Hint),
            "select keeps the level [rules] gives"
        );
        assert_eq!(rules.severity("unused-ignore", Severity::Hint), None);
    }

    #[test]
    fn unknown_selector_and_bad_fail_level_are_errors_naming_the_nearest() {
        let (settings, problems) =
            read("select = [\"redirect-change-method\"]\nignore = \"x\"\nfail-level = \"warn\"\n");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.severity == ProblemSeverity::Error)
        );
        assert!(problems[0].message.starts_with(
            "unknown rule `redirect-change-method` in `select` (did you mean `redirect-changes-method`?)"
        ));
        assert_eq!(
            problems[1].message,
            "`ignore` must be an array of rule ids, found the string \"x\""
        );
        assert!(problems[2].message.contains("(did you mean `warning`?)"));
        assert_eq!(settings.fail_level, None);
        let (settings, _) = read("fail-level = \"info\"\n");
        assert_eq!(settings.fail_level, Some(Severity::Info));
    }

    #[test]
    fn extend_exclude_adds_to_exclude_and_default_excludes_is_a_boolean() {
        let (settings, problems) = read(
            "exclude = [\"gen/\"]\nextend-exclude = [\"*.test.ts\"]\ndefault-excludes = false\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let exclude = settings.exclude.expect("both keys apply");
        assert!(
            exclude
                .matched_path_or_any_parents("gen/a.ts", false)
                .is_ignore()
        );
        assert!(
            exclude
                .matched_path_or_any_parents("src/a.test.ts", false)
                .is_ignore()
        );
        assert_eq!(settings.default_excludes, Some(false));
        let (_, problems) = read("default-excludes = \"no\"\ninclude = [\"[\"]\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.severity == ProblemSeverity::Error)
        );
        assert!(
            problems[1]
                .message
                .starts_with("invalid glob \"[\" in `include`: ")
        );
    }

    #[test]
    fn problem_positions_are_right_for_many_problems() {
        let text: String = (0..5000).map(|i| format!("key{i} = 1\n")).collect();
        let (_, problems) = read(&text);
        assert_eq!(problems.len(), 5000);
        for (i, problem) in problems.iter().enumerate() {
            assert_eq!((problem.line, problem.column), (i + 1, 1));
        }
    }
}
