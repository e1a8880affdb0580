//! The cross-file index: which registration in which file makes a handler a `POST`.
//!
//! Built from facts, never from trees. A handler defined in `handlers/users.ts` and registered
//! by `router.post('/users', users.create)` in `routes.ts` is resolved through the import that
//! binds `users`; Rust paths (`handlers::create`, `use crate::handlers::create`) through `use`
//! declarations and the module path of each file.

use std::collections::HashMap;
use std::path::Path;

use hsl_facts::{Argument, Family, FileFacts, HandlerRef, Import, Language};
use hsl_facts::{Location, ResolvedMethod};

mod credentials;
mod helpers;
mod js;
mod routes;
mod rust;

pub use helpers::{ERROR_CALL_WORDS, RESPONSE_CALL_WORDS, STATUS_CALL_WORDS, summarise_helpers};
pub use routes::Route;

/// One file's facts as the index sees them.
pub struct IndexedFile<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub facts: &'a FileFacts,
}

/// The files of a run, with a name → defining-files table for the last-resort match and a
/// name → registrations table, so resolving a handler looks only at registrations of its name.
pub struct WorkspaceIndex<'a> {
    files: Vec<IndexedFile<'a>>,
    definitions: HashMap<&'a str, usize>,
    /// Last path segment of a named handler reference → (file index, registration index).
    registrations_by_name: HashMap<&'a str, Vec<(usize, usize)>>,
    /// The project's response helpers by name (`FileFacts::helpers`).
    helpers: helpers::HelpersByName<'a>,
    /// Last callee segment of a call that hands a handler's response object to a function
    /// (`signIn(ctx, user)`) → (file index, index in its `helper_calls`).
    response_calls_by_name: HashMap<&'a str, Vec<(usize, usize)>>,
    /// Functions that read an HTTP authentication credential, by name
    /// (`FileFacts::credential_checks`) → (file index, index in that list).
    credential_checks: HashMap<&'a str, Vec<(usize, usize)>>,
    /// Registrations that name a whole imported module or its default export
    /// (`const updatePackage = require('./update')`, then `app.put(.., updatePackage)`): they
    /// name the function that module exports by default, whatever its own name.
    default_registrations: Vec<(usize, usize)>,
}

impl<'a> WorkspaceIndex<'a> {
    /// Indexes the given files.
    pub fn new(files: Vec<IndexedFile<'a>>) -> WorkspaceIndex<'a> {
        let mut definitions: HashMap<&'a str, usize> = HashMap::new();
        let mut registrations_by_name: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
        let mut default_registrations = Vec::new();
        for (file_idx, file) in files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for handler in &facts.handlers {
                if let Some(name) = handler.name.as_deref() {
                    *definitions.entry(name).or_default() += 1;
                }
            }
            for (registration_idx, registration) in facts.registrations.iter().enumerate() {
                if let HandlerRef::Named(segments) = &registration.handler
                    && let Some(last) = segments.last()
                    && registration.is_route()
                {
                    registrations_by_name
                        .entry(last.as_str())
                        .or_default()
                        .push((file_idx, registration_idx));
                    if names_default_export(facts, segments) {
                        default_registrations.push((file_idx, registration_idx));
                    }
                }
            }
        }
        let mut helpers: helpers::HelpersByName<'a> = HashMap::new();
        let mut response_calls_by_name: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
        for (file_idx, file) in files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for (helper_idx, helper) in facts.helpers.iter().enumerate() {
                helpers
                    .entry(helper.name.as_str())
                    .or_default()
                    .push((file_idx, helper_idx));
            }
            for (call_idx, call) in facts.helper_calls.iter().enumerate() {
                if call.args.contains(&Argument::Response)
                    && let Some(last) = call.callee.last()
                {
                    response_calls_by_name
                        .entry(last.as_str())
                        .or_default()
                        .push((file_idx, call_idx));
                }
            }
        }
        let credential_checks = credentials::by_name(&files);
        WorkspaceIndex {
            files,
            definitions,
            registrations_by_name,
            helpers,
            response_calls_by_name,
            credential_checks,
            default_registrations,
        }
    }

    /// The methods of each handler of `target` (indexed like its `facts.handlers`), from its own
    /// syntax, from every registration in the index that resolves to it, and, for a function
    /// handed a handler's response object (`signIn(ctx, user)`), from the handlers that call it:
    /// what it sends answers their requests.
    pub fn resolve_methods(&self, target: &IndexedFile<'_>) -> Vec<Vec<ResolvedMethod>> {
        let mut resolved: Vec<Vec<ResolvedMethod>> = (0..target.facts.handlers.len())
            .map(|id| self.direct_methods(target, id))
            .collect();
        for (id, list) in resolved.iter_mut().enumerate() {
            for entry in self.caller_methods(target, id) {
                if !list.contains(&entry) {
                    list.push(entry);
                }
            }
        }
        resolved
    }

    /// The methods of handler `id` of `file` that its own syntax and the registrations naming
    /// it prove; locations without a path are in `file`.
    pub(crate) fn direct_methods(&self, file: &IndexedFile<'_>, id: usize) -> Vec<ResolvedMethod> {
        let Some(handler) = file.facts.handlers.get(id) else {
            return Vec::new();
        };
        let mut list: Vec<ResolvedMethod> = handler
            .methods
            .iter()
            .map(|evidence| ResolvedMethod {
                method: evidence.method,
                source: evidence.source,
                location: Location {
                    path: None,
                    range: evidence.range.clone(),
                },
            })
            .collect();
        let name = handler.name.as_deref();
        if name.is_none() && !handler.default_export {
            return list;
        }
        let by_name = name
            .and_then(|name| self.registrations_by_name.get(name))
            .map_or(&[][..], Vec::as_slice);
        let by_default = if handler.default_export {
            self.default_registrations.as_slice()
        } else {
            &[]
        };
        let by_error_type = converted_names(handler)
            .filter_map(|name| self.registrations_by_name.get(name))
            .flatten();
        for &(file_idx, registration_idx) in by_name.iter().chain(by_default).chain(by_error_type) {
            let Some(from) = self.files.get(file_idx) else {
                continue;
            };
            let Some(registration) = from.facts.registrations.get(registration_idx) else {
                continue;
            };
            let HandlerRef::Named(segments) = &registration.handler else {
                continue;
            };
            if !self.refers_to(from, segments, file) {
                continue;
            }
            let same_file = from.path == file.path;
            for method in &registration.methods {
                let entry = ResolvedMethod {
                    method: *method,
                    source: hsl_facts::MethodSource::Registration,
                    location: Location {
                        path: (!same_file).then(|| from.path.to_path_buf()),
                        range: registration.range.clone(),
                    },
                };
                if !list.contains(&entry) {
                    list.push(entry);
                }
            }
        }
        list
    }

    /// The methods of the handlers that call handler `id` of `target` by name and hand it their
    /// response object, one level up; each located where the caller's method is proven.
    fn caller_methods(&self, target: &IndexedFile<'_>, id: usize) -> Vec<ResolvedMethod> {
        let Some(name) = target
            .facts
            .handlers
            .get(id)
            .and_then(|handler| handler.name.as_deref())
        else {
            return Vec::new();
        };
        let calls = self
            .response_calls_by_name
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        let mut found = Vec::new();
        for &(file_idx, call_idx) in calls {
            let Some(from) = self.files.get(file_idx) else {
                continue;
            };
            let Some(call) = from.facts.helper_calls.get(call_idx) else {
                continue;
            };
            // A call that passes a boolean picks a branch of the function (`finish(res, tokens,
            // false)` skips the redirect that `finish(res, tokens, true)` takes): which one is
            // not seen, so the caller's methods are not carried.
            let Some(caller) = call
                .handler
                .filter(|_| !call.args.contains(&Argument::Switch))
            else {
                continue;
            };
            let same_file = from.path == target.path;
            if (same_file && caller == id) || !self.refers_to(from, &call.callee, target) {
                continue;
            }
            for mut entry in self.direct_methods(from, caller) {
                if entry.location.path.is_none() && !same_file {
                    entry.location.path = Some(from.path.to_path_buf());
                }
                found.push(entry);
            }
        }
        found
    }

    /// Whether `segments`, written in `from`, names a function defined in `target`.
    fn refers_to(
        &self,
        from: &IndexedFile<'_>,
        segments: &[String],
        target: &IndexedFile<'_>,
    ) -> bool {
        let resolve = resolver_of(from.language.family());
        match resolve(from, segments, target) {
            Verdict::Yes => true,
            Verdict::No => false,
            // A name we cannot trace (glob import, dynamic require): only a name defined once
            // in the whole index is taken to be that definition.
            Verdict::Unknown => {
                let name = segments.last().map(String::as_str).unwrap_or("");
                self.definitions.get(name) == Some(&1)
            }
        }
    }
}

/// The type names by which an endpoint's return type reaches the conversion method `handler`
/// (`fn error_response` of `impl ResponseError for PageError`): the error type and the file's
/// `Result` aliases for it. An endpoint proven by an attribute registers the types its return
/// type names, and what its `?` lets out of `-> PageResult<T>` is this conversion's answer to
/// that endpoint's request. A function that maps its parameter by hand (`fn to_response(e:
/// TcpError)`, whose one parameter is recorded) is applied by a call, not by `?`: none.
fn converted_names(handler: &hsl_facts::Handler) -> impl Iterator<Item = &str> {
    // Only a conversion method records aliases.
    let converted = handler
        .error_type
        .as_deref()
        .filter(|_| handler.params.is_empty());
    converted
        .into_iter()
        .chain(handler.error_aliases.iter().map(String::as_str))
}

/// Whether a registration's handler is a name the file binds to a whole module or to its
/// default export (`const update = require('./update')`, `import update from './update'`).
fn names_default_export(facts: &FileFacts, segments: &[String]) -> bool {
    let [name] = segments else {
        return false;
    };
    facts.imports.iter().any(|import| {
        import.local == *name && import.item.as_deref().is_none_or(|item| item == "default")
    })
}

/// Whether a name written in one file names a definition in another, as far as the syntax
/// shows.
enum Verdict {
    Yes,
    No,
    Unknown,
}

/// How a path written in one file names a definition in another, for one family of languages:
/// each family resolves names through its own kind of imports and module paths.
type Resolver = fn(&IndexedFile<'_>, &[String], &IndexedFile<'_>) -> Verdict;

/// The resolver for files of `family`.
fn resolver_of(family: Family) -> Resolver {
    match family {
        Family::JavaScript => js::refers_to,
        Family::Rust => rust::refers_to,
    }
}

fn find_import<'f>(facts: &'f FileFacts, local: &str) -> Option<&'f Import> {
    facts.imports.iter().find(|import| import.local == local)
}
