//! The one interface a family of languages implements to be read, and the registry that picks
//! the implementation for a file.
//!
//! Everything per language that needs a grammar lives behind [`LanguageSyntax`]: the grammar,
//! the query file of `grammars-config/queries/`, and the extractor's entry points. The data that
//! needs no grammar (extensions, editor ids, table names) is `hsl_facts::language`. Adding a
//! language is one module under `src/<language>/` implementing this trait, one arm in
//! [`syntax_of`], and its tables and queries; every `match` over `Language` and `Family` is
//! exhaustive, so the compiler names each place that must learn it.

use tree_sitter::{Node, Tree};

use crate::chunks::FactCache;
use hsl_facts::{Family, FileFacts, Language};
use hsl_tables::FrameworkOverrides;

/// What the syntax layer needs from a family of languages.
pub(crate) trait LanguageSyntax: Sync {
    /// The tree-sitter grammar `language` is parsed with; `None` for a language of another
    /// family.
    fn grammar(&self, language: Language) -> Option<tree_sitter::Language>;

    /// The query file (`grammars-config/queries/<family>.scm`) whose captures the extractor
    /// reads.
    fn query_source(&self) -> &'static str;

    /// The capture names the extractor reads; a test checks the query file sets exactly these.
    #[cfg(test)]
    fn captures(&self) -> &'static [&'static str];

    /// The kinds of top-level node that belong to the statement after them (Rust attributes),
    /// for the chunked extraction.
    fn attached_to_next(&self) -> &'static [&'static str];

    /// The statements inside a top-level statement that may be read one at a time, as if they
    /// stood at the top level (`chunks::nested`): call statements that declare nothing, directly
    /// in the body of the one function the statement wraps its code in. Empty for any other
    /// statement, and for every statement of a family that reads none this way.
    fn inner_statements<'t>(&self, _statement: Node<'t>) -> Vec<Node<'t>> {
        Vec::new()
    }

    /// Whether an edited top-level statement, whose parse alone starts with `first`, parses on
    /// its own as it does in the file: nothing after it in the file could continue it.
    fn stands_alone(&self, statement: &str, first: Node<'_>) -> bool;

    /// The facts of a parsed file, statement by statement, reusing what `previous` (the cache
    /// of an earlier version of the text) holds for statements that did not change; the cache
    /// of this version when `keep` (see `chunks`).
    fn extract_reusing(
        &self,
        language: Language,
        text: &str,
        tree: &Tree,
        overrides: &FrameworkOverrides,
        previous: Option<&FactCache>,
        keep: bool,
    ) -> (FileFacts, Option<FactCache>);

    /// The facts of `text` when it differs from the text `previous` was made from inside one
    /// top-level statement, read by parsing that statement alone; `None` when the whole file
    /// must be parsed (see `chunks::extract_edited`).
    fn extract_edited(
        &self,
        language: Language,
        text: &str,
        previous: &FactCache,
        overrides: &FrameworkOverrides,
    ) -> Option<(FileFacts, FactCache)>;
}

/// The implementation that reads the languages of `family`.
pub(crate) fn syntax_of(family: Family) -> &'static dyn LanguageSyntax {
    match family {
        Family::JavaScript => &crate::js::JsSyntax,
        Family::Rust => &crate::rust::RustSyntax,
    }
}

/// The tree-sitter grammar for a language. `None` only if a family does not claim a language
/// `hsl_facts` puts in it, which `tests::every_language_has_a_grammar` rules out.
pub(crate) fn grammar(language: Language) -> Option<tree_sitter::Language> {
    syntax_of(language.family()).grammar(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_grammar() {
        for language in Language::ALL {
            assert!(grammar(language).is_some(), "{language:?}");
        }
    }

    #[test]
    fn a_family_claims_only_its_own_languages() {
        for family in Family::ALL {
            for language in Language::ALL {
                let claimed = syntax_of(family).grammar(language).is_some();
                assert_eq!(
                    claimed,
                    language.family() == family,
                    "{family:?} {language:?}"
                );
            }
        }
    }
}
