//! Functions that read an HTTP authentication credential for their callers: a helper module's
//! `auth(req)` that takes the `Authorization` header apart and answers whether the caller may
//! go on. The handler that calls it sends the `401`; only the helper names the header. The
//! workspace index lends a caller the helper's words.

use tree_sitter::Node;

use super::{Extractor, FUNCTION_KINDS};
use crate::node_util::{named_children, text};
use hsl_facts::{CredentialCheck, Words};
use hsl_tables::Conditions;

/// Function kinds a top-level declaration binds to a name.
const DECLARED_FUNCTIONS: &[&str] = &["function_declaration", "generator_function_declaration"];

impl<'t> Extractor<'_, 't> {
    /// Records each named function `statements` declare (a function declaration, a `const`
    /// bound to a function, either exported) whose body reads the `Authorization` header.
    pub(super) fn record_credential_checks(&mut self, statements: &[Node<'t>]) {
        for &statement in statements {
            for (name, function) in declared_functions(statement) {
                // A cheap look at the text first: most functions name no credential at all.
                if !text(function, self.source)
                    .to_ascii_lowercase()
                    .contains("auth")
                {
                    continue;
                }
                let words = super::conditions::summary(function, self.source);
                if reads_authorization(&words) {
                    self.facts.credential_checks.push(CredentialCheck {
                        name: text(name, self.source).to_string(),
                        range: function.byte_range(),
                        words,
                    });
                }
            }
        }
    }
}

/// Whether a name or string of `words` is one the vocabulary knows for the `Authorization`
/// header (compared without regard to case, `_` or `-`).
fn reads_authorization(words: &Words) -> bool {
    let header = &Conditions::get().http_auth.header;
    words
        .names
        .iter()
        .chain(&words.strings)
        .any(|word| header.iter().any(|known| folded(known) == folded(word)))
}

fn folded(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The functions a top-level statement declares, with their name nodes: `function auth(..)`,
/// `const auth = (..) => ..`, and either behind `export`.
fn declared_functions(statement: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    let declaration = if statement.kind() == "export_statement" {
        match statement.child_by_field_name("declaration") {
            Some(declaration) => declaration,
            None => return Vec::new(),
        }
    } else {
        statement
    };
    match declaration.kind() {
        kind if DECLARED_FUNCTIONS.contains(&kind) => declaration
            .child_by_field_name("name")
            .map(|name| (name, declaration))
            .into_iter()
            .collect(),
        "lexical_declaration" | "variable_declaration" => named_children(declaration)
            .into_iter()
            .filter_map(|declarator| {
                let name = declarator.child_by_field_name("name")?;
                let value = declarator.child_by_field_name("value")?;
                (name.kind() == "identifier" && FUNCTION_KINDS.contains(&value.kind()))
                    .then_some((name, value))
            })
            .collect(),
        _ => Vec::new(),
    }
}
