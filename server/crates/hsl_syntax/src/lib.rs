//! Parsing and extraction: the only layer that knows tree-sitter and node kinds.
//!
//! Extraction never fails. It returns the facts it could prove together with the problems it
//! met (`ERROR` nodes), so that a half-typed file still yields what its intact parts say.

mod chunks;
mod contract_edits;
mod depth;
mod flow;
mod handlers;
mod incremental;
mod js;
mod language;
mod node_util;
mod paths;
mod queries;
mod rust;
mod words;

use tree_sitter::{Parser, Tree};

pub use chunks::{FactCache, Reuse};
pub use incremental::{SyntaxTree, TextChange, TextPoint, analyze_reusing, reparse};

use hsl_facts::{ByteRange, FileFacts, Language};
use hsl_tables::FrameworkOverrides;

/// A place where the parser could not make sense of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxProblem {
    pub range: ByteRange,
}

/// Parses a whole text. `None` only if the grammar cannot be loaded, which tests rule out.
pub fn parse(language: Language, text: &str) -> Option<Tree> {
    let mut parser = Parser::new();
    parser.set_language(&language::grammar(language)?).ok()?;
    parser.parse(text, None)
}

/// Counts `ERROR` and missing nodes: fixes must not add any.
pub fn error_count(language: Language, text: &str) -> usize {
    let Some(tree) = parse(language, text) else {
        return usize::MAX;
    };
    let mut count = 0;
    let mut cursor = tree.walk();
    let mut done = false;
    while !done {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                done = true;
                break;
            }
        }
    }
    count
}

/// Parses and extracts the facts of one file.
pub fn analyze(language: Language, text: &str) -> (FileFacts, Vec<SyntaxProblem>) {
    analyze_with(language, text, &FrameworkOverrides::default())
}

/// Parses and extracts the facts of one file, with framework detection overridden by
/// configuration (`[frameworks]` in `http-status-ls.toml`, or the project's manifest).
pub fn analyze_with(
    language: Language,
    text: &str,
    overrides: &FrameworkOverrides,
) -> (FileFacts, Vec<SyntaxProblem>) {
    let Some(tree) = parse(language, text) else {
        return (FileFacts::default(), Vec::new());
    };
    extract_with(language, text, &tree, overrides)
}

/// Extracts facts from an already parsed tree (the server keeps trees for incremental parsing).
pub fn extract(language: Language, text: &str, tree: &Tree) -> (FileFacts, Vec<SyntaxProblem>) {
    extract_with(language, text, tree, &FrameworkOverrides::default())
}

/// [`extract`] with framework detection overridden; the status sites a framework turned off
/// recognised are dropped.
pub fn extract_with(
    language: Language,
    text: &str,
    tree: &Tree,
    overrides: &FrameworkOverrides,
) -> (FileFacts, Vec<SyntaxProblem>) {
    let (facts, problems, _) = extract_reusing(language, text, tree, overrides, None, false);
    (facts, problems)
}

/// [`extract_with`] reusing the facts of the statements `previous` (the cache of an earlier
/// version of the text) holds unchanged; returns the cache of this version when `keep`.
pub(crate) fn extract_reusing(
    language: Language,
    text: &str,
    tree: &Tree,
    overrides: &FrameworkOverrides,
    previous: Option<&FactCache>,
    keep: bool,
) -> (FileFacts, Vec<SyntaxProblem>, Option<FactCache>) {
    let (mut facts, cache) = language::syntax_of(language.family())
        .extract_reusing(language, text, tree, overrides, previous, keep);
    if overrides.turns_any_off() {
        facts
            .responses
            .retain(|response| !overrides.is_off(&response.status.framework));
    }
    (facts, problems(tree), cache)
}

/// The facts of `text` when it differs from the text `previous` was made from inside one
/// top-level statement: only that statement is parsed (on its own) and read. `None` when the
/// whole file must be parsed; see `chunks::extract_edited`.
pub(crate) fn extract_edited(
    language: Language,
    text: &str,
    previous: &FactCache,
    overrides: &FrameworkOverrides,
) -> Option<(FileFacts, FactCache)> {
    let (mut facts, cache) = language::syntax_of(language.family())
        .extract_edited(language, text, previous, overrides)?;
    if overrides.turns_any_off() {
        facts
            .responses
            .retain(|response| !overrides.is_off(&response.status.framework));
    }
    Some((facts, cache))
}

fn problems(tree: &Tree) -> Vec<SyntaxProblem> {
    let mut found = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            found.push(SyntaxProblem {
                range: node.byte_range(),
            });
            continue;
        }
        if node.has_error() {
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_parses() {
        for (language, text) in [
            (Language::Rust, "fn main() {}"),
            (Language::TypeScript, "let x: number = 1;"),
            (Language::Tsx, "const a = <div/>;"),
            (Language::JavaScript, "f(1);"),
        ] {
            let tree = parse(language, text).expect("tree");
            assert!(!tree.root_node().has_error(), "{language:?}");
        }
    }

    #[test]
    fn broken_text_reports_problems() {
        let (_, problems) = analyze(
            Language::TypeScript,
            "app.post('/x', (req, res) => { res.status(",
        );
        assert!(!problems.is_empty());
        assert!(error_count(Language::TypeScript, "f(") > 0);
        assert_eq!(error_count(Language::TypeScript, "f()"), 0);
    }
}
