//! One run's files: read and analysed in parallel, methods resolved across files, rules run,
//! fixes applied.
//!
//! Every file is read once. The first pass analyses the files whose bytes may hold a status
//! site (`hsl_analysis::scan`) and keeps, of the others, the names they call and mention. The
//! next two steps read again only the files those names select: the callers of the project
//! helpers the analysed files define, then the files that may register an analysed handler
//! whose method its own file does not prove.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::load::{Loaded, Reader, Summary};
use super::named::shown_path;
use super::registrations::{
    helper_names, outside_registrations, read_again, unregistered_handlers,
};
use super::rule_options::RuleOptions;
use hsl_analysis::scan::Scanner;
use hsl_analysis::tokens::name_hash;
use hsl_analysis::walk::Origin;
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, RuleSelection, absolute};
use hsl_facts::language::Family;
use hsl_rules::{Finding, Severity};
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
    pub notes: Vec<String>,
    pub fixed: Vec<String>,
    /// Files read and checked (those skipped with a note are not counted).
    pub checked: usize,
    pub internal_errors: usize,
    /// Each file's config (framework overrides, rule levels).
    configs: Arc<Resolver>,
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
            notes: Vec::new(),
            fixed: Vec::new(),
            checked: 0,
            internal_errors: 0,
            configs: configs.clone(),
        };
        let summaries = session.take_first_pass(loaded, &options);
        let first = started.elapsed();
        let parsed_first = session.targets.len();
        session.add_helper_callers(&reader, &summaries, &options);
        let handler_files: Vec<&SourceFile> = session.targets.iter().map(|t| &t.file).collect();
        let names = unregistered_handlers(&handler_files);
        let hashes: Vec<u32> = names.iter().map(|name| name_hash(name)).collect();
        let wanted = |summary: &Summary| summary.routes && summary.names.names_any(&hashes);
        let mut extras: Vec<SourceFile> = if hashes.is_empty() {
            Vec::new()
        } else {
            read_again(&reader, &summaries, wanted)
                .into_iter()
                .map(|(_, file)| file)
                .collect()
        };
        let named: HashSet<PathBuf> = files
            .iter()
            .filter(|(_, origin)| *origin == Origin::Named)
            .map(|(path, _)| absolute(path))
            .collect();
        extras.extend(outside_registrations(paths, &names, &named, &configs));
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
                Ok(Loaded::Analysed(file)) => {
                    self.checked += 1;
                    self.add_target(shown_path(path), *file, options);
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
    /// responses those calls send are checked where they are sent.
    fn add_helper_callers(
        &mut self,
        reader: &Reader<'_>,
        summaries: &[(&PathBuf, Summary)],
        options: &Options,
    ) {
        let files: Vec<&SourceFile> = self.targets.iter().map(|t| &t.file).collect();
        let js = helper_names(&files, Family::JavaScript);
        let rust = helper_names(&files, Family::Rust);
        if js.is_empty() && rust.is_empty() {
            return;
        }
        let calls = |summary: &Summary| match summary.family {
            Family::JavaScript => summary.names.calls_any(&js),
            Family::Rust => summary.names.calls_any(&rust),
        };
        for (path, file) in read_again(reader, summaries, calls) {
            self.add_target(shown_path(path), file, options);
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
        let results: Vec<Result<Vec<Finding>, String>> = self
            .targets
            .par_iter()
            .map(|target| analysis::findings_with(&target.file, &index, &target.selection))
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
