//! The languages http-status-ls reads, as plain data: which files are which language, how the
//! language is named by editors, and the few spellings every layer needs (comments, member
//! separators, manifests). Everything that needs a grammar lives in the syntax crate, which
//! implements one `LanguageSyntax` per [`Family`].
//!
//! Every `match` over these enums is exhaustive: a new language is a compile error at each place
//! that must learn it, never a silent fall-through to a known one.

use std::path::Path;

/// Which grammar a file is read with; decides which tables and queries apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Rust,
    TypeScript,
    Tsx,
    JavaScript,
}

/// Languages that share tables, queries and an extractor (TypeScript is JavaScript with types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// JavaScript, TypeScript and TSX.
    JavaScript,
    /// Rust.
    Rust,
}

impl Language {
    /// Every language, for registries and tests.
    pub const ALL: [Language; 4] = [
        Language::Rust,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
    ];

    /// The language of a path by its extension; `None` for files we do not read (declaration
    /// files `.d.ts` hold types only).
    pub fn of_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?;
        let language = Language::ALL
            .into_iter()
            .find(|language| language.extensions().contains(&ext))?;
        if path.to_string_lossy().ends_with(".d.ts") {
            return None;
        }
        Some(language)
    }

    /// The file extensions (without the dot) read as this language.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Language::Rust => &["rs"],
            Language::TypeScript => &["ts", "mts", "cts"],
            Language::Tsx => &["tsx"],
            Language::JavaScript => &["js", "jsx", "mjs", "cjs"],
        }
    }

    /// The LSP `languageId`s of documents in this language (`textDocument/didOpen`).
    pub fn lsp_ids(self) -> &'static [&'static str] {
        match self {
            Language::Rust => &["rust"],
            Language::TypeScript => &["typescript"],
            Language::Tsx => &["typescriptreact"],
            Language::JavaScript => &["javascript", "javascriptreact"],
        }
    }

    /// The language an editor names with `id`, for documents whose path says nothing.
    pub fn of_lsp_id(id: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|language| language.lsp_ids().contains(&id))
    }

    /// The family whose tables and extractor read this language.
    pub fn family(self) -> Family {
        match self {
            Language::Rust => Family::Rust,
            Language::TypeScript | Language::Tsx | Language::JavaScript => Family::JavaScript,
        }
    }
}

impl Family {
    /// Every family, for registries and tests.
    pub const ALL: [Family; 2] = [Family::JavaScript, Family::Rust];

    /// The name framework tables use in their `language` key.
    pub fn table_name(self) -> &'static str {
        match self {
            Family::JavaScript => "js",
            Family::Rust => "rust",
        }
    }

    /// The family a table's `language` key names.
    pub fn of_table_name(name: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|family| family.table_name() == name)
    }

    /// The project manifest whose dependencies tell which frameworks a project uses.
    pub fn manifest(self) -> &'static str {
        match self {
            Family::JavaScript => "package.json",
            Family::Rust => "Cargo.toml",
        }
    }

    /// What starts a line comment (suppression comments are line comments).
    pub fn line_comment(self) -> &'static str {
        match self {
            Family::JavaScript | Family::Rust => "//",
        }
    }

    /// What joins a type or object to its member in a named constant (`StatusCode::OK`,
    /// `HttpStatus.OK`).
    pub fn member_separator(self) -> &'static str {
        match self {
            Family::JavaScript => ".",
            Family::Rust => "::",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_pick_the_language() {
        assert_eq!(Language::of_path(Path::new("a.rs")), Some(Language::Rust));
        assert_eq!(
            Language::of_path(Path::new("a.mts")),
            Some(Language::TypeScript)
        );
        assert_eq!(Language::of_path(Path::new("a.tsx")), Some(Language::Tsx));
        assert_eq!(
            Language::of_path(Path::new("a.cjs")),
            Some(Language::JavaScript)
        );
        assert_eq!(Language::of_path(Path::new("a.d.ts")), None);
        assert_eq!(Language::of_path(Path::new("a.py")), None);
    }

    #[test]
    fn editor_ids_name_one_language_each() {
        for language in Language::ALL {
            for id in language.lsp_ids() {
                assert_eq!(Language::of_lsp_id(id), Some(language));
            }
        }
        assert_eq!(Language::of_lsp_id("python"), None);
    }

    #[test]
    fn table_names_round_trip() {
        for family in Family::ALL {
            assert_eq!(Family::of_table_name(family.table_name()), Some(family));
        }
    }
}
