//! The server's incremental path (`from_text_reusing`, a kept tree with the edits applied) gives
//! exactly the facts and findings of a fresh analysis of the same text, after each edit of a
//! sequence. The cases are edits that leave an unclosed brace, quote or comment, found where the
//! two disagreed.

// A test stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use hsl_analysis::{SourceFile, SyntaxTree, TextChange, TextPoint};
use hsl_config::RuleSelection;
use hsl_facts::Language;
use hsl_tables::FrameworkOverrides;
use hsl_workspace::WorkspaceIndex;

fn fixture(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures");
    std::fs::read_to_string(root.join(path)).expect("fixture")
}

fn point(text: &str, at: usize) -> TextPoint {
    let head = &text.as_bytes()[..at];
    TextPoint {
        row: head.iter().filter(|b| **b == b'\n').count(),
        column: at - head.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1),
    }
}

/// Replaces `range` of `text` with `new`, returning the change a client would describe.
fn replace(text: &mut String, range: std::ops::Range<usize>, new: &str) -> TextChange {
    let start = point(text, range.start);
    let old_end = point(text, range.end);
    text.replace_range(range.clone(), new);
    let new_end_byte = range.start + new.len();
    TextChange {
        start_byte: range.start,
        old_end_byte: range.end,
        new_end_byte,
        start,
        old_end,
        new_end: point(text, new_end_byte),
    }
}

fn findings(file: &SourceFile) -> String {
    let index = WorkspaceIndex::new(vec![file.indexed()]);
    let found = hsl_analysis::findings_with(file, &index, &RuleSelection::default())
        .expect("no rule panics");
    let mut lines: Vec<String> = found
        .iter()
        .map(|f| format!("{} {:?} {}", f.rule, f.range, f.message))
        .collect();
    lines.sort();
    lines.join("\n")
}

/// An edit of the text: where (the byte offset `at` picks in the current text) and what.
type Edit = (fn(&str) -> std::ops::Range<usize>, &'static str);

/// Analyses `text`, then applies `edits` one by one as the server does, and after each
/// compares the incremental result with a fresh analysis.
fn assert_incremental_is_fresh(language: Language, mut text: String, edits: &[Edit]) {
    let path = PathBuf::from(match language {
        Language::Rust => "case.rs",
        _ => "case.ts",
    });
    let overrides = FrameworkOverrides::default();
    let (_, mut tree): (SourceFile, Option<SyntaxTree>) =
        hsl_analysis::from_text_reusing(path.clone(), language, text.clone(), None, &overrides);
    for (step, (at, new)) in edits.iter().enumerate() {
        let range = at(&text);
        let change = replace(&mut text, range, new);
        if let Some(tree) = tree.as_mut() {
            tree.edit(&change);
        }
        let (ours, next) = hsl_analysis::from_text_reusing(
            path.clone(),
            language,
            text.clone(),
            tree.as_ref(),
            &overrides,
        );
        let fresh = hsl_analysis::from_text(path.clone(), language, text.clone());
        let facts = (format!("{:#?}", ours.facts), format!("{:#?}", fresh.facts));
        for (what, (ours, fresh)) in [
            ("facts", facts),
            ("findings", (findings(&ours), findings(&fresh))),
        ] {
            if ours != fresh {
                let first = ours
                    .lines()
                    .zip(fresh.lines())
                    .find(|(a, b)| a != b)
                    .map_or("one is longer".to_string(), |(a, b)| {
                        format!("incremental: {a}\nfresh:       {b}")
                    });
                panic!("{what} differ after edit {step}:\n{first}\n--- text ---\n{text}");
            }
        }
        tree = next;
    }
}

fn after(text: &str, marker: &str) -> usize {
    text.find(marker).expect("marker") + marker.len()
}

/// `{` typed right after the `}` that closes `if !vault_allows(&token) { … }`: the block never
/// closes, and a fresh analysis reads the rest of the file differently than an incremental one.
#[test]
fn a_brace_typed_after_a_closing_brace() {
    let text = fixture("unauthenticated-as-forbidden/axum/negative-near-misses.rs");
    assert_incremental_is_fresh(
        Language::Rust,
        text,
        &[(
            |text| {
                let at = after(text, "return StatusCode::FORBIDDEN;\n          }");
                at..at
            },
            "{",
        )],
    );
}

/// `#[get("/ord` becomes `#;`, then a `"` is typed in a later comment: a fresh analysis reads
/// from that quote on as a string, and the finding in there is gone.
#[test]
fn an_attribute_broken_then_a_quote_in_a_comment() {
    let text = fixture("success-in-error-handler/actix-web/err-arms.rs");
    assert_incremental_is_fresh(
        Language::Rust,
        text,
        &[
            (
                |text| {
                    let at = text.find("#[get(\"/ord").expect("attribute");
                    at..at + "#[get(\"/ord".len()
                },
                "#;",
            ),
            (
                |text| {
                    let at = after(text, "^^^^ success-in-error-handler:");
                    at..at
                },
                "\"",
            ),
        ],
    );
}

/// Found by the `incremental_edits` fuzz target: `fn f() {` typed into a half-written Rust
/// handler whose tuple and macro never close.
#[test]
fn a_function_typed_into_an_unclosed_handler() {
    let text = "#use crate rocket;\nfn crer() -> (Statwith(Status::Created, Json(n!({ \"id\": "
        .to_string();
    assert_incremental_is_fresh(Language::Rust, text, &[(|_| 28..29, "fn f() {")]);
}
