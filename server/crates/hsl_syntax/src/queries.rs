//! The query files of `grammars-config/queries/`, compiled once per grammar.

use std::sync::OnceLock;

use tree_sitter::Query;

use hsl_facts::Language;

const JAVASCRIPT: &str = include_str!("../../../../grammars-config/queries/javascript.scm");
const RUST: &str = include_str!("../../../../grammars-config/queries/rust.scm");

/// The compiled query for a language. Compiling costs milliseconds, so it happens once.
pub fn query(language: Language) -> Option<&'static Query> {
    static TS: OnceLock<Option<Query>> = OnceLock::new();
    static TSX: OnceLock<Option<Query>> = OnceLock::new();
    static JS: OnceLock<Option<Query>> = OnceLock::new();
    static RS: OnceLock<Option<Query>> = OnceLock::new();
    let (cell, source) = match language {
        Language::TypeScript => (&TS, JAVASCRIPT),
        Language::Tsx => (&TSX, JAVASCRIPT),
        Language::JavaScript => (&JS, JAVASCRIPT),
        Language::Rust => (&RS, RUST),
    };
    cell.get_or_init(|| match Query::new(&super::grammar(language), source) {
        Ok(query) => Some(query),
        Err(err) => {
            eprintln!("http-status-ls: bad embedded query for {language:?}: {err}");
            None
        }
    })
    .as_ref()
}

/// The capture names each extractor reads; a test checks the query files set exactly these.
#[cfg(test)]
pub const JS_CAPTURES: &[&str] = &[
    "call",
    "call.receiver",
    "call.method",
    "call.args",
    "assign",
    "assign.receiver",
    "assign.property",
    "assign.value",
    "import",
    "import.source",
    "require",
    "require.function",
    "require.source",
    "new",
    "new.constructor",
    "new.args",
    "decorator",
    "fcall",
    "fcall.function",
    "fcall.args",
];

/// See [`JS_CAPTURES`].
#[cfg(test)]
pub const RUST_CAPTURES: &[&str] = &[
    "path",
    "path.type",
    "path.name",
    "method",
    "method.receiver",
    "method.name",
    "method.args",
    "fn",
    "fn.function",
    "fn.args",
    "macro",
    "macro.tokens",
    "use",
    "use.tree",
    "attribute",
    "extern.name",
    "branch.match",
    "branch.if",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_compile_for_every_grammar() {
        for language in [
            Language::Rust,
            Language::TypeScript,
            Language::Tsx,
            Language::JavaScript,
        ] {
            assert!(query(language).is_some(), "{language:?}");
        }
    }

    #[test]
    fn query_captures_are_exactly_the_ones_read() {
        for (language, expected) in [
            (Language::JavaScript, JS_CAPTURES),
            (Language::TypeScript, JS_CAPTURES),
            (Language::Rust, RUST_CAPTURES),
        ] {
            let query = query(language).expect("query");
            let mut names: Vec<&str> = query.capture_names().to_vec();
            names.sort_unstable();
            let mut expected = expected.to_vec();
            expected.sort_unstable();
            assert_eq!(names, expected, "{language:?}");
        }
    }
}
