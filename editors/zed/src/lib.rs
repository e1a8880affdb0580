//! Zed extension for http-status-ls: starts the `http-status-ls` binary found on the worktree's
//! PATH (`cargo install --path server` from a checkout of the repository) as a stdio language
//! server, and passes the `lsp.http-status-ls.settings` of Zed's settings to it.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct HttpStatusLs;

impl zed::Extension for HttpStatusLs {
    fn new() -> Self {
        HttpStatusLs
    }

    fn language_server_command(
        &mut self,
        server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        // `lsp.http-status-ls.binary.path` in Zed's settings wins over PATH.
        let configured = LspSettings::for_worktree(server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary)
            .and_then(|binary| binary.path);
        let command = configured
            .or_else(|| worktree.which("http-status-ls"))
            .ok_or_else(|| {
                "http-status-ls was not found on PATH: install it with `cargo install --path server` \
                 from a checkout of the repository, or set lsp.http-status-ls.binary.path"
                    .to_string()
            })?;
        Ok(zed::Command {
            command,
            args: vec!["--stdio".to_string()],
            env: worktree.shell_env(),
        })
    }

    fn language_server_workspace_configuration(
        &mut self,
        server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        // Same shape as VS Code, Neovim and Helix: { "http-status-ls": { "rules": …, "inlayHints": … } }
        let settings = LspSettings::for_worktree(server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.settings)
            .unwrap_or_else(|| zed::serde_json::json!({}));
        Ok(Some(zed::serde_json::json!({ "http-status-ls": settings })))
    }
}

zed::register_extension!(HttpStatusLs);
