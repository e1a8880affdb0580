//! `textDocument/diagnostic`: diagnostics pulled by the client, with a result id that says
//! whether anything changed since its last pull.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport,
};

use crate::session::{Session, guarded};
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
    let computed = tokio::task::spawn_blocking(move || {
        let checked = worker.checked(&uri)?;
        let items = guarded("diagnostics", || to_proto::diagnostics(&worker, &checked))?;
        let settings = worker.config_epoch.load(Ordering::Acquire);
        let current = worker.is_current(&uri, checked.generation());
        let result_id = format!("{}-{}-{settings}", checked.generation(), checked.epoch);
        Some((current, result_id, items))
    })
    .await
    .ok()
    .flatten();
    if computed.as_ref().is_some_and(|(current, ..)| !current) {
        return Err(text_changed());
    }
    let (result_id, items) = computed
        .map(|(_, result_id, items)| (result_id, items))
        .unwrap_or_default();
    let report = if !result_id.is_empty()
        && params.previous_result_id.as_deref() == Some(result_id.as_str())
    {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
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

/// `ServerCancelled` (-32802) with `retriggerRequest`: the text changed under the request.
fn text_changed() -> Error {
    Error {
        code: ErrorCode::ServerError(-32802),
        message: "the document changed while its diagnostics were computed".into(),
        data: Some(json!({"retriggerRequest": true})),
    }
}
