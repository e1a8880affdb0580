//! `http-status-ls.toml`: per-project settings read by the CLI and the language server.
//!
//! The nearest config file applies to a file: the search walks up from the file's directory to
//! the filesystem root and stops at the first `http-status-ls.toml`. Files are parsed with
//! spans and validated key by key (`parse`), so one bad key is reported with its line and
//! column while the rest of the file still applies. No IO happens outside [`Resolver`].
//!
//! ```toml
//! include = ["src/"]                 # gitignore-style globs, relative to this file's directory
//! exclude = ["src/generated/"]       # exclude wins over include; `extend-exclude` adds too
//! default-excludes = true            # node_modules/, dist/, build/, … and minified files
//! select = ["redirect-changes-method"]  # only these rules (`ignore = [...]` drops some)
//! fail-level = "warning"             # the lowest severity that makes `check` exit 1
//! inlay-hints = false
//! openapi = "spec/api.yaml"          # the project's contract (else openapi.yaml … at its root)
//!
//! [rules]
//! redirect-changes-method = "error"  # error | warning | info | hint | off
//! numeric-status-literal = "info"    # a level enables an opt-in rule
//!
//! [frameworks]
//! express = true                     # as if every file imported it
//! koa = false                        # its status sites are not reported
//! ```

pub mod default_excludes;
mod globs;
mod parse;
mod position;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::Gitignore;

pub use parse::{FAIL_LEVELS, TOP_LEVEL_KEYS, configurable_ids, fail_level};
pub use position::{line_col, line_cols, nearest, suggestion};

use hsl_rules::{Finding, RuleMeta, Severity};
use hsl_tables::FrameworkOverrides;

/// The config file's name.
pub const FILE_NAME: &str = "http-status-ls.toml";

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    /// On at the rule's own severity: what `select` gives a rule no level names (it turns an
    /// opt-in rule on without re-levelling anything).
    On,
    Severity(Severity),
}

impl Level {
    /// The spellings a level accepts, in the order messages list them.
    pub const CHOICES: &'static [&'static str] = &["error", "warning", "info", "hint", "off"];

    /// A level from its name (`"error"`, …, `"off"`).
    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "off" => Some(Level::Off),
            "error" => Some(Level::Severity(Severity::Error)),
            "warning" => Some(Level::Severity(Severity::Warning)),
            "info" => Some(Level::Severity(Severity::Info)),
            "hint" => Some(Level::Severity(Severity::Hint)),
            _ => None,
        }
    }
}

/// Which rules run and with which severity: the levels configuration gives, over each rule's
/// defaults. The one input `rules::run_selected` gets from configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSelection {
    levels: BTreeMap<String, Level>,
}

impl RuleSelection {
    /// Sets a rule's level.
    pub fn set(&mut self, id: &str, level: Level) {
        self.levels.insert(id.to_string(), level);
    }

    /// A rule's configured level, `None` when configuration does not mention it.
    pub fn get(&self, id: &str) -> Option<Level> {
        self.levels.get(id).copied()
    }

    /// Whether the rule runs: its level when configured (any severity enables an opt-in rule),
    /// else its default.
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        match self.levels.get(meta.id) {
            Some(Level::Off) => false,
            Some(Level::On | Level::Severity(_)) => true,
            None => meta.default_enabled,
        }
    }

    /// The severity a finding of `rule` is reported with; `None` when the rule is off.
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        match self.levels.get(rule) {
            Some(Level::Off) => None,
            Some(Level::Severity(severity)) => Some(*severity),
            Some(Level::On) | None => Some(default),
        }
    }

    /// Drops the findings of rules that are off and gives the others their configured severity.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.levels.is_empty() {
            return;
        }
        findings.retain_mut(
            |finding| match self.severity(finding.rule, finding.severity) {
                Some(severity) => {
                    finding.severity = severity;
                    true
                }
                None => false,
            },
        );
    }

    /// `select` in a config file: every configurable id outside `ids` is turned off, and a rule
    /// in `ids` that no level names is turned on (an opt-in rule too). A rule `[rules]` turns
    /// off stays off.
    pub fn keep_only(&mut self, ids: &[String]) {
        for id in parse::configurable_ids() {
            if !ids.iter().any(|kept| kept == id) {
                self.set(id, Level::Off);
            } else if !self.levels.contains_key(id) {
                self.set(id, Level::On);
            }
        }
    }

    /// `--select` on the command line, which wins over the file: every configurable id outside
    /// `ids` is turned off, and every rule in `ids` runs, at its configured severity if the
    /// file gives one, else at its own.
    pub fn select_from_command_line(&mut self, ids: &[String]) {
        for id in parse::configurable_ids() {
            if !ids.iter().any(|kept| kept == id) {
                self.set(id, Level::Off);
            } else if matches!(self.get(id), None | Some(Level::Off)) {
                self.set(id, Level::On);
            }
        }
    }

    /// These levels with `over`'s on top (client settings over the config file).
    pub fn overridden_by(&self, over: &RuleSelection) -> RuleSelection {
        let mut levels = self.levels.clone();
        levels.extend(over.levels.iter().map(|(id, level)| (id.clone(), *level)));
        RuleSelection { levels }
    }
}

/// How much a config problem matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemSeverity {
    /// The rest of the file still applies and the run goes on (an unknown key, a bad level).
    Warning,
    /// The run would check other files or rules, or gate on another level, than the file says
    /// (an invalid glob, an unknown id in `select`): `check` stops with exit code 2, as ruff
    /// does. The language server reports it like a warning.
    Error,
}

impl ProblemSeverity {
    /// `warning` or `error`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemSeverity::Warning => "warning",
            ProblemSeverity::Error => "error",
        }
    }
}

/// Something wrong in a config file, with a 1-based line and character column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: ProblemSeverity,
    pub message: String,
}

impl fmt::Display for Problem {
    /// `path:line:col: warning: message`, the shape compilers use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.severity.as_str(),
            self.message
        )
    }
}

/// The valid settings of one config file (anything invalid was left at its default).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub rules: RuleSelection,
    /// Only files matching one of these are checked when walking (gitignore-style globs).
    pub include: Option<Gitignore>,
    /// Files and directories matching one of these are not checked when walking.
    pub exclude: Option<Gitignore>,
    pub frameworks: FrameworkOverrides,
    pub inlay_hints: Option<bool>,
    /// The OpenAPI document that is the project's contract (`openapi = "spec/api.yaml"`),
    /// resolved against the config file's folder; `None` when the key is absent.
    pub openapi: Option<PathBuf>,
    /// The lowest severity that makes `check` fail (`None`: warning).
    pub fail_level: Option<Severity>,
    /// Whether the default excludes apply (`None`: they do).
    pub default_excludes: Option<bool>,
}

/// One config file, read and validated.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    /// The file's absolute path.
    pub path: PathBuf,
    /// Its directory: globs are relative to it.
    pub dir: PathBuf,
    pub settings: Settings,
    pub problems: Vec<Problem>,
}

impl ConfigFile {
    /// Reads a config file; an unreadable file is a problem at 1:1 and gives the defaults.
    pub fn load(path: &Path) -> ConfigFile {
        match std::fs::read_to_string(path) {
            Ok(text) => ConfigFile::from_text(path, &text),
            Err(err) => ConfigFile {
                path: path.to_path_buf(),
                dir: path.parent().unwrap_or(Path::new("")).to_path_buf(),
                settings: Settings::default(),
                problems: vec![Problem {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                    severity: ProblemSeverity::Warning,
                    message: format!("cannot read {FILE_NAME}: {err}; using the defaults"),
                }],
            },
        }
    }

    /// Parses the text of a config file at `path`.
    pub fn from_text(path: &Path, text: &str) -> ConfigFile {
        let (settings, problems) = parse::parse(path, text);
        ConfigFile {
            path: path.to_path_buf(),
            dir: path.parent().unwrap_or(Path::new("")).to_path_buf(),
            settings,
            problems,
        }
    }

    /// Whether `exclude` matches the path (absolute) or one of its parents below the config's
    /// directory.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        let Some(exclude) = &self.settings.exclude else {
            return false;
        };
        let Some(relative) = self.relative(path) else {
            return false;
        };
        exclude
            .matched_path_or_any_parents(relative, is_dir)
            .is_ignore()
    }

    /// Whether `include` (when given) matches the file (absolute) or one of its parents.
    pub fn is_included(&self, path: &Path) -> bool {
        let Some(include) = &self.settings.include else {
            return true;
        };
        let Some(relative) = self.relative(path) else {
            return true;
        };
        include
            .matched_path_or_any_parents(relative, false)
            .is_ignore()
    }

    /// Whether a file found by walking is checked: included and not excluded.
    pub fn selects(&self, path: &Path) -> bool {
        self.is_included(path) && !self.is_excluded(path, false)
    }

    /// The path relative to the config's directory; `None` when it lies elsewhere.
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        let relative = path.strip_prefix(&self.dir).ok()?;
        (!relative.as_os_str().is_empty()).then_some(relative)
    }
}

/// How config files are found.
#[derive(Clone, Debug)]
pub enum Mode {
    /// The nearest `http-status-ls.toml` above each file.
    Discover,
    /// One file for every path (`--config PATH`).
    Explicit(Arc<ConfigFile>),
    /// No config file at all (`--isolated`).
    Isolated,
}

#[derive(Default)]
struct Cache {
    /// Directory → its nearest config (or none).
    by_dir: HashMap<PathBuf, Option<Arc<ConfigFile>>>,
    /// Config path → the parsed file, each read once.
    files: HashMap<PathBuf, Arc<ConfigFile>>,
    /// (Directory, manifest name) → the frameworks its nearest `package.json` or `Cargo.toml`
    /// depends on.
    manifests: HashMap<(PathBuf, &'static str), Arc<Vec<String>>>,
}

/// Finds and caches the config of each directory; shared by threads (a mutex around maps:
/// lookups are rare next to parsing).
pub struct Resolver {
    mode: Mode,
    cache: Mutex<Cache>,
}

impl Resolver {
    /// A resolver in the given mode.
    pub fn new(mode: Mode) -> Resolver {
        Resolver {
            mode,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// A resolver that discovers the nearest config of each file.
    pub fn discover() -> Resolver {
        Resolver::new(Mode::Discover)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets every cached lookup (a config file appeared, changed or went away).
    pub fn invalidate(&self) {
        let mut cache = self.cache();
        cache.by_dir.clear();
        cache.files.clear();
        cache.manifests.clear();
    }

    /// The config that applies to a file (its absolute path).
    pub fn for_file(&self, file: &Path) -> Option<Arc<ConfigFile>> {
        self.for_dir(file.parent()?)
    }

    /// The config that applies in a directory (absolute): its own file or the nearest above.
    pub fn for_dir(&self, dir: &Path) -> Option<Arc<ConfigFile>> {
        match &self.mode {
            Mode::Isolated => return None,
            Mode::Explicit(file) => return Some(file.clone()),
            Mode::Discover => {}
        }
        // A document without a real path (`untitled:`) has no project.
        if !dir.is_absolute() {
            return None;
        }
        let mut pending = Vec::new();
        let mut found = None;
        let mut at = Some(dir);
        while let Some(current) = at {
            if let Some(cached) = self.cache().by_dir.get(current) {
                found = cached.clone();
                break;
            }
            pending.push(current.to_path_buf());
            let candidate = current.join(FILE_NAME);
            if candidate.is_file() {
                found = Some(self.file(&candidate));
                break;
            }
            at = current.parent();
        }
        let mut cache = self.cache();
        for dir in pending {
            cache.by_dir.insert(dir, found.clone());
        }
        found
    }

    fn file(&self, path: &Path) -> Arc<ConfigFile> {
        if let Some(file) = self.cache().files.get(path) {
            return file.clone();
        }
        let file = Arc::new(ConfigFile::load(path));
        self.cache()
            .files
            .entry(path.to_path_buf())
            .or_insert(file)
            .clone()
    }

    /// Every config file read so far, by path (for reporting their problems once).
    pub fn loaded(&self) -> Vec<Arc<ConfigFile>> {
        let mut files: Vec<Arc<ConfigFile>> = match &self.mode {
            Mode::Explicit(file) => vec![file.clone()],
            _ => self.cache().files.values().cloned().collect(),
        };
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    /// Whether a file found by walking (absolute path) is checked under its config.
    pub fn selects(&self, file: &Path) -> bool {
        self.for_file(file)
            .is_none_or(|config| config.selects(file))
    }

    /// Whether a directory found by walking (absolute path) is excluded by the config that
    /// governs it (the one of its parent directory).
    pub fn excludes_dir(&self, dir: &Path) -> bool {
        let Some(parent) = dir.parent() else {
            return false;
        };
        self.for_dir(parent)
            .is_some_and(|config| config.is_excluded(dir, true))
    }

    /// Whether the default excludes apply to what a walk finds in `dir` (absolute): unless the
    /// config governing it says `default-excludes = false`.
    pub fn default_excludes_in(&self, dir: &Path) -> bool {
        self.for_dir(dir)
            .and_then(|config| config.settings.default_excludes)
            .unwrap_or(true)
    }

    /// The lowest severity that fails `check` for findings in a file (absolute path): its
    /// config's `fail-level`, else warning.
    pub fn fail_level_for(&self, file: &Path) -> Severity {
        self.for_file(file)
            .and_then(|config| config.settings.fail_level)
            .unwrap_or(Severity::Warning)
    }

    /// The framework overrides of a file: the frameworks its project's manifest depends on,
    /// then the config's `[frameworks]` on top.
    pub fn frameworks_for(&self, file: &Path) -> FrameworkOverrides {
        let mut overrides = FrameworkOverrides::default();
        if !matches!(self.mode, Mode::Isolated)
            && let Some(dir) = file.parent()
            && dir.is_absolute()
            && let Some(language) = hsl_facts::Language::of_path(file)
        {
            let manifest = language.family().manifest();
            for id in self.manifest_frameworks(dir, manifest).iter() {
                overrides.frameworks.insert(id.clone(), true);
            }
        }
        if let Some(config) = self.for_file(file) {
            overrides.frameworks.extend(
                config
                    .settings
                    .frameworks
                    .frameworks
                    .iter()
                    .map(|(id, on)| (id.clone(), *on)),
            );
        }
        overrides
    }

    /// The frameworks the nearest `manifest` (`package.json` or `Cargo.toml`) at or above
    /// `dir` depends on.
    fn manifest_frameworks(&self, dir: &Path, manifest: &'static str) -> Arc<Vec<String>> {
        let mut pending = Vec::new();
        let mut found = Arc::new(Vec::new());
        let mut at = Some(dir);
        while let Some(current) = at {
            let key = (current.to_path_buf(), manifest);
            if let Some(cached) = self.cache().manifests.get(&key) {
                found = cached.clone();
                break;
            }
            pending.push(key);
            if let Some(ids) = manifest::frameworks_in(current, manifest) {
                found = Arc::new(ids);
                break;
            }
            at = current.parent();
        }
        let mut cache = self.cache();
        for key in pending {
            cache.manifests.insert(key, found.clone());
        }
        found
    }
}

mod manifest {
    //! Framework detection from a project's manifest: a dependency on `express` in
    //! `package.json`, or on `axum` in `Cargo.toml`, means the project's files use it.

    use std::path::Path;

    use hsl_facts::Family;
    use hsl_tables::Tables;

    /// The framework table ids the manifest `name` (`package.json` or `Cargo.toml`) in `dir`
    /// depends on; `None` when `dir` has no such manifest (the search goes on upwards),
    /// `Some(empty)` when it has one that names none.
    pub fn frameworks_in(dir: &Path, name: &str) -> Option<Vec<String>> {
        let path = dir.join(name);
        if !path.is_file() {
            return None;
        }
        let (family, dependencies) = if name == Family::Rust.manifest() {
            (Family::Rust, cargo_dependencies(&path))
        } else {
            (Family::JavaScript, package_dependencies(&path))
        };
        let mut ids = Vec::new();
        for table in Tables::get().for_language(family) {
            // Only tables their imports name uniquely: the `http` and `node` tables name
            // modules every project has.
            if !table.detect.manifest {
                continue;
            }
            let hit = table
                .detect
                .imports
                .iter()
                .any(|import| dependencies.iter().any(|dep| dep == import));
            if hit {
                ids.push(table.id.clone());
            }
        }
        Some(ids)
    }

    fn package_dependencies(path: &Path) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Vec::new();
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            return Vec::new();
        };
        ["dependencies", "peerDependencies"]
            .iter()
            .filter_map(|key| value.get(key).and_then(serde_json::Value::as_object))
            .flat_map(|deps| deps.keys().cloned())
            .collect()
    }

    fn cargo_dependencies(path: &Path) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Vec::new();
        };
        let Ok(value) = toml::from_str::<toml::Table>(&text) else {
            return Vec::new();
        };
        value
            .get("dependencies")
            .and_then(toml::Value::as_table)
            .map(|deps| deps.keys().map(|name| name.replace('-', "_")).collect())
            .unwrap_or_default()
    }
}

/// The working directory, canonical and read once: per-file `canonicalize` calls dominated a
/// run, so paths below it are normalised lexically.
pub fn working_dir() -> &'static Path {
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CWD.get_or_init(|| {
        std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default()
    })
}

/// An absolute, lexically normalised path (relative paths are joined to the working
/// directory, read once), without a system call per path.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        working_dir().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "http-status-ls-config-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn nearest_config_applies_and_globs_are_relative_to_it() {
        let root = temp("nearest");
        std::fs::create_dir_all(root.join("app/src/gen")).expect("dirs");
        std::fs::write(
            root.join(FILE_NAME),
            "[rules]\ninvalid-status-code = \"off\"\n",
        )
        .expect("write");
        std::fs::write(
            root.join("app").join(FILE_NAME),
            "include = [\"src/\"]\nexclude = [\"gen/\"]\n",
        )
        .expect("write");
        let resolver = Resolver::discover();
        let inner = resolver
            .for_file(&root.join("app/src/a.ts"))
            .expect("config");
        assert_eq!(inner.path, root.join("app").join(FILE_NAME));
        assert!(resolver.selects(&root.join("app/src/a.ts")));
        assert!(!resolver.selects(&root.join("app/src/gen/b.ts")));
        assert!(resolver.excludes_dir(&root.join("app/src/gen")));
        assert!(
            !resolver.selects(&root.join("app/other.ts")),
            "not included"
        );
        let outer = resolver.for_file(&root.join("x.ts")).expect("config");
        assert_eq!(outer.path, root.join(FILE_NAME));
        assert_eq!(resolver.loaded().len(), 2);
        assert!(
            Resolver::new(Mode::Isolated)
                .for_file(&root.join("x.ts"))
                .is_none()
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn manifest_dependencies_detect_frameworks_and_config_overrides() {
        let root = temp("manifest");
        std::fs::create_dir_all(root.join("web/src")).expect("dirs");
        std::fs::write(
            root.join("web/package.json"),
            r#"{"dependencies": {"express": "^5", "koa": "^2"}}"#,
        )
        .expect("write");
        std::fs::write(
            root.join("web").join(FILE_NAME),
            "[frameworks]\nkoa = false\n",
        )
        .expect("write");
        let resolver = Resolver::discover();
        let overrides = resolver.frameworks_for(&root.join("web/src/a.js"));
        assert_eq!(overrides.frameworks.get("express"), Some(&true));
        assert!(overrides.is_off("koa"));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn selection_merges_and_applies() {
        let mut file = RuleSelection::default();
        file.set("redirect-changes-method", Level::Off);
        file.set("body-on-bodiless-status", Level::Severity(Severity::Hint));
        let mut client = RuleSelection::default();
        client.set("redirect-changes-method", Level::Severity(Severity::Error));
        let merged = file.overridden_by(&client);
        assert_eq!(
            merged.severity("redirect-changes-method", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            merged.severity("body-on-bodiless-status", Severity::Error),
            Some(Severity::Hint)
        );
    }
}
