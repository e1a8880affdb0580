//! One run's files: read and analysed in parallel, methods resolved across files, rules run,
//! fixes applied.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::named::shown_path;
use super::registrations::registration_files;
use super::rule_options::RuleOptions;
use hsl_analysis::contracts::{FileRoutes, ProjectContracts};
use hsl_analysis::walk::{Origin, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, RuleSelection, absolute, default_excludes};
use hsl_facts::language::Family;
use hsl_rules::{Finding, Severity};
use hsl_tables as tables;
use hsl_workspace::WorkspaceIndex;

/// What the command line adds to each file's config.
pub struct Options {
    pub rules: RuleOptions,
    /// `--fail-level`, over every config's `fail-level`.
    pub fail_level: Option<Severity>,
    pub force_exclude: bool,
}

/// A checked file.
pub struct Target {
    /// The path as reports name it (see `named::shown_path`).
    pub name: PathBuf,
    pub file: SourceFile,
    pub findings: Vec<Finding>,
    /// The rules and severities of the file's config and the command line.
    selection: RuleSelection,
    /// Findings at or above this severity fail the run.
    fail_level: Severity,
}

/// A run of `check`.
pub struct Session {
    pub targets: Vec<Target>,
    /// Files read only for their route registrations (cross-file method inference).
    pub extras: Vec<SourceFile>,
    /// Absolute path → the path as shown.
    pub shown_of: HashMap<PathBuf, PathBuf>,
    pub notes: Vec<String>,
    pub fixed: Vec<String>,
    /// Files read and checked (those skipped with a note are not counted).
    pub checked: usize,
    pub internal_errors: usize,
    /// Each file's config (framework overrides, rule levels).
    configs: Arc<Resolver>,
    /// The projects' contracts (OpenAPI documents), for the contract rules.
    pub contracts: ProjectContracts,
}

/// What phase one made of a file.
enum Loaded {
    Analysed(Box<SourceFile>),
    /// Holds no status site; `may_register` if it has a route literal.
    Filtered {
        may_register: bool,
    },
}

/// Phase one's shared, read-only inputs.
struct Reader<'a> {
    status: Prefilter,
    routes: Prefilter,
    configs: &'a Resolver,
    force_exclude: bool,
}

impl Reader<'_> {
    /// Reads a file again and analyses it when it contains one of `calls` (a helper's call,
    /// `unauthorized(`, or a credential's name, `Authorization`); a file that cannot be read
    /// now was noted in phase one.
    fn load_caller(&self, path: &Path, calls: &Prefilter) -> Option<SourceFile> {
        let (language, bytes) = analysis::read_source(path).ok()?;
        if !calls.passes(&bytes) {
            return None;
        }
        let text = analysis::decode_owned(bytes).ok()?;
        let overrides = self.configs.frameworks_for(&absolute(path));
        Some(analysis::from_text_with(
            path.to_path_buf(),
            language,
            text,
            &overrides,
        ))
    }

    /// Reads a file once: analyses it when it may hold a status site, else notes whether it
    /// may register routes (for the cross-file index). Binary and non-UTF-8 files are refused
    /// before the prefilter looks, so each gets its note.
    fn load(&self, path: &Path, origin: Origin) -> Result<Loaded, analysis::Skip> {
        let (language, bytes) = analysis::read_source(path)?;
        let text = analysis::decode_owned(bytes)?;
        let absolute = absolute(path);
        if language.family() == Family::JavaScript
            && (origin == Origin::Walked || self.force_exclude)
            && absolute
                .parent()
                .is_some_and(|dir| self.configs.default_excludes_in(dir))
            && let Some(why) = default_excludes::generated_content(text.as_bytes())
        {
            return Err(analysis::Skip::Generated(why));
        }
        if !self.status.passes(text.as_bytes()) {
            return Ok(Loaded::Filtered {
                may_register: self.routes.passes(text.as_bytes()),
            });
        }
        let overrides = self.configs.frameworks_for(&absolute);
        Ok(Loaded::Analysed(Box::new(analysis::from_text_with(
            path.to_path_buf(),
            language,
            text,
            &overrides,
        ))))
    }
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
            status: Prefilter::new(tables::status_literals()),
            routes: Prefilter::new(tables::route_literals()),
            configs: &configs,
            force_exclude: options.force_exclude,
        };
        let loaded: Vec<(&PathBuf, Origin, Result<Loaded, analysis::Skip>)> = files
            .par_iter()
            .map(|(path, origin)| (path, *origin, reader.load(path, *origin)))
            .collect();
        let mut session = Session {
            targets: Vec::new(),
            extras: Vec::new(),
            shown_of: HashMap::new(),
            notes: Vec::new(),
            fixed: Vec::new(),
            checked: 0,
            internal_errors: 0,
            configs: configs.clone(),
            contracts: ProjectContracts::default(),
        };
        let mut route_candidates = Vec::new();
        let mut filtered: Vec<(&PathBuf, Origin)> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        for (path, origin, result) in loaded {
            let absolute = absolute(path);
            seen.insert(absolute.clone());
            let name = shown_path(path);
            session.shown_of.insert(absolute.clone(), name.clone());
            match result {
                Ok(Loaded::Analysed(mut file)) => {
                    session.checked += 1;
                    file.path = absolute;
                    session.add_target(name, *file, &options);
                }
                Ok(Loaded::Filtered { may_register }) => {
                    session.checked += 1;
                    filtered.push((path, origin));
                    if may_register {
                        route_candidates.push(absolute);
                    }
                }
                // A file the user named and that cannot be read fails the run.
                Err(skip @ analysis::Skip::Unreadable(_)) if origin == Origin::Named => {
                    session.internal_errors += 1;
                    let shown = name.to_string_lossy();
                    session.notes.push(format!("error: {shown}: {skip}"));
                }
                Err(skip) => {
                    let shown = name.to_string_lossy();
                    session
                        .notes
                        .push(format!("note: {shown}: skipped, {skip}"));
                }
            }
        }
        session.add_helper_callers(&reader, &filtered, &options);
        session.load_contracts(&seen);
        let phase_one = started.elapsed();
        let handler_files: Vec<&SourceFile> = session.targets.iter().map(|t| &t.file).collect();
        let every_route = !session.contracts.is_empty();
        let extras = registration_files(
            paths,
            &handler_files,
            &seen,
            route_candidates,
            &configs,
            every_route,
        );
        if std::env::var_os("HTTP_STATUS_LS_TIMINGS").is_some() {
            eprintln!(
                "timings: {} files walked, {} parsed for status sites in {:.3} s; {} parsed for registrations in {:.3} s",
                files.len(),
                session.targets.len(),
                phase_one.as_secs_f64(),
                extras.len(),
                (started.elapsed() - phase_one).as_secs_f64()
            );
        }
        for extra in &extras {
            session
                .shown_of
                .entry(extra.path.clone())
                .or_insert_with(|| shown_path(&extra.path));
        }
        session.extras = extras;
        session.add_credential_checks(&reader, &filtered);
        session.run_rules();
        session
    }

    /// Phase one and a half: the files the status prefilter passed over that call one of the
    /// project helpers phase one found (`return unauthorized()` in a file with no status of its
    /// own) are analysed too, so the responses those calls send are checked where they are sent.
    fn add_helper_callers(
        &mut self,
        reader: &Reader<'_>,
        filtered: &[(&PathBuf, Origin)],
        options: &Options,
    ) {
        let mut names: Vec<String> = self
            .targets
            .iter()
            .flat_map(|target| &target.file.facts.helpers)
            .map(|helper| format!("{}(", helper.name))
            .collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() || filtered.is_empty() {
            return;
        }
        let calls = Prefilter::new(names);
        let callers: Vec<(&PathBuf, SourceFile)> = filtered
            .par_iter()
            .filter_map(|(path, _)| Some((*path, reader.load_caller(path, &calls)?)))
            .collect();
        for (path, mut file) in callers {
            file.path = absolute(path);
            let name = shown_path(path);
            self.add_target(name, file, options);
        }
    }

    /// The files the status prefilter passed over that read the `Authorization` header
    /// (a helper module's `auth(req)`) are read for the index, so that a handler calling such a
    /// function is known to work with that credential (`FileFacts::credential_checks`).
    fn add_credential_checks(&mut self, reader: &Reader<'_>, filtered: &[(&PathBuf, Origin)]) {
        let literals = Prefilter::new(tables::credential_literals());
        let known: HashSet<PathBuf> = self.extras.iter().map(|e| e.path.clone()).collect();
        let found: Vec<SourceFile> = filtered
            .par_iter()
            .filter(|(path, _)| !known.contains(&absolute(path)))
            .filter_map(|(path, _)| {
                let mut file = reader.load_caller(path, &literals)?;
                file.path = absolute(path);
                (!file.facts.credential_checks.is_empty()).then_some(file)
            })
            .collect();
        self.extras.extend(found);
    }

    /// Finds and reads the contracts of the projects the run's files belong to; each problem a
    /// document has is a note with its position, and the run goes on without that part.
    fn load_contracts(&mut self, seen: &HashSet<PathBuf>) {
        let mut files: Vec<PathBuf> = seen.iter().cloned().collect();
        files.sort();
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
    fn add_target(&mut self, name: PathBuf, file: SourceFile, options: &Options) {
        let config = self.configs.for_file(&file.path);
        let mut selection = config
            .as_ref()
            .map(|config| config.settings.rules.clone())
            .unwrap_or_default();
        options.rules.apply(&mut selection);
        let fail_level = options
            .fail_level
            .unwrap_or_else(|| self.configs.fail_level_for(&file.path));
        self.targets.push(Target {
            name,
            file,
            findings: Vec::new(),
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

    fn run_rules(&mut self) {
        let indexed = self
            .targets
            .iter()
            .map(|t| t.file.indexed())
            .chain(self.extras.iter().map(SourceFile::indexed))
            .collect();
        let index = WorkspaceIndex::new(indexed);
        let file_routes = self.contracts.file_routes(&index);
        let none = FileRoutes::default();
        let results: Vec<Result<Vec<Finding>, String>> = self
            .targets
            .par_iter()
            .map(|target| {
                let routes = file_routes.get(&target.file.path).unwrap_or(&none);
                analysis::findings_in_project(&target.file, &index, &target.selection, routes)
            })
            .collect();
        drop(index);
        for (target, result) in self.targets.iter_mut().zip(results) {
            match result {
                Ok(found) => target.findings = found,
                Err(message) => {
                    self.internal_errors += 1;
                    self.notes.push(format!("error: {message}"));
                }
            }
        }
    }

    /// Applies the safe fixes in place and checks again; returns how many findings were fixed.
    pub fn fix(&mut self) -> usize {
        let mut total = 0;
        for target in &mut self.targets {
            let Some((text, count)) = analysis::apply_safe_fixes(&target.file, &target.findings)
            else {
                continue;
            };
            let shown = target.name.to_string_lossy().into_owned();
            if let Err(err) = std::fs::write(&target.file.path, &text) {
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
            let overrides = self.configs.frameworks_for(&target.file.path);
            target.file = analysis::from_text_with(
                target.file.path.clone(),
                target.file.language,
                text,
                &overrides,
            );
        }
        if total > 0 {
            self.run_rules();
        }
        total
    }
}
