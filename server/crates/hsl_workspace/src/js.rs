//! How a JavaScript or TypeScript file names a definition in another: through the relative
//! module specifier of the import (`require('./users')`, `import * as users from './users'`)
//! that binds the first segment of the name.

use std::path::{Component, Path, PathBuf};

use crate::{IndexedFile, Verdict, find_import};

/// Whether `segments` (`users.create`), written in `from`, names a function defined in
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
    match find_import(from.facts, first) {
        Some(import) => {
            if is_path_alias(&import.module) {
                // `@/lib/response`, `~/utils`: a project path mapped in tsconfig or a bundler,
                // which the index does not read; only a name defined once is taken to be it.
                return Verdict::Unknown;
            }
            if !import.module.starts_with('.') {
                // `@server/utils/auth` under a tsconfig path `@server/*`: a specifier whose
                // segments after the scope's `@` end the target's path names that file (no
                // package's files live in the project's own tree).
                return if scope_alias_matches(&import.module, target.path) {
                    Verdict::Yes
                } else {
                    Verdict::No
                };
            }
            let base = from.path.parent().unwrap_or(Path::new(""));
            let resolved = normalize(&base.join(&import.module));
            if module_matches(&resolved, target.path) {
                Verdict::Yes
            } else if barrel_may_reexport(&resolved, target.path) {
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

/// A specifier that names a project path through an alias rather than a package: `@/x`, `~/x`,
/// `#x` (Node subpath imports). Scoped packages (`@nestjs/common`) are packages.
fn is_path_alias(module: &str) -> bool {
    module.starts_with("@/") || module.starts_with("~/") || module.starts_with('#')
}

/// Whether `@dir/rest/of/path` names `target` as a path alias would: `dir/rest/of/path` is the
/// end of the target's path without its extension (or of its directory, for an `index` file).
fn scope_alias_matches(module: &str, target: &Path) -> bool {
    let Some(aliased) = module.strip_prefix('@') else {
        return false;
    };
    let wanted: Vec<&str> = aliased.split('/').filter(|part| !part.is_empty()).collect();
    if wanted.len() < 2 {
        return false;
    }
    let stem = normalize(target).with_extension("");
    let mut parts: Vec<&str> = stem
        .components()
        .filter_map(|component| component.as_os_str().to_str())
        .collect();
    if parts.last() == Some(&"index") && wanted.last() != Some(&"index") {
        parts.pop();
    }
    parts.ends_with(&wanted)
}

/// `./handlers/users` matches `handlers/users.ts`, `handlers/users.js`, `handlers/users/index.ts`;
/// `./handlers/users.js` also matches `handlers/users.ts` (TypeScript's ESM imports name the
/// emitted file).
fn module_matches(module: &Path, file: &Path) -> bool {
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
fn barrel_may_reexport(module: &Path, file: &Path) -> bool {
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
    fn scope_aliases_match_project_files_only() {
        let file = Path::new("repo/server/utils/authentication.ts");
        assert!(scope_alias_matches("@server/utils/authentication", file));
        assert!(!scope_alias_matches("@server/utils/auth", file));
        assert!(!scope_alias_matches("@nestjs/common", file));
        assert!(!scope_alias_matches("@server", file));
        assert!(scope_alias_matches(
            "@shared/errors",
            Path::new("shared/errors/index.ts")
        ));
    }

    #[test]
    fn modules_match_files() {
        assert!(module_matches(
            Path::new("app/handlers/users"),
            Path::new("app/handlers/users.ts")
        ));
        assert!(module_matches(
            Path::new("app/handlers"),
            Path::new("app/handlers/index.js")
        ));
        assert!(!module_matches(
            Path::new("app/handlers/user"),
            Path::new("app/handlers/users.ts")
        ));
    }
}
