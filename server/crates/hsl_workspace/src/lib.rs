//! The cross-file index: which registration in which file makes a handler a `POST`.
//!
//! Built from facts, never from trees. A handler defined in `handlers/users.ts` and registered
//! by `router.post('/users', users.create)` in `routes.ts` is resolved through the import that
//! binds `users`; Rust paths (`handlers::create`, `use crate::handlers::create`) through `use`
//! declarations and the module path of each file.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use hsl_facts::{FileFacts, HandlerRef, Import, Language};
use hsl_facts::{Location, ResolvedMethod};

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
        WorkspaceIndex {
            files,
            definitions,
            registrations_by_name,
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
            } else if js_barrel_may_reexport(&resolved, target.path) {
                // `require('../controllers')` is `controllers/index.js`, which usually
                // re-exports its siblings: the definition may be there, but only a name
                // defined once in the index is taken to be it.
                Verdict::Unknown
            } else {
                Verdict::No
            }
        }
        None if same_file => Verdict::Yes,
        None if segments.len() == 1 => Verdict::No,
        None => Verdict::Unknown,
    }
}

/// `./handlers/users` matches `handlers/users.ts`, `handlers/users.js`, `handlers/users/index.ts`;
/// `./handlers/users.js` also matches `handlers/users.ts` (TypeScript's ESM imports name the
/// emitted file).
fn js_module_matches(module: &Path, file: &Path) -> bool {
    let file = normalize(file);
    let stem = file.with_extension("");
    if stem == module || file == module {
        return true;
    }
    if stem.file_name().is_some_and(|name| name == "index") && stem.parent() == Some(module) {
        return true;
    }
    let emitted = module
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| matches!(ext, "js" | "mjs" | "cjs" | "jsx"));
    emitted && module.with_extension("") == stem
}

/// Whether `module` is a directory (an `index` file) that `file` sits in, so that the index may
/// re-export what `file` defines.
fn js_barrel_may_reexport(module: &Path, file: &Path) -> bool {
    let file = normalize(file);
    let module = match module.file_name().and_then(|name| name.to_str()) {
        Some(name) if name.starts_with("index.") || name == "index" => {
            module.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        _ => module.to_path_buf(),
    };
    file.parent() == Some(module.as_path())
        && file
            .file_stem()
            .is_some_and(|stem| stem != "index" && !stem.is_empty())
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
    // A path written in one crate names items of that crate (or of another crate by its name,
    // which the index does not follow).
    if !same_file && rust_crate_dir(from.path) != rust_crate_dir(target.path) {
        return Verdict::No;
    }
    // A bare name that no `use` binds is defined in this module or brought in by a glob import.
    if segments.len() == 1 && find_import(from.facts, first).is_none() {
        return if same_file {
            Verdict::Yes
        } else {
            Verdict::Unknown
        };
    }
    let from_module = rust_module_path(from.path);
    let Some(mut item_path) = rust_resolve_path(from, &from_module, segments, 0) else {
        return Verdict::No;
    };
    item_path.pop();
    if item_path == rust_module_path(target.path) {
        Verdict::Yes
    } else {
        Verdict::No
    }
}

/// The crate-absolute path (`[handlers, users, create]`) of a path written in `from`, whose own
/// module is `from_module`: `crate::`, `self::` and `super::` prefixes, names bound by `use`,
/// and otherwise a path relative to the current module (Rust 2018 paths). `None` when the path
/// leaves the crate (`super` at the root) or imports are circular.
fn rust_resolve_path(
    from: &IndexedFile<'_>,
    from_module: &[String],
    segments: &[String],
    depth: usize,
) -> Option<Vec<String>> {
    let (first, rest) = segments.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some([from_module, rest].concat()),
        "super" => {
            let mut module = from_module.to_vec();
            module.pop()?;
            let mut rest = rest;
            while let Some((next, tail)) = rest.split_first()
                && next == "super"
            {
                module.pop()?;
                rest = tail;
            }
            Some([module.as_slice(), rest].concat())
        }
        _ => match find_import(from.facts, first) {
            Some(import) if depth < 8 => {
                let mut imported: Vec<String> = import
                    .module
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                imported.extend(import.item.iter().cloned());
                // `use x;` binds `x` to itself: the path is relative to the module.
                if imported == [first.clone()] {
                    return Some([from_module, segments].concat());
                }
                let mut resolved = rust_resolve_path(from, from_module, &imported, depth + 1)?;
                resolved.extend(rest.iter().cloned());
                Some(resolved)
            }
            Some(_) => None,
            None => Some([from_module, segments].concat()),
        },
    }
}

/// The directory of the crate a file belongs to: the part of its path before the last `src`.
/// A file outside any `src` (an example, an integration test) is a crate root of its own.
fn rust_crate_dir(path: &Path) -> PathBuf {
    let components: Vec<Component<'_>> = path.components().collect();
    match components.iter().rposition(|c| c.as_os_str() == "src") {
        Some(idx) => components[..idx].iter().collect(),
        None => path.to_path_buf(),
    }
}

/// `src/handlers/users.rs` → `[handlers, users]`; `src/handlers/mod.rs` → `[handlers]`; a
/// file outside any `src` is a crate root: `[]`.
fn rust_module_path(path: &Path) -> Vec<String> {
    let components: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some(src_idx) = components.iter().rposition(|c| c == "src") else {
        return Vec::new();
    };
    let mut module: Vec<String> = components[src_idx + 1..].to_vec();
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
