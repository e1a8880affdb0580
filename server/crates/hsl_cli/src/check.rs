//! `http-status-ls check`: walk, prefilter, analyse in parallel, resolve methods across files,
//! report, and optionally fix.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::output::{self, EditView, FileView, FindingView, FixView, RelatedView};
use super::{CheckArgs, ColorChoice, Format};
use hsl_analysis::walk::{self, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{ConfigFile, Mode, Resolver, RuleSelection};
use hsl_config::{absolute, working_dir};
use hsl_rules::Finding;
use hsl_tables as tables;
use hsl_tables::FrameworkOverrides;
use hsl_text::LineIndex;
use hsl_workspace::WorkspaceIndex;

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if !path.exists() {
            eprintln!("error: {}: no such file or directory", path.display());
            return ExitCode::from(2);
        }
    }
    let mode = if args.isolated {
        Mode::Isolated
    } else if let Some(path) = &args.config {
        if !path.is_file() {
            eprintln!("error: {}: no such config file", path.display());
            return ExitCode::from(2);
        }
        Mode::Explicit(Arc::new(ConfigFile::load(&absolute(path))))
    } else {
        Mode::Discover
    };
    let configs = Arc::new(Resolver::new(mode));
    let (files, unknown) = walk::files_with(&paths, &configs, args.force_exclude);
    for path in unknown {
        eprintln!(
            "note: {}: skipped, not a Rust, TypeScript or JavaScript file",
            path.display()
        );
    }
    let mut session = Session::analyse(&paths, &files, configs.clone());
    // Problems of every config file the run read, once each; they never fail the run.
    for config in configs.loaded() {
        for problem in &config.problems {
            eprintln!(
                "{}:{}:{}: warning: {}",
                display_path(&problem.path),
                problem.line,
                problem.column,
                problem.message
            );
        }
    }
    if args.fix {
        session.fix();
    }
    let views = session.views();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let rendered = match args.format {
        Format::Text => output::text::render(&views, session.checked, color),
        Format::Json => output::json::render(&views),
        Format::Sarif => output::sarif::render(&views, &session.root_uri()),
        Format::Github => output::github::render(&views),
    };
    out!("{rendered}");
    for note in &session.notes {
        eprintln!("{note}");
    }
    for fixed in &session.fixed {
        eprintln!("fixed: {fixed}");
    }
    let count: usize = views.iter().map(|file| file.findings.len()).sum();
    if session.internal_errors > 0 {
        ExitCode::from(2)
    } else if count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

struct Target {
    display: String,
    file: SourceFile,
    findings: Vec<Finding>,
    /// The rules and severities of the file's config.
    selection: RuleSelection,
}

struct Session {
    targets: Vec<Target>,
    /// Files read only for their route registrations (cross-file method inference).
    extras: Vec<SourceFile>,
    display_of: HashMap<PathBuf, String>,
    notes: Vec<String>,
    fixed: Vec<String>,
    checked: usize,
    internal_errors: usize,
    /// Each file's config (framework overrides, rule levels).
    configs: Arc<Resolver>,
}

impl Session {
    /// `paths` are the paths the user named; `files` what walking them found.
    fn analyse(paths: &[PathBuf], files: &[PathBuf], configs: Arc<Resolver>) -> Session {
        let started = std::time::Instant::now();
        let prefilter = Prefilter::new(tables::status_literals());
        let routes = Prefilter::new(tables::route_literals());
        let loaded: Vec<(PathBuf, Result<Loaded, analysis::Skip>)> = files
            .par_iter()
            .map(|path| {
                let overrides = configs.frameworks_for(&absolute(path));
                (
                    path.clone(),
                    load_target(path, &prefilter, &routes, &overrides),
                )
            })
            .collect();
        let mut route_candidates = Vec::new();
        let mut notes = Vec::new();
        let mut targets = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut display_of = HashMap::new();
        for (path, result) in loaded {
            let absolute = absolute(&path);
            seen.insert(absolute.clone());
            let display = display_path(&path);
            display_of.insert(absolute.clone(), display.clone());
            match result {
                Ok(Loaded::Analysed(mut file)) => {
                    let selection = configs
                        .for_file(&absolute)
                        .map(|config| config.settings.rules.clone())
                        .unwrap_or_default();
                    file.path = absolute;
                    targets.push(Target {
                        display,
                        file: *file,
                        findings: Vec::new(),
                        selection,
                    });
                }
                Ok(Loaded::Filtered { may_register }) => {
                    if may_register {
                        route_candidates.push(absolute);
                    }
                }
                Err(skip) => notes.push(format!("note: {display}: skipped, {skip}")),
            }
        }
        let checked = files.len();
        let phase_one = started.elapsed();
        let extras = registration_files(paths, &targets, &seen, route_candidates, &configs);
        if std::env::var_os("HTTP_STATUS_LS_TIMINGS").is_some() {
            eprintln!(
                "timings: {} files walked, {} parsed for status sites in {:.3} s; {} parsed for registrations in {:.3} s",
                files.len(),
                targets.len(),
                phase_one.as_secs_f64(),
                extras.len(),
                (started.elapsed() - phase_one).as_secs_f64()
            );
        }
        for extra in &extras {
            display_of
                .entry(extra.path.clone())
                .or_insert_with(|| display_path(&extra.path));
        }
        let mut session = Session {
            targets,
            extras,
            display_of,
            notes,
            fixed: Vec::new(),
            checked,
            internal_errors: 0,
            configs,
        };
        session.run_rules();
        session
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

    fn fix(&mut self) {
        let mut changed = false;
        for target in &mut self.targets {
            let Some((text, count)) = analysis::apply_safe_fixes(&target.file, &target.findings)
            else {
                continue;
            };
            if let Err(err) = std::fs::write(&target.file.path, &text) {
                self.notes.push(format!(
                    "error: {}: cannot write fixes: {err}",
                    target.display
                ));
                self.internal_errors += 1;
                continue;
            }
            self.fixed.push(format!(
                "{}: {count} finding{} fixed",
                target.display,
                if count == 1 { "" } else { "s" }
            ));
            let overrides = self.configs.frameworks_for(&target.file.path);
            target.file = analysis::from_text_with(
                target.file.path.clone(),
                target.file.language,
                text,
                &overrides,
            );
            changed = true;
        }
        if changed {
            self.run_rules();
        }
    }

    fn root_uri(&self) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        format!(
            "file://{}/",
            cwd.display().to_string().trim_end_matches('/')
        )
    }

    fn text_of(&self, path: &Path) -> Option<&str> {
        self.targets
            .iter()
            .map(|t| &t.file)
            .chain(self.extras.iter())
            .find(|file| file.path == path)
            .map(|file| file.text.as_str())
    }

    fn views(&self) -> Vec<FileView> {
        let mut views: Vec<FileView> = self
            .targets
            .iter()
            .filter(|target| !target.findings.is_empty())
            .map(|target| self.file_view(target))
            .collect();
        views.sort_by(|a, b| a.display.cmp(&b.display));
        views
    }

    fn file_view(&self, target: &Target) -> FileView {
        let text = &target.file.text;
        let index = LineIndex::new(text);
        let position = |offset: usize| {
            let at = index.line_col_chars(text, offset);
            (at.line + 1, at.column + 1)
        };
        let mut other_indexes: HashMap<PathBuf, LineIndex> = HashMap::new();
        let findings = target
            .findings
            .iter()
            .map(|finding| {
                let start = position(finding.range.start);
                let end = position(finding.range.end);
                let related = finding
                    .related
                    .iter()
                    .filter_map(|related| {
                        let (display, other_text, other) = match &related.location.path {
                            None => (target.display.clone(), text.as_str(), &index),
                            Some(path) => {
                                let other_text = self.text_of(path)?;
                                let other = other_indexes
                                    .entry(path.clone())
                                    .or_insert_with(|| LineIndex::new(other_text));
                                let display = self
                                    .display_of
                                    .get(path)
                                    .cloned()
                                    .unwrap_or_else(|| display_path(path));
                                (display, other_text, &*other)
                            }
                        };
                        let at = other.line_col_chars(other_text, related.location.range.start);
                        let end = other.line_col_chars(other_text, related.location.range.end);
                        Some(RelatedView {
                            display,
                            start: (at.line + 1, at.column + 1),
                            end: (end.line + 1, end.column + 1),
                            message: related.message.clone(),
                        })
                    })
                    .collect();
                let fixes = finding
                    .fixes
                    .iter()
                    .map(|fix| FixView {
                        title: fix.title.clone(),
                        applicability: fix.applicability.as_str(),
                        edits: fix
                            .edits
                            .iter()
                            .map(|edit| EditView {
                                start: position(edit.range.start),
                                end: position(edit.range.end),
                                new_text: edit.new_text.clone(),
                            })
                            .collect(),
                    })
                    .collect();
                FindingView {
                    rule: finding.rule,
                    severity: finding.severity,
                    message: finding.message.clone(),
                    start,
                    end,
                    line_text: index.line_text(text, start.0 - 1).to_string(),
                    related,
                    fixes,
                }
            })
            .collect();
        FileView {
            display: target.display.clone(),
            findings,
        }
    }
}

/// What phase one made of a file.
enum Loaded {
    Analysed(Box<SourceFile>),
    /// Holds no status site; `may_register` if it has a route literal.
    Filtered {
        may_register: bool,
    },
}

/// Reads a file once: analyses it when it may hold a status site, else notes whether it may
/// register routes (for the cross-file index).
fn load_target(
    path: &Path,
    status: &Prefilter,
    routes: &Prefilter,
    overrides: &FrameworkOverrides,
) -> Result<Loaded, analysis::Skip> {
    let (language, bytes) = analysis::read_source(path)?;
    if !status.passes(&bytes) {
        return Ok(Loaded::Filtered {
            may_register: routes.passes(&bytes),
        });
    }
    let text = analysis::decode(&bytes)?;
    Ok(Loaded::Analysed(Box::new(analysis::from_text_with(
        path.to_path_buf(),
        language,
        text,
        overrides,
    ))))
}

/// Loads and analyses a file only if it passes every prefilter.
fn load_if(
    path: &Path,
    prefilters: &[&Prefilter],
    overrides: &FrameworkOverrides,
) -> Result<Option<SourceFile>, analysis::Skip> {
    let (language, bytes) = analysis::read_source(path)?;
    if !prefilters.iter().all(|prefilter| prefilter.passes(&bytes)) {
        return Ok(None);
    }
    let text = analysis::decode(&bytes)?;
    Ok(Some(analysis::from_text_with(
        path.to_path_buf(),
        language,
        text,
        overrides,
    )))
}

/// Files of the targets' projects that may register one of the targets' handlers: only those
/// containing a handler's name are parsed.
fn registration_files(
    paths: &[PathBuf],
    targets: &[Target],
    seen: &HashSet<PathBuf>,
    route_candidates: Vec<PathBuf>,
    configs: &Arc<Resolver>,
) -> Vec<SourceFile> {
    // Only handlers that send a status whose rules need the method, and whose method their own
    // file does not prove.
    let names: HashSet<String> = targets
        .iter()
        .flat_map(|t| {
            let facts = &t.file.facts;
            facts
                .handlers
                .iter()
                .enumerate()
                .filter(move |(id, handler)| {
                    handler.methods.is_empty()
                        && facts.responses.iter().any(|r| {
                            r.handler == Some(*id)
                                && r.role == hsl_facts::SiteRole::Sets
                                && r.status.code.is_some_and(hsl_rules::needs_method)
                        })
                })
        })
        .filter_map(|(_, h)| h.name.clone())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    // Target files the status prefilter skipped may still register handlers.
    let mut candidates = route_candidates;
    // A project root already inside the checked paths was walked in phase one.
    let walked: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let roots: HashSet<PathBuf> = paths
        .iter()
        .filter_map(|p| walk::project_root(p))
        .filter(|root| !walked.iter().any(|dir| root.starts_with(dir)))
        .collect();
    let (in_roots, _) = walk::files_with(&roots.into_iter().collect::<Vec<_>>(), configs, false);
    candidates.extend(
        in_roots
            .into_iter()
            .map(|p| absolute(&p))
            .filter(|p| !seen.contains(p)),
    );
    let prefilter = Prefilter::new(names);
    let routes = Prefilter::new(tables::route_literals());
    candidates.sort();
    candidates.dedup();
    candidates
        .par_iter()
        .filter_map(|path| {
            let overrides = configs.frameworks_for(path);
            match load_if(path, &[&prefilter, &routes], &overrides) {
                Ok(Some(mut file)) => {
                    file.path = absolute(path);
                    Some(file)
                }
                _ => None,
            }
        })
        .collect()
}

fn display_path(path: &Path) -> String {
    let shown = if path.is_absolute() {
        // Config lookups join the working directory as given (not canonicalised).
        let given = std::env::current_dir().unwrap_or_default();
        path.strip_prefix(working_dir())
            .or_else(|_| path.strip_prefix(&given))
            .unwrap_or(path)
            .to_path_buf()
    } else {
        path.to_path_buf()
    };
    let shown = shown.to_string_lossy().into_owned();
    shown.strip_prefix("./").unwrap_or(&shown).to_string()
}
