//! Fixture harness: every file under `tests/fixtures/` carries its expectations inline.
//!
//! Grammar (for `//` comments):
//! - `//- rules: a, b` on the first line picks the rules checked (default: the directory's rule).
//! - `//- /src/routes.ts` starts the next file of a multi-file case.
//! - `// ^^^ rule-id` (optionally `: message`) marks the range on the nearest code line above.
//! - `// fix: <line after the safe fix, trimmed>`; `// fix?: …` for each suggested fix.
//! - In `tests/fixtures/facts/`, `// ^^^ method: POST, GET` under a handler's name (or an inline
//!   handler's parameter list) states the methods resolved for it.
//!
//! Any code line without an annotation must produce nothing. Failures are listed as Missing
//! (expected, not found) and Noisy (found, not expected) with `path:line:col`.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hsl_analysis::contracts::{FileRoutes, ProjectContracts};
use hsl_analysis::scan::{Scan, Scanner};
use hsl_analysis::walk::Prefilter;
use hsl_analysis::{self as analysis, SourceFile, suppress};
use hsl_config::{Level, RuleSelection};
use hsl_facts::Language;
use hsl_fixes::{self as fixes, Applicability};
use hsl_rules::{self as rules, Finding, RULES};
use hsl_text::LineIndex;
use hsl_workspace::WorkspaceIndex;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// One virtual file of a fixture.
struct VirtualFile {
    path: PathBuf,
    text: String,
    /// Line offset of this file inside the fixture, for messages.
    first_line: usize,
}

#[derive(Debug, Default)]
struct Expectation {
    line: usize,
    start: usize,
    end: usize,
    label: String,
    message: Option<String>,
    safe_fix: Vec<String>,
    suggested_fixes: Vec<String>,
}

fn split_fixture(path: &Path, text: &str) -> (Vec<String>, Vec<VirtualFile>) {
    let mut rules = Vec::new();
    let mut files = Vec::new();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("ts");
    let mut current = VirtualFile {
        path: PathBuf::from(format!("/fixture/main.{ext}")),
        text: String::new(),
        first_line: 0,
    };
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(list) = trimmed.strip_prefix("//- rules:") {
            rules = list
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            current.text.push('\n');
            continue;
        }
        if let Some(next) = trimmed.strip_prefix("//- /") {
            if !current.text.trim().is_empty() {
                files.push(current);
            }
            current = VirtualFile {
                path: PathBuf::from(format!("/fixture/{next}")),
                text: String::new(),
                first_line: number + 1,
            };
            continue;
        }
        current.text.push_str(line);
    }
    files.push(current);
    (rules, files)
}

/// `// ^^^ rule`: a comment whose text starts with carets.
fn is_caret_line(trimmed: &str) -> bool {
    trimmed
        .strip_prefix("//")
        .is_some_and(|rest| rest.trim_start().starts_with('^'))
}

fn is_annotation(line: &str) -> bool {
    let trimmed = line.trim_start();
    is_caret_line(trimmed) || trimmed.starts_with("// fix:") || trimmed.starts_with("// fix?:")
}

fn expectations(text: &str) -> Vec<Expectation> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Vec<Expectation> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if let Some(fix) = trimmed.strip_prefix("// fix:") {
            if let Some(last) = found.last_mut() {
                last.safe_fix.push(fix.trim().to_string());
            }
            continue;
        }
        if let Some(fix) = trimmed.strip_prefix("// fix?:") {
            if let Some(last) = found.last_mut() {
                last.suggested_fixes.push(fix.trim().to_string());
            }
            continue;
        }
        if !is_caret_line(trimmed) {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let Some(start) = chars.iter().position(|ch| *ch == '^') else {
            continue;
        };
        let end = chars[start..]
            .iter()
            .position(|ch| *ch != '^')
            .map_or(chars.len(), |n| start + n);
        let rest: String = chars[end..].iter().collect();
        let rest = rest.trim();
        let (label, message) = match rest.split_once(": ") {
            Some((label, message)) if label != "method" => {
                (label.trim().to_string(), Some(message.trim().to_string()))
            }
            _ => (rest.to_string(), None),
        };
        let code_line = (0..index).rev().find(|&i| !is_annotation(lines[i]));
        let Some(code_line) = code_line else { continue };
        found.push(Expectation {
            line: code_line,
            start,
            end,
            label,
            message,
            ..Default::default()
        });
    }
    found
}

/// What a fixture's routes (and its contract, if any) say about each file's handlers.
fn file_routes(
    fixture: &Path,
    documents: &[VirtualFile],
    index: &WorkspaceIndex<'_>,
) -> std::collections::HashMap<PathBuf, FileRoutes> {
    let contracts = ProjectContracts::from_texts(
        documents
            .iter()
            .map(|document| (document.path.clone(), document.text.clone()))
            .collect(),
    );
    assert_eq!(contracts.problems, Vec::new(), "{}", fixture.display());
    contracts.file_routes(index)
}

/// Whether a virtual file of a fixture is a contract document rather than code.
fn is_contract_document(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| matches!(ext, "yaml" | "yml" | "json"))
}

fn load(files: &[VirtualFile]) -> Vec<SourceFile> {
    files
        .iter()
        .filter_map(|file| {
            let language = Language::of_path(&file.path)?;
            Some(analysis::from_text(
                file.path.clone(),
                language,
                file.text.clone(),
            ))
        })
        .collect()
}

fn carets(start: usize, end: usize) -> String {
    format!(
        "{}{}",
        " ".repeat(start),
        "^".repeat(end.saturating_sub(start).max(1))
    )
}

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(fixture_files(&path));
        } else if Language::of_path(&path).is_some() && !path.to_string_lossy().contains(".fixed.")
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The default rules plus `rules`, so a fixture of an opt-in rule (`numeric-status-literal`)
/// runs it.
fn enabling(rules: &[String]) -> RuleSelection {
    let mut selection = RuleSelection::default();
    for (meta, _) in RULES {
        if !meta.default_enabled && rules.iter().any(|rule| rule == meta.id) {
            selection.set(meta.id, Level::Severity(meta.default_severity));
        }
    }
    selection
}

/// Each file's findings against an index of every file's slim part, as `check` indexes them
/// (`SourceFile::index_part`): they must be the same as against the whole analyses.
fn findings_from_index_parts(
    fixture: &Path,
    sources: &[SourceFile],
    documents: &[VirtualFile],
    selection: &RuleSelection,
) -> Vec<Vec<Finding>> {
    let parts: Vec<SourceFile> = sources.iter().map(SourceFile::index_part).collect();
    let index = WorkspaceIndex::new(parts.iter().map(SourceFile::indexed).collect());
    let routes = file_routes(fixture, documents, &index);
    let none = FileRoutes::default();
    sources
        .iter()
        .map(|source| {
            let routes = routes.get(&source.path).unwrap_or(&none);
            analysis::findings_in_project(source, &index, selection, routes)
                .expect("no internal error")
        })
        .collect()
}

/// Checks one rule fixture; returns the failure lines.
fn check_rule_fixture(path: &Path, default_rule: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let (mut wanted_rules, files) = split_fixture(path, &text);
    if wanted_rules.is_empty() {
        wanted_rules.push(default_rule.to_string());
    }
    // Virtual files that are OpenAPI documents (`//- /openapi.yaml`) are the contract.
    let (documents, files): (Vec<VirtualFile>, Vec<VirtualFile>) = files
        .into_iter()
        .partition(|file| is_contract_document(&file.path));
    let sources = load(&files);
    let index = WorkspaceIndex::new(sources.iter().map(SourceFile::indexed).collect());
    let file_routes = file_routes(path, &documents, &index);
    let none = FileRoutes::default();
    let mut failures = Vec::new();
    let shown = path
        .strip_prefix(fixtures_root())
        .unwrap_or(path)
        .display()
        .to_string();
    let selection = enabling(&wanted_rules);
    let from_parts = findings_from_index_parts(path, &sources, &documents, &selection);
    for ((source, file), slim_found) in sources.iter().zip(&files).zip(from_parts) {
        let routes = file_routes.get(&source.path).unwrap_or(&none);
        let all_found = analysis::findings_in_project(source, &index, &selection, routes)
            .expect("no internal error");
        if slim_found != all_found {
            failures.push(format!("Index parts differ {shown}: {:?}", source.path));
        }
        let found: Vec<Finding> = all_found
            .into_iter()
            .filter(|f| wanted_rules.iter().any(|r| r == f.rule))
            .collect();
        let line_index = LineIndex::new(&source.text);
        let lines: Vec<&str> = source.text.lines().collect();
        let mut expected = expectations(&source.text);
        let mut matched = vec![false; expected.len()];
        for finding in &found {
            let start = line_index.line_col_chars(&source.text, finding.range.start);
            let end = line_index.line_col_chars(&source.text, finding.range.end);
            let end_col = if end.line == start.line {
                end.column
            } else {
                lines.get(start.line).map_or(0, |l| l.chars().count())
            };
            let at = format!(
                "{shown}:{}:{}",
                file.first_line + start.line + 1,
                start.column + 1
            );
            let hit = expected.iter().position(|e| {
                e.line == start.line
                    && e.start == start.column
                    && e.end == end_col
                    && e.label == finding.rule
            });
            let Some(hit) = hit else {
                failures.push(format!(
                    "Noisy {at}: {} {}\n    {}\n    {}",
                    finding.rule,
                    finding.message,
                    lines.get(start.line).unwrap_or(&""),
                    carets(start.column, end_col)
                ));
                continue;
            };
            matched[hit] = true;
            let expectation = &mut expected[hit];
            if let Some(message) = &expectation.message
                && *message != finding.message
            {
                failures.push(format!(
                    "Wrong message {at}:\n    expected: {message}\n    found:    {}",
                    finding.message
                ));
            }
            let after = |fix: &fixes::Fix| {
                let (fixed, _) = fixes::apply(&source.text, &fix.edits);
                fixed
                    .lines()
                    .nth(start.line)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let safe: Vec<String> = finding
                .fixes
                .iter()
                .filter(|f| f.applicability == Applicability::Safe)
                .map(after)
                .collect();
            let suggested: BTreeSet<String> = finding
                .fixes
                .iter()
                .filter(|f| f.applicability == Applicability::Suggested)
                .map(after)
                .collect();
            if safe != expectation.safe_fix {
                failures.push(format!(
                    "Wrong safe fix {at}:\n    expected: {:?}\n    found:    {:?}",
                    expectation.safe_fix, safe
                ));
            }
            let wanted: BTreeSet<String> = expectation.suggested_fixes.iter().cloned().collect();
            if suggested != wanted {
                failures.push(format!("Wrong suggested fixes {at}:\n    expected: {wanted:?}\n    found:    {suggested:?}"));
            }
        }
        for (expectation, hit) in expected.iter().zip(matched) {
            if !hit && wanted_rules.contains(&expectation.label) {
                failures.push(format!(
                    "Missing {shown}:{}:{}: {}\n    {}\n    {}",
                    file.first_line + expectation.line + 1,
                    expectation.start + 1,
                    expectation.label,
                    lines.get(expectation.line).unwrap_or(&""),
                    carets(expectation.start, expectation.end)
                ));
            }
        }
    }
    failures
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (meta, _) in RULES {
        let dir = fixtures_root().join(meta.id);
        for path in fixture_files(&dir) {
            checked += 1;
            failures.extend(check_rule_fixture(&path, meta.id));
        }
    }
    assert!(checked > 0, "no rule fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Fixtures of the findings about ignore comments themselves (`unused-ignore`), which
/// `analysis` reports rather than a rule in `RULES`.
#[test]
fn stale_ignore_fixtures() {
    let files = fixture_files(&fixtures_root().join("stale-ignore"));
    assert!(!files.is_empty(), "no stale-ignore fixtures");
    let failures: Vec<String> = files
        .iter()
        .flat_map(|path| check_rule_fixture(path, suppress::UNUSED_IGNORE))
        .collect();
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every framework a rule claims has a fixture with a finding and a `negative*` fixture
/// with none (its near-misses).
#[test]
fn every_rule_has_positive_and_negative_fixtures_per_framework() {
    let mut missing = Vec::new();
    for (meta, _) in RULES {
        for framework in meta.frameworks.ids() {
            let dir = fixtures_root().join(meta.id).join(framework);
            let files = fixture_files(&dir);
            let positive = files.iter().any(|path| {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                expectations(&text).iter().any(|e| e.label == meta.id)
            });
            let negative = files.iter().any(|path| {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let text = std::fs::read_to_string(path).unwrap_or_default();
                name.starts_with("negative") && expectations(&text).is_empty()
            });
            if !positive {
                missing.push(format!("{}/{framework}: no positive fixture", meta.id));
            }
            if !negative {
                missing.push(format!("{}/{framework}: no negative* fixture", meta.id));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn facts_fixtures_resolve_every_route_shape() {
    let mut failures = Vec::new();
    let files = fixture_files(&fixtures_root().join("facts"));
    assert!(!files.is_empty(), "no facts fixtures");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let (_, virtual_files) = split_fixture(&path, &text);
        let sources = load(&virtual_files);
        let index = WorkspaceIndex::new(sources.iter().map(SourceFile::indexed).collect());
        let shown = path
            .strip_prefix(fixtures_root())
            .unwrap_or(&path)
            .display()
            .to_string();
        for (source, file) in sources.iter().zip(&virtual_files) {
            let methods = index.resolve_methods(&source.indexed());
            let line_index = LineIndex::new(&source.text);
            let mut expected = expectations(&source.text);
            for (handler, resolved) in source.facts.handlers.iter().zip(&methods) {
                if resolved.is_empty() {
                    continue;
                }
                let mut names: Vec<&str> = resolved.iter().map(|r| r.method.as_str()).collect();
                names.sort_unstable();
                names.dedup();
                let found = format!("method: {}", names.join(", "));
                let start = line_index.line_col_chars(&source.text, handler.name_range.start);
                let end = line_index.line_col_chars(&source.text, handler.name_range.end);
                let at = format!(
                    "{shown}:{}:{}",
                    file.first_line + start.line + 1,
                    start.column + 1
                );
                match expected.iter().position(|e| {
                    e.line == start.line && e.start == start.column && e.end == end.column
                }) {
                    Some(hit) => {
                        let expectation = expected.remove(hit);
                        if expectation.label != found {
                            failures.push(format!(
                                "Wrong methods {at}: expected `{}`, found `{found}`",
                                expectation.label
                            ));
                        }
                    }
                    None => failures.push(format!("Noisy {at}: {found} ({:?})", handler.name)),
                }
            }
            for expectation in expected {
                failures.push(format!(
                    "Missing {shown}:{}:{}: {}",
                    file.first_line + expectation.line + 1,
                    expectation.start + 1,
                    expectation.label
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} facts failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Docs are tests: each `expect_diagnostic` block yields exactly one finding of its rule, and
/// each block after "Use instead:" none.
#[test]
fn rule_docs_examples_behave_as_documented() {
    let mut failures = Vec::new();
    for (meta, _) in RULES {
        let docs = meta.docs_markdown();
        let mut lines = docs.lines();
        let mut after_use_instead = false;
        // A `yaml` block is the contract of the examples after it.
        let mut contract: Option<String> = None;
        while let Some(line) = lines.next() {
            if line.trim() == "Use instead:" {
                after_use_instead = true;
                continue;
            }
            let Some(info) = line.trim().strip_prefix("```") else {
                continue;
            };
            if info.is_empty() {
                continue;
            }
            if info.starts_with("yaml") {
                let document: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.trim().starts_with("```"))
                    .collect();
                contract = Some(document.join("\n"));
                continue;
            }
            let language = if info.starts_with("rust") {
                Language::Rust
            } else {
                Language::TypeScript
            };
            let ext = if language == Language::Rust {
                "rs"
            } else {
                "ts"
            };
            let code: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.trim().starts_with("```"))
                .collect();
            let source = analysis::from_text(
                PathBuf::from(format!("/docs/example.{ext}")),
                language,
                code.join("\n"),
            );
            let index = WorkspaceIndex::new(vec![source.indexed()]);
            let documents = contract
                .iter()
                .map(|text| (PathBuf::from("/docs/openapi.yaml"), text.clone()))
                .collect();
            let file_routes = ProjectContracts::from_texts(documents).file_routes(&index);
            let none = FileRoutes::default();
            let routes = file_routes.get(&source.path).unwrap_or(&none);
            let selection = enabling(&[meta.id.to_string()]);
            let count = analysis::findings_in_project(&source, &index, &selection, routes)
                .expect("no internal error")
                .iter()
                .filter(|f| f.rule == meta.id)
                .count();
            let expected = if info.contains("expect_diagnostic") {
                1
            } else if after_use_instead {
                0
            } else {
                continue;
            };
            if count != expected {
                failures.push(format!(
                    "{}: example `{info}` gave {count} finding(s), expected {expected}:\n{}",
                    meta.id,
                    code.join("\n")
                ));
            }
            after_use_instead = false;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// No panic on any input: every fixture truncated at every 97th byte still analyses.
#[test]
fn truncated_fixtures_never_panic() {
    let mut cases = 0;
    for path in fixture_files(&fixtures_root()) {
        let text = std::fs::read_to_string(&path).expect("readable");
        let Some(language) = Language::of_path(&path) else {
            continue;
        };
        let bytes = text.as_bytes();
        let mut cut = 0;
        while cut <= bytes.len() {
            let prefix = String::from_utf8_lossy(&bytes[..cut]).into_owned();
            let source = analysis::from_text(path.clone(), language, prefix);
            let index = WorkspaceIndex::new(vec![source.indexed()]);
            let result = analysis::findings(&source, &index);
            assert!(
                result.is_ok(),
                "{}: cut at {cut}: {:?}",
                path.display(),
                result.err()
            );
            cases += 1;
            cut += 97;
        }
    }
    assert!(cases > 100, "only {cases} truncation cases");
}

#[test]
fn rule_ids_in_fixture_headers_exist() {
    for path in fixture_files(&fixtures_root()) {
        let text = std::fs::read_to_string(&path).expect("readable");
        let (wanted, _) = split_fixture(&path, &text);
        for rule in wanted {
            assert!(
                rules::meta(&rule).is_some() || rule == suppress::UNUSED_IGNORE,
                "{}: unknown rule {rule}",
                path.display()
            );
        }
    }
}

/// Every fixture file and example-app file with a status site, a project helper or a status
/// handed to a call is analysed by `check`'s scanner and passes the language server's status
/// prefilter, every one that registers a route is at least kept for its registrations, and every
/// one that defines a credential check is analysed or read again for its index part. The
/// harness above analyses files without the prefilter, so a literal the tables' derivation or
/// the scanner misses would hide such files from `check` unnoticed (poem-openapi's
/// `#[oai(status = 204)]` did). Each virtual file of a multi-file fixture counts alone, as it
/// would in a project.
#[test]
fn files_with_status_sites_pass_the_prefilters() {
    let scanner = Scanner::new();
    let status = Prefilter::new(hsl_tables::status_literals());
    let routes = Prefilter::new(hsl_tables::route_literals());
    let credentials = Prefilter::new(hsl_tables::credential_literals());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let apps = repo.join("tests/apps");
    let mut paths = fixture_files(&fixtures_root());
    paths.extend(fixture_files(&apps));
    let mut hidden = Vec::new();
    let mut with_sites = 0;
    let mut with_checks = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable");
        let (_, files) = split_fixture(path, &text);
        for (source, file) in load(&files).iter().zip(&files) {
            let bytes = file.text.as_bytes();
            let shown = path.strip_prefix(&repo).unwrap_or(path).display();
            let at = format!("{shown}:{}", file.first_line + 1);
            let scan = scanner.scan(source.language.family(), bytes);
            if needs_analysis(&source.facts) {
                with_sites += 1;
                if scan != Scan::Status {
                    hidden.push(format!(
                        "{at}: a status site, but the scanner says {scan:?}"
                    ));
                }
            }
            if !source.facts.responses.is_empty() && !status.passes(bytes) {
                hidden.push(format!("{at}: a status site, but no status literal"));
            }
            with_checks += usize::from(!source.facts.credential_checks.is_empty());
            if !source.facts.credential_checks.is_empty()
                && scan != Scan::Status
                && !credentials.passes(bytes)
            {
                hidden.push(format!(
                    "{at}: a credential check, but neither analysed nor a credential literal"
                ));
            }
            if !source.facts.registrations.is_empty() {
                if scan == Scan::Nothing {
                    hidden.push(format!(
                        "{at}: a route registration, but the scanner says Nothing"
                    ));
                }
                if !status.passes(bytes) && !routes.passes(bytes) {
                    hidden.push(format!("{at}: a route registration, but no literal"));
                }
            }
        }
    }
    assert!(
        with_sites > 500,
        "only {with_sites} files with status sites"
    );
    assert!(with_checks > 0, "no file with a credential check");
    assert!(hidden.is_empty(), "{}", hidden.join("\n"));
}

/// What `check`'s first pass must analyse: a file with a status site, a project helper, or a
/// call handed a status (which a helper of another file may send).
fn needs_analysis(facts: &hsl_facts::FileFacts) -> bool {
    let hands_a_status = |call: &hsl_facts::HelperCall| {
        call.args
            .iter()
            .any(|argument| matches!(argument, hsl_facts::Argument::Status(_)))
    };
    !facts.responses.is_empty()
        || !facts.helpers.is_empty()
        || facts.helper_calls.iter().any(hands_a_status)
}

/// The undeclared-status findings of each code file of a fixture whose files are `files`.
fn undeclared_findings(path: &Path, files: &[VirtualFile]) -> Vec<(SourceFile, Vec<Finding>)> {
    let (documents, code): (Vec<&VirtualFile>, Vec<&VirtualFile>) = files
        .iter()
        .partition(|file| is_contract_document(&file.path));
    let documents: Vec<VirtualFile> = documents
        .into_iter()
        .map(|file| VirtualFile {
            path: file.path.clone(),
            text: file.text.clone(),
            first_line: file.first_line,
        })
        .collect();
    let code: Vec<VirtualFile> = code
        .into_iter()
        .map(|file| VirtualFile {
            path: file.path.clone(),
            text: file.text.clone(),
            first_line: file.first_line,
        })
        .collect();
    let sources = load(&code);
    let index = WorkspaceIndex::new(sources.iter().map(SourceFile::indexed).collect());
    let routes = file_routes(path, &documents, &index);
    let none = FileRoutes::default();
    let selection = RuleSelection::default();
    let found: Vec<Vec<Finding>> = sources
        .iter()
        .map(|source| {
            let routes = routes.get(&source.path).unwrap_or(&none);
            analysis::findings_in_project(source, &index, &selection, routes)
                .expect("no internal error")
                .into_iter()
                .filter(|finding| finding.rule == "undeclared-status")
                .collect()
        })
        .collect();
    drop(index);
    sources.into_iter().zip(found).collect()
}

/// The quick fix of `undeclared-status` declares the status in the contract written beside
/// the handler: once applied, the file parses as well as before and that one finding is gone
/// (our own reader of the contract reads the new declaration), the others stay.
#[test]
fn undeclared_status_fixes_declare_the_status() {
    let mut failures = Vec::new();
    let mut fixed_count = 0;
    for dir in fixture_files(&fixtures_root().join("undeclared-status")) {
        let text = std::fs::read_to_string(&dir).expect("fixture readable");
        let (_, files) = split_fixture(&dir, &text);
        for (source, found) in undeclared_findings(&dir, &files) {
            for finding in &found {
                for fix in &finding.fixes {
                    let (fixed, _) = fixes::apply(&source.text, &fix.edits);
                    if std::env::var_os("SHOW_CONTRACT_FIXES").is_some() {
                        eprintln!("== {} {}\n{fixed}", dir.display(), fix.title);
                    }
                    let changed: Vec<VirtualFile> = files
                        .iter()
                        .map(|file| VirtualFile {
                            path: file.path.clone(),
                            text: if file.path == source.path {
                                fixed.clone()
                            } else {
                                file.text.clone()
                            },
                            first_line: file.first_line,
                        })
                        .collect();
                    let after = undeclared_findings(&dir, &changed);
                    let Some((fixed_source, left)) =
                        after.iter().find(|(s, _)| s.path == source.path)
                    else {
                        continue;
                    };
                    fixed_count += 1;
                    if fixed_source.problems.len() > source.problems.len()
                        || left.len() + 1 != found.len()
                    {
                        failures.push(format!(
                            "{} `{}`: {} finding(s) before, {} after, parse problems {} -> {}:\n{fixed}",
                            dir.display(),
                            fix.title,
                            found.len(),
                            left.len(),
                            source.problems.len(),
                            fixed_source.problems.len()
                        ));
                    }
                }
            }
        }
    }
    assert!(fixed_count >= 8, "only {fixed_count} fixes tried");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
