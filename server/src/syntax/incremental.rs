//! Trees kept between edits, so that re-parsing after a keystroke reuses every subtree the edit
//! did not touch (tree-sitter's incremental parsing) instead of parsing the file again.
//!
//! The types here name no tree-sitter type publicly: the language server holds a
//! [`SyntaxTree`] as an opaque value and describes edits with [`TextChange`].

use tree_sitter::{InputEdit, Parser, Point, Tree};

use super::{FrameworkOverrides, SyntaxProblem, extract_with, grammar};
use crate::facts::{FileFacts, Language};

/// A position as tree-sitter counts it: a row (line) and a byte offset within that row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextPoint {
    pub row: usize,
    pub column: usize,
}

/// One replacement in a document, described before (`old_end`) and after (`new_end`) it
/// happened, in bytes and points: what a kept tree needs to shift its nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextChange {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start: TextPoint,
    pub old_end: TextPoint,
    pub new_end: TextPoint,
}

/// A parsed tree of one text, kept to make the next parse incremental.
#[derive(Clone)]
pub struct SyntaxTree {
    language: Language,
    tree: Tree,
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxTree")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl SyntaxTree {
    /// Records a change of the text this tree was parsed from, so that it can seed the parse
    /// of the changed text. Edits must be applied in the order they happened.
    pub fn edit(&mut self, change: &TextChange) {
        let point = |p: TextPoint| Point {
            row: p.row,
            column: p.column,
        };
        self.tree.edit(&InputEdit {
            start_byte: change.start_byte,
            old_end_byte: change.old_end_byte,
            new_end_byte: change.new_end_byte,
            start_position: point(change.start),
            old_end_position: point(change.old_end),
            new_end_position: point(change.new_end),
        });
    }
}

/// Parses `text`, reusing `old` (a tree of the previous text with every change since applied
/// through [`SyntaxTree::edit`]) when it is of the same language.
pub fn reparse(language: Language, text: &str, old: Option<&SyntaxTree>) -> Option<SyntaxTree> {
    let mut parser = Parser::new();
    parser.set_language(&grammar(language)).ok()?;
    let old = old
        .filter(|old| old.language == language)
        .map(|old| &old.tree);
    let tree = parser.parse(text, old)?;
    Some(SyntaxTree { language, tree })
}

/// [`super::analyze_with`] reusing a kept tree; returns the new tree to keep.
pub fn analyze_reusing(
    language: Language,
    text: &str,
    old: Option<&SyntaxTree>,
    overrides: &FrameworkOverrides,
) -> (FileFacts, Vec<SyntaxProblem>, Option<SyntaxTree>) {
    let Some(tree) = reparse(language, text, old) else {
        return (FileFacts::default(), Vec::new(), None);
    };
    let (facts, problems) = extract_with(language, text, &tree.tree, overrides);
    (facts, problems, Some(tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The change that replaces `range` of `before` with `new_text`, points counted by `\n`.
    fn change(before: &str, range: std::ops::Range<usize>, new_text: &str) -> TextChange {
        let point = |text: &str, at: usize| {
            let head = &text[..at];
            let row = head.matches('\n').count();
            let column = at - head.rfind('\n').map_or(0, |i| i + 1);
            TextPoint { row, column }
        };
        let mut after = before.to_string();
        after.replace_range(range.clone(), new_text);
        let new_end_byte = range.start + new_text.len();
        TextChange {
            start_byte: range.start,
            old_end_byte: range.end,
            new_end_byte,
            start: point(before, range.start),
            old_end: point(before, range.end),
            new_end: point(&after, new_end_byte),
        }
    }

    /// A sequence of edits applied to a kept tree gives the same facts as a fresh parse.
    #[test]
    fn incremental_parse_matches_a_fresh_parse() {
        let mut text = String::from(
            "const express = require('express');\nconst app = express();\napp.post('/a', (req, res) => {\n  res.status(200).json({ ok: true });\n});\n",
        );
        let overrides = FrameworkOverrides::default();
        let (_, _, mut tree) = analyze_reusing(Language::JavaScript, &text, None, &overrides);
        let edits: [(&str, &str); 4] = [
            ("200", "302"),
            ("json({ ok: true })", "end()"),
            ("app.post", "app.get"),
            ("302", "30"),
        ];
        for (from, to) in edits {
            let start = text.find(from).expect("edit target");
            let edit = change(&text, start..start + from.len(), to);
            text.replace_range(start..start + from.len(), to);
            if let Some(tree) = tree.as_mut() {
                tree.edit(&edit);
            }
            let (facts, _, next) =
                analyze_reusing(Language::JavaScript, &text, tree.as_ref(), &overrides);
            let (fresh, _) = super::super::analyze(Language::JavaScript, &text);
            let codes = |facts: &FileFacts| {
                facts
                    .responses
                    .iter()
                    .map(|r| (r.status.code, r.status.range.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(codes(&facts), codes(&fresh), "after {from} -> {to}");
            assert_eq!(facts.registrations.len(), fresh.registrations.len());
            tree = next;
        }
    }
}
