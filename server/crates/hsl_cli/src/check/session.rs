//! One run's files: read and analysed in parallel, methods resolved across files, rules run,
//! fixes applied.
//!
//! Every file is read once. The first pass analyses the files whose bytes may hold a status
//! site (`hsl_analysis::scan`) and keeps, of the others, the names they call and mention. The
//! next two steps read again only the files those names select: the callers of the project
//! helpers the analysed files define, then the files that may register an analysed handler
//! whose method its own file does not prove.
//!
//! Of each analysed file the run keeps what the index reads (`SourceFile::index_part`); the
//! whole analysis only within `load::KEPT_TEXT_BUDGET`. Each file's findings are turned into
//! their report as soon as they are known and its analysis dropped (files past the budget are
//! read and analysed again for it), so memory does not grow with the tree. `--fix` keeps every
//! analysis, since it rewrites files from them.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use rayon::prelude::*;

use super::load::{Analysis, KEPT_TEXT_BUDGET, Loaded, Reader, Summary, read_whole};
use super::named::shown_path;
use super::registrations::{helper_names, outside_registrations, read_again};
use super::rule_options::RuleOptions;
use hsl_analysis::contracts::{FileRoutes, ProjectContracts};
use hsl_analysis::scan::Scanner;
use hsl_analysis::tokens::name_hash;
use hsl_analysis::walk::{Origin, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, RuleSelection, absolute};
use hsl_facts::language::Family;
use hsl_rules::{Finding, Severity};
use hsl_workspace::WorkspaceIndex;

use crate::output::FileView;

/// What the command line adds to each file's config.
pub struct Options {
    pub rules: RuleOptions,
    /// `--fail-level`, over every config's `fail-level`.
    pub fail_level: Option<Severity>,
    pub force_exclude: bool,
    /// Keep every file's whole analysis after its report (`--fix` rewrites files from them).
    pub keep_analyses: bool,
}

/// A checked file.
pub struct Target {
    /// The path as reports name it (see `named::shown_path`).
    pub name: PathBuf,
    /// What the index reads of the file.
    pub index: SourceFile,
    /// The whole analysis, while it is kept (see the module's documentation).
    pub full: Option<Box<SourceFile>>,
    /// Handlers whose method a registration in another file may give.
    unregistered: Vec<String>,
    /// The path the file was read by, to read it again the same way.
    read_as: PathBuf,
    pub findings: Vec<Finding>,
    /// The findings as reported, made when they were found (the analysis is gone since).
    pub view: Option<FileView>,
    /// The rules and severities of the file's config and the command line.
    selection: RuleSelection,
    /// Findings at or above this severity fail the run.
    fail_level: Severity,
}

/// A run of `check`.
pub struct Session {
    pub targets: Vec<Target>,
    /// What the index reads of the files read only for their route registrations
    /// (cross-file method inference).
    pub extras: Vec<SourceFile>,
    pub notes: Vec<String>,
    pub fixed: Vec<String>,
    /// Files read and checked (those skipped with a note are not counted).
    pub checked: usize,
    pub internal_errors: usize,
    /// Each file's config (framework overrides, rule levels).
    configs: Arc<Resolver>,
    /// [`Options::keep_analyses`].
    keep_analyses: bool,
    /// The projects' contracts (OpenAPI documents), for the contract rules.
    pub contracts: ProjectContracts,
}

impl Session {
    /// `paths` are the paths the user named; `files` what walking them found.
    pub fn analyse(
        paths: &[PathBuf],
        files: &[(PathBuf, Origin)],
        configs: Arc<Resolver>,
        options: Options,
    ) -> Session {
        let started = std::time::Instant::now();
        let reader = Reader {
            scanner: Scanner::new(),
            credentials: Prefilter::new(hsl_tables::credential_literals()),
            configs: &configs,
            force_exclude: options.force_exclude,
            budget: AtomicUsize::new(if options.keep_analyses {
                usize::MAX
            } else {
                KEPT_TEXT_BUDGET
            }),
        };
        let loaded: Vec<(&PathBuf, Origin, Result<Loaded, analysis::Skip>)> = files
            .par_iter()
            .map(|(path, origin)| (path, *origin, reader.load(path, *origin)))
            .collect();
        let mut session = Session {
            targets: Vec::new(),
            extras: Vec::new(),
            notes: Vec::new(),
            fixed: Vec::new(),
            checked: 0,
            internal_errors: 0,
            configs: configs.clone(),
            keep_analyses: options.keep_analyses,
            contracts: ProjectContracts::default(),
        };
        let mut summaries = session.take_first_pass(loaded, &options);
        let first = started.elapsed();
        let parsed_first = session.targets.len();
        let callers = session.add_helper_callers(&reader, &summaries, &options);
        // A helper's caller is a target now, its index part with its registrations and
        // credential checks: the steps below would only read it again and index it twice.
        summaries.retain(|(path, _)| !callers.contains(*path));
        session.load_contracts(files);
        // With a contract, the contract rules need every route's whole path: every file that
        // may register a route or mount a router is read, not only those naming a handler.
        let every_route = !session.contracts.is_empty();
        let names: HashSet<String> = session
            .targets
            .iter()
            .flat_map(|target| target.unregistered.iter().cloned())
            .collect();
        let hashes: Vec<u32> = names.iter().map(|name| name_hash(name)).collect();
        let wanted =
            |summary: &Summary| summary.routes && (every_route || summary.names.names_any(&hashes));
        let mut extras: Vec<SourceFile> = if hashes.is_empty() && !every_route {
            Vec::new()
        } else {
            read_again(&reader, &summaries, wanted)
                .into_iter()
                .map(|(_, analysis)| analysis.index)
                .collect()
        };
        let credential_files: Vec<&PathBuf> = summaries
            .iter()
            .filter(|(_, summary)| summary.credentials)
            .map(|(path, _)| *path)
            .collect();
        drop(summaries);
        let named: HashSet<PathBuf> = files
            .iter()
            .filter(|(_, origin)| *origin == Origin::Named)
            .map(|(path, _)| absolute(path))
            .collect();
        extras.extend(outside_registrations(
            paths,
            &names,
            &named,
            &configs,
            every_route,
        ));
        if std::env::var_os("HTTP_STATUS_LS_TIMINGS").is_some() {
            eprintln!(
                "timings: {} files walked, {} parsed for status sites in {:.3} s; {} helper callers and {} registration files parsed in {:.3} s",
                files.len(),
                parsed_first,
                first.as_secs_f64(),
                session.targets.len() - parsed_first,
                extras.len(),
                (started.elapsed() - first).as_secs_f64()
            );
        }
        session.extras = extras;
        session.add_credential_checks(&credential_files);
        session.run_rules();
        session
    }

    /// Takes the first pass's results in walk order: analysed files become targets, the
    /// others' summaries are returned, and each file that could not be read gets its note.
    fn take_first_pass<'p>(
        &mut self,
        loaded: Vec<(&'p PathBuf, Origin, Result<Loaded, analysis::Skip>)>,
        options: &Options,
    ) -> Vec<(&'p PathBuf, Summary)> {
        let mut summaries = Vec::new();
        for (path, origin, result) in loaded {
            match result {
                Ok(Loaded::Analysed(analysis)) => {
                    self.checked += 1;
                    self.add_target(shown_path(path), *analysis, options);
                }
                Ok(Loaded::Filtered(summary)) => {
                    self.checked += 1;
                    summaries.push((path, summary));
                }
                // A file the user named and that cannot be read fails the run.
                Err(skip @ analysis::Skip::Unreadable(_)) if origin == Origin::Named => {
                    self.internal_errors += 1;
                    let shown = shown_path(path);
                    let shown = shown.to_string_lossy();
                    self.notes.push(format!("error: {shown}: {skip}"));
                }
                Err(skip) => {
                    let shown = shown_path(path);
                    let shown = shown.to_string_lossy();
                    self.notes.push(format!("note: {shown}: skipped, {skip}"));
                }
            }
        }
        summaries
    }

    /// The files the first pass did not parse that call one of the project helpers it found
    /// (`return unauthorized()` in a file with no status of its own) are analysed too, so the
    /// responses those calls send are checked where they are sent. Returns their paths.
    fn add_helper_callers<'p>(
        &mut self,
        reader: &Reader<'_>,
        summaries: &[(&'p PathBuf, Summary)],
        options: &Options,
    ) -> HashSet<&'p PathBuf> {
        let files: Vec<&SourceFile> = self.targets.iter().map(|t| &t.index).collect();
        let js = helper_names(&files, Family::JavaScript);
        let rust = helper_names(&files, Family::Rust);
        if js.is_empty() && rust.is_empty() {
            return HashSet::new();
        }
        let calls = |summary: &Summary| match summary.family {
            Family::JavaScript => summary.names.calls_any(&js),
            Family::Rust => summary.names.calls_any(&rust),
        };
        let mut callers = HashSet::new();
        for (path, file) in read_again(reader, summaries, calls) {
            callers.insert(path);
            self.add_target(shown_path(path), file, options);
        }
        callers
    }

    /// The files the first pass summarised that name the `Authorization` header (a helper
    /// module's `auth(req)`) are read again for the index, so that a handler calling such a
    /// function is known to work with that credential (`FileFacts::credential_checks`); only
    /// their index parts are kept, and only when they define a credential check.
    fn add_credential_checks(&mut self, candidates: &[&PathBuf]) {
        let known: HashSet<PathBuf> = self.extras.iter().map(|e| e.path.clone()).collect();
        let configs: &Resolver = &self.configs;
        let found: Vec<SourceFile> = candidates
            .par_iter()
            .filter(|path| !known.contains(&absolute(path)))
            .filter_map(|path| read_whole(configs, path))
            .filter(|file| !file.facts.credential_checks.is_empty())
            .map(|file| file.index_part())
            .collect();
        self.extras.extend(found);
    }

    /// Finds and reads the contracts of the projects the run's files belong to; each problem a
    /// document has is a note with its position, and the run goes on without that part.
    fn load_contracts(&mut self, walked: &[(PathBuf, Origin)]) {
        let mut files: Vec<PathBuf> = walked.iter().map(|(path, _)| absolute(path)).collect();
        files.sort();
        files.dedup();
        self.contracts = ProjectContracts::load_projects(&files, &self.configs);
        for problem in &self.contracts.problems {
            let shown = shown_path(&problem.file);
            self.notes.push(format!(
                "{}:{}:{}: warning: {}",
                shown.to_string_lossy(),
                problem.line,
                problem.column,
                problem.message
            ));
        }
    }

    /// Adds a file to check, with its config's rules and fail level under the command line's.
    fn add_target(&mut self, name: PathBuf, analysis: Analysis, options: &Options) {
        let Analysis {
            index,
            full,
            unregistered,
            read_as,
        } = analysis;
        let config = self.configs.for_file(&index.path);
        let mut selection = config
            .as_ref()
            .map(|config| config.settings.rules.clone())
            .unwrap_or_default();
        options.rules.apply(&mut selection);
        let fail_level = options
            .fail_level
            .unwrap_or_else(|| self.configs.fail_level_for(&index.path));
        self.targets.push(Target {
            name,
            index,
            full,
            unregistered,
            read_as,
            findings: Vec::new(),
            view: None,
            selection,
            fail_level,
        });
    }

    /// How many findings are at or above their file's fail level: the run fails when any is.
    pub fn failing(&self) -> usize {
        self.targets
            .iter()
            .map(|target| {
                let failing = |finding: &&Finding| finding.severity >= target.fail_level;
                target.findings.iter().filter(failing).count()
            })
            .sum()
    }

    /// Runs the rules on every target against the index of every file the run read; each
    /// target's report is made at once and its analysis dropped unless the run keeps them.
    fn run_rules(&mut self) {
        let fulls: Vec<Option<Box<SourceFile>>> =
            self.targets.iter_mut().map(|t| t.full.take()).collect();
        let indexed = self
            .targets
            .iter()
            .map(|t| t.index.indexed())
            .chain(self.extras.iter().map(SourceFile::indexed))
            .collect();
        let index = WorkspaceIndex::new(indexed);
        let file_routes = self.contracts.file_routes(&index);
        let none = FileRoutes::default();
        let reported: Vec<Reported> = self
            .targets
            .par_iter()
            .zip(fulls)
            .map(|(target, full)| {
                let routes = file_routes.get(&target.index.path).unwrap_or(&none);
                self.report(target, full, &index, routes)
            })
            .collect();
        drop(index);
        for (target, reported) in self.targets.iter_mut().zip(reported) {
            target.full = reported.full;
            target.view = reported.view;
            match reported.findings {
                Ok(found) => target.findings = found,
                Err(message) => {
                    self.internal_errors += 1;
                    self.notes.push(format!("error: {message}"));
                }
            }
        }
    }

    /// One target's findings, and its report unless the run keeps its analysis.
    fn report(
        &self,
        target: &Target,
        full: Option<Box<SourceFile>>,
        index: &WorkspaceIndex<'_>,
        routes: &FileRoutes,
    ) -> Reported {
        let Some(full) = full.or_else(|| read_whole(&self.configs, &target.read_as).map(Box::new))
        else {
            let shown = target.name.to_string_lossy().into_owned();
            return Reported {
                findings: Err(format!("{shown}: could not be read again for its report")),
                view: None,
                full: None,
            };
        };
        let findings = analysis::findings_in_project(&full, index, &target.selection, routes);
        if self.keep_analyses {
            return Reported {
                findings,
                view: None,
                full: Some(full),
            };
        }
        let view = match &findings {
            Ok(found) if !found.is_empty() => Some(self.file_view(&target.name, &full, found)),
            _ => None,
        };
        Reported {
            findings,
            view,
            full: None,
        }
    }

    /// Applies the safe fixes in place and checks again; returns how many findings were fixed.
    pub fn fix(&mut self) -> usize {
        let mut total = 0;
        for target in &mut self.targets {
            let Some(full) = &target.full else {
                continue;
            };
            let Some((text, count)) = analysis::apply_safe_fixes(full, &target.findings) else {
                continue;
            };
            let shown = target.name.to_string_lossy().into_owned();
            if let Err(err) = std::fs::write(&full.path, &text) {
                self.notes
                    .push(format!("error: {shown}: cannot write fixes: {err}"));
                self.internal_errors += 1;
                continue;
            }
            self.fixed.push(format!(
                "{shown}: {count} finding{} fixed",
                if count == 1 { "" } else { "s" }
            ));
            total += count;
            let overrides = self.configs.frameworks_for(&full.path);
            let fixed =
                analysis::from_text_with(full.path.clone(), full.language, text, &overrides);
            target.index = fixed.index_part();
            target.full = Some(Box::new(fixed));
        }
        if total > 0 {
            self.run_rules();
        }
        total
    }
}

/// What reporting one target gave.
struct Reported {
    findings: Result<Vec<Finding>, String>,
    view: Option<FileView>,
    /// The analysis, when the run keeps it.
    full: Option<Box<SourceFile>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rule_options::RuleOptions;
    use hsl_config::Mode;

    /// A folder of its own under the system's temporary folder, removed when dropped.
    struct Project(PathBuf);

    impl Project {
        fn new(name: &str, files: &[(&str, &str)]) -> Project {
            let root = std::env::temp_dir().join(format!("hsl-{name}-{}", std::process::id()));
            for (path, text) in files {
                let path = root.join(path);
                std::fs::create_dir_all(path.parent().expect("in a folder")).expect("folder");
                std::fs::write(path, text).expect("written");
            }
            Project(root)
        }
    }

    impl Drop for Project {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A middleware with no status of its own that answers through a project helper and reads
    /// the `Authorization` header: a helper's caller, and a credential-check candidate.
    const FILES: &[(&str, &str)] = &[
        ("package.json", r#"{"dependencies":{"express":"^4"}}"#),
        (
            "src/errors.js",
            "function sendUnauthorized(res) {\n  return res.status(401).json({ error: 'no' });\n}\nmodule.exports = { sendUnauthorized };\n",
        ),
        (
            "src/auth.js",
            "const { sendUnauthorized } = require('./errors');\nfunction tokenOf(req) {\n  return req.headers.authorization;\n}\nfunction requireToken(req, res, next) {\n  if (!tokenOf(req)) return sendUnauthorized(res);\n  next();\n}\nmodule.exports = { requireToken, tokenOf };\n",
        ),
    ];

    /// The session of a run over the JavaScript files of `project`.
    fn session_of(project: &Project, files: &[(&str, &str)]) -> Session {
        let files: Vec<(PathBuf, Origin)> = files
            .iter()
            .filter(|(path, _)| path.ends_with(".js"))
            .map(|(path, _)| (project.0.join(path), Origin::Walked))
            .collect();
        let options = Options {
            rules: RuleOptions::new(&[], &[]).expect("no rule named"),
            fail_level: None,
            force_exclude: false,
            keep_analyses: false,
        };
        let configs = Arc::new(Resolver::new(Mode::Isolated));
        Session::analyse(std::slice::from_ref(&project.0), &files, configs, options)
    }

    #[test]
    fn a_helper_caller_is_read_and_indexed_once() {
        let project = Project::new("helper-caller", FILES);
        let session = session_of(&project, FILES);
        let caller = absolute(&project.0.join("src/auth.js"));
        let targets: Vec<&PathBuf> = session.targets.iter().map(|t| &t.index.path).collect();
        assert!(targets.contains(&&caller), "{targets:?}");
        let extras: Vec<&PathBuf> = session.extras.iter().map(|e| &e.path).collect();
        assert!(!extras.contains(&&caller), "indexed twice: {extras:?}");
    }

    /// An error class that keeps a code name, and a file that only throws it.
    fn keyed_class_files(map: &'static str) -> Vec<(&'static str, &'static str)> {
        vec![
            ("package.json", r#"{"dependencies":{"express":"^4"}}"#),
            ("src/errors.js", map),
            (
                "src/items.js",
                "const { ApiError } = require('./errors');\nfunction remove(req, res) {\n  throw new ApiError({ code: 'forbidden' });\n}\nmodule.exports = { remove };\n",
            ),
        ]
    }

    #[test]
    fn callers_of_a_keyed_error_class_are_read_only_with_a_code_map() {
        let class = "class ApiError extends Error {\n  constructor({ code }) {\n    super(code);\n    this.code = code;\n  }\n}\n";
        let without = format!("{class}module.exports = {{ ApiError }};\n");
        let with = format!(
            "const ErrorCodes = {{ unauthorized: 401, forbidden: 403, not_found: 404 }};\n{class}module.exports = {{ ApiError, ErrorCodes }};\n"
        );
        for (text, read) in [(without, false), (with, true)] {
            let text: &'static str = Box::leak(text.into_boxed_str());
            let files = keyed_class_files(text);
            let project = Project::new(&format!("keyed-{read}"), &files);
            let session = session_of(&project, &files);
            let caller = absolute(&project.0.join("src/items.js"));
            let targets: Vec<&PathBuf> = session.targets.iter().map(|t| &t.index.path).collect();
            assert_eq!(targets.contains(&&caller), read, "{targets:?}");
        }
    }
}
