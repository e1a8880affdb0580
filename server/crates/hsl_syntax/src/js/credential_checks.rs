//! Functions that read an HTTP authentication credential for their callers: a helper module's
//! `auth(req)` that takes the `Authorization` header apart and answers whether the caller may
//! go on. The handler that calls it sends the `401`; only the helper names the header. The
//! workspace index lends a caller the helper's words.

use tree_sitter::Node;

use super::Extractor;
use super::handlers::declared_functions;
use crate::node_util::text;
use hsl_facts::{CredentialCheck, Words};
use hsl_tables::Conditions;

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
