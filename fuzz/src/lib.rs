//! The checks the fuzz targets run, shared so that each target is a few lines and a crash names
//! the property that broke.
//!
//! Every check panics when a property fails: libFuzzer records a panic as a crash and keeps the
//! input under `fuzz/artifacts/<target>/`. A crash becomes a regression test in the workspace
//! (see fuzz/README.md), never a file kept here.

use std::path::PathBuf;

use hsl_analysis::{SourceFile, SyntaxTree, TextChange, TextPoint};
use hsl_config::RuleSelection;
use hsl_facts::{ByteRange, Language};
use hsl_fixes::Edit;
use hsl_rules::Finding;
use hsl_workspace::WorkspaceIndex;

pub mod edits;
pub mod lsp;

/// How many rounds of safe fixes a file may need before nothing applies; one round is the norm
/// (`check --fix` applies one), and a fix that undoes another never settles.
const FIX_ROUNDS: usize = 8;

/// The language a selector byte picks: the fuzzer mutates it like any other byte.
pub fn language_from(selector: u8) -> Language {
    match selector % 4 {
        0 => Language::JavaScript,
        1 => Language::TypeScript,
        2 => Language::Tsx,
        _ => Language::Rust,
    }
}

/// A path with the language's extension, for the messages that name the file.
pub fn path_for(language: Language) -> PathBuf {
    PathBuf::from(match language {
        Language::JavaScript => "fuzz.js",
        Language::TypeScript => "fuzz.ts",
        Language::Tsx => "fuzz.tsx",
        Language::Rust => "fuzz.rs",
    })
}

/// Parses and extracts `text`.
pub fn analyse(language: Language, text: &str) -> SourceFile {
    hsl_analysis::from_text(path_for(language), language, text.to_string())
}

/// The findings of a file alone in its workspace, with fixes checked as the CLI checks them;
/// every rule enabled when `all_rules` (the opt-in ones too). A rule that panics is a crash.
pub fn findings(file: &SourceFile, all_rules: bool) -> Vec<Finding> {
    let index = WorkspaceIndex::new(vec![file.indexed()]);
    let result = if all_rules {
        hsl_analysis::rule_findings_selected(file, &index, |_| true).map(|mut found| {
            hsl_analysis::check_fixes(file, &mut found);
            found
        })
    } else {
        hsl_analysis::findings_with(file, &index, &RuleSelection::default())
    };
    match result {
        Ok(found) => found,
        Err(message) => panic!("a rule panicked: {message}"),
    }
}

/// Every rule's findings with their fixes as the rules propose them. The fixes' own check
/// (`check_fixes`, a re-parse per fix) is left out: it depends only on the text and the
/// findings, which the comparison already holds equal, and `fix_validity` fuzzes it.
fn rule_findings(file: &SourceFile) -> Vec<Finding> {
    let index = WorkspaceIndex::new(vec![file.indexed()]);
    hsl_analysis::rule_findings_selected(file, &index, |_| true)
        .unwrap_or_else(|message| panic!("a rule panicked: {message}"))
}

/// Whole-file analysis: parse, extract, rules (with suppression), fix checks, and the editor
/// features at a few positions. Every range handed out must lie inside the text on character
/// boundaries.
pub fn whole_file(language: Language, text: &str) {
    let file = analyse(language, text);
    for response in &file.facts.responses {
        assert_range(text, &response.status.range, "a status site");
    }
    for handler in &file.facts.handlers {
        assert_range(text, &handler.range, "a handler");
    }
    for problem in &file.problems {
        assert_range(text, &problem.range, "a syntax problem");
    }
    let found = findings(&file, true);
    for finding in &found {
        assert_range(text, &finding.range, finding.rule);
        for fix in &finding.fixes {
            for edit in &fix.edits {
                assert_range(text, &edit.range, &fix.title);
            }
        }
        // Adding the ignore comment a quick fix offers keeps the text whole.
        if let Some(edit) =
            hsl_analysis::suppress::ignore_edit(text, finding.range.start, finding.rule)
        {
            assert_range(text, &edit.range, "an ignore comment");
        }
        hsl_analysis::suppress::is_suppressed(text, finding.range.start, finding.rule);
    }
    let file_edit = hsl_analysis::suppress::ignore_file_edit(text, "redirect-changes-method");
    assert_range(text, &file_edit.range, "a file-wide ignore comment");
    for offset in probe_offsets(&file) {
        if let Some(hover) = hsl_analysis::hover::hover(&file, offset) {
            assert_range(text, &hover.range, "a hover");
        }
        if let Some(completion) = hsl_analysis::completion::complete(language, text, offset) {
            assert_range(text, &completion.replace, "a completion");
        }
    }
    for hint in hsl_analysis::inlay::inlay_hints(&file, 0..text.len()) {
        assert!(
            hint.offset <= text.len() && text.is_char_boundary(hint.offset),
            "an inlay hint at {} outside the text or inside a character",
            hint.offset
        );
    }
}

/// Fix validity: every fix the analysis keeps applies whole and parses no worse than the
/// original, the fixed text analyses without a crash, and applying the safe fixes again and
/// again reaches a text where none applies.
pub fn fix_validity(language: Language, text: &str) {
    let file = analyse(language, text);
    let errors = hsl_syntax::error_count(language, text);
    let found = findings(&file, false);
    for finding in &found {
        for fix in &finding.fixes {
            let (fixed, applied) = hsl_fixes::apply(text, &fix.edits);
            assert_eq!(
                applied,
                fix.edits.len(),
                "`{}` of {} applies only in part",
                fix.title,
                finding.rule
            );
            assert!(
                hsl_syntax::error_count(language, &fixed) <= errors,
                "`{}` of {} adds a syntax error:\n{fixed}",
                fix.title,
                finding.rule
            );
            findings(&analyse(language, &fixed), false);
        }
    }
    let mut file = file;
    let mut found = found;
    for _ in 0..FIX_ROUNDS {
        let Some((fixed, _)) = hsl_analysis::apply_safe_fixes(&file, &found) else {
            return;
        };
        assert!(
            hsl_syntax::error_count(language, &fixed) <= errors,
            "the safe fixes add a syntax error:\n{fixed}"
        );
        file = analyse(language, &fixed);
        found = findings(&file, false);
    }
    panic!(
        "safe fixes still apply after {FIX_ROUNDS} rounds:\n{}\n{:?}",
        file.text,
        found.iter().map(|f| f.rule).collect::<Vec<_>>()
    );
}

/// Incremental against fresh: the text edited step by step, each version analysed reusing the
/// previous version's tree (as the server does), gives exactly the facts, syntax problems and
/// findings of a fresh analysis of the same text.
pub fn incremental(language: Language, initial: &str, steps: &[edits::Step]) {
    let mut text = initial.to_string();
    let (_, mut tree) = reuse(language, &text, None);
    for step in steps {
        let Some(change) = edits::apply(&mut text, step) else {
            continue;
        };
        if let Some(tree) = tree.as_mut() {
            tree.edit(&change);
        }
        let (ours, next) = reuse(language, &text, tree.as_ref());
        let fresh = analyse(language, &text);
        compare(&ours, &fresh);
        tree = next;
    }
}

fn reuse(
    language: Language,
    text: &str,
    old: Option<&SyntaxTree>,
) -> (SourceFile, Option<SyntaxTree>) {
    hsl_analysis::from_text_reusing(
        path_for(language),
        language,
        text.to_string(),
        old,
        &hsl_tables::FrameworkOverrides::default(),
    )
}

/// Panics, showing the text and the first difference, unless both analyses agree.
pub fn compare(ours: &SourceFile, fresh: &SourceFile) {
    let facts = (format!("{:#?}", ours.facts), format!("{:#?}", fresh.facts));
    let found = (
        format!("{:#?}", rule_findings(ours)),
        format!("{:#?}", rule_findings(fresh)),
    );
    for (what, (a, b)) in [("facts", facts), ("findings", found)] {
        if a != b {
            let first = a
                .lines()
                .zip(b.lines())
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("incremental: {x}\nfresh:       {y}"))
                .unwrap_or_else(|| "one is longer".to_string());
            panic!(
                "incremental {what} differ from a fresh analysis\n{first}\n--- text ---\n{}",
                ours.text
            );
        }
    }
}

/// Where a text change replacing `range` of `before` with `inserted` ends, in tree-sitter's
/// points (rows by `\n`, columns in bytes).
pub fn change(before: &str, range: ByteRange, inserted: &str) -> TextChange {
    let point = |text: &str, at: usize| {
        let head = text.as_bytes().get(..at).unwrap_or_default();
        let row = head.iter().filter(|b| **b == b'\n').count();
        let column = at - head.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        TextPoint { row, column }
    };
    let new_end_byte = range.start + inserted.len();
    let mut after = String::with_capacity(before.len() + inserted.len());
    after.push_str(before.get(..range.start).unwrap_or_default());
    after.push_str(inserted);
    TextChange {
        start_byte: range.start,
        old_end_byte: range.end,
        new_end_byte,
        start: point(before, range.start),
        old_end: point(before, range.end),
        new_end: point(&after, new_end_byte),
    }
}

/// The config parser: never panics, and every problem it reports has a position in the text.
pub fn config(text: &str) {
    let path = std::path::Path::new("/fuzz/http-status-ls.toml");
    let file = hsl_config::ConfigFile::from_text(path, text);
    let lines = text.split('\n').count().max(1);
    for problem in &file.problems {
        assert!(
            problem.line >= 1 && problem.line <= lines + 1 && problem.column >= 1,
            "a problem at {}:{} of a {lines}-line text: {}",
            problem.line,
            problem.column,
            problem.message
        );
    }
    let selection = &file.settings.rules;
    for (meta, _) in hsl_rules::RULES {
        selection.enabled(meta);
    }
    file.selects(std::path::Path::new("/fuzz/src/app.ts"));
}

/// A few offsets to ask editor questions at: the ends, every status site and a step through.
fn probe_offsets(file: &SourceFile) -> Vec<usize> {
    let text = &file.text;
    let mut offsets = vec![0, text.len()];
    for response in file.facts.responses.iter().take(8) {
        offsets.push(response.status.range.start);
        offsets.push(response.status.range.end);
    }
    let step = (text.len() / 8).max(1);
    offsets.extend((0..text.len()).step_by(step).take(8));
    offsets
        .into_iter()
        .map(|at| hsl_text::clamp_to_boundary(text, at))
        .collect()
}

/// Panics unless `range` lies inside `text`, on character boundaries, start before end.
pub fn assert_range(text: &str, range: &ByteRange, what: &str) {
    assert!(
        range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end),
        "{what}: range {range:?} is not a range of the {}-byte text",
        text.len()
    );
}

/// Applies edits the way the CLI does, for checks that build on a fixed text.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    hsl_fixes::apply(text, edits).0
}
