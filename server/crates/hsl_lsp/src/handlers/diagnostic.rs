//! `textDocument/diagnostic`: diagnostics pulled by the client, with a result id that says
//! whether anything changed since its last pull. For a client that takes related documents,
//! the problems of the project's contract documents come along as related documents, and are
//! the items of a pull of the contract document itself.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportKind,
    DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use crate::session::{Session, guarded, path_of};
use crate::to_proto;

/// The document's diagnostics, or `unchanged` when the client's previous result is still
/// right (same text, same index, same settings). When the text changes while they are
/// computed, the request is cancelled with a request to pull again (LSP 3.17
/// `DiagnosticServerCancellationData`).
pub async fn handle_diagnostic(
    session: &Arc<Session>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let worker = session.clone();
    let uri = params.text_document.uri;
    let computed = tokio::task::spawn_blocking(move || pulled(&worker, &uri))
        .await
        .ok()
        .flatten();
    if computed.as_ref().is_some_and(|pulled| !pulled.current) {
        return Err(text_changed());
    }
    let Pulled {
        result_id,
        items,
        related,
        ..
    } = computed.unwrap_or_default();
    let related_documents = related_documents(related);
    let report = if !result_id.is_empty()
        && params.previous_result_id.as_deref() == Some(result_id.as_str())
    {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: (!result_id.is_empty()).then_some(result_id),
                items,
            },
        })
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

/// What one pull answers.
#[derive(Default)]
struct Pulled {
    /// Whether the items were computed from the document's latest text.
    current: bool,
    result_id: String,
    items: Vec<Diagnostic>,
    /// The project's contract documents with their diagnostics.
    related: Vec<(PathBuf, Vec<Diagnostic>)>,
}

/// The document's diagnostics and its project's contract problems; `None` for a document the
/// server does not know that is no contract either.
fn pulled(session: &Arc<Session>, uri: &Uri) -> Option<Pulled> {
    let path = path_of(uri);
    // A client without related documents gets the contract problems pushed (`contract_problems`).
    let mut contracts = if session.related_documents.load(Ordering::Acquire) {
        session.contract_diagnostics(&path)
    } else {
        Vec::new()
    };
    let contracts_key = key_of(&contracts);
    if let Some(at) = contracts
        .iter()
        .position(|(document, _)| same_file(document, &path))
    {
        let (_, items) = contracts.swap_remove(at);
        return Some(Pulled {
            current: true,
            result_id: format!("contract-{contracts_key}"),
            items,
            related: Vec::new(),
        });
    }
    let checked = session.checked(uri)?;
    let items = guarded("diagnostics", || to_proto::diagnostics(session, &checked))?;
    let settings = session.config_epoch.load(Ordering::Acquire);
    Some(Pulled {
        current: session.is_current(uri, checked.generation()),
        result_id: format!(
            "{}-{}-{settings}-{contracts_key}",
            checked.generation(),
            checked.epoch
        ),
        items,
        related: contracts,
    })
}

/// Whether two paths name the same file (the contract's path is the one the walk found).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || std::fs::canonicalize(a)
            .ok()
            .is_some_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
}

/// A digest of the contract problems, so that a result id changes when they do.
fn key_of(contracts: &[(PathBuf, Vec<Diagnostic>)]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (document, diagnostics) in contracts {
        document.hash(&mut hasher);
        for diagnostic in diagnostics {
            diagnostic.message.hash(&mut hasher);
            diagnostic.range.start.line.hash(&mut hasher);
            diagnostic.range.start.character.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The contract documents' reports, in full (they are small), or nothing when the project has
/// no contract document.
fn related_documents(
    related: Vec<(PathBuf, Vec<Diagnostic>)>,
) -> Option<HashMap<Uri, DocumentDiagnosticReportKind>> {
    let reports: HashMap<_, _> = related
        .into_iter()
        .filter_map(|(document, items)| {
            let uri = Uri::from_file_path(&document)?;
            let report = FullDocumentDiagnosticReport {
                result_id: None,
                items,
            };
            Some((uri, DocumentDiagnosticReportKind::Full(report)))
        })
        .collect();
    (!reports.is_empty()).then_some(reports)
}

/// `ServerCancelled` (-32802) with `retriggerRequest`: the text changed under the request.
fn text_changed() -> Error {
    Error {
        code: ErrorCode::ServerError(-32802),
        message: "the document changed while its diagnostics were computed".into(),
        data: Some(json!({"retriggerRequest": true})),
    }
}
