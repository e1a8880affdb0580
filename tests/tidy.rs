//! Architecture invariants, checked the way rust-analyzer's tidy does: by reading `use` lines.
//! See ARCHITECTURE.md for why each boundary exists.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The code of a file before its `#[cfg(test)]` module: what ships.
fn shipped_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(idx) => text[..idx].to_string(),
        None => text,
    }
}

fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(src()).expect("under src");
    relative
        .components()
        .next()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .unwrap_or_default()
}

/// Shipped code lines (comments skipped) under `dir`, outside the `allowed` top-level
/// modules, that contain one of `needles`, as `path:line: text`.
fn lines_matching(dir: &Path, allowed: &[&str], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in rust_files(dir) {
        if allowed.contains(&module_of(&path).as_str()) {
            continue;
        }
        for (number, line) in shipped_code(&path).lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

fn violations(allowed_module: &[&str], needles: &[&str]) -> Vec<String> {
    lines_matching(&src(), allowed_module, needles)
}

#[test]
fn only_syntax_names_tree_sitter() {
    let found = violations(&["syntax"], &["tree_sitter", "tree-sitter-"]);
    assert!(
        found.is_empty(),
        "tree-sitter outside syntax/:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_lsp_names_lsp_types() {
    let found = violations(&["lsp"], &["tower_lsp", "lsp_types", "ls_types"]);
    assert!(
        found.is_empty(),
        "LSP types outside lsp/:\n{}",
        found.join("\n")
    );
}

#[test]
fn rules_do_no_io_and_know_no_syntax() {
    let banned = [
        "std::fs",
        "std::io",
        "std::net",
        "std::process",
        "println!",
        "eprintln!",
        "tree_sitter",
        "crate::syntax",
        "crate::cli",
        "crate::analysis",
    ];
    let found = lines_matching(&src().join("rules"), &[], &banned);
    assert!(
        found.is_empty(),
        "rules/ must be pure:\n{}",
        found.join("\n")
    );
}

#[test]
fn facts_are_plain_data() {
    let found = lines_matching(
        &src().join("facts"),
        &[],
        &["serde", "tree_sitter", "crate::"],
    );
    assert!(
        found.is_empty(),
        "facts/ depends on nothing:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_unwrap_in_shipped_code() {
    let found = lines_matching(&src(), &[], &[".unwrap()"]);
    assert!(
        found.is_empty(),
        "use a fallible path instead of unwrap():\n{}",
        found.join("\n")
    );
}

#[test]
fn readme_rule_table_matches_the_rules() {
    use http_status_ls::rules::{FixAvailability, RULES};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find("<!-- rules:start -->")
        .expect("rules:start marker");
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let mut table = String::from(
        "<!-- rules:start -->\n| Rule | Default | What it flags | Fix |\n|---|---|---|---|\n",
    );
    for (meta, _) in RULES {
        let fix = match meta.fix {
            FixAvailability::Always => "always",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::None => "—",
        };
        let default = if meta.default_enabled {
            meta.default_severity.as_str().to_string()
        } else {
            format!("off ({} when on)", meta.default_severity.as_str())
        };
        table.push_str(&format!(
            "| `{}` | {default} | {} | {fix} |\n",
            meta.id, meta.summary
        ));
    }
    if std::env::var_os("HTTP_STATUS_LS_BLESS").is_some() {
        let blessed = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, blessed).expect("write README.md");
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "regenerate the README rule table from RULES (HTTP_STATUS_LS_BLESS=1 cargo test --test tidy)"
    );
}
