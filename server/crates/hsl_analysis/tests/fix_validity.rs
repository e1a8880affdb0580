//! Regression tests from the `fix_validity` fuzz target: every fix the analysis keeps parses no
//! worse than the file it fixes.
#![allow(clippy::expect_used)]

use std::path::PathBuf;

use hsl_config::RuleSelection;
use hsl_facts::Language;
use hsl_workspace::WorkspaceIndex;

/// Asserts that each kept fix of each finding of `text`, applied alone, leaves no more syntax
/// errors than the text has.
fn every_kept_fix_parses_no_worse(language: Language, path: &str, text: &str) {
    let file = hsl_analysis::from_text(PathBuf::from(path), language, text.to_string());
    let index = WorkspaceIndex::new(vec![file.indexed()]);
    let found = hsl_analysis::findings_with(&file, &index, &RuleSelection::default())
        .expect("the rules run");
    let errors = hsl_syntax::error_count(language, text);
    let mut fixes = 0;
    for finding in &found {
        for fix in &finding.fixes {
            fixes += 1;
            let (fixed, applied) = hsl_fixes::apply(text, &fix.edits);
            assert_eq!(
                applied,
                fix.edits.len(),
                "`{}` applies only in part",
                fix.title
            );
            assert!(
                hsl_syntax::error_count(language, &fixed) <= errors,
                "`{}` of {} adds a syntax error:\n{fixed}",
                fix.title,
                finding.rule
            );
        }
    }
    assert!(fixes > 0, "the text offers no fix to check");
}

/// A file that already has syntax errors, where one finding's fix removes the broken code and
/// another's adds an error: checked together the two counts cancel, so each is checked alone
/// (found by the fuzz target, a mangled poem fixture).
#[test]
fn in_a_broken_file_each_fix_is_checked_on_its_own() {
    let text = include_str!("data/fix-removes-an-error.rs.txt");
    every_kept_fix_parses_no_worse(Language::Rust, "handlers.rs", text);
}
