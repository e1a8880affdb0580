//! How a Rust file names a definition in another: `use` declarations, `crate::`/`self::`/
//! `super::` prefixes, and the module path each file's place under `src/` gives it.

use std::path::{Component, Path};

use crate::{IndexedFile, Verdict, find_import};

/// Whether `segments` (`handlers::create`), written in `from`, names a function defined in
/// `target`.
pub(crate) fn refers_to(
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
    if !same_file && crate_dir(from.path) != crate_dir(target.path) {
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
    let from_module = module_path(from.path);
    let Some(mut item_path) = resolve_path(from, &from_module, segments, 0) else {
        return Verdict::No;
    };
    item_path.pop();
    if item_path == module_path(target.path) {
        Verdict::Yes
    } else {
        Verdict::No
    }
}

/// The crate-absolute path (`[handlers, users, create]`) of a path written in `from`, whose own
/// module is `from_module`: `crate::`, `self::` and `super::` prefixes, names bound by `use`,
/// and otherwise a path relative to the current module (Rust 2018 paths). `None` when the path
/// leaves the crate (`super` at the root) or imports are circular.
fn resolve_path(
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
                let mut resolved = resolve_path(from, from_module, &imported, depth + 1)?;
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
/// Borrowed, not built: route resolution asks it for every pair of a mount and a file.
fn crate_dir(path: &Path) -> &Path {
    path.ancestors()
        .find(|ancestor| ancestor.file_name().is_some_and(|name| name == "src"))
        .map_or(path, |src| src.parent().unwrap_or(Path::new("")))
}

/// `src/handlers/users.rs` → `[handlers, users]`; `src/handlers/mod.rs` → `[handlers]`; a
/// file outside any `src` is a crate root: `[]`.
fn module_path(path: &Path) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(
            module_path(Path::new("app/src/handlers/users.rs")),
            vec!["handlers", "users"]
        );
        assert_eq!(
            module_path(Path::new("app/src/handlers/mod.rs")),
            vec!["handlers"]
        );
        assert!(module_path(Path::new("app/src/main.rs")).is_empty());
    }
}
