//! `textDocument/codeAction`: each finding's fixes as quick fixes (the first safe one
//! preferred), "ignore" comments for the line and the file, and a fix-all of the safe fixes.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    Diagnostic, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use crate::convert::{self, Encoding};
use crate::document::Parsed;
use crate::session::{SOURCE, Session, guarded};
use hsl_analysis::{self as analysis, suppress};
use hsl_fixes::{Applicability, Edit, Fix};
use hsl_rules::Finding;

/// The kind of the fix-all action (`source.fixAll` for this server).
pub const FIX_ALL: &str = "source.fixAll.http-status-ls";

/// The actions for a request, computed on the blocking pool.
pub async fn handle_code_action(
    session: &Arc<Session>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let worker = session.clone();
    let actions = tokio::task::spawn_blocking(move || {
        guarded("code action", || code_actions(&worker, &params)).flatten()
    })
    .await;
    Ok(actions.ok().flatten())
}

/// What the actions of one request are built from.
struct Request<'a> {
    params: &'a CodeActionParams,
    analysed: &'a Parsed,
    encoding: Encoding,
}

/// The code actions for a request, from the analysis of the current version.
fn code_actions(session: &Session, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let checked = session.checked(uri)?;
    let analysed = &checked.parsed;
    // Our diagnostics carry the text they were computed for: a request about another text
    // (or one that changed meanwhile) gets nothing, since its ranges may no longer mean the
    // same code.
    if about_another_text(params, analysed) || !session.is_current(uri, analysed.generation) {
        return Some(Vec::new());
    }
    let request = Request {
        params,
        analysed,
        encoding: session.encoding(),
    };
    let mut actions = Vec::new();
    if wants(params, &CodeActionKind::QUICKFIX) {
        let requested = convert::byte_range(&analysed.rope, params.range, request.encoding);
        for finding in checked.with_fixes() {
            if overlaps(&finding.range, &requested) {
                actions.extend(request.quick_fixes(finding));
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL);
    if wants(params, &fix_all)
        && let Some(edits) = safe_fix_edits(&analysed.file, checked.with_fixes())
    {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Fix all safe http-status-ls problems".to_string(),
            kind: Some(fix_all),
            edit: Some(request.edit_of(&edits)),
            ..CodeAction::default()
        }));
    }
    Some(actions)
}

/// Whether one of our diagnostics in the request was computed for another text: another
/// version, or the same version number with other text (its generation).
fn about_another_text(params: &CodeActionParams, analysed: &Parsed) -> bool {
    let differs = |data: &Value, key: &str, current: i64| {
        data.get(key)
            .and_then(Value::as_i64)
            .is_some_and(|value| value != current)
    };
    let generation = i64::try_from(analysed.generation).unwrap_or(i64::MAX);
    params.context.diagnostics.iter().any(|d| {
        d.source.as_deref() == Some(SOURCE)
            && d.data.as_ref().is_some_and(|data| {
                differs(data, "version", i64::from(analysed.version))
                    || differs(data, "generation", generation)
            })
    })
}

/// Whether the request's `only` admits actions of `kind`.
fn wants(params: &CodeActionParams, kind: &CodeActionKind) -> bool {
    params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|o| kind.as_str().starts_with(o.as_str()) || o.as_str().is_empty())
    })
}

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

impl Request<'_> {
    /// A finding's fixes, then its "ignore on this line" and "ignore in this file" actions.
    fn quick_fixes(&self, finding: &Finding) -> Vec<CodeActionOrCommand> {
        let diagnostic = self.matching_diagnostic(finding);
        let preferred = finding
            .fixes
            .iter()
            .position(|fix| fix.applicability == Applicability::Safe);
        let mut actions: Vec<CodeActionOrCommand> = finding
            .fixes
            .iter()
            .enumerate()
            .map(|(i, fix)| {
                let title = fix_title(fix);
                self.quick_fix(title, &diagnostic, &fix.edits, preferred == Some(i))
            })
            .collect();
        let text = &self.analysed.file.text;
        if let Some(ignore) = suppress::ignore_edit(text, finding.range.start, finding.rule) {
            let title = format!("Ignore {} on this line", finding.rule);
            actions.push(self.quick_fix(title, &diagnostic, &[ignore], false));
        }
        let ignore_file = suppress::ignore_file_edit(text, finding.rule);
        let title = format!("Ignore {} in this file", finding.rule);
        actions.push(self.quick_fix(title, &diagnostic, &[ignore_file], false));
        actions
    }

    fn quick_fix(
        &self,
        title: String,
        diagnostic: &Option<Diagnostic>,
        edits: &[Edit],
        preferred: bool,
    ) -> CodeActionOrCommand {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.clone().map(|d| vec![d]),
            edit: Some(self.edit_of(edits)),
            command: None,
            is_preferred: Some(preferred),
            disabled: None,
            data: None,
        })
    }

    /// Byte-range edits of this document as a workspace edit.
    fn edit_of(&self, edits: &[Edit]) -> WorkspaceEdit {
        let rope = &self.analysed.rope;
        let text_edits = edits
            .iter()
            .map(|edit| TextEdit {
                range: convert::range(rope, &edit.range, self.encoding),
                new_text: edit.new_text.clone(),
            })
            .collect();
        let uri: Uri = self.params.text_document.uri.clone();
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, text_edits)])),
            ..WorkspaceEdit::default()
        }
    }

    /// The client's diagnostic for this finding, if the request names it.
    fn matching_diagnostic(&self, finding: &Finding) -> Option<Diagnostic> {
        let range = convert::range(&self.analysed.rope, &finding.range, self.encoding);
        let code = Some(NumberOrString::String(finding.rule.to_string()));
        self.params
            .context
            .diagnostics
            .iter()
            .find(|d| d.range == range && d.code == code)
            .cloned()
    }
}

/// A fix's title as the editor shows it: plain text (editors show a code action's title as
/// it is, so the rules' markdown backticks go), and a suggested fix says so.
fn fix_title(fix: &Fix) -> String {
    let plain = fix.title.replace('`', "");
    match fix.applicability {
        Applicability::Safe => plain,
        Applicability::Suggested => format!("{plain} (suggested)"),
    }
}

/// The first safe fix of each finding, without overlaps; `None` when there is nothing to apply
/// or the result would parse worse (the same choice as `check --fix`).
fn safe_fix_edits(file: &analysis::SourceFile, findings: &[Finding]) -> Option<Vec<Edit>> {
    analysis::apply_safe_fixes(file, findings)?;
    let mut edits: Vec<Edit> = Vec::new();
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
