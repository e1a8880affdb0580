//! Completion of status codes in status positions, in the idiom of the position: numbers after
//! `.status(` (and every other call whose argument is a status), constant names after
//! `StatusCode::` (every constant family in the tables), helper names after a helper family's
//! type (`Redirect::`). Byte ranges only; the LSP layer converts.
//!
//! The position is recognised from the text before the cursor on its line, so that completion
//! works mid-edit, when the call is not yet a well-formed tree.

use hsl_facts::{ByteRange, Language};
use hsl_status_codes as status_codes;
use hsl_tables::Tables;

use super::hover::code_markdown;

/// What kind of status position the cursor is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Number,
    Constant,
    Helper,
}

/// One item offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionEntry {
    /// What is inserted (and shown): `303`, `SEE_OTHER`, `to`.
    pub label: String,
    /// `303 See Other`.
    pub detail: String,
    /// The code's documentation, markdown.
    pub documentation: String,
    /// Orders common codes first (`sort_text` in LSP).
    pub sort_key: String,
    pub code: u16,
}

/// A completion answer: the range the chosen label replaces and the items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub kind: CompletionKind,
    pub replace: ByteRange,
    pub items: Vec<CompletionEntry>,
}

/// Codes most handlers use, offered first.
const COMMON: &[u16] = &[
    200, 201, 204, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 409, 422, 429, 500, 503,
];

/// Completion at a byte offset, `None` when the cursor is not in a status position.
pub fn complete(language: Language, text: &str, offset: usize) -> Option<Completion> {
    let offset = hsl_text::clamp_to_boundary(text, offset);
    let up_to_cursor = text.get(..offset)?;
    let line_start = up_to_cursor.rfind('\n').map_or(0, |i| i + 1);
    let before = up_to_cursor.get(line_start..)?;
    let word_len = before
        .chars()
        .rev()
        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
        .map(char::len_utf8)
        .sum::<usize>();
    let (head, word) = before.split_at_checked(before.len() - word_len)?;
    let replace = offset - word_len..offset;
    let tables = Tables::get();
    let family_language = language.family();

    // `StatusCode::` / `Redirect::` (Rust) or `HttpStatus.` (JS).
    for separator in ["::", "."] {
        let Some(prefix) = head.strip_suffix(separator) else {
            continue;
        };
        let type_name: String = trailing_ident(prefix);
        if type_name.is_empty() {
            continue;
        }
        for framework in tables.for_language(family_language) {
            for family in &framework.constant_families {
                if family.type_name != type_name || !family.spelling.contains(separator) {
                    continue;
                }
                let items = status_codes::registry()
                    .iter()
                    .filter(|entry| entry.is_registered())
                    .filter_map(|entry| {
                        let name = hsl_fixes::constant_name(&family.id, entry.code)?;
                        Some(entry_for(entry.code, name))
                    })
                    .collect();
                return Some(Completion {
                    kind: CompletionKind::Constant,
                    replace,
                    items,
                });
            }
            for family in &framework.helper_families {
                if family.type_name != type_name || separator != "::" {
                    continue;
                }
                let items = family
                    .codes
                    .iter()
                    .map(|(name, code)| entry_for(*code, name.clone()))
                    .collect();
                return Some(Completion {
                    kind: CompletionKind::Helper,
                    replace,
                    items,
                });
            }
        }
    }

    // `.status(`, `.sendStatus(`, `StatusCode::from_u16(`: a number, only as the first argument
    // and only while what is typed so far is digits.
    if !word.chars().all(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let head = head.trim_end();
    let callee = head.strip_suffix('(')?.trim_end();
    let method = trailing_ident(callee);
    let receiver_sep = callee.strip_suffix(method.as_str())?;
    let is_status_call = tables.for_language(family_language).any(|framework| {
        let member = receiver_sep.ends_with('.')
            && (framework
                .calls
                .iter()
                .any(|call| call.status_arg == Some(0) && call.method == method)
                || framework
                    .status_methods
                    .iter()
                    .any(|m| m.arg == 0 && m.method == method));
        let ctor = framework.status_ctors.iter().any(|ctor| {
            ctor.arg == 0 && callee.ends_with(ctor.path.as_str()) && ctor.path.ends_with(&method)
        });
        member || ctor
    });
    if !is_status_call || method.is_empty() {
        return None;
    }
    let items = status_codes::registry()
        .iter()
        .filter(|entry| entry.is_registered())
        .filter(|entry| entry.code.to_string().starts_with(word))
        .map(|entry| entry_for(entry.code, entry.code.to_string()))
        .collect();
    Some(Completion {
        kind: CompletionKind::Number,
        replace,
        items,
    })
}

fn trailing_ident(text: &str) -> String {
    let len = text
        .chars()
        .rev()
        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '$')
        .map(char::len_utf8)
        .sum::<usize>();
    text.split_at_checked(text.len() - len)
        .map_or_else(String::new, |(_, ident)| ident.to_string())
}

fn entry_for(code: u16, label: String) -> CompletionEntry {
    let name = status_codes::lookup(code).map_or(String::new(), |e| e.name.clone());
    let rank = if COMMON.contains(&code) { 0 } else { 1 };
    CompletionEntry {
        label,
        detail: format!("{code} {name}"),
        documentation: code_markdown(code, None),
        sort_key: format!("{rank}{code}"),
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(language: Language, text: &str) -> Option<Completion> {
        complete(language, text, text.len())
    }

    #[test]
    fn numbers_after_status_call() {
        let c = at_end(Language::JavaScript, "res.status(").expect("completion");
        assert_eq!(c.kind, CompletionKind::Number);
        assert!(c.items.iter().any(|i| i.label == "303"));
        let c = at_end(Language::JavaScript, "  res.status(30").expect("completion");
        assert!(c.items.iter().all(|i| i.label.starts_with("30")));
        assert_eq!(c.replace.end - c.replace.start, 2);
        assert!(at_end(Language::JavaScript, "foo(").is_none());
        assert!(at_end(Language::JavaScript, "res.status(x").is_none());
    }

    #[test]
    fn constants_after_status_code() {
        let c = at_end(Language::Rust, "    (StatusCode::SEE").expect("completion");
        assert_eq!(c.kind, CompletionKind::Constant);
        let item = c
            .items
            .iter()
            .find(|i| i.label == "SEE_OTHER")
            .expect("SEE_OTHER");
        assert_eq!(item.detail, "303 See Other");
        assert!(item.documentation.contains("**303 See Other**"));
    }

    #[test]
    fn helpers_after_redirect() {
        let c = at_end(Language::Rust, "Redirect::").expect("completion");
        assert_eq!(c.kind, CompletionKind::Helper);
        assert!(c.items.iter().any(|i| i.label == "to" && i.code == 303));
    }
}
