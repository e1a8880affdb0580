//! The query files of `grammars-config/queries/`, compiled once per grammar.

use std::sync::OnceLock;

use tree_sitter::Query;

use crate::language::{grammar, syntax_of};
use hsl_facts::Language;

/// The compiled query for a language. Compiling costs milliseconds, so it happens once.
pub fn query(language: Language) -> Option<&'static Query> {
    static TS: OnceLock<Option<Query>> = OnceLock::new();
    static TSX: OnceLock<Option<Query>> = OnceLock::new();
    static JS: OnceLock<Option<Query>> = OnceLock::new();
    static RS: OnceLock<Option<Query>> = OnceLock::new();
    let cell = match language {
        Language::TypeScript => &TS,
        Language::Tsx => &TSX,
        Language::JavaScript => &JS,
        Language::Rust => &RS,
    };
    cell.get_or_init(|| compile(language)).as_ref()
}

/// Compiles the query file of the language's family against the language's grammar.
fn compile(language: Language) -> Option<Query> {
    let source = syntax_of(language.family()).query_source();
    match Query::new(&grammar(language)?, source) {
        Ok(query) => Some(query),
        Err(err) => {
            eprintln!("http-status-ls: bad embedded query for {language:?}: {err}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_compile_for_every_grammar() {
        for language in Language::ALL {
            assert!(query(language).is_some(), "{language:?}");
        }
    }

    #[test]
    fn query_captures_are_exactly_the_ones_read() {
        for language in Language::ALL {
            let query = query(language).expect("query");
            let mut names: Vec<&str> = query.capture_names().to_vec();
            names.sort_unstable();
            let mut expected = syntax_of(language.family()).captures().to_vec();
            expected.sort_unstable();
            assert_eq!(names, expected, "{language:?}");
        }
    }
}
