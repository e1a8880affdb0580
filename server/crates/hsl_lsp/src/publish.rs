//! Getting diagnostics to the client: pushed (`textDocument/publishDiagnostics`) as soon as a
//! document's analysis is done, or, for a client that pulls, the cache warmed and the client
//! asked to pull again (`workspace/diagnostic/refresh`) when the index its documents resolve
//! against changed.
//!
//! No fixed delay stands between an edit and its diagnostics: an edit starts the analysis at
//! once, unless one of the same document is running; then the edits that arrive meanwhile are
//! coalesced into one analysis of the latest text, started when the running one ends. A delay
//! applies only when the client sets one (`diagnosticsDelayMs`).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use dashmap::mapref::entry::Entry;
use tower_lsp_server::ls_types::{MessageType, Uri};

use super::document::Document;
use super::session::{Session, guarded};
use super::to_proto;

impl Session {
    /// Schedules the diagnostics of a document: at once, or, when an analysis of it is
    /// running, right after that one (see the module's documentation). With `cascade`, a
    /// document whose route registrations changed then re-publishes the other open documents
    /// that define handlers of the names concerned (they may have gained or lost a method).
    /// `debounce` (an edit) waits the client's delay first, when it set one.
    pub fn schedule(self: &Arc<Self>, uri: Uri, debounce: bool, cascade: bool) {
        let delay = if debounce {
            Duration::from_millis(self.debounce_ms.load(Ordering::Relaxed))
        } else {
            Duration::ZERO
        };
        if !delay.is_zero() {
            let Some(generation) = self.docs.get(&uri).map(|doc| doc.generation) else {
                return;
            };
            let session = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                session.publish(uri, generation, cascade).await;
            });
            return;
        }
        match self.running.entry(uri.clone()) {
            Entry::Occupied(mut running) => {
                // Runs once the running analysis ends, on the text of then.
                let again = running.get_mut();
                *again = Some(again.unwrap_or(false) || cascade);
                return;
            }
            Entry::Vacant(slot) => {
                slot.insert(None);
            }
        }
        let session = self.clone();
        tokio::spawn(async move { session.publish_until_current(uri, cascade).await });
    }

    /// Publishes a document's diagnostics, then again as long as edits arrived meanwhile.
    async fn publish_until_current(self: Arc<Self>, uri: Uri, mut cascade: bool) {
        loop {
            let Some(generation) = self.docs.get(&uri).map(|doc| doc.generation) else {
                self.running.remove(&uri);
                return;
            };
            self.clone().publish(uri.clone(), generation, cascade).await;
            if self
                .running
                .remove_if(&uri, |_, again| again.is_none())
                .is_some()
            {
                return;
            }
            match self.running.get_mut(&uri) {
                Some(mut again) => cascade = again.take().unwrap_or(false),
                None => return,
            }
        }
    }

    /// Re-publishes every open document except one (the index they resolve against changed).
    /// A pulling client is asked to pull again instead.
    pub fn schedule_others(self: &Arc<Self>, except: Option<&Uri>) {
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

    /// Analyses a document and publishes its diagnostics, unless its text changed meanwhile
    /// (whatever the version number says).
    async fn publish(self: Arc<Self>, uri: Uri, generation: u64, cascade: bool) {
        if !self.is_current(&uri, generation) {
            return;
        }
        let worker = self.clone();
        let target = uri.clone();
        let computed = tokio::task::spawn_blocking(move || {
            let checked = worker.checked(&target)?;
            let diagnostics = guarded("diagnostics", || to_proto::diagnostics(&worker, &checked))?;
            Some((checked, diagnostics))
        })
        .await;
        let Ok(Some((checked, diagnostics))) = computed else {
            self.clear_if_too_large(&uri, generation).await;
            return;
        };
        if checked.generation() != generation {
            return;
        }
        if let Some(config) = self.workspace.configs.for_file(&checked.parsed.file.path) {
            self.show_problems(&config).await;
        }
        self.show_contract_problems(&checked.parsed.file.path).await;
        if !self.is_current(&uri, generation) {
            return;
        }
        if let Some(error) = &checked.error {
            self.client.log_message(MessageType::ERROR, error).await;
        }
        if !self.pull.load(Ordering::Acquire) {
            // A client that pulls asks when it wants them; the cache is warm now.
            self.client
                .publish_diagnostics(uri.clone(), diagnostics, Some(checked.version()))
                .await;
        }
        if cascade {
            self.schedule_registered(&uri);
        }
    }

    /// Re-publishes the open documents that define a handler whose registrations in `uri`
    /// changed (a document not analysed yet may define one too); a pulling client is asked to
    /// pull again instead.
    fn schedule_registered(self: &Arc<Self>, uri: &Uri) {
        let names = match self.docs.get_mut(uri) {
            Some(mut doc) => std::mem::take(&mut doc.registrations_changed),
            None => return,
        };
        if names.is_empty() {
            return;
        }
        if self.pull.load(Ordering::Acquire) {
            self.schedule_others(Some(uri));
            return;
        }
        let defines = |doc: &Document| {
            doc.analysable()
                && doc.parsed.as_ref().is_none_or(|parsed| {
                    parsed.file.facts.handlers.iter().any(|handler| {
                        handler
                            .name
                            .as_ref()
                            .is_some_and(|name| names.contains(name))
                    })
                })
        };
        let uris: Vec<Uri> = self
            .docs
            .iter()
            .filter(|doc| doc.key() != uri && defines(doc.value()))
            .map(|doc| doc.key().clone())
            .collect();
        for uri in uris {
            self.schedule(uri, true, false);
        }
    }

    /// A document over the size limit gets no diagnostics: an empty list clears any it had.
    async fn clear_if_too_large(&self, uri: &Uri, generation: u64) {
        let version = match self.docs.get(uri) {
            Some(doc)
                if doc.generation == generation && doc.language.is_some() && doc.too_large() =>
            {
                doc.version
            }
            _ => return,
        };
        if !self.pull.load(Ordering::Acquire) {
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), Some(version))
                .await;
        }
    }
}
