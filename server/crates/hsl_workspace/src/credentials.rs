//! Credentials read out of sight: a handler that calls the project's `auth(req)` works with the
//! `Authorization` header that function reads, although its own code never names it. The index
//! lends each such handler the words of the function it calls, one level deep.

use std::collections::HashMap;

use hsl_facts::{CredentialCheck, HandlerId, HelperStatus, Words};

use crate::{IndexedFile, Verdict, WorkspaceIndex, resolver_of};

/// The credential checks of every file by name: (file index, index in its list).
pub(crate) fn by_name<'a>(files: &[IndexedFile<'a>]) -> HashMap<&'a str, Vec<(usize, usize)>> {
    let mut found: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
    for (file_idx, file) in files.iter().enumerate() {
        let facts: &'a hsl_facts::FileFacts = file.facts;
        for (check_idx, check) in facts.credential_checks.iter().enumerate() {
            found
                .entry(check.name.as_str())
                .or_default()
                .push((file_idx, check_idx));
        }
    }
    found
}

impl WorkspaceIndex<'_> {
    /// The words each handler of `target` borrows from the credential checks it calls by name
    /// (`auth(req, provider)` where `auth` reads `Authorization`): in the same file, or in the
    /// file its import of the name points to. A name no import traces counts only when one
    /// check in the whole index has it.
    pub fn lent_credential_words(&self, target: &IndexedFile<'_>) -> Vec<(HandlerId, Words)> {
        let mut lent = Vec::new();
        for (id, handler) in target.facts.handlers.iter().enumerate() {
            for call in &handler.words.calls {
                let Some(candidates) = self.credential_checks.get(call.as_str()) else {
                    continue;
                };
                let only_one = candidates.len() == 1;
                for &(file_idx, check_idx) in candidates {
                    let (Some(file), Some(check)) = (
                        self.files.get(file_idx),
                        self.files
                            .get(file_idx)
                            .and_then(|file| file.facts.credential_checks.get(check_idx)),
                    ) else {
                        continue;
                    };
                    let reaches = file.path == target.path
                        || match resolver_of(target.language.family())(
                            target,
                            std::slice::from_ref(call),
                            file,
                        ) {
                            Verdict::Yes => true,
                            Verdict::No => false,
                            Verdict::Unknown => only_one,
                        };
                    if reaches && check.range != handler.range {
                        lent.push((id, check.words.clone()));
                    }
                }
            }
        }
        lent
    }
}

impl WorkspaceIndex<'_> {
    /// The words each `401` helper of `target` borrows from the credential checks of other
    /// files that call it by name (`throw AuthenticationError()` in the module whose
    /// `parseAuthentication(ctx)` takes the `Authorization` header apart): the `401` it builds
    /// refuses the credential they read. A helper is a named function of the file that is no
    /// route handler and that the file's helpers summarise as sending `401`; a check reaches it
    /// when its import of the name is traced to `target`, or, untraced, when one function of
    /// the index has that name. Checks in `target` itself are left out: the rule reads the
    /// file's own callers.
    pub fn lent_caller_credentials(&self, target: &IndexedFile<'_>) -> Vec<(HandlerId, Words)> {
        let mut lent = Vec::new();
        for (id, handler) in target.facts.handlers.iter().enumerate() {
            let Some(name) = handler.name.as_deref() else {
                continue;
            };
            if !handler.methods.is_empty() || !sends_unauthorized(target, name) {
                continue;
            }
            for (file, check) in self.checks_calling(name) {
                if file.path != target.path && self.refers_to(file, &[name.to_string()], target) {
                    lent.push((id, check.words.clone()));
                }
            }
        }
        lent
    }

    /// Every credential check of the index that calls `name` (the last segment of its callee,
    /// `errors.unauthorized()` calls `unauthorized`), with its file.
    fn checks_calling<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = (&'s IndexedFile<'s>, &'s CredentialCheck)> + 's {
        self.credential_checks
            .values()
            .flatten()
            .filter_map(|&(file_idx, check_idx)| {
                let file = self.files.get(file_idx)?;
                Some((file, file.facts.credential_checks.get(check_idx)?))
            })
            .filter(move |(_, check)| {
                check
                    .words
                    .calls
                    .iter()
                    .any(|call| call.rsplit('.').next() == Some(name))
            })
    }
}

/// Whether the helpers `file` defines summarise `name` as sending `401`, always or by default.
fn sends_unauthorized(file: &IndexedFile<'_>, name: &str) -> bool {
    file.facts.helpers.iter().any(|helper| {
        helper.owner.is_none()
            && helper.name == name
            && matches!(
                helper.status,
                HelperStatus::Fixed(401)
                    | HelperStatus::Argument {
                        default: Some(401),
                        ..
                    }
            )
    })
}
