//! The settings that apply to each document (its `http-status-ls.toml` under the client's
//! own settings), their changes, and the problems found in config files, shown once per
//! change.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;
use tower_lsp_server::ls_types::MessageType;

use super::config::Config;
use super::session::Session;
use hsl_config::{self as project, RuleSelection};
use hsl_tables::FrameworkOverrides;

/// What applies to one document: its `http-status-ls.toml` merged with the client's settings
/// (which win).
pub struct Effective {
    pub selection: RuleSelection,
    pub overrides: FrameworkOverrides,
    pub inlay_hints: bool,
    /// The config's `include`/`exclude` leave the file out: it gets no diagnostics.
    pub excluded: bool,
}

impl Session {
    fn client_config(&self) -> Config {
        match self.config.read() {
            Ok(config) => config.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Applies new settings and logs what was wrong with them.
    pub async fn configure(&self, value: &Value) {
        let (config, problems) = Config::from_value(value);
        match self.config.write() {
            Ok(mut guard) => *guard = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
        self.config_epoch.fetch_add(1, Ordering::AcqRel);
        // Cached findings were computed with the old levels.
        self.workspace.touch();
        for problem in problems {
            self.client.log_message(MessageType::WARNING, problem).await;
        }
    }

    /// The settings that apply to a file: its `http-status-ls.toml` (the nearest above it),
    /// with the client's settings on top. Reads the config file at most once per change.
    pub fn effective(&self, path: &Path) -> Effective {
        let client = self.client_config();
        let configs = &self.workspace.configs;
        let file = configs.for_file(path);
        let from_file = file
            .as_ref()
            .map(|config| config.settings.rules.clone())
            .unwrap_or_default();
        Effective {
            selection: from_file.overridden_by(&client.rules),
            overrides: configs.frameworks_for(path),
            inlay_hints: client
                .inlay_hints
                .or_else(|| file.as_ref().and_then(|config| config.settings.inlay_hints))
                .unwrap_or(true),
            excluded: file.as_ref().is_some_and(|config| !config.selects(path)),
        }
    }

    /// Shows a config file's problems (`window/showMessage`, warning) and logs each one, once
    /// per change of the file.
    pub async fn show_problems(&self, config: &project::ConfigFile) {
        {
            let mut shown = self
                .shown_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if shown.get(&config.path) == Some(&config.problems) {
                return;
            }
            shown.insert(config.path.clone(), config.problems.clone());
        }
        if config.problems.is_empty() {
            return;
        }
        let count = config.problems.len();
        let first = &config.problems[0];
        let summary = format!(
            "http-status-ls: {} has {count} problem{}: line {}: {}{}",
            config.path.display(),
            if count == 1 { "" } else { "s" },
            first.line,
            first.message,
            if count > 1 {
                " (see the log for the others)"
            } else {
                ""
            }
        );
        self.client
            .show_message(MessageType::WARNING, summary)
            .await;
        for problem in &config.problems {
            self.client
                .log_message(MessageType::WARNING, problem.to_string())
                .await;
        }
    }

    /// A config file (or a manifest) changed: forget every cached lookup and analysis, show the
    /// changed files' problems, re-index and re-publish.
    pub async fn config_files_changed(self: &Arc<Self>, changed: Vec<PathBuf>) {
        self.workspace.configs.invalidate();
        self.config_epoch.fetch_add(1, Ordering::AcqRel);
        {
            let mut shown = self
                .shown_problems
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for path in &changed {
                shown.remove(path);
            }
        }
        for mut doc in self.docs.iter_mut() {
            doc.parsed = None;
            doc.checked = None;
        }
        self.workspace.touch();
        for path in changed {
            if path
                .file_name()
                .is_some_and(|name| name == project::FILE_NAME)
                && let Some(dir) = path.parent()
                && let Some(config) = self.workspace.configs.for_dir(dir)
                && config.path == path
            {
                self.show_problems(&config).await;
            }
        }
        self.schedule_others(None);
        tokio::spawn(self.clone().index_workspace());
    }
}
