//! A bad contract document's problems (invalid YAML, a `$ref` that points nowhere, an
//! operation without responses) as diagnostics on the document itself, so that the editor
//! shows why the contract rules stay silent for part of it. Each document's problems are
//! pushed when they change, and cleared once it reads well. A client that pulls diagnostics
//! and takes related documents (LSP 3.17 `relatedDocumentSupport`) gets them with each pull of
//! a document of the project instead, and as the items of a pull of the contract itself.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use hsl_analysis::contracts::ContractProblem;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, Position, Range, Uri};

use crate::session::{SOURCE, Session};

impl Session {
    /// Publishes the problems of the contract documents of `path`'s project, where they differ
    /// from the ones last published.
    ///
    /// A client that pulls and takes related documents gets them with its pulls instead
    /// (`handlers::diagnostic`). One that pulls without them is sent them all the same: it
    /// pulls only the documents it hands to the server, which a contract document is not.
    pub async fn show_contract_problems(&self, path: &Path) {
        if self.related_documents.load(Ordering::Acquire) {
            return;
        }
        let mut changed = Vec::new();
        {
            let mut shown = self
                .shown_contract_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for (document, problems) in self.contract_problems(path) {
                let key: Vec<String> = problems.iter().map(ToString::to_string).collect();
                // Nothing shown yet counts as no problem: a good document publishes nothing.
                if shown
                    .get(&document)
                    .map_or(key.is_empty(), |last| last == &key)
                {
                    continue;
                }
                shown.insert(document.clone(), key);
                changed.extend(Uri::from_file_path(&document).map(|uri| (uri, problems)));
            }
        }
        for (uri, problems) in changed {
            let diagnostics = problems.iter().map(diagnostic).collect();
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }

    /// Each contract document of `path`'s project with its diagnostics (none for a document
    /// that reads well), for a client that pulls.
    pub fn contract_diagnostics(&self, path: &Path) -> Vec<(PathBuf, Vec<Diagnostic>)> {
        self.contract_problems(path)
            .into_iter()
            .map(|(document, problems)| (document, problems.iter().map(diagnostic).collect()))
            .collect()
    }

    /// Each contract document of `path`'s project with its problems.
    fn contract_problems(&self, path: &Path) -> Vec<(PathBuf, Vec<ContractProblem>)> {
        let contracts = self.workspace.contracts_for(path);
        contracts
            .documents()
            .map(|document| {
                let problems = contracts
                    .problems
                    .iter()
                    .filter(|problem| problem.file == document)
                    .cloned()
                    .collect();
                (document.to_path_buf(), problems)
            })
            .collect()
    }
}

/// A problem at a 1-based line and character column, as an error on that character (the
/// column counts characters; for ASCII, the usual case in a contract's keys, that is the
/// client's column too).
fn diagnostic(problem: &ContractProblem) -> Diagnostic {
    let start = Position::new(
        problem.line.saturating_sub(1),
        problem.column.saturating_sub(1),
    );
    let end = Position::new(start.line, start.character.saturating_add(1));
    Diagnostic {
        range: Range::new(start, end),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message: problem.message.clone(),
        ..Diagnostic::default()
    }
}
