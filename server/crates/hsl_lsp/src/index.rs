//! The server's cross-file index: each workspace file's facts (handlers, registrations,
//! imports), kept in a `DashMap` and updated per file, so that a handler registered in another
//! file gets its method. Open documents replace their on-disk entry with their live analysis.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use dashmap::DashMap;

use hsl_analysis::contracts::{ProjectContracts, contract_files};
use hsl_analysis::walk::{self, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, RuleSelection};
use hsl_facts::{FileFacts, HandlerRef, Language, RouteRegistration};
use hsl_rules::Finding;
use hsl_tables as tables;
use hsl_workspace::{IndexedFile, WorkspaceIndex};

/// One file's contribution to the index.
pub enum Entry {
    /// Read from disk: only what resolution reads (responses are dropped to save memory).
    Disk {
        path: PathBuf,
        language: Language,
        facts: Box<FileFacts>,
    },
    /// An open document's latest analysis.
    Open(Arc<SourceFile>),
}

impl Entry {
    /// The facts the index resolves against.
    pub fn facts(&self) -> &FileFacts {
        match self {
            Entry::Disk { facts, .. } => facts,
            Entry::Open(file) => &file.facts,
        }
    }

    fn indexed(&self) -> IndexedFile<'_> {
        match self {
            Entry::Disk {
                path,
                language,
                facts,
            } => IndexedFile {
                path,
                language: *language,
                facts,
            },
            Entry::Open(file) => file.indexed(),
        }
    }
}

/// The status, route and credential literals compiled once per process: the automaton is the
/// same for every workspace, and building its DFA costs more than a small session's whole work.
static RELEVANT: LazyLock<Prefilter> = LazyLock::new(|| {
    Prefilter::dfa(
        tables::status_literals()
            .into_iter()
            .chain(tables::route_literals())
            .chain(tables::credential_literals()),
    )
});

/// The workspace's files by absolute path.
pub struct Workspace {
    files: DashMap<PathBuf, Arc<Entry>>,
    /// The literals of status sites, of route registrations and of the `Authorization` header
    /// in one automaton: a file with none of them holds neither handlers, registrations nor
    /// credential checks, and one pass over its bytes tells (two automata made most files pay
    /// two passes).
    relevant: &'static Prefilter,
    /// Bumped whenever an entry changes, so cached findings know they may be stale.
    epoch: AtomicU64,
    /// The `http-status-ls.toml` of each directory (include/exclude, framework overrides).
    pub configs: Arc<Resolver>,
    /// Each contract document read, with the modification time it was read at: read again
    /// only when it changes on disk.
    contracts: DashMap<PathBuf, (Option<std::time::SystemTime>, Arc<ProjectContracts>)>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            files: DashMap::new(),
            relevant: &RELEVANT,
            epoch: AtomicU64::new(0),
            configs: Arc::new(Resolver::discover()),
            contracts: DashMap::new(),
        }
    }
}

impl Workspace {
    /// The files under the roots that the index reads (gitignore-aware and filtered by each
    /// directory's config, like `check`).
    pub fn walk(&self, roots: &[PathBuf]) -> Vec<PathBuf> {
        walk::files_with(roots, &self.configs, false).0
    }

    /// The version of the index: cached findings computed at another epoch are stale.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Marks every cached finding stale (the configuration changed).
    pub fn touch(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// How many files hold handlers or registrations.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Reads a file from disk into the index (or drops it when it no longer holds anything the
    /// index needs). An open document's entry is left alone unless `replace_open`.
    pub fn load(&self, path: &Path, replace_open: bool) {
        if !replace_open
            && self
                .files
                .get(path)
                .is_some_and(|entry| matches!(**entry, Entry::Open(_)))
        {
            return;
        }
        match self.read(path) {
            Some(entry) => {
                self.files.insert(path.to_path_buf(), Arc::new(entry));
            }
            None => {
                self.files.remove(path);
            }
        }
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Reads and analyses a file for the index, `None` when it cannot hold a status site or a
    /// route, or holds neither handlers nor registrations.
    pub fn read(&self, path: &Path) -> Option<Entry> {
        let (language, bytes) = analysis::read_source(path).ok()?;
        if !self.relevant.passes(&bytes) {
            return None;
        }
        if !self.configs.selects(path) {
            return None;
        }
        let text = analysis::decode(&bytes).ok()?;
        let overrides = self.configs.frameworks_for(path);
        let mut facts = analysis::facts_of(path, language, &text, &overrides);
        if facts.handlers.is_empty()
            && facts.registrations.is_empty()
            && facts.credential_checks.is_empty()
        {
            return None;
        }
        facts.responses = Vec::new();
        facts.responses.shrink_to_fit();
        Some(Entry::Disk {
            path: path.to_path_buf(),
            language,
            facts: Box::new(facts),
        })
    }

    /// Stores an entry read elsewhere (the background indexer), unless the file is open.
    pub fn insert_disk(&self, entry: Entry) {
        let path = match &entry {
            Entry::Disk { path, .. } => path.clone(),
            Entry::Open(file) => file.path.clone(),
        };
        if self
            .files
            .get(&path)
            .is_some_and(|e| matches!(**e, Entry::Open(_)))
        {
            return;
        }
        self.files.insert(path, Arc::new(entry));
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// An open document's analysis replaces its file's entry; the entry it replaced is
    /// returned, for the caller to free where it costs nothing.
    pub fn set_open(&self, file: Arc<SourceFile>) -> Option<Arc<Entry>> {
        let replaced = self
            .files
            .insert(file.path.clone(), Arc::new(Entry::Open(file)));
        self.epoch.fetch_add(1, Ordering::AcqRel);
        replaced
    }

    /// Drops the entries read from disk whose file is no longer among `walked` (a config now
    /// excludes it); open documents stay.
    pub fn retain_walked(&self, walked: &std::collections::HashSet<&Path>) {
        let before = self.files.len();
        self.files.retain(|path, entry| {
            matches!(**entry, Entry::Open(_)) || walked.contains(path.as_path())
        });
        if self.files.len() != before {
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Forgets a file (deleted on disk).
    pub fn remove(&self, path: &Path) {
        if self.files.remove(path).is_some() {
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// The hover of a route registered or handled in `file` at `offset` (see
    /// `hsl_analysis::routes::route_hover`), against the whole index.
    pub fn route_hover(
        &self,
        file: &SourceFile,
        offset: usize,
    ) -> Option<hsl_analysis::hover::HoverInfo> {
        let contracts = self.contracts_for(&file.path);
        self.with_index(file, |index| {
            let mut routes = contracts.file_routes(index);
            let routes = routes.remove(&file.path).unwrap_or_default();
            hsl_analysis::routes::route_hover(file, index, &routes.contracts, offset)
        })
    }

    /// The contract of the project `path` belongs to (see `contracts::contract_files`), read
    /// once and again only when the document changes on disk; empty when there is none.
    pub fn contracts_for(&self, path: &Path) -> Arc<ProjectContracts> {
        let Some(document) = contract_files(&[path.to_path_buf()], &self.configs)
            .into_iter()
            .next()
        else {
            return Arc::new(ProjectContracts::default());
        };
        let modified = std::fs::metadata(&document)
            .and_then(|metadata| metadata.modified())
            .ok();
        if let Some(cached) = self.contracts.get(&document)
            && cached.0 == modified
        {
            return cached.1.clone();
        }
        let loaded = Arc::new(ProjectContracts::load(std::slice::from_ref(&document)));
        self.contracts.insert(document, (modified, loaded.clone()));
        loaded
    }

    /// Runs `with` on an index of the whole workspace in which `file` stands in for its entry.
    fn with_index<R>(&self, file: &SourceFile, with: impl FnOnce(&WorkspaceIndex<'_>) -> R) -> R {
        let others: Vec<Arc<Entry>> = self
            .files
            .iter()
            .filter(|entry| entry.key() != &file.path)
            .map(|entry| entry.value().clone())
            .collect();
        let mut indexed: Vec<IndexedFile<'_>> = Vec::with_capacity(others.len() + 1);
        indexed.push(file.indexed());
        indexed.extend(others.iter().map(|entry| entry.indexed()));
        let index = WorkspaceIndex::new(indexed);
        with(&index)
    }

    /// The findings of a file against the whole index (the file itself stands in for its entry)
    /// with the rules and severities `selection` gives, fixes not yet checked
    /// (`analysis::check_fixes`).
    pub fn findings(
        &self,
        file: &SourceFile,
        selection: &RuleSelection,
    ) -> Result<Vec<Finding>, String> {
        let contracts = self.contracts_for(&file.path);
        self.with_index(file, |index| {
            // What the workspace's routes and the project's contract say of this file's
            // handlers, as `check` gives the rules.
            let mut routes = contracts.file_routes(index);
            let routes = routes.remove(&file.path).unwrap_or_default();
            let mut found = analysis::rule_findings_in_project(file, index, &routes, |meta| {
                selection.enabled(meta)
            })?;
            selection.apply(&mut found);
            Ok(found)
        })
    }
}

/// The handler names whose registrations differ between a file's previous facts and its new
/// ones (methods, path or place), position by position: the open documents that define a
/// handler of one of these names may have gained or lost a method, or a note's place. A
/// registration of an inline handler concerns its own file only.
pub fn changed_registrations(old: Option<&FileFacts>, new: &FileFacts) -> Vec<String> {
    let old = old.map_or(&[][..], |facts| facts.registrations.as_slice());
    let new = new.registrations.as_slice();
    let same = |a: &RouteRegistration, b: &RouteRegistration| {
        a.methods == b.methods && a.path == b.path && a.handler == b.handler && a.range == b.range
    };
    let mut names: Vec<String> = Vec::new();
    for at in 0..old.len().max(new.len()) {
        let (before, after) = (old.get(at), new.get(at));
        if let (Some(before), Some(after)) = (before, after)
            && same(before, after)
        {
            continue;
        }
        for registration in before.into_iter().chain(after) {
            if let HandlerRef::Named(segments) = &registration.handler
                && let Some(name) = segments.last()
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> FileFacts {
        analysis::facts_of(
            Path::new("routes.js"),
            Language::JavaScript,
            text,
            &Default::default(),
        )
    }

    const ROUTES: &str = "const users = require('./users');\nrouter.post('/users', users.create);\nrouter.get('/users', users.list);\n";

    #[test]
    fn only_the_registrations_that_changed_are_named() {
        let before = facts(ROUTES);
        assert!(changed_registrations(Some(&before), &facts(ROUTES)).is_empty());
        // An edit after the registrations leaves them as they were.
        let appended = facts(&format!("{ROUTES}// done\n"));
        assert!(changed_registrations(Some(&before), &appended).is_empty());
        let put = facts(&ROUTES.replace("router.get", "router.put"));
        assert_eq!(changed_registrations(Some(&before), &put), ["list"]);
        // A line above moves every registration (their notes point at the new place).
        let moved = facts(&format!("// routes\n{ROUTES}"));
        assert_eq!(
            changed_registrations(Some(&before), &moved),
            ["create", "list"]
        );
        assert_eq!(changed_registrations(None, &before), ["create", "list"]);
        let inline = facts("app.post('/a', (req, res) => res.redirect('/b'));\n");
        assert!(changed_registrations(None, &inline).is_empty());
    }
}
