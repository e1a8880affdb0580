//! Workspace notifications: the client's settings changed, or files changed on disk.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeWatchedFilesParams, FileChangeType,
};

use crate::session::{Session, path_of};
use hsl_config as project;

/// Applies the new settings and re-publishes every open document.
pub async fn handle_did_change_configuration(
    session: &Arc<Session>,
    params: DidChangeConfigurationParams,
) {
    if params.settings.is_null() {
        return;
    }
    session.configure(&params.settings).await;
    session.schedule_others(None);
}

/// Re-reads changed config files and manifests, and the changed source files that are not
/// open (an open document's text is the editor's, not the disk's), then re-publishes.
pub async fn handle_did_change_watched_files(
    session: &Arc<Session>,
    params: DidChangeWatchedFilesParams,
) {
    let open: Vec<PathBuf> = session.docs.iter().map(|doc| doc.path.clone()).collect();
    let (settings, changes): (Vec<_>, Vec<_>) = params
        .changes
        .into_iter()
        .map(|change| (path_of(&change.uri), change.typ))
        .partition(|(path, _)| is_settings_file(path));
    if !settings.is_empty() {
        let changed = settings.into_iter().map(|(path, _)| path).collect();
        session.config_files_changed(changed).await;
    }
    let changes: Vec<(PathBuf, FileChangeType)> = changes
        .into_iter()
        .filter(|(path, _)| !open.contains(path))
        .collect();
    if changes.is_empty() {
        return;
    }
    let worker = session.clone();
    let _ = tokio::task::spawn_blocking(move || {
        for (path, typ) in changes {
            if typ == FileChangeType::DELETED {
                worker.workspace.remove(&path);
            } else {
                worker.workspace.load(&path, false);
            }
        }
    })
    .await;
    session.schedule_others(None);
}

/// Settings, and the manifests whose dependencies detect frameworks.
fn is_settings_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|name| {
        name == project::FILE_NAME || name == "package.json" || name == "Cargo.toml"
    })
}
