//! The cross-file index: which registration in which file makes a handler a `POST`.
//!
//! Built from facts, never from trees. A handler defined in `handlers/users.ts` and registered
//! by `router.post('/users', users.create)` in `routes.ts` is resolved through the import that
//! binds `users`; Rust paths (`handlers::create`, `use crate::handlers::create`) through `use`
//! declarations and the module path of each file.

use std::collections::HashMap;
use std::path::Path;

use hsl_facts::{Family, FileFacts, HandlerRef, Import, Language};
use hsl_facts::{Location, ResolvedMethod};

mod helpers;
mod js;
mod rust;

pub use helpers::{STATUS_CALL_WORDS, summarise_helpers};

/// One file's facts as the index sees them.
pub struct IndexedFile<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub facts: &'a FileFacts,
}

/// The files of a run, with a name → defining-files table for the last-resort match and a
/// name → registrations table, so resolving a handler looks only at registrations of its name.
pub struct WorkspaceIndex<'a> {
    files: Vec<IndexedFile<'a>>,
    definitions: HashMap<&'a str, usize>,
    /// Last path segment of a named handler reference → (file index, registration index).
    registrations_by_name: HashMap<&'a str, Vec<(usize, usize)>>,
    /// The project's response helpers by name (`FileFacts::helpers`).
    helpers: helpers::HelpersByName<'a>,
}

impl<'a> WorkspaceIndex<'a> {
    /// Indexes the given files.
    pub fn new(files: Vec<IndexedFile<'a>>) -> WorkspaceIndex<'a> {
        let mut definitions: HashMap<&'a str, usize> = HashMap::new();
        let mut registrations_by_name: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
        for (file_idx, file) in files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for handler in &facts.handlers {
                if let Some(name) = handler.name.as_deref() {
                    *definitions.entry(name).or_default() += 1;
                }
            }
            for (registration_idx, registration) in facts.registrations.iter().enumerate() {
                if let HandlerRef::Named(segments) = &registration.handler
                    && let Some(last) = segments.last()
                {
                    registrations_by_name
                        .entry(last.as_str())
                        .or_default()
                        .push((file_idx, registration_idx));
                }
            }
        }
        let mut helpers: helpers::HelpersByName<'a> = HashMap::new();
        for (file_idx, file) in files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for (helper_idx, helper) in facts.helpers.iter().enumerate() {
                helpers
                    .entry(helper.name.as_str())
                    .or_default()
                    .push((file_idx, helper_idx));
            }
        }
        WorkspaceIndex {
            files,
            definitions,
            registrations_by_name,
            helpers,
        }
    }

    /// The methods of each handler of `target` (indexed like its `facts.handlers`), from its own
    /// syntax and from every registration in the index that resolves to it.
    pub fn resolve_methods(&self, target: &IndexedFile<'_>) -> Vec<Vec<ResolvedMethod>> {
        let mut resolved: Vec<Vec<ResolvedMethod>> = target
            .facts
            .handlers
            .iter()
            .map(|handler| {
                handler
                    .methods
                    .iter()
                    .map(|evidence| ResolvedMethod {
                        method: evidence.method,
                        source: evidence.source,
                        location: Location {
                            path: None,
                            range: evidence.range.clone(),
                        },
                    })
                    .collect()
            })
            .collect();
        for (id, handler) in target.facts.handlers.iter().enumerate() {
            let Some(name) = handler.name.as_deref() else {
                continue;
            };
            let candidates = self
                .registrations_by_name
                .get(name)
                .map_or(&[][..], Vec::as_slice);
            for &(file_idx, registration_idx) in candidates {
                let (Some(file), Some(registration)) = (
                    self.files.get(file_idx),
                    self.files
                        .get(file_idx)
                        .and_then(|file| file.facts.registrations.get(registration_idx)),
                ) else {
                    continue;
                };
                let HandlerRef::Named(segments) = &registration.handler else {
                    continue;
                };
                let same_file = file.path == target.path;
                if !self.refers_to(file, segments, target) {
                    continue;
                }
                for method in &registration.methods {
                    let entry = ResolvedMethod {
                        method: *method,
                        source: hsl_facts::MethodSource::Registration,
                        location: Location {
                            path: (!same_file).then(|| file.path.to_path_buf()),
                            range: registration.range.clone(),
                        },
                    };
                    if let Some(list) = resolved.get_mut(id)
                        && !list.contains(&entry)
                    {
                        list.push(entry);
                    }
                }
            }
        }
        resolved
    }

    /// Whether `segments`, written in `from`, names a function defined in `target`.
    fn refers_to(
        &self,
        from: &IndexedFile<'_>,
        segments: &[String],
        target: &IndexedFile<'_>,
    ) -> bool {
        let resolve = resolver_of(from.language.family());
        match resolve(from, segments, target) {
            Verdict::Yes => true,
            Verdict::No => false,
            // A name we cannot trace (glob import, dynamic require): only a name defined once
            // in the whole index is taken to be that definition.
            Verdict::Unknown => {
                let name = segments.last().map(String::as_str).unwrap_or("");
                self.definitions.get(name) == Some(&1)
            }
        }
    }
}

/// Whether a name written in one file names a definition in another, as far as the syntax
/// shows.
enum Verdict {
    Yes,
    No,
    Unknown,
}

/// How a path written in one file names a definition in another, for one family of languages:
/// each family resolves names through its own kind of imports and module paths.
type Resolver = fn(&IndexedFile<'_>, &[String], &IndexedFile<'_>) -> Verdict;

/// The resolver for files of `family`.
fn resolver_of(family: Family) -> Resolver {
    match family {
        Family::JavaScript => js::refers_to,
        Family::Rust => rust::refers_to,
    }
}

fn find_import<'f>(facts: &'f FileFacts, local: &str) -> Option<&'f Import> {
    facts.imports.iter().find(|import| import.local == local)
}
