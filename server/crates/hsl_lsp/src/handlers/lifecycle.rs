//! The session's lifecycle: `initialize` (what the client offers, what the server provides),
//! `initialized` (file watchers, the background index) and `shutdown`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, OneOf,
    PositionEncodingKind, Registration, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, WorkDoneProgressOptions,
};

use super::code_action::FIX_ALL;
use crate::convert::Encoding;
use crate::session::{SOURCE, Session};
use hsl_config as project;

/// Records what the client offers (position encodings, progress, watchers, pull diagnostics),
/// applies its initialization options and answers with the server's capabilities.
pub async fn handle_initialize(
    session: &Arc<Session>,
    params: InitializeParams,
) -> Result<InitializeResult> {
    let capabilities = &params.capabilities;
    let utf8 = offers_utf8(capabilities);
    session.set_encoding(if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    });
    let offered = Offered::read(capabilities);
    session
        .progress_supported
        .store(offered.progress, Ordering::Release);
    session
        .watch_registration
        .store(offered.watch, Ordering::Release);
    session.pull.store(offered.pull, Ordering::Release);
    session.refresh.store(offered.refresh, Ordering::Release);
    session
        .related_documents
        .store(offered.pull && offered.related, Ordering::Release);
    if let Some(options) = &params.initialization_options {
        if let Some(ms) = options.get("diagnosticsDelayMs").and_then(Value::as_u64) {
            session.debounce_ms.store(ms, Ordering::Relaxed);
        }
        session.configure(options).await;
    }
    let roots = workspace_roots(&params);
    match session.roots.lock() {
        Ok(mut guard) => *guard = roots,
        Err(poisoned) => *poisoned.into_inner() = roots,
    }
    Ok(InitializeResult {
        capabilities: server_capabilities(utf8, offered.pull),
        server_info: Some(ServerInfo {
            name: SOURCE.to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    })
}

/// What the client says it supports, of what the server cares about.
struct Offered {
    progress: bool,
    watch: bool,
    /// Diagnostics are pulled by the client (only when it also accepts `refresh`).
    pull: bool,
    refresh: bool,
    /// A pull may answer for other documents too (`relatedDocumentSupport`).
    related: bool,
}

impl Offered {
    fn read(capabilities: &ClientCapabilities) -> Offered {
        let workspace = capabilities.workspace.as_ref();
        let refresh = workspace
            .and_then(|ws| ws.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        Offered {
            progress: capabilities
                .window
                .as_ref()
                .and_then(|window| window.work_done_progress)
                .unwrap_or(false),
            watch: workspace
                .and_then(|ws| ws.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            pull: capabilities
                .text_document
                .as_ref()
                .is_some_and(|text| text.diagnostic.is_some())
                // A document's diagnostics depend on other files, which the index reads in the
                // background: a client that pulls but cannot be asked to pull again (Neovim
                // 0.11) would keep what it pulled before the index had them. It gets them
                // pushed instead.
                && refresh,
            refresh,
            related: capabilities
                .text_document
                .as_ref()
                .and_then(|text| text.diagnostic.as_ref())
                .and_then(|diagnostic| diagnostic.related_document_support)
                .unwrap_or(false),
        }
    }
}

fn offers_utf8(capabilities: &ClientCapabilities) -> bool {
    capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref())
        .is_some_and(|list| list.contains(&PositionEncodingKind::UTF8))
}

/// The workspace folders, else the deprecated `rootUri`.
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    #[allow(deprecated)] // `rootUri` is the fallback for clients without folders.
    if roots.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(|uri| uri.to_file_path())
    {
        roots.push(root.into_owned());
    }
    roots
}

fn server_capabilities(utf8: bool, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(SOURCE.to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), ":".into(), ".".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Registers the file watchers (when the client can) and starts the background index.
pub async fn handle_initialized(session: &Arc<Session>, _: InitializedParams) {
    if session.watch_registration.load(Ordering::Acquire) {
        let registration = watchers();
        let client = session.client.clone();
        tokio::spawn(async move {
            let _ = client.register_capability(vec![registration]).await;
        });
    }
    tokio::spawn(session.clone().index_workspace());
}

/// Sources, settings, and the manifests whose dependencies detect frameworks.
fn watchers() -> Registration {
    let watcher = |glob: String| FileSystemWatcher {
        glob_pattern: GlobPattern::String(glob),
        kind: None,
    };
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![
            watcher("**/*.{rs,ts,tsx,mts,cts,js,jsx,mjs,cjs}".to_string()),
            watcher(format!("**/{}", project::FILE_NAME)),
            watcher("**/{package.json,Cargo.toml}".to_string()),
        ],
    };
    Registration {
        id: "http-status-ls/watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    }
}

/// Remembers that the client asked: `exit` then ends the process with 0.
pub async fn handle_shutdown(session: &Arc<Session>) -> Result<()> {
    session.shutdown.store(true, Ordering::Release);
    Ok(())
}
