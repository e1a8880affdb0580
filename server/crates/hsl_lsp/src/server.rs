//! The `LanguageServer` implementation: a switchboard that hands each request or notification
//! to its handler in `handlers`, with the shared `Session`.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::handlers::{
    code_action, completion, diagnostic, hover, inlay_hint, lifecycle, text_document, workspace,
};
use super::session::Session;

/// The server; cheap to clone into background tasks.
#[derive(Clone)]
pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    /// A server speaking to `client`; `shutdown` is set when the client asks for `shutdown`.
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        Backend {
            session: Arc::new(Session::new(client, shutdown)),
        }
    }

    /// The state the handlers share (for calling a handler without a transport).
    #[cfg(test)]
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        lifecycle::handle_initialize(&self.session, params).await
    }

    async fn initialized(&self, params: InitializedParams) {
        lifecycle::handle_initialized(&self.session, params).await;
    }

    async fn shutdown(&self) -> Result<()> {
        lifecycle::handle_shutdown(&self.session).await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        text_document::handle_did_open(&self.session, params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        text_document::handle_did_change(&self.session, params).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        text_document::handle_did_save(&self.session, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        text_document::handle_did_close(&self.session, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        workspace::handle_did_change_configuration(&self.session, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        workspace::handle_did_change_watched_files(&self.session, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        diagnostic::handle_diagnostic(&self.session, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        hover::handle_hover(&self.session, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        code_action::handle_code_action(&self.session, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        inlay_hint::handle_inlay_hint(&self.session, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        completion::handle_completion(&self.session, params).await
    }
}
