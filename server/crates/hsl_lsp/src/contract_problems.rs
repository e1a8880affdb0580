//! A bad contract document's problems (invalid YAML, a `$ref` that points nowhere, an
//! operation without responses) as diagnostics on the document itself, so that the editor
//! shows why the contract rules stay silent for part of it. Each document's problems are
//! published when they change, and cleared once it reads well; a client that pulls
//! diagnostics does not get them.

use std::path::Path;
use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, Position, Range, Uri};

use crate::session::{SOURCE, Session};

impl Session {
    /// Publishes the problems of the contract documents of `path`'s project, where they differ
    /// from the ones last published.
    ///
    /// A client that pulls diagnostics is sent none unasked (it would keep them apart from
    /// the ones it pulls), so it does not see them.
    pub async fn show_contract_problems(&self, path: &Path) {
        if self.pull.load(Ordering::Acquire) {
            return;
        }
        let contracts = self.workspace.contracts_for(path);
        let mut changed = Vec::new();
        {
            let mut shown = self
                .shown_contract_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for document in contracts.documents() {
                let problems: Vec<_> = contracts
                    .problems
                    .iter()
                    .filter(|problem| problem.file == document)
                    .collect();
                let key: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                // Nothing shown yet counts as no problem: a good document publishes nothing.
                if shown
                    .get(document)
                    .map_or(key.is_empty(), |last| last == &key)
                {
                    continue;
                }
                shown.insert(document.to_path_buf(), key);
                let diagnostics = problems
                    .iter()
                    .map(|problem| diagnostic(problem.line, problem.column, &problem.message))
                    .collect::<Vec<_>>();
                changed.extend(Uri::from_file_path(document).map(|uri| (uri, diagnostics)));
            }
        }
        for (uri, diagnostics) in changed {
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }
}

/// A problem at a 1-based line and character column, as an error on that character (the
/// column counts characters; for ASCII, the usual case in a contract's keys, that is the
/// client's column too).
fn diagnostic(line: u32, column: u32, message: &str) -> Diagnostic {
    let start = Position::new(line.saturating_sub(1), column.saturating_sub(1));
    let end = Position::new(start.line, start.character.saturating_add(1));
    Diagnostic {
        range: Range::new(start, end),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message: message.to_string(),
        ..Diagnostic::default()
    }
}
