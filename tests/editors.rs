//! The editor integrations and packages agree with each other and with the framework tables.
//! These read files only (no editor, no Node.js, no network), so `cargo test` needs nothing but
//! the Rust toolchain. The real editors (headless Neovim, VS Code in code-server) and the packages
//! (.vsix, npm, pre-commit) are exercised by `tests/editors.sh` and `tests/packages.sh`, steps of
//! `tests/run.sh`.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repo root")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// `display` of every framework table in grammars-config/frameworks/, sorted and deduplicated
/// (Next.js has two tables).
fn framework_names() -> Vec<String> {
    let dir = repo().join("grammars-config/frameworks");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("frameworks dir").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("table");
        let table: toml::Table = text.parse().expect("table is TOML");
        let display = table["display"].as_str().expect("display").to_string();
        names.push(display);
    }
    names.sort();
    names.dedup();
    names
}

/// How a table's display name is written in prose (the `http` crate's table is named with hyper,
/// the Web Response table as `Response`).
fn prose_name(display: &str) -> &str {
    match display {
        "http crate" => "`http`",
        "Web Response" => "Response",
        other => other,
    }
}

#[test]
fn vscode_readme_names_every_supported_framework() {
    let readme = read("editors/vscode/README.md");
    let missing: Vec<String> = framework_names()
        .into_iter()
        .filter(|name| !readme.contains(prose_name(name)))
        .collect();
    assert!(
        missing.is_empty(),
        "editors/vscode/README.md does not name {missing:?}"
    );
    assert!(
        !readme.contains("Express and axum"),
        "editors/vscode/README.md still says `Express and axum`"
    );
}

#[test]
fn every_editor_starts_the_server_for_the_same_languages() {
    let languages = [
        "rust",
        "typescript",
        "typescriptreact",
        "javascript",
        "javascriptreact",
    ];
    let package = json("editors/vscode/package.json");
    let events: Vec<&str> = package["activationEvents"]
        .as_array()
        .expect("activationEvents")
        .iter()
        .filter_map(|e| e.as_str()?.strip_prefix("onLanguage:"))
        .collect();
    assert_eq!(events, languages, "editors/vscode/package.json");
    let extension = read("editors/vscode/src/extension.ts");
    let nvim = read("editors/nvim/lsp/http_status_ls.lua");
    for language in languages {
        assert!(
            extension.contains(&format!("'{language}'")),
            "extension.ts: {language}"
        );
        assert!(
            nvim.contains(&format!("'{language}'")),
            "http_status_ls.lua: {language}"
        );
    }
    let zed: toml::Table = read("editors/zed/extension.toml").parse().expect("TOML");
    let zed_languages = zed["language_servers"]["http-status-ls"]["languages"]
        .as_array()
        .expect("zed languages");
    assert_eq!(
        zed_languages.len(),
        4,
        "Rust, TypeScript, TSX, JavaScript (JSX is Zed's JavaScript)"
    );
}

#[test]
fn packages_carry_the_crate_version() {
    let cargo: toml::Table = read("server/Cargo.toml").parse().expect("TOML");
    let version = cargo["package"]["version"].as_str().expect("version");
    let vscode = json("editors/vscode/package.json");
    assert_eq!(vscode["version"], version, "editors/vscode/package.json");
    let npm = json("editors/npm/http-status-ls/package.json");
    assert_eq!(
        npm["version"], version,
        "editors/npm/http-status-ls/package.json"
    );
    for (name, pinned) in npm["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies")
    {
        assert!(name.starts_with("@http-status-ls/cli-"), "{name}");
        assert_eq!(pinned, version, "{name} is pinned to the same version");
        let platform = name.trim_start_matches("@http-status-ls/cli-");
        let (os, cpu) = platform.split_once('-').expect("<platform>-<arch>");
        assert!(
            ["linux", "darwin", "win32"].contains(&os) && ["x64", "arm64"].contains(&cpu),
            "{name}: os and cpu are Node's process.platform and process.arch"
        );
    }
    assert_eq!(
        npm["bin"]["http-status-ls"], "bin/http-status-ls.js",
        "npx http-status-ls runs the launcher"
    );
    assert!(
        repo()
            .join("editors/npm/http-status-ls/bin/http-status-ls.js")
            .is_file()
    );
}

#[test]
fn pre_commit_hook_runs_check() {
    let hooks = read(".pre-commit-hooks.yaml");
    for line in [
        "- id: http-status-ls",
        "entry: http-status-ls check",
        "language: system",
    ] {
        assert!(
            hooks.lines().any(|l| l.trim() == line),
            ".pre-commit-hooks.yaml has no line `{line}`:\n{hooks}"
        );
    }
}

#[test]
fn framework_tables_cite_docs_frameworks_md() {
    let docs = read("docs/frameworks.md");
    let dir = repo().join("grammars-config/frameworks");
    for entry in std::fs::read_dir(&dir).expect("frameworks dir").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("table");
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !text.contains("FRAMEWORKS.md"),
            "{name} cites a note that is not in the repository"
        );
        let Some((_, cited)) = text.split_once("docs/frameworks.md#") else {
            panic!("{name} does not point at docs/frameworks.md#<anchor>");
        };
        let anchor: String = cited
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(
            docs.contains(&format!("<a id=\"{anchor}\"></a>")),
            "{name}: docs/frameworks.md has no anchor `{anchor}`"
        );
    }
}
