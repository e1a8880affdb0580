//! End-to-end tests of the `http-status-ls` binary, run the way a user runs it: on real files
//! on disk, reading its stdout, stderr and exit code.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "support/process.rs"]
mod support;
use support::{binary, run_in, scratch};

#[path = "cli/gate.rs"]
mod gate;
#[path = "cli/routes.rs"]
mod routes;
#[path = "cli/rule_docs.rs"]
mod rule_docs;
#[path = "cli/walk.rs"]
mod walk;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repo root")
}

/// A scratch directory holding one source file.
fn project_with(name: &str, file: &str, text: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join(file), text).expect("write");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn source_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(source_files(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs")
        ) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `(file relative to dir, line, column, end column, rule)` from `// ^^^ rule` annotations.
fn annotations(dir: &Path) -> BTreeSet<(String, usize, usize, usize, String)> {
    let mut found = BTreeSet::new();
    for path in source_files(dir) {
        let text = std::fs::read_to_string(&path).expect("utf-8 fixture");
        let lines: Vec<&str> = text.lines().collect();
        let relative = path
            .strip_prefix(dir)
            .expect("under dir")
            .to_string_lossy()
            .replace('\\', "/");
        for (index, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let comment = trimmed.strip_prefix("//");
            if !comment.is_some_and(|rest| rest.trim_start().starts_with('^')) {
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
            let rule = rest
                .trim()
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let code_line = (0..index).rev().find(|&i| {
                let comment = lines[i]
                    .trim_start()
                    .strip_prefix("//")
                    .map(str::trim_start);
                !comment.is_some_and(|c| c.starts_with('^') || c.starts_with("fix"))
            });
            if let Some(code_line) = code_line {
                found.insert((relative.clone(), code_line + 1, start + 1, end + 1, rule));
            }
        }
    }
    found
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_findings(output: &Output) -> Vec<serde_json::Value> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{stdout}"));
    value.as_array().expect("a JSON array").clone()
}

fn apps() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/apps"))
        .expect("tests/apps")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn example_apps_report_exactly_their_annotations() {
    let dirs = apps();
    assert!(
        dirs.len() >= 2,
        "expected the Express and axum example apps, found {dirs:?}"
    );
    for dir in dirs {
        let output = run_in(&dir, &["check", "--format", "json", "."]);
        let expected = annotations(&dir);
        let found: BTreeSet<(String, usize, usize, usize, String)> = json_findings(&output)
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap_or("").to_string(),
                    f["start"]["line"].as_u64().unwrap_or(0) as usize,
                    f["start"]["column"].as_u64().unwrap_or(0) as usize,
                    f["end"]["column"].as_u64().unwrap_or(0) as usize,
                    f["rule"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let missing: Vec<_> = expected.difference(&found).collect();
        let noisy: Vec<_> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && noisy.is_empty(),
            "{}:\nMissing: {missing:#?}\nNoisy: {noisy:#?}",
            dir.display()
        );
        assert!(
            expected
                .iter()
                .any(|(_, _, _, _, rule)| rule == "redirect-changes-method"),
            "{}: the app must show a POST-handler redirect",
            dir.display()
        );
        assert_eq!(output.status.code(), Some(1), "findings exit with 1");
    }
}

#[test]
fn post_handler_302_is_reported_and_get_handler_302_is_not() {
    let dir = scratch("post-get");
    std::fs::write(dir.join("package.json"), "{}").expect("write");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("src/routes.js"),
        "const h = require('./handlers');\nconst router = require('express').Router();\nrouter.post('/login', h.login);\nrouter.get('/old', h.old);\nmodule.exports = router;\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("src/handlers.js"),
        "exports.login = (req, res) => res.redirect('/home');\nexports.old = (req, res) => res.redirect(302, '/new');\n",
    )
    .expect("write");
    let output = run_in(&dir, &["check", "--format", "json", "src/handlers.js"]);
    let findings = json_findings(&output);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "redirect-changes-method");
    assert_eq!(findings[0]["start"]["line"], 1);
    assert_eq!(findings[0]["fixes"][0]["applicability"], "safe");
    assert_eq!(findings[0]["fixes"][0]["edits"][0]["new_text"], "303, ");
}

/// A condition with a multi-byte character after an operator used to panic the rule that read
/// conditions as text; the file then lost every finding and `check` printed "No findings" and
/// exited 2 (issue 12). Both findings of the file must be reported.
#[test]
fn non_ascii_in_a_condition_loses_no_finding() {
    let dir = project_with(
        "non-ascii-condition",
        "app.js",
        "const app = require('express')();\n\
         app.get('/me', (req, res) => {\n\
         \x20 if (!req.headers.authorization || req.query.name === \"José\") {\n\
         \x20   return res.status(403).json({ error: \"Sign in\" });\n\
         \x20 }\n\
         \x20 res.json({});\n\
         });\n\
         app.post('/login', (req, res) => res.redirect('/home'));\n",
    );
    let output = run_in(&dir, &["check", "--format", "json", "app.js"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let rules: Vec<String> = json_findings(&output)
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        rules,
        ["unauthenticated-as-forbidden", "redirect-changes-method"],
        "{output:?}"
    );
}

/// A file whose only statuses are poem-openapi `#[oai(status = ..)]` attributes was never
/// parsed: the prefilter's hand-kept literals had no case for them, so `check` said "No
/// findings" until an unrelated `StatusCode::OK` line let the file through (issue 12). The
/// literals are now derived from every table key, attributes included.
#[test]
fn poem_openapi_statuses_alone_are_checked() {
    let dir = project_with(
        "poem-openapi-statuses",
        "api.rs",
        "use poem_openapi::{payload::Json, ApiResponse};\n\
         \n\
         #[derive(ApiResponse)]\n\
         enum DeleteResponse {\n\
         \x20   #[oai(status = 204)]\n\
         \x20   Deleted(Json<Pet>),\n\
         \x20   #[oai(status = 999)]\n\
         \x20   Odd,\n\
         \x20   #[oai(status = 306)]\n\
         \x20   Unused,\n\
         }\n",
    );
    let output = run_in(&dir, &["check", "--format", "json", "api.rs"]);
    let found: Vec<(u64, String)> = json_findings(&output)
        .iter()
        .map(|finding| {
            let line = finding["start"]["line"].as_u64().unwrap_or(0);
            (line, finding["rule"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(
        found,
        [
            (5, "body-on-bodiless-status".to_string()),
            (7, "invalid-status-code".to_string()),
            (9, "deprecated-status-code".to_string()),
        ],
        "{output:?}"
    );
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let dir = project_with(
        "columns",
        "app.js",
        "app.post('/é🚀', (req, res) => { res.status(302).location('/x').end(); });\n",
    );
    let findings = json_findings(&run_in(&dir, &["check", "--format", "json"]));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    // `302` starts after 43 characters (more bytes: é and 🚀 are multi-byte).
    let line = "app.post('/é🚀', (req, res) => { res.status(";
    assert_eq!(findings[0]["start"]["column"], line.chars().count() + 1);
    assert_eq!(findings[0]["end"]["column"], line.chars().count() + 4);
    assert!(
        findings[0]["docs_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
}

#[test]
fn exit_codes_are_zero_one_two() {
    let dir = project_with(
        "exit",
        "ok.js",
        "app.post('/x', (req, res) => res.redirect(303, '/y'));\n",
    );
    assert_eq!(run_in(&dir, &["check"]).status.code(), Some(0));
    std::fs::write(
        dir.join("bad.js"),
        "app.post('/x', (req, res) => res.redirect('/y'));\n",
    )
    .expect("write");
    assert_eq!(run_in(&dir, &["check"]).status.code(), Some(1));
    let missing = run_in(&dir, &["check", "does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does-not-exist"));
}

#[test]
fn bad_files_are_skipped_with_a_note_and_nothing_lost() {
    let dir = scratch("bad-files");
    std::fs::write(dir.join("binary.js"), b"res.status(302)\0\x01\x02").expect("write");
    std::fs::write(dir.join("latin1.ts"), b"res.status(302); // caf\xe9\n").expect("write");
    let big = format!("// {}\nres.status(302);\n", "x".repeat(3 * 1024 * 1024));
    std::fs::write(dir.join("bundle.js"), big).expect("write");
    std::fs::write(dir.join("notes.py"), "print(302)\n").expect("write");
    std::fs::write(
        dir.join("good.js"),
        "app.post('/x', (req, res) => res.redirect('/y'));\n",
    )
    .expect("write");
    let output = run_in(&dir, &["check", "--format", "json", ".", "notes.py"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("binary.js: skipped, binary content"),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin1.ts: skipped, not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bundle.js: skipped, larger than 2 MiB"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notes.py: skipped, not a Rust, TypeScript or JavaScript file"),
        "{stderr}"
    );
    let findings = json_findings(&output);
    assert_eq!(
        findings.len(),
        1,
        "the good file is still checked: {findings:#?}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn gitignored_files_are_not_checked() {
    let dir = scratch("gitignore");
    std::fs::write(dir.join(".gitignore"), "dist/\n").expect("write");
    std::fs::create_dir_all(dir.join("dist")).expect("mkdir");
    std::fs::write(
        dir.join("dist/out.js"),
        "app.post('/x', (req, res) => res.redirect('/y'));\n",
    )
    .expect("write");
    let output = run_in(&dir, &["check", "--format", "json"]);
    assert!(json_findings(&output).is_empty());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn text_output_has_location_rule_snippet_and_carets() {
    let dir = project_with(
        "text",
        "app.js",
        "app.post('/x', (req, res) => {\n  res.redirect('/y');\n});\n",
    );
    let output = run_in(&dir, &["check", "--color", "never"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("app.js:2:7: warning[redirect-changes-method]"),
        "{stdout}"
    );
    assert!(stdout.contains("2 |   res.redirect('/y');"), "{stdout}");
    assert!(stdout.contains("  |       ^^^^^^^^"), "{stdout}");
    assert!(
        stdout.contains("help: Use `303 See Other` (fixable with `--fix`)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("note: `POST` handler: its method is declared here at app.js:1:1"),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "no colour when not a terminal");
    let colored = run_in(&dir, &["check", "--color", "always"]);
    assert!(String::from_utf8_lossy(&colored.stdout).contains('\x1b'));
}

#[test]
fn github_format_writes_workflow_annotations() {
    let dir = project_with(
        "github",
        "app.js",
        "app.post('/x', (req, res) => res.redirect('/y'));\n",
    );
    let output = run_in(&dir, &["check", "--format", "github"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("::warning file=app.js,line=1,col=34,endLine=1,endColumn=42,title=http-status-ls (redirect-changes-method)::"),
        "{stdout}"
    );
}

/// Structural checks of a SARIF log that need nothing but Rust: the shape GitHub code scanning
/// reads (version, tool, rules, results pointing at rules, locations with 1-based regions, URIs
/// that are valid relative references). The full SARIF 2.1.0 JSON-schema validation is a step of
/// `tests/run.sh` of its own (`tests/sarif/check.sh`), since it runs on Node.js.
fn assert_sarif_shape(log: &serde_json::Value) {
    assert_eq!(log["version"], "2.1.0", "{log:#}");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif") && s.contains("2.1.0")),
        "$schema names SARIF 2.1.0: {}",
        log["$schema"]
    );
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "http-status-ls");
    let rules = driver["rules"].as_array().expect("tool.driver.rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().expect("every rule has an id"))
        .collect();
    for rule in rules {
        assert!(
            rule["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{rule:#}"
        );
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{rule:#}"
        );
    }
    if let Some(kind) = run.get("columnKind") {
        assert!(
            kind == "unicodeCodePoints" || kind == "utf16CodeUnits",
            "{kind}"
        );
    }
    for result in run["results"].as_array().expect("results is an array") {
        let rule = result["ruleId"].as_str().expect("ruleId");
        let index = ids.iter().position(|id| *id == rule);
        assert!(index.is_some(), "result names an unknown rule {rule}");
        if let Some(given) = result.get("ruleIndex") {
            assert_eq!(given.as_u64(), index.map(|i| i as u64), "{result:#}");
        }
        assert!(
            matches!(
                result["level"].as_str(),
                Some("none" | "note" | "warning" | "error")
            ),
            "{result:#}"
        );
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{result:#}"
        );
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "{result:#}");
        for location in locations {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(
                is_relative_uri_reference(uri),
                "not a relative URI reference: {uri:?}"
            );
            let region = &physical["region"];
            let line = region["startLine"].as_u64().expect("startLine");
            let column = region["startColumn"].as_u64().expect("startColumn");
            assert!(line >= 1 && column >= 1, "{region:#}");
            if let Some(end) = region["endLine"].as_u64() {
                assert!(end >= line, "{region:#}");
            }
        }
    }
}

/// RFC 3986 relative reference with a path only: unreserved characters, sub-delims, `:`, `@`,
/// `/` and `%XX` escapes (no spaces, brackets, backslashes).
fn is_relative_uri_reference(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let escape = bytes.get(i + 1..i + 3);
            if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if !allowed {
            return false;
        }
        i += 1;
    }
    !uri.is_empty() && !uri.starts_with('/') && !uri.contains("://")
}

#[test]
fn sarif_output_has_the_shape_code_scanning_reads() {
    for dir in apps() {
        let output = run_in(&dir, &["check", "--format", "sarif", "."]);
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
        assert!(
            !log["runs"][0]["results"]
                .as_array()
                .expect("results")
                .is_empty(),
            "the example app has findings"
        );
        assert!(log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].is_string());
        assert_sarif_shape(&log);
    }
}

#[test]
fn fix_turns_safe_findings_into_clean_code() {
    for app in apps() {
        let dir = scratch("fix");
        copy_dir(&app, &dir);
        let before = json_findings(&run_in(&dir, &["check", "--format", "json"]));
        let safe_before = before
            .iter()
            .filter(|f| {
                f["fixes"]
                    .as_array()
                    .is_some_and(|fixes| fixes.iter().any(|x| x["applicability"] == "safe"))
            })
            .count();
        assert!(safe_before > 0, "{}: nothing to fix", app.display());
        let fixed = run_in(&dir, &["check", "--fix"]);
        assert!(
            String::from_utf8_lossy(&fixed.stderr).contains("fixed"),
            "{}",
            String::from_utf8_lossy(&fixed.stderr)
        );
        let after = json_findings(&run_in(&dir, &["check", "--format", "json"]));
        let safe_after = after
            .iter()
            .filter(|f| {
                f["fixes"]
                    .as_array()
                    .is_some_and(|fixes| fixes.iter().any(|x| x["applicability"] == "safe"))
            })
            .count();
        assert_eq!(safe_after, 0, "{}: {after:#?}", app.display());
        assert_eq!(after.len(), before.len() - safe_before);
        for path in source_files(&dir) {
            let original = app.join(path.strip_prefix(&dir).expect("under dir"));
            let language = hsl_facts::Language::of_path(&path).expect("known");
            let old = std::fs::read_to_string(&original).expect("read");
            let new = std::fs::read_to_string(&path).expect("read");
            assert!(
                hsl_syntax::error_count(language, &new) <= hsl_syntax::error_count(language, &old),
                "{} parses worse after --fix",
                path.display()
            );
        }
    }
}

#[test]
fn explain_prints_rule_docs_and_rejects_unknown_rules() {
    let output = binary()
        .args(["explain", "redirect-changes-method"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("## What it does"), "{stdout}");
    assert!(stdout.contains("§15.4.3 (302)"), "{stdout}");
    let unknown = binary()
        .args(["explain", "no-such-rule"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn codes_prints_the_table_and_one_code() {
    let table = binary().arg("codes").output().expect("runs");
    let stdout = String::from_utf8_lossy(&table.stdout);
    assert!(stdout.contains("422  Unprocessable Content"), "{stdout}");
    assert!(stdout.contains("413  Content Too Large"), "{stdout}");
    let one = binary().args(["codes", "303"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&one.stdout);
    assert!(stdout.starts_with("303 See Other"), "{stdout}");
    assert!(stdout.contains("rfc9110#section-15.4.4"), "{stdout}");
    let unknown = binary().args(["codes", "299"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&unknown.stdout).contains("not in the IANA registry"));
}

#[test]
fn sarif_uris_of_bracketed_paths_are_valid() {
    let dir = scratch("sarif-brackets");
    std::fs::create_dir_all(dir.join("app/items/[id] x")).expect("mkdir");
    std::fs::write(
        dir.join("app/items/[id] x/handler.js"),
        "app.post('/x', (req, res) => res.redirect('/y'));\n",
    )
    .expect("write");
    let output = run_in(&dir, &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/items/%5Bid%5D%20x/handler.js"
    );
    assert_sarif_shape(&log);
}

/// A macro's token trees nested a hundred thousand levels deep (`m!((((…))))`, 200 KB) once
/// overflowed the stack of `check`'s worker thread and aborted the whole run. The file is read
/// and its status, a mention in a macro, is no finding.
#[test]
fn deeply_nested_macro_brackets_do_not_abort_check() {
    const LEVELS: usize = 100_000;
    let text = format!(
        "use axum::http::StatusCode;\n\nasync fn h() {{\n    m!({}StatusCode::FOUND{});\n}}\n",
        "(".repeat(LEVELS),
        ")".repeat(LEVELS)
    );
    let dir = project_with("deep-macro", "deep.rs", &text);
    let output = run_in(&dir, &["check", "--format", "json", "deep.rs"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_findings(&output).len(), 0);
}
