//! The file's facts assembled from its statements' facts: each statement's facts moved to where
//! the statement now is, handler ids renumbered, and a handler two statements found merged.

use std::collections::HashMap;
use std::sync::Arc;

use super::ChunkFacts;
use super::cache::Cached;
use super::nested::Nesting;
use hsl_facts::shift::Shift;
use hsl_facts::{
    CredentialCheck, FileFacts, Handler, HandlerId, HandlerRef, HelperCall, Import, Response,
    ResponseHelper, RouteRegistration,
};

/// The file's facts from its statements' facts, each moved to where its statement now is;
/// handler ids renumbered, and a handler two statements found (one registers a function the
/// other defines) merged into one.
pub(super) fn merge(frameworks: Vec<String>, imports: Vec<Import>, chunks: &[Cached]) -> FileFacts {
    let mut merged = Merged::new(frameworks, imports);
    for chunk in chunks {
        merged.add_kept(&chunk.facts, chunk.delta());
        // A statement read by its inner statements holds none of its facts itself.
        if let Some(Nesting::Inner { children, .. }) = chunk.nesting.as_deref() {
            for child in children {
                // The inner statement's range is relative to the statement's start.
                let start = chunk.range.start + child.range.start;
                merged.add_kept(&child.facts, start as isize - child.origin as isize);
            }
        }
    }
    merged.facts
}

/// [`merge`] for statements nobody keeps: their facts are moved, not copied (the CLI and the
/// workspace index read each file once).
pub(super) fn merge_owned(
    frameworks: Vec<String>,
    imports: Vec<Import>,
    chunks: Vec<Cached>,
) -> FileFacts {
    if chunks.iter().any(|chunk| chunk.nesting.is_some()) {
        return merge(frameworks, imports, &chunks);
    }
    let mut merged = Merged::new(frameworks, imports);
    for chunk in chunks {
        let delta = chunk.delta();
        let facts = Arc::try_unwrap(chunk.facts).unwrap_or_else(|shared| ChunkFacts {
            handlers: shared.handlers.clone(),
            registrations: shared.registrations.clone(),
            responses: shared.responses.clone(),
            helper_calls: shared.helper_calls.clone(),
            helpers: shared.helpers.clone(),
            credential_checks: shared.credential_checks.clone(),
            ..ChunkFacts::default()
        });
        merged.add(
            delta,
            facts.handlers.into_iter(),
            facts.registrations.into_iter(),
            facts.responses.into_iter(),
            facts.helper_calls.into_iter(),
            facts.helpers.into_iter(),
        );
        merged.add_credential_checks(delta, facts.credential_checks.into_iter());
    }
    merged.facts
}

/// A file's facts being assembled from its statements' facts.
struct Merged {
    facts: FileFacts,
    /// Handler range → id, so that a handler two statements found is one.
    ids: HashMap<(usize, usize), HandlerId>,
}

impl Merged {
    /// Adds the facts a kept statement holds, moved by `delta`.
    fn add_kept(&mut self, facts: &ChunkFacts, delta: isize) {
        self.add(
            delta,
            facts.handlers.iter().cloned(),
            facts.registrations.iter().cloned(),
            facts.responses.iter().cloned(),
            facts.helper_calls.iter().cloned(),
            facts.helpers.iter().cloned(),
        );
        self.add_credential_checks(delta, facts.credential_checks.iter().cloned());
    }

    fn new(frameworks: Vec<String>, imports: Vec<Import>) -> Merged {
        Merged {
            facts: FileFacts {
                frameworks,
                imports,
                ..FileFacts::default()
            },
            ids: HashMap::new(),
        }
    }

    /// Adds one statement's facts, moved by `delta`, with its handler ids renumbered.
    fn add(
        &mut self,
        delta: isize,
        handlers: impl Iterator<Item = Handler>,
        registrations: impl Iterator<Item = RouteRegistration>,
        responses: impl Iterator<Item = Response>,
        helper_calls: impl Iterator<Item = HelperCall>,
        helpers: impl Iterator<Item = ResponseHelper>,
    ) {
        let local: Vec<HandlerId> = handlers
            .map(|mut handler| {
                handler.shift(delta);
                self.add_handler(handler)
            })
            .collect();
        let global = |id: HandlerId| local.get(id).copied();
        for mut registration in registrations {
            registration.shift(delta);
            if let HandlerRef::Inline(id) = registration.handler {
                match global(id) {
                    Some(id) => registration.handler = HandlerRef::Inline(id),
                    None => continue,
                }
            }
            self.facts.registrations.push(registration);
        }
        for mut response in responses {
            response.shift(delta);
            response.handler = response.handler.and_then(global);
            self.facts.responses.push(response);
        }
        for mut call in helper_calls {
            call.shift(delta);
            call.handler = call.handler.and_then(global);
            self.facts.helper_calls.push(call);
        }
        for mut helper in helpers {
            helper.shift(delta);
            self.facts.helpers.push(helper);
        }
    }

    /// Adds one statement's credential checks, moved by `delta`.
    fn add_credential_checks(
        &mut self,
        delta: isize,
        checks: impl Iterator<Item = CredentialCheck>,
    ) {
        for mut check in checks {
            check.shift(delta);
            self.facts.credential_checks.push(check);
        }
    }

    /// The file's id of a handler: a new one, or the one of the same handler another statement
    /// found, which learns this one's methods and name.
    fn add_handler(&mut self, handler: Handler) -> HandlerId {
        let key = (handler.range.start, handler.range.end);
        let Some(&id) = self.ids.get(&key) else {
            let id = self.facts.handlers.len();
            self.ids.insert(key, id);
            self.facts.handlers.push(handler);
            return id;
        };
        let known = &mut self.facts.handlers[id];
        for evidence in handler.methods {
            if !known.methods.contains(&evidence) {
                known.methods.push(evidence);
            }
        }
        known.default_export |= handler.default_export;
        if known.declared.is_none() {
            known.declared = handler.declared;
        }
        if known.name.is_none() && handler.name.is_some() {
            known.name = handler.name;
            known.name_range = handler.name_range;
        }
        id
    }
}
