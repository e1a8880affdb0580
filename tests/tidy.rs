//! Architecture invariants the compiler cannot check, read the way rust-analyzer's tidy does.
//! Crates are the boundaries (ARCHITECTURE.md): cargo refuses a cycle between them, but not an
//! edge that skips a layer (the language server depending on the syntax crate), and not IO in a
//! crate that must stay pure. Those are checked here, from each crate's `Cargo.toml` and code.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates")
}

/// The dependencies a crate's `Cargo.toml` declares in `[dependencies]` (not dev-dependencies:
/// tests may build facts from source text).
fn dependencies(krate: &str) -> BTreeSet<String> {
    let path = crates_dir().join(krate).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).expect("Cargo.toml");
    let mut in_dependencies = false;
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies
            && let Some((name, _)) = line.split_once(['.', ' ', '='])
            && !name.is_empty()
        {
            found.insert(name.to_string());
        }
    }
    found
}

/// Every crate of the product under `server/crates/`.
fn crates() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crates_dir())
        .expect("server/crates")
        .flatten()
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The layers, bottom up, and the crates each may depend on. A crate not listed here fails the
/// test: a new crate takes its place in the layering on purpose.
const LAYERS: &[(&str, &[&str])] = &[
    ("hsl_text", &[]),
    ("hsl_facts", &[]),
    ("hsl_status_codes", &[]),
    ("hsl_contracts", &["hsl_facts"]),
    ("hsl_tables", &["hsl_facts"]),
    (
        "hsl_syntax",
        &["hsl_facts", "hsl_status_codes", "hsl_tables", "hsl_text"],
    ),
    (
        "hsl_fixes",
        &["hsl_facts", "hsl_status_codes", "hsl_tables"],
    ),
    (
        "hsl_rules",
        &["hsl_facts", "hsl_fixes", "hsl_status_codes", "hsl_tables"],
    ),
    ("hsl_workspace", &["hsl_facts", "hsl_status_codes"]),
    ("hsl_config", &["hsl_facts", "hsl_rules", "hsl_tables"]),
    (
        "hsl_analysis",
        &[
            "hsl_config",
            "hsl_contracts",
            "hsl_facts",
            "hsl_fixes",
            "hsl_rules",
            "hsl_status_codes",
            "hsl_syntax",
            "hsl_tables",
            "hsl_text",
            "hsl_workspace",
        ],
    ),
    (
        "hsl_lsp",
        &[
            "hsl_analysis",
            "hsl_config",
            "hsl_facts",
            "hsl_fixes",
            "hsl_rules",
            "hsl_status_codes",
            "hsl_tables",
            "hsl_text",
            "hsl_workspace",
        ],
    ),
    (
        "hsl_cli",
        &[
            "hsl_analysis",
            "hsl_config",
            "hsl_facts",
            "hsl_rules",
            "hsl_status_codes",
            "hsl_tables",
            "hsl_text",
            "hsl_workspace",
        ],
    ),
];

#[test]
fn crates_depend_only_on_the_layers_below() {
    let mut problems = Vec::new();
    for krate in crates() {
        let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| *name == krate) else {
            problems.push(format!("{krate} is not in tidy's LAYERS: give it a place"));
            continue;
        };
        for dependency in dependencies(&krate) {
            if dependency.starts_with("hsl_") && !allowed.contains(&dependency.as_str()) {
                problems.push(format!("{krate} depends on {dependency}"));
            }
        }
    }
    assert!(problems.is_empty(), "layering:\n{}", problems.join("\n"));
}

/// Third-party crates that belong to one layer: tree-sitter to syntax, the LSP stack to lsp,
/// argument parsing to the CLI.
#[test]
fn outside_crates_stay_in_their_layer() {
    let owned: &[(&str, &str)] = &[
        ("tree-sitter", "hsl_syntax"),
        ("tree-sitter-rust", "hsl_syntax"),
        ("tree-sitter-typescript", "hsl_syntax"),
        ("tree-sitter-javascript", "hsl_syntax"),
        ("tower-lsp-server", "hsl_lsp"),
        ("tokio", "hsl_lsp"),
        ("clap", "hsl_cli"),
    ];
    let mut problems = Vec::new();
    for krate in crates() {
        for dependency in dependencies(&krate) {
            if let Some((_, owner)) = owned.iter().find(|(name, _)| *name == dependency)
                && *owner != krate
            {
                problems.push(format!(
                    "{krate} depends on {dependency} (only {owner} may)"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
    match text.split_once("#[cfg(test)]\nmod tests") {
        Some((shipped, _)) => shipped.to_string(),
        None => text,
    }
}

/// Shipped code lines (comments skipped) of a crate that contain one of `needles`.
fn lines_matching(krate: &str, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in rust_files(&crates_dir().join(krate).join("src")) {
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

/// Rules, fixes and facts are pure: no file system, network, processes or printing.
#[test]
fn pure_crates_do_no_io() {
    let banned = [
        "std::fs",
        "std::io",
        "std::net",
        "std::process",
        "println!",
        "eprintln!",
    ];
    for krate in ["hsl_facts", "hsl_rules", "hsl_fixes", "hsl_workspace"] {
        let found = lines_matching(krate, &banned);
        assert!(
            found.is_empty(),
            "{krate} must be pure:\n{}",
            found.join("\n")
        );
    }
}

/// Facts are plain data: serialisable views belong to the adapters.
#[test]
fn facts_have_no_serde() {
    let found = lines_matching("hsl_facts", &["serde"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn readme_rule_table_matches_the_rules() {
    use hsl_rules::{FixAvailability, RULES};
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
        let (before, after) = (readme.get(..start), readme.get(end..));
        let blessed = format!("{}{table}{}", before.unwrap_or(""), after.unwrap_or(""));
        std::fs::write(&path, blessed).expect("write README.md");
        return;
    }
    assert_eq!(
        readme.get(start..end).unwrap_or(""),
        table,
        "regenerate the README rule table from RULES (HTTP_STATUS_LS_BLESS=1 cargo test --test tidy)"
    );
}

/// Small modules: no shipped source file is over 800 lines (its `#[cfg(test)] mod tests` and
/// test-only `tests.rs` files aside). Clippy's `too_many_lines` holds functions to 120 lines;
/// nothing in the compiler measures files.
#[test]
fn shipped_files_stay_under_800_lines() {
    let server = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = rust_files(&server.join("src"));
    for krate in crates() {
        files.extend(rust_files(&crates_dir().join(&krate).join("src")));
    }
    let long: Vec<String> = files
        .iter()
        .filter(|path| path.file_name().is_none_or(|name| name != "tests.rs"))
        .filter_map(|path| {
            let lines = shipped_code(path).lines().count();
            (lines > 800).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(files.len() > 100, "only {} source files", files.len());
    assert!(long.is_empty(), "split by concern:\n{}", long.join("\n"));
}

/// The frameworks the class table has a column for, in its order: every framework the README
/// lists, so a class cannot leave one out silently.
const CLASS_TABLE_FRAMEWORKS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "hono",
    "nestjs",
    "nextjs",
    "web",
    "node",
    "axum",
    "actix-web",
    "rocket",
    "warp",
    "poem",
    "hyper",
];

/// What one cell of `tests/realworld/classes.md` claims.
#[derive(Debug)]
enum ClassCell {
    /// Fixture files under `tests/fixtures/<rule>/<framework>/` (`<rule>` is the row's first
    /// rule unless the name starts with another, `other-rule/name`): `+name` has an
    /// expectation, `-name` is a near-miss that must stay silent.
    Files {
        positive: Vec<String>,
        negative: Vec<String>,
    },
    /// `n/a (why)`, `missing (why)` or `gap (why)`: no fixture, with the reason.
    NoFixture,
}

/// Reads a cell: a list of backquoted `+file`/`-file` names, or a word with a reason in
/// parentheses. `None` when it is neither.
fn class_cell(cell: &str) -> Option<ClassCell> {
    let cell = cell.trim();
    for word in ["n/a (", "missing (", "gap ("] {
        if let Some(reason) = cell.strip_prefix(word) {
            let reason = reason.strip_suffix(')')?;
            return (!reason.trim().is_empty()).then_some(ClassCell::NoFixture);
        }
    }
    let (mut positive, mut negative) = (Vec::new(), Vec::new());
    for token in cell.split('`').skip(1).step_by(2) {
        if let Some(name) = token.strip_prefix('+') {
            positive.push(name.to_string());
        } else if let Some(name) = token.strip_prefix('-') {
            negative.push(name.to_string());
        } else {
            return None;
        }
    }
    Some(ClassCell::Files { positive, negative })
}

/// Whether a fixture's text holds a caret expectation (`// ^^^ rule`).
fn has_caret_expectation(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("//")
            .is_some_and(|rest| rest.trim_start().starts_with('^'))
    })
}

/// The problems of one file cell of the class table, for the row's `rule` and `framework`.
fn class_cell_problems(rule: &str, framework: &str, cell: &ClassCell) -> Vec<String> {
    let ClassCell::Files { positive, negative } = cell else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    if positive.is_empty() || negative.is_empty() {
        problems.push(format!(
            "{rule} / {framework}: a covered cell names a positive and a near-miss negative"
        ));
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let named = positive.iter().map(|name| (name, true));
    for (name, is_positive) in named.chain(negative.iter().map(|name| (name, false))) {
        // `other-rule/file.js` names a fixture of another rule than the row's first.
        let (rule, name) = name.split_once('/').unwrap_or((rule, name));
        let at = format!("{rule}/{framework}/{name}");
        let Ok(text) = std::fs::read_to_string(fixtures.join(rule).join(framework).join(name))
        else {
            problems.push(format!("{at}: no such fixture"));
            continue;
        };
        let negative_name = name.starts_with("negative-");
        match (is_positive, negative_name, has_caret_expectation(&text)) {
            (true, false, true) | (false, true, false) => {}
            (true, _, _) => problems.push(format!(
                "{at}: claimed positive, needs a caret expectation and no negative- name"
            )),
            (false, _, _) => problems.push(format!(
                "{at}: claimed near-miss, needs a negative- name and no expectation"
            )),
        }
    }
    problems
}

/// `tests/realworld/classes.md` maps each class of real code from the review set to the
/// fixtures that prove it per framework. Every file it names exists and is what its cell
/// claims (a positive with an expectation, a silent `negative-*` near-miss), so the table
/// cannot drift from the fixtures.
#[test]
fn class_table_names_fixtures_that_prove_its_claims() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/realworld/classes.md");
    let table = std::fs::read_to_string(&path).expect("tests/realworld/classes.md");
    let mut rows = table.lines().filter(|line| line.starts_with('|'));
    let header: Vec<&str> = rows.next().expect("a header row").split('|').collect();
    let columns: Vec<&str> = header
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        columns.get(2..),
        Some(CLASS_TABLE_FRAMEWORKS),
        "class table columns"
    );
    let mut problems = Vec::new();
    let mut classes = 0;
    for row in rows.filter(|row| !row.starts_with("|---")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        // A leading and a trailing empty piece around the class, the rule and the frameworks.
        let [_, class, rule, frameworks @ .., _] = cells.as_slice() else {
            problems.push(format!("not a table row: {row}"));
            continue;
        };
        classes += 1;
        if frameworks.len() != CLASS_TABLE_FRAMEWORKS.len() {
            problems.push(format!("{class}: {} framework cells", frameworks.len()));
            continue;
        }
        // The row's first rule; its cells name another one's fixtures as `other-rule/file`.
        let rule = rule
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('`');
        for (framework, cell) in CLASS_TABLE_FRAMEWORKS.iter().zip(frameworks) {
            match class_cell(cell) {
                Some(cell) => problems.extend(class_cell_problems(rule, framework, &cell)),
                None => problems.push(format!("{class} / {framework}: unreadable cell `{cell}`")),
            }
        }
    }
    assert!(classes >= 30, "only {classes} classes in the table");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
