//! The cross-file index: which registration in which file makes a handler a `POST`.
//!
//! Built from facts, never from trees. A handler defined in `handlers/users.ts` and registered
//! by `router.post('/users', users.create)` in `routes.ts` is resolved through the import that
//! binds `users`; Rust paths (`handlers::create`, `use crate::handlers::create`) through `use`
//! declarations and the module path of each file.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::facts::{FileFacts, HandlerRef, Import, Language};
use crate::rules::{Location, ResolvedMethod};

/// One file's facts as the index sees them.
pub struct IndexedFile<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub facts: &'a FileFacts,
}

/// The files of a run, with a name → defining-files table for the last-resort match.
pub struct WorkspaceIndex<'a> {
    files: Vec<IndexedFile<'a>>,
    definitions: HashMap<&'a str, usize>,
}

impl<'a> WorkspaceIndex<'a> {
    /// Indexes the given files.
    pub fn new(files: Vec<IndexedFile<'a>>) -> WorkspaceIndex<'a> {
        let mut definitions: HashMap<&'a str, usize> = HashMap::new();
        for file in &files {
            let facts: &'a FileFacts = file.facts;
            for handler in &facts.handlers {
                if let Some(name) = handler.name.as_deref() {
                    *definitions.entry(name).or_default() += 1;
                }
            }
        }
        WorkspaceIndex { files, definitions }
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
            for file in &self.files {
                let same_file = file.path == target.path;
                for registration in &file.facts.registrations {
                    let HandlerRef::Named(segments) = &registration.handler else {
                        continue;
                    };
                    if segments.last().map(String::as_str) != Some(name) {
                        continue;
                    }
                    if !self.refers_to(file, segments, target) {
                        continue;
                    }
                    for method in &registration.methods {
                        let entry = ResolvedMethod {
                            method: *method,
                            source: crate::facts::MethodSource::Registration,
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
        let verdict = if from.language == Language::Rust {
            rust_refers_to(from, segments, target)
        } else {
            js_refers_to(from, segments, target)
        };
        match verdict {
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

enum Verdict {
    Yes,
    No,
    Unknown,
}

fn find_import<'f>(facts: &'f FileFacts, local: &str) -> Option<&'f Import> {
    facts.imports.iter().find(|import| import.local == local)
}

fn js_refers_to(from: &IndexedFile<'_>, segments: &[String], target: &IndexedFile<'_>) -> Verdict {
    let same_file = from.path == target.path;
    let Some(first) = segments.first() else {
        return Verdict::No;
    };
    match find_import(from.facts, first) {
        Some(import) => {
            if !import.module.starts_with('.') {
                return Verdict::No;
            }
            let base = from.path.parent().unwrap_or(Path::new(""));
            let resolved = normalize(&base.join(&import.module));
            if js_module_matches(&resolved, target.path) {
                Verdict::Yes
            } else {
                Verdict::No
            }
        }
        None if same_file => Verdict::Yes,
        None if segments.len() == 1 => Verdict::No,
        None => Verdict::Unknown,
    }
}

/// `./handlers/users` matches `handlers/users.ts`, `handlers/users.js`, `handlers/users/index.ts`.
fn js_module_matches(module: &Path, file: &Path) -> bool {
    let file = normalize(file);
    let stem = file.with_extension("");
    if stem == module || file == module {
        return true;
    }
    stem.file_name().is_some_and(|name| name == "index") && stem.parent() == Some(module)
}

fn rust_refers_to(
    from: &IndexedFile<'_>,
    segments: &[String],
    target: &IndexedFile<'_>,
) -> Verdict {
    let same_file = from.path == target.path;
    let Some(first) = segments.first() else {
        return Verdict::No;
    };
    let mut full: Vec<String> = match find_import(from.facts, first) {
        Some(import) => {
            let mut path: Vec<String> = import
                .module
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            path.extend(import.item.iter().cloned());
            path.extend(segments[1..].iter().cloned());
            path
        }
        None if segments.len() == 1 => {
            return if same_file {
                Verdict::Yes
            } else {
                Verdict::Unknown
            };
        }
        None => segments.to_vec(),
    };
    full.pop();
    let module: Vec<&str> = full
        .iter()
        .map(String::as_str)
        .filter(|s| !matches!(*s, "crate" | "self" | "super"))
        .collect();
    if module.is_empty() {
        return if same_file { Verdict::Yes } else { Verdict::No };
    }
    let target_module = rust_module_path(target.path);
    if target_module.ends_with(&module.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
        Verdict::Yes
    } else {
        Verdict::No
    }
}

/// `src/handlers/users.rs` → `[handlers, users]`; `src/handlers/mod.rs` → `[handlers]`.
fn rust_module_path(path: &Path) -> Vec<String> {
    let components: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let after_src = components
        .iter()
        .rposition(|c| c == "src")
        .map_or(&components[..], |idx| &components[idx + 1..]);
    let mut module: Vec<String> = after_src.to_vec();
    if let Some(last) = module.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "main" | "lib") {
            module.push(stem.to_string());
        }
    }
    module
}

/// Resolves `.` and `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_module_paths() {
        assert_eq!(
            rust_module_path(Path::new("app/src/handlers/users.rs")),
            vec!["handlers", "users"]
        );
        assert_eq!(
            rust_module_path(Path::new("app/src/handlers/mod.rs")),
            vec!["handlers"]
        );
        assert!(rust_module_path(Path::new("app/src/main.rs")).is_empty());
    }

    #[test]
    fn js_modules_match_files() {
        assert!(js_module_matches(
            Path::new("app/handlers/users"),
            Path::new("app/handlers/users.ts")
        ));
        assert!(js_module_matches(
            Path::new("app/handlers"),
            Path::new("app/handlers/index.js")
        ));
        assert!(!js_module_matches(
            Path::new("app/handlers/user"),
            Path::new("app/handlers/users.ts")
        ));
    }
}
