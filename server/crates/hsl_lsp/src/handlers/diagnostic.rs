//! `textDocument/diagnostic`: diagnostics pulled by the client, with a result id that says
//! whether anything changed since its last pull.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport,
};

use crate::session::{Session, guarded};
use crate::to_proto;

/// The document's diagnostics, or `unchanged` when the client's previous result is still
/// right (same text, same index, same settings).
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
