//! One file from bytes to findings: load, parse, extract, resolve methods, run rules, keep
//! only fixes that parse no worse than the original. Shared by the CLI and the server.

pub mod completion;
pub mod contracts;
pub mod hover;
pub mod inlay;
pub mod routes;
pub mod scan;
pub mod suppress;
pub mod tokens;
pub mod walk;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use hsl_config::RuleSelection;
use hsl_facts::{FileFacts, Language};
use hsl_fixes as fixes;
use hsl_rules::{self as rules, Finding, RuleContext, RuleMeta};
use hsl_syntax::{self as syntax, SyntaxProblem};
use hsl_tables::FrameworkOverrides;
use hsl_workspace::{IndexedFile, WorkspaceIndex, summarise_helpers};

/// Files larger than this are skipped with a note: generated bundles, not handler code.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// An analysed file.
pub struct SourceFile {
    pub path: PathBuf,
    pub language: Language,
    pub text: String,
    pub facts: FileFacts,
    pub problems: Vec<SyntaxProblem>,
}

/// Why a file was not analysed; each is reported as a note, never as an error of the run.
#[derive(Debug)]
pub enum Skip {
    UnknownLanguage,
    TooLarge(u64),
    Binary,
    NotUtf8,
    Unreadable(std::io::Error),
    /// Minified or bundled code, found by a walk where the default excludes apply; says why.
    Generated(String),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::UnknownLanguage => write!(f, "not a Rust, TypeScript or JavaScript file"),
            Skip::TooLarge(size) => write!(
                f,
                "larger than 2 MiB ({:.1} MiB), probably generated",
                *size as f64 / (1024.0 * 1024.0)
            ),
            Skip::Binary => write!(f, "binary content"),
            Skip::NotUtf8 => write!(f, "not valid UTF-8"),
            Skip::Unreadable(err) => write!(f, "cannot be read: {err}"),
            Skip::Generated(why) => write!(
                f,
                "{why}; name it on the command line or set `default-excludes = false` to check it"
            ),
        }
    }
}

/// Reads a file from disk and analyses it.
pub fn load(path: &Path) -> Result<SourceFile, Skip> {
    let (language, bytes) = read_source(path)?;
    let text = decode(&bytes)?;
    Ok(from_text(path.to_path_buf(), language, text))
}

/// The language and raw bytes of a file we read: a known extension and at most 2 MiB. Callers
/// prefilter the bytes before paying for decoding and parsing. This is the one loader: the CLI
/// and the server's workspace index both read files through it.
pub fn read_source(path: &Path) -> Result<(Language, Vec<u8>), Skip> {
    let language = Language::of_path(path).ok_or(Skip::UnknownLanguage)?;
    let mut file = std::fs::File::open(path).map_err(Skip::Unreadable)?;
    let size = file.metadata().map_err(Skip::Unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(size));
    }
    let capacity = usize::try_from(size).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity);
    // A file that grew since `metadata` is still read no further than the limit.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(Skip::Unreadable)?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(read));
    }
    Ok((language, bytes))
}

/// Decodes file bytes, refusing binary content and invalid UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, Skip> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Skip::Binary);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| Skip::NotUtf8)
}

/// [`decode`] for bytes the caller no longer needs, without copying them. The CLI decodes every
/// file it reads before the prefilter decides whether to parse it, so that a binary or non-UTF-8
/// file gets its note even when it holds no status code.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, Skip> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Skip::Binary);
    }
    String::from_utf8(bytes).map_err(|_| Skip::NotUtf8)
}

/// The facts of the file at `path` (its text given), with its helpers summarised, without
/// keeping the text (the workspace index keeps facts only).
pub fn facts_of(
    path: &Path,
    language: Language,
    text: &str,
    overrides: &FrameworkOverrides,
) -> FileFacts {
    let mut facts = syntax::analyze_with(language, text, overrides).0;
    add_helpers(&mut facts, path);
    facts
}

/// Completes a file's helpers: those its syntax declares (an error class with a status) learn
/// the file they are in, and those its functions' responses imply are summarised.
fn add_helpers(facts: &mut FileFacts, path: &Path) {
    for helper in &mut facts.helpers {
        if helper.defined.path.is_none() {
            helper.defined.path = Some(path.to_path_buf());
        }
    }
    let derived = summarise_helpers(facts, path);
    facts.helpers.extend(derived);
}

/// Analyses text that is already in memory.
pub fn from_text(path: PathBuf, language: Language, text: String) -> SourceFile {
    from_text_with(path, language, text, &FrameworkOverrides::default())
}

/// Analyses text with framework detection overridden by configuration.
pub fn from_text_with(
    path: PathBuf,
    language: Language,
    text: String,
    overrides: &FrameworkOverrides,
) -> SourceFile {
    let (mut facts, problems) = syntax::analyze_with(language, &text, overrides);
    add_helpers(&mut facts, &path);
    SourceFile {
        path,
        language,
        text,
        facts,
        problems,
    }
}

/// The syntax layer's kept tree and edit description, for the server's incremental parsing.
pub use hsl_syntax::{SyntaxTree, TextChange, TextPoint};

/// [`from_text_with`] reusing `old`, the previous version's tree with the edits since applied;
/// returns the tree of this text to keep for the next edit.
pub fn from_text_reusing(
    path: PathBuf,
    language: Language,
    text: String,
    old: Option<&SyntaxTree>,
    overrides: &FrameworkOverrides,
) -> (SourceFile, Option<SyntaxTree>) {
    let (mut facts, problems, tree) = syntax::analyze_reusing(language, &text, old, overrides);
    add_helpers(&mut facts, &path);
    let file = SourceFile {
        path,
        language,
        text,
        facts,
        problems,
    };
    (file, tree)
}

impl SourceFile {
    /// What other files' analyses read of this one through the index (its handlers' names,
    /// ranges, methods and declared responses, registrations with what they declare, imports,
    /// helpers, frameworks, credential checks (the words a handler calling one by name borrows),
    /// and the calls that hand a handler's response object to a function, whose methods that
    /// function answers with), without its text, responses, other helper calls, handlers' words
    /// and escapes (read only by the file's own rules) or syntax problems: a run that checks many files keeps this of
    /// each and the whole analysis only while the file is being reported.
    pub fn index_part(&self) -> SourceFile {
        let facts = &self.facts;
        let handlers = facts
            .handlers
            .iter()
            .map(|handler| hsl_facts::Handler {
                words: hsl_facts::Words::default(),
                escapes: Vec::new(),
                bindings: Vec::new(),
                body_calls: Vec::new(),
                in_browser: false,
                ..handler.clone()
            })
            .collect();
        SourceFile {
            path: self.path.clone(),
            language: self.language,
            text: String::new(),
            facts: FileFacts {
                frameworks: facts.frameworks.clone(),
                handlers,
                registrations: facts.registrations.clone(),
                imports: facts.imports.clone(),
                responses: Vec::new(),
                helper_calls: facts
                    .helper_calls
                    .iter()
                    .filter(|call| call.args.contains(&hsl_facts::Argument::Response))
                    .cloned()
                    .collect(),
                helpers: facts.helpers.clone(),
                credential_checks: facts.credential_checks.clone(),
            },
            problems: Vec::new(),
        }
    }

    /// The index's view of this file.
    pub fn indexed(&self) -> IndexedFile<'_> {
        IndexedFile {
            path: &self.path,
            language: self.language,
            facts: &self.facts,
        }
    }
}

/// The findings of one file. A panic inside a rule is caught: the file gets no findings and the
/// error is returned as a note, so one bad rule cannot end a run or a server.
pub fn findings(file: &SourceFile, index: &WorkspaceIndex<'_>) -> Result<Vec<Finding>, String> {
    findings_with(file, index, &RuleSelection::default())
}

/// [`findings`] with the rules and severities configuration selects.
pub fn findings_with(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    selection: &RuleSelection,
) -> Result<Vec<Finding>, String> {
    let mut found = rule_findings(file, index, selection)?;
    selection.apply(&mut found);
    check_fixes(file, &mut found);
    Ok(found)
}

/// The findings before their fixes are checked to parse: what diagnostics need. The language
/// server publishes these and runs [`check_fixes`] only when fixes are asked for. Runs the rules
/// `selection` enables; severities are the caller's (`RuleSelection::apply`).
pub fn rule_findings(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    selection: &RuleSelection,
) -> Result<Vec<Finding>, String> {
    rule_findings_selected(file, index, |meta| selection.enabled(meta))
}

/// [`rule_findings`] for the rules `enabled` selects (configuration, or a test enabling an
/// opt-in rule). Suppression comments apply, and an ignore comment that silences nothing is
/// reported (`suppress::UNUSED_IGNORE`), but only for rules that ran here.
pub fn rule_findings_selected(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    enabled: impl Fn(&RuleMeta) -> bool,
) -> Result<Vec<Finding>, String> {
    rule_findings_in_project(file, index, &contracts::FileRoutes::default(), enabled)
}

/// [`findings_with`] knowing what the project's routes say about the file's handlers
/// (`contracts::ProjectContracts::file_routes`): their whole paths, their read-back routes and
/// their contracts.
pub fn findings_in_project(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    selection: &RuleSelection,
    routes: &contracts::FileRoutes,
) -> Result<Vec<Finding>, String> {
    let mut found = rule_findings_in_project(file, index, routes, |meta| selection.enabled(meta))?;
    selection.apply(&mut found);
    check_fixes(file, &mut found);
    Ok(found)
}

/// [`rule_findings_selected`] knowing what the project's routes say about the file's handlers.
pub fn rule_findings_in_project(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    routes: &contracts::FileRoutes,
    enabled: impl Fn(&RuleMeta) -> bool,
) -> Result<Vec<Finding>, String> {
    let run = || {
        let methods = index.resolve_methods(&file.indexed());
        let facts = with_lent_credentials(with_helper_responses(file, index), file, index);
        let ctx = RuleContext {
            facts: &facts,
            text: &file.text,
            handler_methods: &methods,
            contracts: &routes.contracts,
            routes: &routes.routes,
        };
        let mut found = rules::run_selected(&ctx, &enabled);
        note_helpers(&facts, &mut found);
        suppress::retain_unsuppressed_reporting_unused(&file.text, &mut found, |rule, scope| {
            rules::meta(rule)
                .is_some_and(|meta| enabled(meta) && silence_is_proof(&ctx, meta, scope))
        });
        found
    };
    catch_unwind(AssertUnwindSafe(run)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!(
            "internal error while checking {}: {detail}",
            file.path.display()
        )
    })
}

/// The file's facts with the responses its calls of the project's helpers send (see
/// `WorkspaceIndex::helper_responses`); a status the syntax recorded as only mentioned, where
/// such a call passes it, becomes the status the call sends.
pub fn with_helper_responses<'f>(
    file: &'f SourceFile,
    index: &WorkspaceIndex<'_>,
) -> std::borrow::Cow<'f, FileFacts> {
    let sent = index.helper_responses(&file.indexed());
    if sent.is_empty() {
        return std::borrow::Cow::Borrowed(&file.facts);
    }
    let mut facts = file.facts.clone();
    facts.responses.retain(|response| {
        response.role == hsl_facts::SiteRole::Sets
            || !sent
                .iter()
                .any(|other| other.status.range == response.status.range)
    });
    facts.responses.extend(sent);
    std::borrow::Cow::Owned(facts)
}

/// The facts with each handler's words joined by those of the credential checks it calls
/// (`WorkspaceIndex::lent_credential_words`): a handler that calls `auth(req)` reads the
/// `Authorization` header that function reads; and each `401` helper's words joined by those
/// of the credential checks in other files that call it
/// (`WorkspaceIndex::lent_caller_credentials`): the `401` refuses what they read.
fn with_lent_credentials<'f>(
    facts: std::borrow::Cow<'f, FileFacts>,
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
) -> std::borrow::Cow<'f, FileFacts> {
    let indexed = file.indexed();
    let mut lent = index.lent_credential_words(&indexed);
    lent.extend(index.lent_caller_credentials(&indexed));
    if lent.is_empty() {
        return facts;
    }
    let mut facts = facts.into_owned();
    for (id, words) in lent {
        if let Some(handler) = facts.handlers.get_mut(id) {
            // What the check reads, not what it calls: its calls are not the handler's.
            for (list, more) in [
                (&mut handler.words.names, words.names),
                (&mut handler.words.strings, words.strings),
            ] {
                list.extend(more);
                list.sort();
                list.dedup();
            }
        }
    }
    std::borrow::Cow::Owned(facts)
}

/// Tells, on each finding about a status a project helper sends, where that helper is.
fn note_helpers(facts: &FileFacts, found: &mut [Finding]) {
    for finding in found {
        let helper = facts
            .responses
            .iter()
            .find_map(|response| match &response.status.spelling {
                hsl_facts::Spelling::ProjectHelper {
                    name,
                    defined: Some(location),
                } if response.status.range == finding.range => Some((name, location, response)),
                _ => None,
            });
        if let Some((name, location, response)) = helper {
            let code = response
                .status
                .code
                .map_or(String::new(), |code| format!("`{code}` "));
            finding.related.push(rules::Related {
                location: location.clone(),
                message: format!("{code}is sent by `{name}`, defined here"),
            });
        }
    }
}

/// Whether a rule that reported nothing in `scope` would have reported something there if it
/// applied: false when the rule needs the method of a handler sending one of its codes in
/// `scope` and that method is unknown (the route may be registered in a file not analysed, or
/// not indexed yet), so such an ignore is never called stale.
fn silence_is_proof(ctx: &RuleContext<'_>, meta: &RuleMeta, scope: &suppress::Scope) -> bool {
    if meta.method_codes.is_empty() {
        return true;
    }
    !ctx.facts.responses.iter().any(|response| {
        let in_scope = match scope {
            suppress::Scope::File => true,
            suppress::Scope::Lines(range) => range.contains(&response.status.range.start),
        };
        in_scope
            && response.role == hsl_facts::SiteRole::Sets
            && response
                .status
                .code
                .is_some_and(|code| meta.method_codes.contains(&code))
            && ctx.methods_of(response.handler).is_empty()
    })
}

/// Drops every fix whose result parses worse than the file (see below).
pub fn check_fixes(file: &SourceFile, found: &mut [Finding]) {
    drop_fixes_that_break_parsing(file, found);
}

/// A fix must never leave code that parses worse than before.
///
/// Re-parsing the file once per fix is quadratic on files with many findings, so in a file that
/// parses cleanly the k-th fixes of all findings are checked together in one parse; only when
/// that batch parses worse is each of its fixes checked on its own. In a file with syntax
/// errors every fix is checked on its own: there one fix of a batch may remove an error (it
/// replaces the broken code) while another adds one, and the count would not show it.
fn drop_fixes_that_break_parsing(file: &SourceFile, found: &mut [Finding]) {
    let before = file.problems.len();
    let batches = before == 0;
    let parses_no_worse = |edits: &[fixes::Edit]| {
        let (fixed, applied) = fixes::apply(&file.text, edits);
        applied == edits.len() && syntax::error_count(file.language, &fixed) <= before
    };
    let rounds = found.iter().map(|f| f.fixes.len()).max().unwrap_or(0);
    let mut verdicts: Vec<Vec<bool>> = found.iter().map(|f| vec![true; f.fixes.len()]).collect();
    #[allow(clippy::needless_range_loop)] // `round` indexes every finding's fix list.
    for round in 0..rounds {
        let mut batch: Vec<fixes::Edit> = Vec::new();
        let mut members = Vec::new();
        let mut alone = Vec::new();
        for (index, finding) in found.iter().enumerate() {
            let Some(fix) = finding.fixes.get(round) else {
                continue;
            };
            let overlaps = fix.edits.iter().any(|edit| {
                batch
                    .iter()
                    .any(|other| ranges_touch(&edit.range, &other.range))
            });
            if overlaps || !batches {
                alone.push(index);
            } else {
                batch.extend(fix.edits.iter().cloned());
                members.push(index);
            }
        }
        if !batch.is_empty() && !parses_no_worse(&batch) {
            alone.append(&mut members);
        }
        for index in alone {
            verdicts[index][round] = parses_no_worse(&found[index].fixes[round].edits);
        }
    }
    for (finding, verdict) in found.iter_mut().zip(verdicts) {
        let mut keep = verdict.into_iter();
        finding.fixes.retain(|_| keep.next().unwrap_or(false));
    }
}

fn ranges_touch(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Applies the first safe fix of each finding (non-overlapping), if the result parses no worse.
/// Returns the new text and the number of findings fixed, or `None` when nothing applies.
pub fn apply_safe_fixes(file: &SourceFile, found: &[Finding]) -> Option<(String, usize)> {
    let mut edits = Vec::new();
    let mut fixed = 0;
    for finding in found {
        let Some(fix) = finding
            .fixes
            .iter()
            .find(|fix| fix.applicability == fixes::Applicability::Safe)
        else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|edit| {
            edits
                .iter()
                .any(|other: &fixes::Edit| ranges_touch(&edit.range, &other.range))
        });
        if overlaps {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        fixed += 1;
    }
    if fixed == 0 {
        return None;
    }
    let (text, _) = fixes::apply(&file.text, &edits);
    if syntax::error_count(file.language, &text) > file.problems.len() {
        return None;
    }
    Some((text, fixed))
}
