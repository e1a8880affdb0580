//! The server's state, shared by every handler: the open documents, the workspace index, what
//! the client negotiated, and the settings. Handlers receive `&Arc<Session>`; analyses run on
//! snapshots taken from it (a document's text at one version) and are stored back only when
//! that document has not moved on meanwhile.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use ropey::Rope;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::config::Config;
use super::convert::Encoding;
use super::document::{Checked, Document, Parsed};
use super::index::{Entry, Workspace, changed_registrations};
use hsl_analysis as analysis;
use hsl_config::Problem;
use hsl_tables::FrameworkOverrides;

/// The `source` of every diagnostic, the server's name, and the suffix of the fix-all kind.
pub const SOURCE: &str = "http-status-ls";
/// Default delay between an edit and the analysis it starts: none (`publish` coalesces the
/// edits that arrive while an analysis runs).
const DEFAULT_DEBOUNCE_MS: u64 = 0;

/// Everything the handlers share; cheap to reach from background tasks through an `Arc`.
pub struct Session {
    pub client: Client,
    pub docs: DashMap<Uri, Document>,
    pub workspace: Workspace,
    /// 0 = UTF-16 (the default), 1 = UTF-8.
    encoding: AtomicU8,
    pub debounce_ms: AtomicU64,
    /// The documents whose analysis for diagnostics is running, each with whether edits
    /// arrived since (`Some(cascade)`): they are analysed again when it ends.
    pub running: DashMap<Uri, Option<bool>>,
    /// The workspace folders (or the root) the index reads, and related paths are named from.
    pub roots: Mutex<Vec<PathBuf>>,
    pub progress_supported: AtomicBool,
    pub watch_registration: AtomicBool,
    /// Set by `shutdown`: the process exit code depends on it (LSP §exit).
    pub shutdown: Arc<AtomicBool>,
    progress_tokens: AtomicU64,
    /// The client pulls diagnostics (`textDocument/diagnostic`); nothing is pushed then.
    pub pull: AtomicBool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub refresh: AtomicBool,
    /// The client pulls and takes reports of related documents with a pull: the contract
    /// documents' problems come with each pull then, and are pushed otherwise.
    pub related_documents: AtomicBool,
    pub config: RwLock<Config>,
    /// Bumped on every settings change, of the client or of an `http-status-ls.toml` (part of a
    /// pulled report's result id; an analysis started before a change is not cached).
    pub config_epoch: AtomicU64,
    /// The problems last shown for each config file, so each change is shown once.
    pub shown_problems: Mutex<HashMap<PathBuf, Vec<Problem>>>,
    /// The problems last published on each contract document (`contract_problems`).
    pub shown_contract_problems: Mutex<HashMap<PathBuf, Vec<String>>>,
}

/// Runs a computation, turning a panic into `None` so that one bad request cannot take the
/// server down.
pub fn guarded<T>(what: &str, work: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Some(value),
        Err(_) => {
            eprintln!("http-status-ls: internal error in {what}");
            None
        }
    }
}

/// The file path of a document URI (its path component when it is not a `file:` URI).
pub fn path_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from(uri.path().as_str()))
}

/// What an analysis started from: one generation of a document's text.
struct Snapshot {
    generation: u64,
    version: i32,
    rope: Rope,
    language: hsl_facts::Language,
    path: PathBuf,
    tree: Option<analysis::SyntaxTree>,
}

impl Session {
    /// A session for a client; `shutdown` is set when the client asks for `shutdown`.
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Session {
        Session {
            client,
            docs: DashMap::new(),
            workspace: Workspace::default(),
            encoding: AtomicU8::new(0),
            debounce_ms: AtomicU64::new(DEFAULT_DEBOUNCE_MS),
            running: DashMap::new(),
            roots: Mutex::new(Vec::new()),
            progress_supported: AtomicBool::new(false),
            watch_registration: AtomicBool::new(false),
            shutdown,
            progress_tokens: AtomicU64::new(0),
            pull: AtomicBool::new(false),
            refresh: AtomicBool::new(false),
            related_documents: AtomicBool::new(false),
            config: RwLock::new(Config::default()),
            config_epoch: AtomicU64::new(0),
            shown_problems: Mutex::new(HashMap::new()),
            shown_contract_problems: Mutex::new(HashMap::new()),
        }
    }

    /// The negotiated position encoding.
    pub fn encoding(&self) -> Encoding {
        if self.encoding.load(Ordering::Acquire) == 1 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// Records the position encoding `initialize` settled on.
    pub fn set_encoding(&self, encoding: Encoding) {
        let utf8 = encoding == Encoding::Utf8;
        self.encoding.store(u8::from(utf8), Ordering::Release);
    }

    /// The workspace folders, as `initialize` gave them.
    pub fn roots(&self) -> Vec<PathBuf> {
        match self.roots.lock() {
            Ok(roots) => roots.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A path as the user knows it: relative to the workspace folder that holds it (the
    /// innermost), else whole.
    pub fn display_path(&self, path: &Path) -> String {
        self.roots()
            .iter()
            .filter_map(|root| path.strip_prefix(root).ok())
            .min_by_key(|relative| relative.components().count())
            .filter(|relative| !relative.as_os_str().is_empty())
            .map_or_else(
                || path.display().to_string(),
                |relative| relative.display().to_string(),
            )
    }

    /// A fresh `$/progress` token for one indexing run.
    pub fn next_progress_token(&self) -> String {
        let n = self.progress_tokens.fetch_add(1, Ordering::Relaxed);
        format!("http-status-ls/index/{n}")
    }

    /// The facts of a document's current text, computed now if needed (and cached when the
    /// document has not moved meanwhile). Never holds a map guard while analysing. The facts
    /// may be of a text the document no longer has: a caller answering the client checks
    /// [`Session::is_current`].
    pub fn parsed(&self, uri: &Uri) -> Option<Arc<Parsed>> {
        let lock = {
            let doc = self.docs.get(uri)?;
            if !doc.analysable() {
                return None;
            }
            if let Some(parsed) = doc.current_parsed() {
                return Some(parsed);
            }
            doc.analysing.clone()
        };
        // One analysis per document at a time: whoever comes second finds it cached.
        let _turn = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let snapshot = {
            let doc = self.docs.get(uri)?;
            if let Some(parsed) = doc.current_parsed() {
                return Some(parsed);
            }
            if !doc.analysable() {
                return None;
            }
            Snapshot {
                generation: doc.generation,
                version: doc.version,
                rope: doc.rope.clone(),
                language: doc.language?,
                path: doc.path.clone(),
                tree: doc.tree.clone(),
            }
        };
        let settings_epoch = self.config_epoch.load(Ordering::Acquire);
        let overrides = self.effective(&snapshot.path).overrides;
        let (parsed, tree) = guarded("analysis", || analyse(snapshot, &overrides))?;
        self.store_parsed(uri, &parsed, tree, settings_epoch);
        Some(parsed)
    }

    /// Keeps an analysis (in the document, and as the file's entry in the index) when its
    /// document still has the text it was made from, whatever the version number says.
    fn store_parsed(
        &self,
        uri: &Uri,
        parsed: &Arc<Parsed>,
        tree: Option<analysis::SyntaxTree>,
        settings_epoch: u64,
    ) {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return;
        };
        if doc.generation != parsed.generation {
            // The text changed under the analysis: the next one starts from the kept tree.
            super::later::drop_later(tree);
            return;
        }
        let replaced = self.workspace.set_open(parsed.file.clone());
        let changed =
            changed_registrations(replaced.as_deref().map(Entry::facts), &parsed.file.facts);
        for name in changed {
            if !doc.registrations_changed.contains(&name) {
                doc.registrations_changed.push(name);
            }
        }
        super::later::drop_later(replaced);
        // The tree is of this text whatever the settings; the facts only if the settings did
        // not change meanwhile.
        super::later::drop_later(std::mem::replace(&mut doc.tree, tree));
        if self.config_epoch.load(Ordering::Acquire) == settings_epoch {
            doc.parsed = Some(parsed.clone());
        }
    }

    /// The findings of a document's current text against the current index (the same caveat
    /// as [`Session::parsed`]).
    pub fn checked(&self, uri: &Uri) -> Option<Arc<Checked>> {
        let epoch = self.workspace.epoch();
        if let Some(checked) = self.docs.get(uri)?.current_checked(epoch) {
            return Some(checked);
        }
        let parsed = self.parsed(uri)?;
        let epoch = self.workspace.epoch();
        let effective = self.effective(&parsed.file.path);
        let (findings, error) = guarded("rules", || {
            if effective.excluded {
                return (Vec::new(), None);
            }
            match self.workspace.findings(&parsed.file, &effective.selection) {
                Ok(findings) => (findings, None),
                Err(message) => (Vec::new(), Some(message)),
            }
        })?;
        let checked = Arc::new(Checked::new(parsed, epoch, findings, error));
        if let Some(mut doc) = self.docs.get_mut(uri)
            && doc.generation == checked.generation()
        {
            doc.checked = Some(checked.clone());
        }
        Some(checked)
    }

    /// Whether a document still has the text of `generation` (a result computed from another
    /// text answers nothing).
    pub fn is_current(&self, uri: &Uri, generation: u64) -> bool {
        self.docs
            .get(uri)
            .is_some_and(|doc| doc.generation == generation)
    }

    /// The facts of a document: from the cache at once, else computed on the blocking pool so
    /// that the request does not stall the runtime's workers.
    pub async fn parsed_async(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Parsed>> {
        if let Some(parsed) = self.docs.get(uri)?.current_parsed() {
            return Some(parsed);
        }
        let session = self.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || session.parsed(&uri))
            .await
            .ok()
            .flatten()
    }

    /// The text of another file, for related information: an open document, else the disk.
    pub fn rope_of(&self, path: &Path) -> Option<Rope> {
        let open = self
            .docs
            .iter()
            .find(|doc| doc.path == path)
            .map(|doc| doc.rope.clone());
        if open.is_some() {
            return open;
        }
        let text = std::fs::read_to_string(path).ok()?;
        Some(Rope::from_str(&text))
    }
}

/// Analyses one snapshot: its facts, and the tree the next edit re-parses from.
fn analyse(
    snapshot: Snapshot,
    overrides: &FrameworkOverrides,
) -> (Arc<Parsed>, Option<analysis::SyntaxTree>) {
    let (file, tree) = analysis::from_text_reusing(
        snapshot.path,
        snapshot.language,
        snapshot.rope.to_string(),
        snapshot.tree.as_ref(),
        overrides,
    );
    let parsed = Parsed::new(
        snapshot.generation,
        snapshot.version,
        snapshot.rope,
        Arc::new(file),
    );
    (Arc::new(parsed), tree)
}
