//! The `LanguageServer` implementation: documents, diagnostics, hover, code actions, inlay
//! hints, completion and the background workspace index.
//!
//! Ordering (DEPS.md §1): tower-lsp-server runs handlers concurrently, first-polled in arrival
//! order, so `did_open`/`did_change`/`did_close` mutate the document map before their first
//! `.await`, and no map guard is ever held across an `.await`.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use dashmap::DashMap;
use ropey::Rope;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::config::Config;
use super::convert::{self, Encoding};
use super::document::{Checked, Document, Parsed};
use super::index::Workspace;
use hsl_analysis::{self as analysis, completion, hover, inlay};
use hsl_config::{self as project, Problem, RuleSelection};
use hsl_facts::Language;
use hsl_fixes::Applicability;
use hsl_rules::{self as rules, Finding, Severity};
use hsl_tables::FrameworkOverrides;

/// The `source` of every diagnostic and the suffix of the fix-all kind.
const SOURCE: &str = "http-status-ls";
const FIX_ALL: &str = "source.fixAll.http-status-ls";
/// Default delay between the last edit and the diagnostics of a document.
const DEFAULT_DEBOUNCE_MS: u64 = 50;

/// The server; cheap to clone into background tasks.
#[derive(Clone)]
pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    docs: DashMap<Uri, Document>,
    workspace: Workspace,
    /// 0 = UTF-16 (the default), 1 = UTF-8.
    encoding: AtomicU8,
    debounce_ms: AtomicU64,
    roots: Mutex<Vec<PathBuf>>,
    progress_supported: AtomicBool,
    watch_registration: AtomicBool,
    shutdown: Arc<AtomicBool>,
    progress_tokens: AtomicU64,
    /// The client pulls diagnostics (`textDocument/diagnostic`); nothing is pushed then.
    pull: AtomicBool,
    /// The client accepts `workspace/diagnostic/refresh`.
    refresh: AtomicBool,
    config: RwLock<Config>,
    /// Bumped on every settings change, of the client or of an `http-status-ls.toml` (part of a
    /// pulled report's result id; an analysis started before a change is not cached).
    config_epoch: AtomicU64,
    /// The problems last shown for each config file, so each change is shown once.
    shown_problems: Mutex<HashMap<PathBuf, Vec<Problem>>>,
}

/// What applies to one document: its `http-status-ls.toml` merged with the client's settings
/// (which win).
struct Effective {
    selection: RuleSelection,
    overrides: FrameworkOverrides,
    inlay_hints: bool,
    /// The config's `include`/`exclude` leave the file out: it gets no diagnostics.
    excluded: bool,
}

/// Runs a computation, turning a panic into `None` so that one bad request cannot take the
/// server down.
fn guarded<T>(what: &str, work: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Some(value),
        Err(_) => {
            eprintln!("http-status-ls: internal error in {what}");
            None
        }
    }
}

fn path_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from(uri.path().as_str()))
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                docs: DashMap::new(),
                workspace: Workspace::default(),
                encoding: AtomicU8::new(0),
                debounce_ms: AtomicU64::new(DEFAULT_DEBOUNCE_MS),
                roots: Mutex::new(Vec::new()),
                progress_supported: AtomicBool::new(false),
                watch_registration: AtomicBool::new(false),
                shutdown,
                progress_tokens: AtomicU64::new(0),
                pull: AtomicBool::new(false),
                refresh: AtomicBool::new(false),
                config: RwLock::new(Config::default()),
                config_epoch: AtomicU64::new(0),
                shown_problems: Mutex::new(HashMap::new()),
            }),
        }
    }
}

impl Inner {
    fn encoding(&self) -> Encoding {
        if self.encoding.load(Ordering::Acquire) == 1 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The facts of a document's current version, computed now if needed (and cached when the
    /// document has not moved meanwhile). Never holds a map guard while analysing.
    fn parsed(&self, uri: &Uri) -> Option<Arc<Parsed>> {
        let lock = {
            let doc = self.docs.get(uri)?;
            doc.language?;
            if let Some(parsed) = doc.current_parsed() {
                return Some(parsed);
            }
            doc.analysing.clone()
        };
        // One analysis per document at a time: whoever comes second finds it cached.
        let _turn = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (version, rope, language, path, old_tree) = {
            let doc = self.docs.get(uri)?;
            if let Some(parsed) = doc.current_parsed() {
                return Some(parsed);
            }
            (
                doc.version,
                doc.rope.clone(),
                doc.language?,
                doc.path.clone(),
                doc.tree.clone(),
            )
        };
        let settings_epoch = self.config_epoch.load(Ordering::Acquire);
        let overrides = self.effective(&path).overrides;
        let (parsed, tree) = guarded("analysis", || {
            let (file, tree) = analysis::from_text_reusing(
                path,
                language,
                rope.to_string(),
                old_tree.as_ref(),
                &overrides,
            );
            let parsed = Arc::new(Parsed::new(version, rope, Arc::new(file)));
            (parsed, tree)
        })?;
        super::later::drop_later(self.workspace.set_open(parsed.file.clone()));
        if let Some(mut doc) = self.docs.get_mut(uri)
            && doc.version == version
        {
            // The tree is of this text whatever the settings; the facts only if the settings
            // did not change meanwhile.
            super::later::drop_later(std::mem::replace(&mut doc.tree, tree));
            if self.config_epoch.load(Ordering::Acquire) == settings_epoch {
                doc.parsed = Some(parsed.clone());
            }
        }
        Some(parsed)
    }

    /// The findings of a document's current version against the current index.
    fn checked(&self, uri: &Uri) -> Option<Arc<Checked>> {
        let epoch = self.workspace.epoch();
        if let Some(checked) = self.docs.get(uri)?.current_checked(epoch) {
            return Some(checked);
        }
        let parsed = self.parsed(uri)?;
        let epoch = self.workspace.epoch();
        let effective = self.effective(&parsed.file.path);
        let (findings, error) = guarded("rules", || {
            if effective.excluded {
                return (Vec::new(), None);
            }
            match self.workspace.findings(&parsed.file, &effective.selection) {
                Ok(findings) => (findings, None),
                Err(message) => (Vec::new(), Some(message)),
            }
        })?;
        let checked = Arc::new(Checked::new(parsed, epoch, findings, error));
        if let Some(mut doc) = self.docs.get_mut(uri)
            && doc.version == checked.version()
        {
            doc.checked = Some(checked.clone());
        }
        Some(checked)
    }

    /// The text of another file, for related information: an open document, else the disk.
    fn rope_of(&self, path: &Path) -> Option<Rope> {
        let open = self
            .docs
            .iter()
            .find(|doc| doc.path == path)
            .map(|doc| doc.rope.clone());
        if open.is_some() {
            return open;
        }
        let text = std::fs::read_to_string(path).ok()?;
        Some(Rope::from_str(&text))
    }

    fn config(&self) -> Config {
        match self.config.read() {
            Ok(config) => config.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Applies new settings and logs what was wrong with them.
    async fn configure(&self, value: &Value) {
        let (config, problems) = Config::from_value(value);
        match self.config.write() {
            Ok(mut guard) => *guard = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
        self.config_epoch.fetch_add(1, Ordering::AcqRel);
        // Cached findings were computed with the old levels.
        self.workspace.touch();
        for problem in problems {
            self.client.log_message(MessageType::WARNING, problem).await;
        }
    }

    /// The settings that apply to a file: its `http-status-ls.toml` (the nearest above it),
    /// with the client's settings on top. Reads the config file at most once per change.
    fn effective(&self, path: &Path) -> Effective {
        let client = self.config();
        let configs = &self.workspace.configs;
        let file = configs.for_file(path);
        let from_file = file
            .as_ref()
            .map(|config| config.settings.rules.clone())
            .unwrap_or_default();
        Effective {
            selection: from_file.overridden_by(&client.rules),
            overrides: configs.frameworks_for(path),
            inlay_hints: client
                .inlay_hints
                .or_else(|| file.as_ref().and_then(|config| config.settings.inlay_hints))
                .unwrap_or(true),
            excluded: file.as_ref().is_some_and(|config| !config.selects(path)),
        }
    }

    /// Shows a config file's problems (`window/showMessage`, warning) and logs each one, once
    /// per change of the file.
    async fn show_problems(&self, config: &project::ConfigFile) {
        {
            let mut shown = self
                .shown_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if shown.get(&config.path) == Some(&config.problems) {
                return;
            }
            shown.insert(config.path.clone(), config.problems.clone());
        }
        if config.problems.is_empty() {
            return;
        }
        let count = config.problems.len();
        let first = &config.problems[0];
        let summary = format!(
            "http-status-ls: {} has {count} problem{}: line {}: {}{}",
            config.path.display(),
            if count == 1 { "" } else { "s" },
            first.line,
            first.message,
            if count > 1 {
                " (see the log for the others)"
            } else {
                ""
            }
        );
        self.client
            .show_message(MessageType::WARNING, summary)
            .await;
        for problem in &config.problems {
            self.client
                .log_message(MessageType::WARNING, problem.to_string())
                .await;
        }
    }

    /// A config file (or a manifest) changed: forget every cached lookup and analysis, show the
    /// changed files' problems, re-index and re-publish.
    async fn config_files_changed(self: &Arc<Self>, changed: Vec<PathBuf>) {
        self.workspace.configs.invalidate();
        self.config_epoch.fetch_add(1, Ordering::AcqRel);
        {
            let mut shown = self
                .shown_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for path in &changed {
                shown.remove(path);
            }
        }
        for mut doc in self.docs.iter_mut() {
            doc.parsed = None;
            doc.checked = None;
        }
        self.workspace.touch();
        for path in changed {
            if path
                .file_name()
                .is_some_and(|name| name == project::FILE_NAME)
                && let Some(dir) = path.parent()
                && let Some(config) = self.workspace.configs.for_dir(dir)
                && config.path == path
            {
                self.show_problems(&config).await;
            }
        }
        self.schedule_others(None);
        tokio::spawn(self.clone().index_workspace());
    }

    fn diagnostics(&self, checked: &Checked) -> Vec<Diagnostic> {
        let encoding = self.encoding();
        let analysed = &checked.parsed;
        let mut others: HashMap<PathBuf, Option<Rope>> = HashMap::new();
        let own_uri = Uri::from_file_path(&analysed.file.path);
        // Each rule's documentation link, parsed once per publication rather than per finding.
        let mut docs: HashMap<&str, Option<Uri>> = HashMap::new();
        checked
            .findings
            .iter()
            .map(|finding| {
                // Levels were applied when the rules ran (`Effective::selection`).
                let level = finding.severity;
                let meta = rules::meta(finding.rule);
                let related: Vec<DiagnosticRelatedInformation> = finding
                    .related
                    .iter()
                    .filter_map(|related| {
                        let (uri, range) = match &related.location.path {
                            None => (
                                own_uri.clone()?,
                                analysed.range(&related.location.range, encoding),
                            ),
                            Some(path) => {
                                let rope = others
                                    .entry(path.clone())
                                    .or_insert_with(|| self.rope_of(path))
                                    .clone()?;
                                let range =
                                    convert::range(&rope, &related.location.range, encoding);
                                (Uri::from_file_path(path)?, range)
                            }
                        };
                        Some(DiagnosticRelatedInformation {
                            location: Location { uri, range },
                            message: related.message.clone(),
                        })
                    })
                    .collect();
                Diagnostic {
                    range: analysed.range(&finding.range, encoding),
                    severity: Some(severity(level)),
                    code: Some(NumberOrString::String(finding.rule.to_string())),
                    code_description: docs
                        .entry(finding.rule)
                        .or_insert_with(|| {
                            meta.and_then(|meta| meta.docs_url().parse::<Uri>().ok())
                        })
                        .clone()
                        .map(|href| CodeDescription { href }),
                    source: Some(SOURCE.to_string()),
                    message: finding.message.clone(),
                    related_information: (!related.is_empty()).then_some(related),
                    tags: None,
                    data: Some(json!({ "version": analysed.version, "rule": finding.rule })),
                }
            })
            .collect()
    }

    /// Analyses a document and publishes its diagnostics, unless it changed meanwhile. With
    /// `cascade`, a document that registers routes then re-publishes the other open documents,
    /// whose handlers may have gained or lost a method.
    async fn publish(self: Arc<Self>, uri: Uri, generation: Option<u64>, cascade: bool) {
        let current = |inner: &Inner| {
            inner
                .docs
                .get(&uri)
                .is_some_and(|doc| generation.is_none_or(|g| doc.generation == g))
        };
        if !current(&self) {
            return;
        }
        let worker = self.clone();
        let target = uri.clone();
        let computed = tokio::task::spawn_blocking(move || {
            let checked = worker.checked(&target)?;
            let diagnostics = guarded("diagnostics", || worker.diagnostics(&checked))?;
            Some((checked, diagnostics))
        })
        .await;
        let Ok(Some((checked, diagnostics))) = computed else {
            return;
        };
        if let Some(config) = self.workspace.configs.for_file(&checked.parsed.file.path) {
            self.show_problems(&config).await;
        }
        if !current(&self) {
            return;
        }
        if let Some(error) = &checked.error {
            self.client.log_message(MessageType::ERROR, error).await;
        }
        let registers = !checked.parsed.file.facts.registrations.is_empty();
        if self.pull.load(Ordering::Acquire) {
            // The client asks when it wants them; the cache is warm now. Others may need a pull.
            if cascade && registers {
                self.schedule_others(Some(&uri));
            }
            return;
        }
        self.client
            .publish_diagnostics(uri.clone(), diagnostics, Some(checked.version()))
            .await;
        if cascade && registers {
            self.schedule_others(Some(&uri));
        }
    }

    /// Schedules the diagnostics of a document after the debounce delay.
    fn schedule(self: &Arc<Self>, uri: Uri, debounce: bool, cascade: bool) {
        let Some(generation) = self.docs.get(&uri).map(|doc| doc.generation) else {
            return;
        };
        let delay = if debounce {
            Duration::from_millis(self.debounce_ms.load(Ordering::Relaxed))
        } else {
            Duration::ZERO
        };
        let inner = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            inner.publish(uri, Some(generation), cascade).await;
        });
    }

    /// Re-publishes every open document except one (the index they resolve against changed).
    /// A pulling client is asked to pull again instead.
    fn schedule_others(self: &Arc<Self>, except: Option<&Uri>) {
        if self.pull.load(Ordering::Acquire) {
            if self.refresh.load(Ordering::Acquire) {
                let client = self.client.clone();
                tokio::spawn(async move {
                    let _ = client.workspace_diagnostic_refresh().await;
                });
            }
            return;
        }
        let uris: Vec<Uri> = self
            .docs
            .iter()
            .map(|doc| doc.key().clone())
            .filter(|uri| Some(uri) != except)
            .collect();
        for uri in uris {
            self.schedule(uri, true, false);
        }
    }

    fn next_token(&self) -> NumberOrString {
        let n = self.progress_tokens.fetch_add(1, Ordering::Relaxed);
        NumberOrString::String(format!("http-status-ls/index/{n}"))
    }

    /// Indexes the workspace folders in the background, reporting `$/progress`.
    async fn index_workspace(self: Arc<Self>) {
        let roots: Vec<PathBuf> = match self.roots.lock() {
            Ok(roots) => roots.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if roots.is_empty() {
            return;
        }
        let walk_roots = roots.clone();
        let walker = self.clone();
        let walk = tokio::task::spawn_blocking(move || {
            let files = walker.workspace.walk(&walk_roots);
            let walked: std::collections::HashSet<&Path> =
                files.iter().map(PathBuf::as_path).collect();
            walker.workspace.retain_walked(&walked);
            files
        });
        // The progress token is a round trip with the client: it is asked for while the walk
        // runs, not between the walk and the index.
        let token = if self.progress_supported.load(Ordering::Acquire) {
            let token = self.next_token();
            self.client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
                .then_some(token)
        } else {
            None
        };
        let Ok(files) = walk.await else {
            return;
        };
        // One parallel job over every file, on rayon's pool rather than the blocking pool, which
        // stays free for requests; progress is read from a counter on a timer. (A job per chunk
        // of 256 files made both cores wait for the slowest file of each chunk.)
        const PROGRESS_EVERY: Duration = Duration::from_millis(100);
        let total = files.len();
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (finished, mut indexed) = tokio::sync::oneshot::channel::<()>();
        let worker = self.clone();
        let counter = done.clone();
        rayon::spawn(move || {
            use rayon::prelude::*;
            files.par_iter().for_each(|path| {
                // A panic in one file's extraction costs that file, not the index (nor the
                // process: a panic escaping a rayon job aborts).
                let read = catch_unwind(AssertUnwindSafe(|| worker.workspace.read(path)));
                if let Ok(Some(entry)) = read {
                    worker.workspace.insert_disk(entry);
                }
                counter.fetch_add(1, Ordering::Relaxed);
            });
            let _ = finished.send(());
        });
        let mut progress = None;
        if let Some(token) = token {
            progress = Some(
                self.client
                    .progress(token, "http-status-ls: indexing")
                    .with_message(format!("0/{total} files"))
                    .with_percentage(0)
                    .begin()
                    .await,
            );
        }
        let report = |done: usize| {
            let percentage = (done * 100 / total.max(1)) as u32;
            (format!("{done}/{total} files"), percentage)
        };
        loop {
            tokio::select! {
                _ = &mut indexed => break,
                () = tokio::time::sleep(PROGRESS_EVERY) => {
                    if let Some(progress) = &progress {
                        let (message, percentage) = report(done.load(Ordering::Relaxed));
                        progress.report_with_message(message, percentage).await;
                    }
                }
            }
        }
        if let Some(progress) = &progress {
            let (message, percentage) = report(total);
            progress.report_with_message(message, percentage).await;
        }
        if let Some(progress) = progress {
            progress
                .finish_with_message(format!(
                    "{total} files, {} with handlers or routes",
                    self.workspace.file_count()
                ))
                .await;
        }
        self.client
            .log_message(
                MessageType::INFO,
                format!(
                    "http-status-ls: indexed {total} files ({} with handlers or routes)",
                    self.workspace.file_count()
                ),
            )
            .await;
        self.schedule_others(None);
    }

    /// The code actions for a request, from the analysis of the current version.
    fn code_actions(&self, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = &params.text_document.uri;
        let checked = self.checked(uri)?;
        let analysed = &checked.parsed;
        // Our diagnostics carry the version they were computed for: a request about an older
        // version gets nothing, since its ranges may no longer mean the same text.
        let stale = params.context.diagnostics.iter().any(|d| {
            d.source.as_deref() == Some(SOURCE)
                && d.data
                    .as_ref()
                    .and_then(|data| data.get("version"))
                    .and_then(Value::as_i64)
                    .is_some_and(|v| v != i64::from(analysed.version))
        });
        if stale {
            return Some(Vec::new());
        }
        let encoding = self.encoding();
        let wants = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|o| kind.as_str().starts_with(o.as_str()) || o.as_str().is_empty())
            })
        };
        let requested = convert::byte_range(&analysed.rope, params.range, encoding);
        let edit_of = |edits: &[hsl_fixes::Edit]| {
            let text_edits = edits
                .iter()
                .map(|edit| TextEdit {
                    range: convert::range(&analysed.rope, &edit.range, encoding),
                    new_text: edit.new_text.clone(),
                })
                .collect();
            WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), text_edits)])),
                ..WorkspaceEdit::default()
            }
        };
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            for finding in checked.with_fixes() {
                if !overlaps(&finding.range, &requested) {
                    continue;
                }
                let diagnostic = self.matching_diagnostic(params, finding, analysed, encoding);
                let preferred = finding
                    .fixes
                    .iter()
                    .position(|fix| fix.applicability == Applicability::Safe);
                for (i, fix) in finding.fixes.iter().enumerate() {
                    let title = match fix.applicability {
                        Applicability::Safe => fix.title.clone(),
                        Applicability::Suggested => format!("{} (suggested)", fix.title),
                    };
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title,
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: diagnostic.clone().map(|d| vec![d]),
                        edit: Some(edit_of(&fix.edits)),
                        command: None,
                        is_preferred: Some(preferred == Some(i)),
                        disabled: None,
                        data: None,
                    }));
                }
                if let Some(ignore) = hsl_analysis::suppress::ignore_edit(
                    &analysed.file.text,
                    finding.range.start,
                    finding.rule,
                ) {
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Ignore `{}` on this line", finding.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: diagnostic.clone().map(|d| vec![d]),
                        edit: Some(edit_of(&[ignore])),
                        command: None,
                        is_preferred: Some(false),
                        disabled: None,
                        data: None,
                    }));
                }
                let ignore_file =
                    hsl_analysis::suppress::ignore_file_edit(&analysed.file.text, finding.rule);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Ignore `{}` in this file", finding.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    edit: Some(edit_of(&[ignore_file])),
                    command: None,
                    is_preferred: Some(false),
                    disabled: None,
                    data: None,
                }));
            }
        }
        let fix_all = CodeActionKind::from(FIX_ALL);
        if wants(&fix_all)
            && let Some(edits) = safe_fix_edits(&analysed.file, checked.with_fixes())
        {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe http-status-ls problems".to_string(),
                kind: Some(fix_all),
                diagnostics: None,
                edit: Some(edit_of(&edits)),
                command: None,
                is_preferred: None,
                disabled: None,
                data: None,
            }));
        }
        Some(actions)
    }

    fn matching_diagnostic(
        &self,
        params: &CodeActionParams,
        finding: &Finding,
        analysed: &Parsed,
        encoding: Encoding,
    ) -> Option<Diagnostic> {
        let range = convert::range(&analysed.rope, &finding.range, encoding);
        params
            .context
            .diagnostics
            .iter()
            .find(|d| {
                d.range == range && d.code == Some(NumberOrString::String(finding.rule.to_string()))
            })
            .cloned()
    }
}

/// The first safe fix of each finding, without overlaps; `None` when there is nothing to apply
/// or the result would parse worse (the same choice as `check --fix`).
fn safe_fix_edits(
    file: &analysis::SourceFile,
    findings: &[Finding],
) -> Option<Vec<hsl_fixes::Edit>> {
    analysis::apply_safe_fixes(file, findings)?;
    let mut edits: Vec<hsl_fixes::Edit> = Vec::new();
    for finding in findings {
        let Some(fix) = finding
            .fixes
            .iter()
            .find(|fix| fix.applicability == Applicability::Safe)
        else {
            continue;
        };
        let clash = fix.edits.iter().any(|edit| {
            edits.iter().any(|other| {
                edit.range.start < other.range.end.max(other.range.start + 1)
                    && other.range.start < edit.range.end.max(edit.range.start + 1)
            })
        });
        if !clash {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    (!edits.is_empty()).then_some(edits)
}

impl Backend {
    /// The facts of a document: from the cache at once, else computed on the blocking pool so
    /// that the request does not stall the runtime's workers.
    async fn parsed(&self, uri: &Uri) -> Option<Arc<Parsed>> {
        if let Some(parsed) = self.inner.docs.get(uri)?.current_parsed() {
            return Some(parsed);
        }
        let inner = self.inner.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || inner.parsed(&uri))
            .await
            .ok()
            .flatten()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let inner = &self.inner;
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        let utf8 = offered.is_some_and(|list| list.contains(&PositionEncodingKind::UTF8));
        inner.encoding.store(u8::from(utf8), Ordering::Release);
        let encoding = if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        };
        let window_progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|window| window.work_done_progress)
            .unwrap_or(false);
        inner
            .progress_supported
            .store(window_progress, Ordering::Release);
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|ws| ws.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        inner.watch_registration.store(watch, Ordering::Release);
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|text| text.diagnostic.is_some());
        inner.pull.store(pull, Ordering::Release);
        let refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|ws| ws.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        inner.refresh.store(refresh, Ordering::Release);
        if let Some(options) = &params.initialization_options {
            if let Some(ms) = options.get("diagnosticsDelayMs").and_then(Value::as_u64) {
                inner.debounce_ms.store(ms, Ordering::Relaxed);
            }
            inner.configure(options).await;
        }
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)] // `rootUri` is the fallback for clients without folders.
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(|uri| uri.to_file_path())
        {
            roots.push(root.into_owned());
        }
        match inner.roots.lock() {
            Ok(mut guard) => *guard = roots,
            Err(poisoned) => *poisoned.into_inner() = roots,
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(FIX_ALL),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(SOURCE.to_string()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    })
                }),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["(".into(), ":".into(), ".".into()]),
                    ..CompletionOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: SOURCE.to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let inner = self.inner.clone();
        if inner.watch_registration.load(Ordering::Acquire) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(
                            "**/*.{rs,ts,tsx,mts,cts,js,jsx,mjs,cjs}".to_string(),
                        ),
                        kind: None,
                    },
                    // Settings, and the manifests whose dependencies detect frameworks.
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{}", project::FILE_NAME)),
                        kind: None,
                    },
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(
                            "**/{package.json,Cargo.toml}".to_string(),
                        ),
                        kind: None,
                    },
                ],
            };
            let registration = Registration {
                id: "http-status-ls/watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            let client = inner.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![registration]).await;
            });
        }
        tokio::spawn(inner.index_workspace());
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shutdown.store(true, Ordering::Release);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let inner = &self.inner;
        let document = params.text_document;
        let path = path_of(&document.uri);
        let language = hsl_facts::Language::of_path(&path)
            .or_else(|| Language::of_lsp_id(&document.language_id));
        inner.docs.insert(
            document.uri.clone(),
            Document::new(document.version, &document.text, language, path),
        );
        inner.schedule(document.uri, false, true);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let inner = &self.inner;
        let uri = params.text_document.uri;
        let encoding = inner.encoding();
        {
            // Everything here runs in the first poll: no `.await` before the edit is applied.
            let Some(mut doc) = inner.docs.get_mut(&uri) else {
                return;
            };
            for change in params.content_changes {
                doc.apply_change(change.range, &change.text, encoding);
            }
            doc.version = params.text_document.version;
        }
        inner.schedule(uri, true, true);
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let inner = self.inner.clone();
        if params.settings.is_null() {
            return;
        }
        inner.configure(&params.settings).await;
        inner.schedule_others(None);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let inner = self.inner.clone();
        let uri = params.text_document.uri;
        let Some((_, doc)) = inner.docs.remove(&uri) else {
            return;
        };
        // The file's entry goes back to what is on disk.
        let path = doc.path;
        drop(doc.parsed);
        drop(doc.checked);
        let worker = inner.clone();
        tokio::spawn(async move {
            let _ = tokio::task::spawn_blocking(move || worker.workspace.load(&path, true)).await;
        });
        inner
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let inner = self.inner.clone();
        let open: Vec<PathBuf> = inner.docs.iter().map(|doc| doc.path.clone()).collect();
        let (settings, changes): (Vec<_>, Vec<_>) = params
            .changes
            .into_iter()
            .map(|change| (path_of(&change.uri), change.typ))
            .partition(|(path, _)| {
                path.file_name().is_some_and(|name| {
                    name == project::FILE_NAME || name == "package.json" || name == "Cargo.toml"
                })
            });
        if !settings.is_empty() {
            let changed = settings.into_iter().map(|(path, _)| path).collect();
            inner.config_files_changed(changed).await;
        }
        let changes: Vec<(PathBuf, FileChangeType)> = changes
            .into_iter()
            .filter(|(path, _)| !open.contains(path))
            .collect();
        if changes.is_empty() {
            return;
        }
        let worker = inner.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for (path, typ) in changes {
                if typ == FileChangeType::DELETED {
                    worker.workspace.remove(&path);
                } else {
                    worker.workspace.load(&path, false);
                }
            }
        })
        .await;
        inner.schedule_others(None);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let inner = self.inner.clone();
        let uri = params.text_document.uri;
        let computed = tokio::task::spawn_blocking(move || {
            let checked = inner.checked(&uri)?;
            let items = guarded("diagnostics", || inner.diagnostics(&checked))?;
            let settings = inner.config_epoch.load(Ordering::Acquire);
            Some((
                format!("{}-{}-{settings}", checked.version(), checked.epoch),
                items,
            ))
        })
        .await
        .ok()
        .flatten();
        let (result_id, items) = computed.unwrap_or_default();
        let report = if !result_id.is_empty()
            && params.previous_result_id.as_deref() == Some(result_id.as_str())
        {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            })
        } else {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: (!result_id.is_empty()).then_some(result_id),
                    items,
                },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let inner = &self.inner;
        let position = params.text_document_position_params;
        let Some(analysed) = self.parsed(&position.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = inner.encoding();
        let result = guarded("hover", || {
            let offset = convert::offset(&analysed.rope, position.position, encoding);
            hover::hover(&analysed.file, offset).map(|info| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: info.markdown,
                }),
                range: Some(convert::range(&analysed.rope, &info.range, encoding)),
            })
        });
        Ok(result.flatten())
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let inner = self.inner.clone();
        let actions = tokio::task::spawn_blocking(move || {
            guarded("code action", || inner.code_actions(&params)).flatten()
        })
        .await;
        Ok(actions.ok().flatten())
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let inner = &self.inner;
        let Some(analysed) = self.parsed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let worker = inner.clone();
        let path = analysed.file.path.clone();
        let enabled = tokio::task::spawn_blocking(move || worker.effective(&path).inlay_hints)
            .await
            .unwrap_or(true);
        if !enabled {
            return Ok(Some(Vec::new()));
        }
        let encoding = inner.encoding();
        let hints = guarded("inlay hints", || {
            let range = convert::byte_range(&analysed.rope, params.range, encoding);
            inlay::inlay_hints(&analysed.file, range)
                .into_iter()
                .map(|hint| InlayHint {
                    position: convert::position(&analysed.rope, hint.offset, encoding),
                    label: InlayHintLabel::String(hint.label),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(hsl_status_codes::label(hint.code))),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect()
        });
        Ok(hints)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let inner = &self.inner;
        let position = params.text_document_position;
        let (rope, language) = {
            let Some(doc) = inner.docs.get(&position.text_document.uri) else {
                return Ok(None);
            };
            let Some(language) = doc.language else {
                return Ok(None);
            };
            (doc.rope.clone(), language)
        };
        let encoding = inner.encoding();
        let result = guarded("completion", || {
            let offset = convert::offset(&rope, position.position, encoding);
            // Only the current line matters; slice it instead of copying the whole text.
            let line = rope.byte_to_line(offset);
            let line_start = rope.line_to_byte(line);
            let text = rope.byte_slice(line_start..offset).to_string();
            let found = completion::complete(language, &text, text.len())?;
            let replace = line_start + found.replace.start..line_start + found.replace.end;
            let range = convert::range(&rope, &replace, encoding);
            let kind = match found.kind {
                completion::CompletionKind::Number => CompletionItemKind::VALUE,
                completion::CompletionKind::Constant => CompletionItemKind::CONSTANT,
                completion::CompletionKind::Helper => CompletionItemKind::FUNCTION,
            };
            let items = found
                .items
                .into_iter()
                .map(|item| CompletionItem {
                    label: item.label.clone(),
                    kind: Some(kind),
                    detail: Some(item.detail.clone()),
                    documentation: Some(Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: item.documentation,
                    })),
                    sort_text: Some(item.sort_key),
                    filter_text: Some(format!("{} {}", item.label, item.detail)),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: item.label,
                    })),
                    ..CompletionItem::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        });
        Ok(result.flatten())
    }
}
