//! `check` as a CI gate, like ruff and ESLint: which findings fail the run, which rules run, and
//! what the summary counts.

use super::support::run_in;
use super::{json_findings, project_with, stderr, stdout};

/// A POST handler answering `201` without `Location`, beside the route that reads the item
/// back: one finding, a hint by default.
const HINT_ONLY: &str = "const app = require('express')();
app.post('/items', (req, res) => {
  res.status(201).json({ id: 1 });
});
app.get('/items/:id', show);
";

/// One warning (`redirect-changes-method`) and one hint (`created-without-location`).
const WARNING_AND_HINT: &str = "const app = require('express')();
app.post('/login', (req, res) => res.redirect('/home'));
app.post('/items', (req, res) => {
  res.status(201).json({ id: 1 });
});
app.get('/items/:id', show);
";

#[test]
fn findings_below_the_fail_level_do_not_fail_the_run() {
    let dir = project_with("gate-hint", "app.js", HINT_ONLY);
    let default = run_in(&dir, &["check"]);
    assert!(stdout(&default).contains("hint[created-without-location]"));
    assert_eq!(default.status.code(), Some(0), "a hint passes by default");
    let hint = run_in(&dir, &["check", "--fail-level", "hint"]);
    assert_eq!(hint.status.code(), Some(1));
    let info = run_in(&dir, &["check", "--fail-level", "info"]);
    assert_eq!(info.status.code(), Some(0));

    std::fs::write(dir.join("app.js"), WARNING_AND_HINT).expect("write");
    assert_eq!(run_in(&dir, &["check"]).status.code(), Some(1));
    let error = run_in(&dir, &["check", "--fail-level", "error"]);
    assert_eq!(error.status.code(), Some(0));
    let bad = run_in(&dir, &["check", "--fail-level", "warn"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn exit_zero_passes_with_findings_but_not_with_errors() {
    let dir = project_with("gate-exit-zero", "app.js", WARNING_AND_HINT);
    let output = run_in(&dir, &["check", "--exit-zero", "--format", "json"]);
    assert_eq!(
        json_findings(&output).len(),
        2,
        "findings are still reported"
    );
    assert_eq!(output.status.code(), Some(0));
    let missing = run_in(&dir, &["check", "--exit-zero", "missing.js"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn select_and_ignore_choose_the_rules_and_unknown_ids_name_the_nearest() {
    let dir = project_with("gate-select", "app.js", WARNING_AND_HINT);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let mut rules: Vec<String> = json_findings(&run_in(&dir, &all))
            .iter()
            .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
            .collect();
        rules.sort();
        rules
    };
    assert_eq!(
        rules(&[]),
        ["created-without-location", "redirect-changes-method"]
    );
    assert_eq!(
        rules(&["--select", "created-without-location"]),
        ["created-without-location"]
    );
    assert_eq!(
        rules(&["--ignore", "created-without-location,invalid-status-code"]),
        ["redirect-changes-method"]
    );
    assert_eq!(
        rules(&[
            "--select",
            "redirect-changes-method",
            "--select",
            "created-without-location"
        ]),
        ["created-without-location", "redirect-changes-method"],
        "repeatable"
    );
    // Selecting an opt-in rule turns it on.
    let constants = project_with(
        "gate-select-opt-in",
        "app.js",
        "import { StatusCodes } from 'http-status-codes';\nconst app = require('express')();\napp.get('/items', (req, res) => res.status(StatusCodes.OK).json([]));\napp.get('/other', (req, res) => res.status(200).json([]));\n",
    );
    let selected = run_in(
        &constants,
        &[
            "check",
            "--format",
            "json",
            "--select",
            "numeric-status-literal",
        ],
    );
    let found = json_findings(&selected);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["rule"], "numeric-status-literal");
    for option in ["--select", "--ignore"] {
        let typo = run_in(&dir, &["check", option, "redirect-change-method"]);
        assert_eq!(typo.status.code(), Some(2), "{option}");
        assert!(
            stderr(&typo).starts_with(&format!(
                "error: unknown rule `redirect-change-method` in {option} (did you mean `redirect-changes-method`?)"
            )),
            "{}",
            stderr(&typo)
        );
        assert!(typo.stdout.is_empty());
    }
}

#[test]
fn summary_counts_the_files_with_findings_and_the_files_checked() {
    let dir = project_with("gate-summary", "bad.js", WARNING_AND_HINT);
    for clean in ["a.js", "b.js"] {
        std::fs::write(dir.join(clean), "const x = 1;\n").expect("write");
    }
    let output = run_in(&dir, &["check"]);
    assert!(
        stdout(&output)
            .contains("Found 2 findings (0 errors, 1 warning, 1 other) in 1 file (3 checked)."),
        "{}",
        stdout(&output)
    );
    std::fs::write(dir.join("bad.js"), "const y = 2;\n").expect("write");
    let clean = run_in(&dir, &["check"]);
    assert_eq!(stdout(&clean), "No findings in 3 files.\n");
}

#[test]
fn fix_says_how_many_were_fixed_and_how_many_remain() {
    let dir = project_with("gate-fix", "app.js", WARNING_AND_HINT);
    let text = run_in(&dir, &["check", "--fix"]);
    assert!(
        stdout(&text).ends_with("1 fixed, 1 remaining.\n"),
        "{}",
        stdout(&text)
    );
    std::fs::write(dir.join("app.js"), WARNING_AND_HINT).expect("write");
    let json = run_in(&dir, &["check", "--fix", "--format", "json"]);
    assert_eq!(json_findings(&json).len(), 1, "stdout stays JSON");
    assert!(
        stderr(&json).contains("1 fixed, 1 remaining."),
        "{}",
        stderr(&json)
    );
}

#[test]
fn a_run_that_checks_nothing_says_so() {
    let dir = project_with("gate-nothing", "README.md", "# no code here\n");
    let output = run_in(&dir, &["check"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output)
            .contains("warning: no Rust, TypeScript or JavaScript file was checked under `.`"),
        "{}",
        stderr(&output)
    );
    let some = project_with("gate-something", "a.js", "const x = 1;\n");
    assert!(!stderr(&run_in(&some, &["check"])).contains("warning"));
}
