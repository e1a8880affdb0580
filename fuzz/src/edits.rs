//! Edit sequences for the incremental target, read from the fuzzer's bytes and applied on
//! character boundaries.
//!
//! Input format, chosen so that a seed is a source file followed by a few bytes: a language
//! selector byte, the text (UTF-8), a `0` byte, then edits of at least four bytes each: the
//! offset (`u16`, little-endian, taken modulo the text's length), how many bytes to remove
//! (modulo 8), and what to insert: a byte below 128 picks one of [`PIECES`], a byte `128 + n`
//! takes the next `n` bytes as text.

use hsl_analysis::TextChange;
use hsl_facts::Language;

/// One keystroke-sized edit.
#[derive(Debug)]
pub struct Step {
    pub at: usize,
    pub remove: usize,
    pub insert: String,
}

/// The openings and closings of things that span lines (the edits that made incremental and
/// fresh analyses disagree), and a few statements.
pub const PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "\"",
    "'",
    "`",
    "/*",
    "*/",
    "//",
    "\n",
    ";",
    "#;",
    "${",
    "[",
    "]",
    "<",
    ">",
    "res.status(500);",
    "StatusCode::FOUND",
    "302",
    "r#\"",
    "\"#",
    "|| {",
    "=>",
    "async ",
    "fn f() {",
    "",
    " ",
    "x",
];

/// The language, initial text and edits of a fuzz input; `None` when the text is not UTF-8.
pub fn parse(data: &[u8]) -> Option<(Language, String, Vec<Step>)> {
    let (&selector, rest) = data.split_first()?;
    let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
    let text = std::str::from_utf8(&rest[..end]).ok()?.to_string();
    let mut steps = Vec::new();
    let mut bytes = rest.get(end + 1..).unwrap_or_default();
    while let [low, high, remove, kind, tail @ ..] = bytes {
        let (insert, after) = if *kind < 128 {
            let piece = PIECES[usize::from(*kind) % PIECES.len()];
            (piece.to_string(), tail)
        } else {
            let len = usize::from(kind - 128).min(tail.len());
            let (taken, after) = tail.split_at(len);
            (String::from_utf8_lossy(taken).into_owned(), after)
        };
        steps.push(Step {
            at: usize::from(u16::from_le_bytes([*low, *high])),
            remove: usize::from(*remove % 8),
            insert,
        });
        bytes = after;
    }
    Some((super::language_from(selector), text, steps))
}

/// Applies `step` to `text` and returns the change that describes it; `None` when it changes
/// nothing.
pub fn apply(text: &mut String, step: &Step) -> Option<TextChange> {
    let start = hsl_text::clamp_to_boundary(text, step.at % (text.len() + 1));
    let end = hsl_text::clamp_to_boundary(text, start + step.remove);
    if start == end && step.insert.is_empty() {
        return None;
    }
    let change = super::change(text, start..end, &step.insert);
    text.replace_range(start..end, &step.insert);
    Some(change)
}
