//! `http-status-ls.toml` end to end: the binary run on real files in a scratch project, the way
//! a user runs it, reading stdout (JSON findings), stderr (config problems) and the exit code.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

#[path = "support/process.rs"]
mod support;
use support::{run_in, scratch};

const APP: &str = "const express = require('express');
const app = express();

app.post('/login', (req, res) => {
  res.redirect('/home');
});

app.delete('/items/:id', (req, res) => {
  res.status(204).json({ deleted: true });
});
";

/// Turns one rule off, re-levels another, and has one bad key on line 2.
const CONFIG: &str = "# Project settings for http-status-ls.
rulez = \"typo\"

[rules]
redirect-changes-method = \"off\"
body-on-bodiless-status = \"warning\"
";

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// `(file, rule, severity, line)` of every finding, from `--format json`.
fn findings(output: &Output) -> Vec<(String, String, String, u64)> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|err| {
        panic!(
            "JSON output: {err}\n{stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    parsed
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn config_turns_a_rule_off_relevels_another_and_reports_the_bad_key() {
    let dir = scratch("main");
    write(&dir, "src/app.js", APP);

    // Without a config: both rules at their defaults.
    let before = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(
        findings(&before),
        vec![
            (
                "src/app.js".into(),
                "redirect-changes-method".into(),
                "warning".into(),
                5
            ),
            (
                "src/app.js".into(),
                "body-on-bodiless-status".into(),
                "error".into(),
                9
            ),
        ]
    );

    write(&dir, "http-status-ls.toml", CONFIG);
    let after = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(
        findings(&after),
        vec![(
            "src/app.js".into(),
            "body-on-bodiless-status".into(),
            "warning".into(),
            9
        )],
        "the rest of the file applies despite the bad key"
    );
    assert_eq!(
        stderr(&after).trim(),
        "http-status-ls.toml:2:1: warning: unknown key `rulez` in http-status-ls.toml; expected one of: rules, select, ignore, fail-level, include, exclude, extend-exclude, default-excludes, frameworks, inlay-hints (did you mean `rules`?)"
    );
    assert_eq!(
        after.status.code(),
        Some(1),
        "exit code still follows findings"
    );

    // The nearest config applies to a file checked from elsewhere, and text output shows the
    // new severity.
    let text = run_in(&dir.join("src"), &["check", "app.js"]);
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains("app.js:9:14: warning[body-on-bodiless-status]"),
        "{shown}"
    );
    assert!(!shown.contains("redirect-changes-method"), "{shown}");
    assert!(
        stderr(&text).contains("http-status-ls.toml:2:1: warning: unknown key `rulez`"),
        "{}",
        stderr(&text)
    );

    // `--isolated` ignores it; `--config` names one explicitly.
    let isolated = run_in(&dir, &["check", "--isolated", "--format", "json"]);
    assert_eq!(findings(&isolated).len(), 2);
    assert!(stderr(&isolated).is_empty(), "{}", stderr(&isolated));
    write(
        &dir,
        "other/strict.toml",
        "[rules]\nredirect-changes-method = \"error\"\n",
    );
    let explicit = run_in(
        &dir,
        &[
            "check",
            "--config",
            "other/strict.toml",
            "--format",
            "json",
            "src",
        ],
    );
    let got = findings(&explicit);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].1, "redirect-changes-method");
    assert_eq!(got[0].2, "error");
    let missing = run_in(&dir, &["check", "--config", "nope.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_values_and_invalid_toml_never_fail_the_run() {
    let dir = scratch("bad");
    write(&dir, "app.js", APP);
    write(
        &dir,
        "http-status-ls.toml",
        "inlay-hints = \"yes\"\n[rules]\nredirect-changes-methd = \"error\"\nbody-on-bodiless-status = \"warn\"\n",
    );
    let output = run_in(&dir, &["check", "--format", "json"]);
    let problems = stderr(&output);
    let lines: Vec<&str> = problems.lines().collect();
    assert_eq!(lines.len(), 3, "{problems}");
    assert!(
        lines[0]
            .starts_with("http-status-ls.toml:1:15: warning: `inlay-hints` must be true or false"),
        "{problems}"
    );
    assert!(
        lines[1].starts_with("http-status-ls.toml:3:1: warning: unknown rule `redirect-changes-methd` in [rules] (did you mean `redirect-changes-method`?)"),
        "{problems}"
    );
    assert!(
        lines[2].starts_with("http-status-ls.toml:4:27: warning: invalid level \"warn\" for rule `body-on-bodiless-status`; expected one of: error, warning, info, hint, off (did you mean `warning`?)"),
        "{problems}"
    );
    // Every rule keeps its default.
    assert_eq!(findings(&output).len(), 2);
    assert_eq!(output.status.code(), Some(1));

    write(
        &dir,
        "http-status-ls.toml",
        "[rules]\nredirect-changes-method = \"off\n",
    );
    let output = run_in(&dir, &["check", "--format", "json"]);
    assert!(
        stderr(&output).starts_with("http-status-ls.toml:2:")
            && stderr(&output).contains("is not valid TOML"),
        "{}",
        stderr(&output)
    );
    assert_eq!(findings(&output).len(), 2, "defaults apply");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn include_and_exclude_select_walked_files() {
    let dir = scratch("globs");
    write(&dir, "src/app.js", APP);
    write(&dir, "src/generated/client.js", APP);
    write(&dir, "scripts/seed.js", APP);
    write(
        &dir,
        "http-status-ls.toml",
        "include = [\"src/\"]\nexclude = [\"generated/\"]\n",
    );
    let files = |output: &Output| {
        let mut files: Vec<String> = findings(output).into_iter().map(|f| f.0).collect();
        files.dedup();
        files
    };
    let walked = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(files(&walked), vec!["src/app.js".to_string()]);
    // A file named explicitly is checked anyway, unless `--force-exclude`.
    let named = run_in(
        &dir,
        &["check", "--format", "json", "src/generated/client.js"],
    );
    assert_eq!(files(&named), vec!["src/generated/client.js".to_string()]);
    let forced = run_in(
        &dir,
        &[
            "check",
            "--force-exclude",
            "--format",
            "json",
            "src/generated/client.js",
            "scripts/seed.js",
        ],
    );
    assert!(findings(&forced).is_empty());
    assert_eq!(forced.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

const NEXT_ROUTE: &str = "export async function DELETE(request: Request) {
  return NextResponse.json({ deleted: true }, { status: 204 });
}
";

const NEXT_ROUTE_WITH_IMPORT: &str = "import { NextResponse } from 'next/server';

export async function DELETE(request: Request) {
  return NextResponse.json({ deleted: true }, { status: 204 });
}
";

#[test]
fn frameworks_can_be_forced_on_and_off() {
    let dir = scratch("frameworks");
    // `NextResponse` without its import (a global shim): only read when Next.js is on.
    write(&dir, "app/items/route.ts", NEXT_ROUTE);
    write(&dir, "app/orders/route.ts", NEXT_ROUTE_WITH_IMPORT);
    let default = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(
        findings(&default)
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        vec!["app/orders/route.ts".to_string()]
    );
    write(&dir, "http-status-ls.toml", "[frameworks]\nnextjs = true\n");
    let forced = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(findings(&forced).len(), 2, "{:?}", findings(&forced));
    write(
        &dir,
        "http-status-ls.toml",
        "[frameworks]\nnextjs = false\n",
    );
    let off = run_in(&dir, &["check", "--format", "json"]);
    assert!(findings(&off).is_empty(), "{:?}", findings(&off));
    assert!(stderr(&off).is_empty(), "{}", stderr(&off));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manifest_dependencies_detect_frameworks() {
    let dir = scratch("manifest");
    write(&dir, "app/items/route.ts", NEXT_ROUTE);
    write(
        &dir,
        "package.json",
        "{\"name\": \"store\", \"dependencies\": {\"next\": \"^15.1.0\", \"react\": \"^19.0.0\"}}\n",
    );
    let detected = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(findings(&detected).len(), 1, "{:?}", findings(&detected));
    // A manifest that does not name the framework detects nothing.
    write(&dir, "package.json", "{\"name\": \"store\"}\n");
    let plain = run_in(&dir, &["check", "--format", "json"]);
    assert!(findings(&plain).is_empty(), "{:?}", findings(&plain));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_level_enables_an_opt_in_rule() {
    let dir = scratch("opt-in");
    write(
        &dir,
        "app.js",
        "import express from 'express';\nimport { StatusCodes } from 'http-status-codes';\nconst app = express();\n\napp.get('/items', (req, res) => res.status(StatusCodes.OK).json([]));\napp.post('/items', (req, res) => res.status(201).json({}));\n",
    );
    let rules =
        |output: &Output| -> Vec<String> { findings(output).into_iter().map(|f| f.1).collect() };
    let default = run_in(&dir, &["check", "--format", "json"]);
    assert!(!rules(&default).contains(&"numeric-status-literal".to_string()));
    write(
        &dir,
        "http-status-ls.toml",
        "[rules]\nnumeric-status-literal = \"info\"\n",
    );
    let enabled = run_in(&dir, &["check", "--format", "json"]);
    let got = findings(&enabled);
    assert!(
        got.iter()
            .any(|f| f.1 == "numeric-status-literal" && f.2 == "info"),
        "{got:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
