//! Trees kept between edits, so that re-parsing after a keystroke reuses every subtree the edit
//! did not touch (tree-sitter's incremental parsing) instead of parsing the file again.
//!
//! The types here name no tree-sitter type publicly: the language server holds a
//! [`SyntaxTree`] as an opaque value and describes edits with [`TextChange`].

use std::sync::Arc;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use super::chunks::FactCache;
use super::language::grammar;
use super::{SyntaxProblem, extract_reusing};
use hsl_facts::{FileFacts, Language};
use hsl_tables::FrameworkOverrides;

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
    /// The facts of the text the tree was parsed from, statement by statement, so that the
    /// next analysis reads again only the statements an edit changed.
    facts: Option<Arc<FactCache>>,
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxTree")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl SyntaxTree {
    /// How many statements the analysis that made this tree read again and how many it reused.
    pub fn reuse(&self) -> Option<super::Reuse> {
        self.facts.as_ref().map(|cache| cache.reuse())
    }

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
///
/// A text with a syntax error is parsed again from scratch: tree-sitter's error recovery may
/// take another path when it reuses subtrees (after a `{` that never closes, or a quote typed
/// in a comment that now ends a string opened earlier), and the facts of a file must not depend
/// on the edits that led to it. Only an error-free incremental parse is kept.
pub fn reparse(language: Language, text: &str, old: Option<&SyntaxTree>) -> Option<SyntaxTree> {
    let mut parser = Parser::new();
    parser.set_language(&grammar(language)?).ok()?;
    let old = old
        .filter(|old| old.language == language)
        .map(|old| &old.tree);
    let mut tree = parser.parse(text, old)?;
    if old.is_some() && tree.root_node().has_error() {
        tree = parser.parse(text, None)?;
    }
    Some(SyntaxTree {
        language,
        tree,
        facts: None,
    })
}

/// [`super::analyze_with`] reusing a kept tree; returns the new tree to keep.
pub fn analyze_reusing(
    language: Language,
    text: &str,
    old: Option<&SyntaxTree>,
    overrides: &FrameworkOverrides,
) -> (FileFacts, Vec<SyntaxProblem>, Option<SyntaxTree>) {
    // An edit inside one statement of an error-free file: parse and read that statement alone.
    // The kept tree stays the old one with the edits applied; the next full parse starts from
    // it (tree-sitter takes any number of edits between parses).
    // The file must have parsed without any error, not only its statements: an `ERROR` node
    // between statements (tree-sitter keeps a stray `#;` or an unclosed quote there) belongs to
    // no statement, and what it swallows changes with text far from the edit.
    if let Some(old) = old.filter(|old| old.language == language)
        && !old.tree.root_node().has_error()
        && let Some(cache) = old.facts.as_deref()
        && let Some((facts, cache)) = super::extract_edited(language, text, cache, overrides)
    {
        let tree = SyntaxTree {
            language,
            tree: old.tree.clone(),
            facts: Some(Arc::new(cache)),
        };
        return (facts, Vec::new(), Some(tree));
    }
    let Some(mut tree) = reparse(language, text, old) else {
        return (FileFacts::default(), Vec::new(), None);
    };
    // In a file with a syntax error, error recovery decides where statements start and end,
    // and a statement whose text did not change can still mean something else beside the
    // broken one (a tuple that was a function's result is now a statement of its own): every
    // statement is read again until the file parses.
    let previous = old
        .and_then(|old| old.facts.as_deref())
        .filter(|_| !tree.tree.root_node().has_error());
    let (facts, problems, cache) =
        extract_reusing(language, text, &tree.tree, overrides, previous, true);
    tree.facts = cache.map(Arc::new);
    (facts, problems, Some(tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The change that replaces `range` of `before` with `new_text`, points counted by `\n`.
    pub(super) fn change(
        before: &str,
        range: std::ops::Range<usize>,
        new_text: &str,
    ) -> TextChange {
        let point = |text: &str, at: usize| {
            let head = text.get(..at).expect("an edit inside the text");
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
    /// An edit that comes with a configuration change (a framework forced on) is read with
    /// the new configuration's frameworks, not the cached ones.
    #[test]
    fn an_edit_with_new_overrides_is_read_with_them() {
        let mut text = String::from("module.exports = async (ctx) => {\n  ctx.status = 200;\n};\n");
        let plain = FrameworkOverrides::default();
        let (before, _, mut tree) = analyze_reusing(Language::JavaScript, &text, None, &plain);
        assert!(!before.frameworks.contains(&"koa".to_string()));
        let at = text.find("200").expect("200") + 2;
        let edit = change(&text, at..at + 1, "1");
        text.replace_range(at..at + 1, "1");
        if let Some(tree) = tree.as_mut() {
            tree.edit(&edit);
        }
        let mut forced = FrameworkOverrides::default();
        forced.frameworks.insert("koa".into(), true);
        let (after, _, _) = analyze_reusing(Language::JavaScript, &text, tree.as_ref(), &forced);
        assert!(after.frameworks.contains(&"koa".to_string()));
        let codes: Vec<Option<u16>> = after.responses.iter().map(|r| r.status.code).collect();
        assert_eq!(codes, vec![Some(201)]);
    }
}

/// Every fixture and example app, edited at many places: the facts reused from the cache after
/// each edit are the facts of a fresh extraction of the edited text.
#[cfg(test)]
mod reuse_tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use hsl_facts::{HandlerRef, Response};

    fn sources() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests");
        let mut found = Vec::new();
        let mut stack = vec![root.join("fixtures"), root.join("apps")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if path.file_name().is_some_and(|name| name != "node_modules") {
                        stack.push(path);
                    }
                } else if hsl_facts::Language::of_path(&path).is_some() {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }

    /// Facts as comparable text: handler ids replaced by the handler's range, lists sorted.
    fn normalized(facts: &FileFacts) -> String {
        let handler = |id: usize| facts.handlers.get(id).map(|h| h.range.clone());
        let mut handlers: Vec<String> = facts
            .handlers
            .iter()
            .map(|h| {
                let mut methods = h.methods.clone();
                methods.sort_by_key(|m| (m.range.start, m.method));
                format!(
                    "{:?} {:?} {:?} {:?}",
                    h.range, h.name, h.name_range, methods
                )
            })
            .collect();
        handlers.sort();
        let mut registrations: Vec<String> = facts
            .registrations
            .iter()
            .map(|r| {
                let target = match &r.handler {
                    HandlerRef::Inline(id) => format!("inline {:?}", handler(*id)),
                    HandlerRef::Named(path) => format!("named {path:?}"),
                };
                format!("{:?} {:?} {:?} {target}", r.range, r.methods, r.path)
            })
            .collect();
        registrations.sort();
        let mut responses: Vec<String> = facts
            .responses
            .iter()
            .map(|r: &Response| {
                let mut r = r.clone();
                let owner = r.handler.and_then(handler);
                r.handler = None;
                format!("{r:?} in {owner:?}")
            })
            .collect();
        responses.sort();
        format!(
            "frameworks {:?}\nimports {:?}\nhandlers {handlers:#?}\nregistrations {registrations:#?}\nresponses {responses:#?}",
            facts.frameworks, facts.imports
        )
    }

    /// A JS source with every top-level statement but its imports moved into one
    /// `describe('…', () => { … })`, the shape of a test file; `None` for other languages.
    fn wrapped(language: hsl_facts::Language, text: String) -> Option<String> {
        if language.family() != hsl_facts::Family::JavaScript {
            return None;
        }
        let tree = crate::parse(language, &text)?;
        let root = tree.root_node();
        let mut cursor = root.walk();
        let (mut head, mut body) = (String::new(), String::new());
        for statement in root.named_children(&mut cursor) {
            let part = text.get(statement.byte_range())?;
            let imports = statement.kind() == "import_statement" || part.contains("require(");
            let into = if imports { &mut head } else { &mut body };
            into.push_str(part);
            into.push('\n');
        }
        Some(format!("{head}describe('wrapped', () => {{\n{body}}});\n"))
    }

    /// A small deterministic generator, so a failure names the same edit every run.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % below.max(1)
        }
    }

    fn boundary(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    #[test]
    fn reused_facts_are_the_facts_of_a_fresh_extraction() {
        let (checked, reused, statement_alone, _) = edit_every_source(|_, text| Some(text));
        assert!(checked > 1000, "only {checked} edits checked");
        assert!(reused > checked, "statements were hardly reused ({reused})");
        assert!(
            statement_alone * 10 > checked,
            "the edited statement was parsed alone only {statement_alone} times of {checked}"
        );
    }

    /// The same with every wrapping statement, however short, read one inner statement at a
    /// time once its two readings agree (`chunks::nested`): the facts are still those of a
    /// fresh extraction, which reads it whole.
    #[test]
    fn facts_read_inner_statement_by_statement_are_the_facts_of_a_fresh_extraction() {
        crate::chunks::NEST_MIN_BYTES_FOR_TESTS.with(|min| min.set(0));
        let (checked, _, _, inner) = edit_every_source(wrapped);
        assert!(checked > 1000, "only {checked} edits checked");
        assert!(inner > 200, "inner statements were hardly reused ({inner})");
    }

    /// Edits every fixture and example app at many places, comparing the facts after each edit
    /// with a fresh extraction; returns how many edits were checked, how many statements were
    /// reused, how often only the edited statement was parsed, and how often a wrapping
    /// statement was read by its inner statements.
    fn edit_every_source(
        shape: fn(hsl_facts::Language, String) -> Option<String>,
    ) -> (usize, usize, usize, usize) {
        let overrides = FrameworkOverrides::default();
        let mut inner = 0;
        let mut checked = 0;
        let mut reused = 0;
        let mut statement_alone = 0;
        for path in sources() {
            let Some(language) = hsl_facts::Language::of_path(&path) else {
                continue;
            };
            let Some(mut text) = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| shape(language, text))
            else {
                continue;
            };
            let mut random = Lcg(text.len() as u64);
            let (_, _, mut tree) = analyze_reusing(language, &text, None, &overrides);
            let edits = [
                "x",
                "\n",
                "",
                "1",
                "302",
                "})",
                "{",
                "res.status(500);",
                "'",
            ];
            // First edits that keep the file valid (the last digit of a number), then random
            // ones that often break it.
            let digits: Vec<usize> = text
                .char_indices()
                .filter(|(at, ch)| {
                    let after = text.get(at + 1..).unwrap_or_default();
                    ch.is_ascii_digit() && !after.starts_with(|c: char| c.is_ascii_digit())
                })
                .map(|(at, _)| at)
                .take(8)
                .collect();
            for step in 0..digits.len() + 12 {
                let (start, end, insert) = match digits.get(step) {
                    Some(&at) => (at, at + 1, ["7", "0", "1"][step % 3]),
                    None => {
                        let start = boundary(&text, random.next(text.len() + 1));
                        let end = boundary(&text, start + random.next(6));
                        let end = if step % 3 == 0 { start } else { end };
                        (start, end, edits[random.next(edits.len())])
                    }
                };
                let edit = super::tests::change(&text, start..end, insert);
                text.replace_range(start..end, insert);
                if let Some(tree) = tree.as_mut() {
                    tree.edit(&edit);
                }
                let (facts, _, next) = analyze_reusing(language, &text, tree.as_ref(), &overrides);
                // Against the same tree: tree-sitter may recover from an error differently when
                // it parses incrementally, and that is not what this test is about. When only
                // the edited statement was parsed, against a fresh parse of the whole text (the
                // file has no error then).
                let Some(kept) = next.as_ref() else {
                    panic!("no tree for {}", path.display());
                };
                let alone = kept.reuse().is_some_and(|reuse| !reuse.reparsed);
                let (fresh, _) = if alone {
                    statement_alone += 1;
                    crate::analyze_with(language, &text, &overrides)
                } else {
                    crate::extract_with(language, &text, &kept.tree, &overrides)
                };
                let (ours, theirs) = (normalized(&facts), normalized(&fresh));
                if ours != theirs {
                    let differing: Vec<String> = ours
                        .lines()
                        .zip(theirs.lines())
                        .filter(|(a, b)| a != b)
                        .take(2)
                        .map(|(a, b)| format!("reused: {a}\nfresh:  {b}"))
                        .collect();
                    panic!(
                        "{} after replacing {start}..{end} with {insert:?}:\n{}\n---\n{text}",
                        path.display(),
                        differing.join("\n")
                    );
                }
                if let Some(reuse) = next.as_ref().and_then(SyntaxTree::reuse) {
                    reused += reuse.reused;
                    inner += reuse.inner;
                }
                tree = next;
                checked += 1;
            }
        }
        (checked, reused, statement_alone, inner)
    }
}
