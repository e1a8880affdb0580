//! Document synchronisation: `didOpen`, `didChange`, `didSave`, `didClose`.
//!
//! Ordering (DEPS.md §1): tower-lsp-server runs handlers concurrently, first-polled in arrival
//! order, so these mutate the document map before their first `.await`, and no map guard is
//! ever held across an `.await`.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, MessageType,
};

use crate::document::Document;
use crate::session::{Session, path_of};
use hsl_analysis::MAX_FILE_BYTES;
use hsl_facts::Language;

/// Keeps the document and schedules its diagnostics at once (or says why it gets none).
pub async fn handle_did_open(session: &Arc<Session>, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    let path = path_of(&document.uri);
    let language = Language::of_path(&path).or_else(|| Language::of_lsp_id(&document.language_id));
    let mut doc = Document::new(document.version, &document.text, language, path.clone());
    let too_large = doc.crossed_size_limit().then(|| doc.rope.len_bytes());
    session.docs.insert(document.uri.clone(), doc);
    session.schedule(document.uri, false, true);
    if let Some(bytes) = too_large {
        tell_too_large(session, path, bytes).await;
    }
}

/// Applies the changes in order and schedules the diagnostics after the debounce delay.
pub async fn handle_did_change(session: &Arc<Session>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let encoding = session.encoding();
    let too_large = {
        // Everything here runs in the first poll: no `.await` before the edit is applied.
        let Some(mut doc) = session.docs.get_mut(&uri) else {
            return;
        };
        for change in params.content_changes {
            doc.apply_change(change.range, &change.text, encoding);
        }
        doc.version = params.text_document.version;
        doc.crossed_size_limit()
            .then(|| (doc.path.clone(), doc.rope.len_bytes()))
    };
    session.schedule(uri, true, true);
    if let Some((path, bytes)) = too_large {
        tell_too_large(session, path, bytes).await;
    }
}

/// Says why a document gets no diagnostics (`window/showMessage`, warning).
async fn tell_too_large(session: &Session, path: PathBuf, bytes: usize) {
    const MIB: f64 = 1024.0 * 1024.0;
    let message = format!(
        "http-status-ls: {} is not analysed: it is {:.1} MiB, over the limit of {} MiB for a file (the same as `http-status-ls check`)",
        session.display_path(&path),
        bytes as f64 / MIB,
        MAX_FILE_BYTES / (1024 * 1024),
    );
    session
        .client
        .show_message(MessageType::WARNING, message)
        .await;
}

/// Nothing to do: the text is already known from the changes.
pub async fn handle_did_save(_: &Arc<Session>, _: DidSaveTextDocumentParams) {}

/// Forgets the document, puts its file's on-disk facts back in the index and clears its
/// diagnostics.
pub async fn handle_did_close(session: &Arc<Session>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let Some((_, doc)) = session.docs.remove(&uri) else {
        return;
    };
    let path = doc.path;
    drop(doc.parsed);
    drop(doc.checked);
    let worker = session.clone();
    tokio::spawn(async move {
        let _ = tokio::task::spawn_blocking(move || worker.workspace.load(&path, true)).await;
    });
    session
        .client
        .publish_diagnostics(uri, Vec::new(), None)
        .await;
}
