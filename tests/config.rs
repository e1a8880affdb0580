//! `http-status-ls.toml` end to end: the binary run on real files in a scratch project, the way
//! a user runs it, reading stdout (JSON findings), stderr (config problems) and the exit code.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

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
        "http-status-ls.toml:2:1: warning: unknown key `rulez` in http-status-ls.toml; expected one of: rules, select, ignore, fail-level, include, exclude, extend-exclude, default-excludes, frameworks, inlay-hints, openapi (did you mean `rules`?)"
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

#[test]
fn invalid_globs_stop_the_run_naming_the_glob_and_its_file() {
    let dir = scratch("invalid-globs");
    write(&dir, "src/app.js", APP);
    // Git reads an unclosed `[` as a literal, so this `include` once matched no file and the
    // run passed having checked nothing.
    for (config, expected) in [
        (
            "include = [\"[\"]\n",
            "sub/http-status-ls.toml:1:12: error: invalid glob \"[\" in `include`: ",
        ),
        (
            "exclude = [\"src/gen/\", \"src/{a\"]\n",
            "sub/http-status-ls.toml:1:24: error: invalid glob \"src/{a\" in `exclude`: ",
        ),
        (
            "extend-exclude = [\"\"]\n",
            "sub/http-status-ls.toml:1:19: error: invalid glob \"\" in `extend-exclude`: an empty glob matches nothing",
        ),
    ] {
        write(&dir, "sub/http-status-ls.toml", config);
        write(&dir, "sub/app.js", APP);
        let output = run_in(&dir, &["check", "--format", "json"]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{config}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).starts_with(expected), "{}", stderr(&output));
        assert!(output.stdout.is_empty(), "nothing is checked");
    }
    // `--config` names the file it read.
    write(&dir, "conf/strict.toml", "include = [\"src/[ab\"]\n");
    let explicit = run_in(&dir, &["check", "--config", "conf/strict.toml", "src"]);
    assert_eq!(explicit.status.code(), Some(2));
    assert!(
        stderr(&explicit).starts_with("conf/strict.toml:1:12: error: invalid glob \"src/[ab\""),
        "{}",
        stderr(&explicit)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_config_with_a_hundred_thousand_unknown_keys_reports_each_at_its_line() {
    let dir = scratch("hostile");
    write(&dir, "app.js", APP);
    let keys = 100_000;
    let text: String = (0..keys).map(|i| format!("key{i} = 1\n")).collect();
    write(&dir, "http-status-ls.toml", &text);
    let output = run_in(&dir, &["check", "--format", "json"]);
    let problems = stderr(&output);
    let mut count = 0;
    for (i, line) in problems.lines().enumerate() {
        let prefix = format!(
            "http-status-ls.toml:{}:1: warning: unknown key `key{i}`",
            i + 1
        );
        assert!(line.starts_with(&prefix), "{line}");
        count += 1;
    }
    assert_eq!(count, keys);
    assert_eq!(findings(&output).len(), 2, "the run goes on");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fail_level_select_and_ignore_in_the_config() {
    let dir = scratch("gate-config");
    write(&dir, "app.js", APP);
    let run = |config: &str| {
        write(&dir, "http-status-ls.toml", config);
        run_in(&dir, &["check", "--format", "json"])
    };
    let errors_only = run("fail-level = \"error\"\nignore = [\"body-on-bodiless-status\"]\n");
    assert_eq!(
        findings(&errors_only),
        vec![(
            "app.js".to_string(),
            "redirect-changes-method".to_string(),
            "warning".to_string(),
            5
        )]
    );
    assert_eq!(
        errors_only.status.code(),
        Some(0),
        "a warning under fail-level error"
    );
    let command_line = run_in(
        &dir,
        &["check", "--format", "json", "--fail-level", "warning"],
    );
    assert_eq!(command_line.status.code(), Some(1), "--fail-level wins");
    let selected = run("select = [\"body-on-bodiless-status\"]\n");
    let rules: Vec<String> = findings(&selected).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["body-on-bodiless-status"]);
    let reselected = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--select",
            "redirect-changes-method",
        ],
    );
    let rules: Vec<String> = findings(&reselected).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["redirect-changes-method"], "--select wins");
    let typo = run("select = [\"body-on-bodyless-status\"]\nfail-level = \"warn\"\n");
    assert_eq!(typo.status.code(), Some(2));
    let problems = stderr(&typo);
    assert!(
        problems.starts_with("http-status-ls.toml:1:11: error: unknown rule `body-on-bodyless-status` in `select` (did you mean `body-on-bodiless-status`?)"),
        "{problems}"
    );
    assert!(
        problems.contains("http-status-ls.toml:2:14: error: invalid `fail-level` \"warn\"; expected one of: error, warning, info, hint (did you mean `warning`?)"),
        "{problems}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn default_excludes_can_be_turned_off_and_extend_exclude_adds() {
    let dir = scratch("default-excludes-config");
    write(&dir, "src/app.js", APP);
    write(&dir, "src/gen/api.js", APP);
    write(&dir, "dist/app.js", APP);
    let files = |output: &Output| -> Vec<String> {
        let mut files: Vec<String> = findings(output).into_iter().map(|f| f.0).collect();
        files.dedup();
        files
    };
    let defaults = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(files(&defaults), ["src/app.js", "src/gen/api.js"]);
    write(
        &dir,
        "http-status-ls.toml",
        "default-excludes = false\nextend-exclude = [\"src/gen/\"]\n",
    );
    let configured = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(files(&configured), ["dist/app.js", "src/app.js"]);
    assert!(stderr(&configured).is_empty(), "{}", stderr(&configured));
    let _ = std::fs::remove_dir_all(&dir);
}
