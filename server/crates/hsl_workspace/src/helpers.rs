//! The project's own response helpers: functions that build or send a response and are called
//! from handlers (`return unauthorized()`, `sendError(res, 401)`), summarised once from their
//! facts, and the responses their calls send, made where the call is, with the call's context.

use std::collections::HashMap;

use hsl_facts::{
    Argument, Body, CallForm, FileFacts, HelperBody, HelperCall, HelperStatus, Location, Response,
    ResponseHelper, SiteRole, Spelling, StatusSite,
};

use crate::{IndexedFile, WorkspaceIndex};

/// Calls of these names construct or convert a value of a type; the name says nothing of which
/// function of the project it is, so such a call is read only through its status argument.
const CONVERSIONS: &[&str] = &["new", "from", "into", "build", "with_status"];

/// The helpers of one file: every named function for which the file proves no method and
/// whose responses all set one code. (A function some registration names is a route handler,
/// not a helper: the index leaves those out when it looks a name up.) Computed once per read of
/// a file, so that the index need not keep a file's responses to know its helpers.
pub fn summarise_helpers(facts: &FileFacts, path: &std::path::Path) -> Vec<ResponseHelper> {
    // One pass groups the responses by handler: a file of a thousand handlers and as many
    // responses must not pay for every pair.
    let mut by_handler: HashMap<usize, Vec<&Response>> = HashMap::new();
    for response in &facts.responses {
        if let Some(id) = response.handler
            && response.role == SiteRole::Sets
        {
            by_handler.entry(id).or_default().push(response);
        }
    }
    let mut found = Vec::new();
    for (id, responses) in by_handler {
        let Some(handler) = facts.handlers.get(id) else {
            continue;
        };
        let Some(name) = handler.name.as_deref() else {
            continue;
        };
        if !handler.methods.is_empty() || CONVERSIONS.contains(&name) {
            continue;
        }
        if let Some(owner) = &handler.error_type {
            found.extend(variant_helpers(owner, &responses, path, handler));
            continue;
        }
        let Some(summary) = summary_of(&responses, &handler.params) else {
            continue;
        };
        found.push(ResponseHelper {
            name: name.to_string(),
            owner: None,
            defined: Location {
                path: Some(path.to_path_buf()),
                range: handler.name_range.clone(),
            },
            ..summary
        });
    }
    found.sort_by_key(|helper| helper.defined.range.start);
    found
}

/// The variants an error type's conversion (`impl IntoResponse for AppError`) maps to a status:
/// a response sent under `match self { AppError::Forbidden => … }` is what a returned
/// `AppError::Forbidden` sends.
fn variant_helpers(
    owner: &str,
    responses: &[&Response],
    path: &std::path::Path,
    handler: &hsl_facts::Handler,
) -> Vec<ResponseHelper> {
    let mut found: Vec<ResponseHelper> = Vec::new();
    for response in responses {
        let Some(code) = response.status.code else {
            continue;
        };
        let Some(variant) = response
            .context
            .branch_conditions
            .iter()
            .filter(|condition| condition.holds())
            .find_map(|condition| matched_variant(condition, owner, handler.params.first()))
        else {
            continue;
        };
        if found.iter().any(|known| known.name == variant) {
            continue;
        }
        found.push(ResponseHelper {
            name: variant,
            owner: Some(owner.to_string()),
            defined: Location {
                path: Some(path.to_path_buf()),
                range: handler.name_range.clone(),
            },
            status: HelperStatus::Fixed(code),
            headers: response.headers.clone(),
            headers_complete: response.headers_complete,
            body: HelperBody::Unknown,
        });
    }
    found
}

/// The variant of `owner` a `match self` arm takes (or a `match error` arm, in a function that
/// maps its one parameter `error`): `Forbidden` for `AppError::Forbidden`, `Self::Forbidden(..)`
/// or `Forbidden` (a variant in scope).
fn matched_variant(
    condition: &hsl_facts::Condition,
    owner: &str,
    param: Option<&String>,
) -> Option<String> {
    let hsl_facts::Test::Matches { value, pattern } = &condition.test else {
        return None;
    };
    let matched = param.map_or("self", String::as_str);
    let on_self = value.path().is_some_and(|path| path.names().eq([matched]));
    if !on_self || pattern.kind != hsl_facts::PatternKind::Other {
        return None;
    }
    let names = &pattern.names;
    let after_owner = names
        .iter()
        .position(|name| name == owner || name == "Self")
        .and_then(|at| names.get(at + 1));
    after_owner
        .or_else(|| names.first())
        .filter(|name| name.starts_with(|c: char| c.is_uppercase()) && name.as_str() != owner)
        .cloned()
}

/// The summary of a function's responses when they all send one known code.
fn summary_of(responses: &[&Response], params: &[String]) -> Option<ResponseHelper> {
    let first = responses.first()?;
    let code = first.status.code?;
    if responses
        .iter()
        .any(|response| response.status.code != Some(code))
    {
        return None;
    }
    let body = match (responses, &first.body) {
        ([_], Body::None | Body::Empty) => HelperBody::None,
        ([_], body) if let Some(index) = passed_parameter(body, params) => {
            HelperBody::Argument(index)
        }
        ([_], Body::Object(_) | Body::Opaque { .. }) => HelperBody::Content(first.body.clone()),
        _ => HelperBody::Unknown,
    };
    Some(ResponseHelper {
        name: String::new(),
        owner: None,
        defined: Location {
            path: None,
            range: 0..0,
        },
        status: HelperStatus::Fixed(code),
        headers: first.headers.clone(),
        headers_complete: responses.len() == 1 && first.headers_complete,
        body,
    })
}

/// The parameter a body is, exactly and alone (`Response.json(data)` in `json(data)`): the
/// body a call sends is then what it passes there.
fn passed_parameter(body: &Body, params: &[String]) -> Option<usize> {
    let Body::Opaque { range, words } = body else {
        return None;
    };
    let [name] = words.names.as_slice() else {
        return None;
    };
    let alone = words.strings.is_empty() && words.calls.is_empty() && range.len() == name.len();
    if !alone || name.is_empty() {
        return None;
    }
    params.iter().position(|param| param == name)
}

/// Where each helper name is defined in the index: name → (file index, helper index).
pub(crate) type HelpersByName<'a> = HashMap<&'a str, Vec<(usize, usize)>>;

impl WorkspaceIndex<'_> {
    /// The responses the helper calls of `target` send: one per call the index can read, at
    /// the call, in its context. A call answered by a helper of the project sends the helper's
    /// code; a call that passes a status as an argument (`new ApiError("x", 401)`,
    /// `ApiError::new(.., StatusCode::UNAUTHORIZED)`) sends that status. The headers of such a
    /// response are taken as complete only when the helper sends the status the call passes and
    /// shows all its headers (an error macro whose error type's conversion is seen whole);
    /// otherwise they belong to the helper, where the rules about missing headers already look.
    pub fn helper_responses(&self, target: &IndexedFile<'_>) -> Vec<Response> {
        let mut responses: Vec<Response> = target
            .facts
            .helper_calls
            .iter()
            .filter_map(|call| self.response_of_call(target, call))
            .collect();
        for response in &mut responses {
            if let Spelling::ProjectHelper {
                defined: Some(location),
                ..
            } = &mut response.status.spelling
                && location.path.as_deref() == Some(target.path)
            {
                location.path = None;
            }
        }
        responses
    }

    fn response_of_call(&self, target: &IndexedFile<'_>, call: &HelperCall) -> Option<Response> {
        let name = call.callee.last()?;
        if let Some((file_idx, helper)) = self.helper_named(target, call, name) {
            if let HelperStatus::TypeArgument { index } = helper.status {
                return typed_response(call, helper, index);
            }
            // A helper handed the response object that redirects is reported at its own
            // redirect, which answers with the methods of the handlers calling it
            // (`resolve_methods`): the call would say it twice, without the fix.
            if call.args.contains(&Argument::Response)
                && matches!(helper.status, HelperStatus::Fixed(300..=399))
            {
                return None;
            }
            // A code name has its status only in the project's own error handler, which
            // answers the requests of its routes: thrown from a function no route is proven to
            // reach (a Server Action's helper, a job), the name may become anything.
            if matches!(helper.status, HelperStatus::Keyed { .. })
                && !self.serves_a_route(target, call)
            {
                return None;
            }
            let code = self.status_through(file_idx, call, helper)?;
            return Some(response_through(call, helper, code));
        }
        // No helper of the project is known by that name: a status argument is what the call
        // sends, when it has exactly one. Not for a macro (`name!`): one that is not the
        // project's may do anything with its arguments (`assert_eq!(status, StatusCode::OK)`).
        if name.ends_with('!') || call.form == CallForm::TypeArguments {
            return None;
        }
        let mut statuses = call.args.iter().filter_map(|argument| match argument {
            Argument::Status(site) => Some(site),
            _ => None,
        });
        let site = statuses.next()?;
        if statuses.next().is_some() || !sends_its_status_argument(call, site) {
            return None;
        }
        Some(call_response(call, site.clone(), Body::Unknown))
    }

    /// The helper the callee of `call` names, as written in `from`, with the index of its
    /// file: traced through imports, or the only helper of that name in the index. A type
    /// named with its arguments may be registered too, as what an attributed endpoint returns
    /// (`#[post("/items")] async fn add() -> Result<Sent<201, Item>, E>`): that makes it no
    /// route handler.
    fn helper_named(
        &self,
        from: &IndexedFile<'_>,
        call: &HelperCall,
        name: &str,
    ) -> Option<(usize, &ResponseHelper)> {
        let callee = call.callee.as_slice();
        let registered =
            call.form == CallForm::Call && self.registrations_by_name.contains_key(name);
        if CONVERSIONS.contains(&name) || registered {
            return None;
        }
        let written_owner = callee.len().checked_sub(2).and_then(|at| callee.get(at));
        // A type's variant (or a code map's entry) is named with its owner
        // (`AppError::Forbidden`, `Self::Forbidden`): it is never what a bare call means.
        let candidates: Vec<(usize, usize)> = self
            .helpers
            .get(name)?
            .iter()
            .copied()
            .filter(|&(file_idx, helper_idx)| {
                let owner = self
                    .files
                    .get(file_idx)
                    .and_then(|file| file.facts.helpers.get(helper_idx))
                    .map(|helper| helper.owner.as_deref());
                match owner {
                    Some(Some(owner)) => {
                        written_owner.is_some_and(|ty| ty == owner || ty == "Self")
                    }
                    Some(None) => true,
                    None => false,
                }
            })
            .collect();
        let mut traced = candidates.iter().filter(|&&(file_idx, helper_idx)| {
            self.files.get(file_idx).is_some_and(|file| {
                let variant = file
                    .facts
                    .helpers
                    .get(helper_idx)
                    .is_some_and(|helper| helper.owner.is_some());
                // A type's variant is traced by its type's name, not through imports.
                variant || self.refers_to(from, callee, file)
            })
        });
        let (file_idx, helper_idx) = match (traced.next(), traced.next()) {
            (Some(&found), None) => found,
            (Some(_), Some(_)) => return None,
            // Not traced through an import (a name taken out of a module object,
            // `const CustomError = utils.CustomError`): the only helper of that name in the
            // index, unless the name is imported from a package.
            (None, _) => match candidates.as_slice() {
                [only] if !imported_from_package(from, callee) => *only,
                _ => return None,
            },
        };
        let helper = self.files.get(file_idx)?.facts.helpers.get(helper_idx)?;
        Some((file_idx, helper))
    }

    /// Whether the function a call is made from serves a route: a method is proven for it, or
    /// it is written in a route file (Next.js `app/**/route.ts`, `pages/api/**`), whose
    /// functions answer that file's route.
    fn serves_a_route(&self, target: &IndexedFile<'_>, call: &HelperCall) -> bool {
        crate::routes::next_route_path(target.path).is_some()
            || call
                .handler
                .is_some_and(|id| !self.direct_methods(target, id).is_empty())
    }

    /// The code a call of `helper` (defined in the file at `file_idx`) sends.
    fn status_through(
        &self,
        file_idx: usize,
        call: &HelperCall,
        helper: &ResponseHelper,
    ) -> Option<u16> {
        match &helper.status {
            HelperStatus::Fixed(code) => Some(*code),
            HelperStatus::Argument { index, default } => match call.args.get(*index) {
                Some(Argument::Status(site)) => site.code,
                None => *default,
                Some(_) => None,
            },
            HelperStatus::LastArgument => match call.args.last() {
                Some(Argument::Status(site)) => site.code,
                _ => None,
            },
            // A status type's own constructor (`Sent(item)`) writes no status: the type's
            // arguments do, where the handler names it.
            HelperStatus::TypeArgument { .. } => None,
            HelperStatus::Keyed { index, property } => {
                let key = key_argument(call.args.get(*index)?, property.as_deref())?;
                self.mapped_status(file_idx, key)
            }
        }
    }

    /// The status the code maps visible from the file at `file_idx` (defined there, or
    /// imported by it) give `key`, when they agree on one.
    fn mapped_status(&self, file_idx: usize, key: &str) -> Option<u16> {
        let class_file = self.files.get(file_idx)?;
        let mut codes = self
            .helpers
            .get(key)?
            .iter()
            .filter_map(|&(map_idx, entry_idx)| {
                let map_file = self.files.get(map_idx)?;
                let entry = map_file.facts.helpers.get(entry_idx)?;
                let owner = entry.owner.as_deref()?;
                let visible = map_idx == file_idx
                    || self.refers_to(class_file, &[owner.to_string()], map_file);
                match entry.status {
                    HelperStatus::Fixed(code) if visible => Some(code),
                    _ => None,
                }
            });
        let code = codes.next()?;
        codes.all(|other| other == code).then_some(code)
    }
}

/// The code name a call passes where a keyed helper reads it: the argument itself
/// (`new ApiError("unauthorized")`), or its `property` (`new ApiError({ code: "unauthorized" })`).
fn key_argument<'a>(argument: &'a Argument, property: Option<&str>) -> Option<&'a str> {
    match (argument, property) {
        (Argument::Text(key), None) => Some(key),
        (Argument::Object(object), Some(property)) => {
            object.entries.iter().find_map(|(name, value)| match value {
                hsl_facts::LiteralValue::String(key) if name == property => Some(key.as_str()),
                _ => None,
            })
        }
        _ => None,
    }
}

/// Whether the first name of `callee` is bound by an import of a package (not a file of the
/// project): `new HTTPException(..)` from `hono/http-exception` is never a project helper.
fn imported_from_package(from: &IndexedFile<'_>, callee: &[String]) -> bool {
    let Some(first) = callee.first() else {
        return false;
    };
    from.facts.imports.iter().any(|import| {
        &import.local == first
            && !import.module.starts_with('.')
            && !import.module.starts_with("@/")
            && !import.module.starts_with("~/")
            && !import.module.starts_with('#')
            && !import.module.starts_with("crate")
            && !import.module.starts_with("super")
            && !import.module.starts_with("self")
    })
}

/// Words of a callee's name (lower-case) that make a bare registered status among its arguments
/// the status the call sends (`errorResponse(401, ..)`, `reply(204)`).
pub const RESPONSE_CALL_WORDS: &[&str] = &["response", "reply"];

/// Words of a callee's name (lower-case) that make a bare error status among its arguments the
/// status the call sends (`new ApiError("x", 401)`).
pub const ERROR_CALL_WORDS: &[&str] = &["error", "exception", "fault"];

/// Both lists: the CLI's prefilter parses the files that call something named with one of
/// them, so the words a call is read by and the words a file is parsed for are the same.
pub const STATUS_CALL_WORDS: [&[&str]; 2] = [RESPONSE_CALL_WORDS, ERROR_CALL_WORDS];

/// Whether a status argument is what an unknown call sends: a named constant always is
/// (`ApiError::new(.., StatusCode::UNAUTHORIZED)`); a bare number only in a call named for an
/// error or a response (`new ApiError("x", 401)`, `errorResponse(401, ..)`), since a number can
/// be anything else (`paginate(items, 100)`), and only when it is a registered status — an
/// error's an error status. Libraries number their own errors (`new Parse.Error(143, ..)`,
/// `new Parse.Error(101, ..)` for "object not found"): a code HTTP does not register, or a 1xx-3xx
/// code given to an error, is such a number, and the call is not read as a response.
fn sends_its_status_argument(call: &HelperCall, site: &StatusSite) -> bool {
    if site.spelling != Spelling::Number {
        return true;
    }
    let Some(code) = site
        .code
        .filter(|&code| hsl_status_codes::lookup(code).is_some())
    else {
        return false;
    };
    let named_for = |words: &[&str]| {
        call.callee.iter().any(|name| {
            let lower = name.to_ascii_lowercase();
            words.iter().any(|word| lower.contains(word))
        })
    };
    if named_for(RESPONSE_CALL_WORDS) {
        return true;
    }
    named_for(ERROR_CALL_WORDS) && code >= 400
}

/// The response a call to `helper` sends, with `code`.
fn response_through(call: &HelperCall, helper: &ResponseHelper, code: u16) -> Response {
    let body = match &helper.body {
        HelperBody::None => Body::None,
        HelperBody::Argument(index) => match call.args.get(*index) {
            Some(Argument::Object(object)) => Body::Object(object.clone()),
            _ => Body::Unknown,
        },
        // The helper's own body lies in its file: at the call it is only known to be there.
        HelperBody::Content(_) | HelperBody::Unknown => Body::Unknown,
    };
    let site = StatusSite {
        code: Some(code),
        spelling: Spelling::ProjectHelper {
            name: helper.name.clone(),
            defined: Some(helper.defined.clone()),
        },
        range: call.name_range.clone(),
        framework: String::new(),
    };
    let mut response = call_response(call, site, body);
    // A helper that sends the status its caller passes has no status of its own, so no rule
    // looks at its response: when it shows every header, the call is where they are judged.
    if helper.headers_complete
        && matches!(
            helper.status,
            HelperStatus::Argument { .. } | HelperStatus::LastArgument
        )
    {
        response.headers = helper
            .headers
            .iter()
            .map(|header| hsl_facts::HeaderFact {
                name: header.name.clone(),
                range: call.name_range.clone(),
            })
            .collect();
        response.headers_complete = true;
    }
    response
}

/// The response a handler answers with when it names a status type with its arguments
/// (`Sent<201, Item>`): the status written at the argument `index`, with the headers the type's
/// conversion sets, complete when the conversion's are, since it builds the whole response.
fn typed_response(call: &HelperCall, helper: &ResponseHelper, index: usize) -> Option<Response> {
    if call.form != CallForm::TypeArguments {
        return None;
    }
    let Some(Argument::Status(site)) = call.args.get(index) else {
        return None;
    };
    let mut response = call_response(call, site.clone(), Body::Unknown);
    response.headers.clone_from(&helper.headers);
    response.headers_complete = helper.headers_complete;
    Some(response)
}

fn call_response(call: &HelperCall, status: StatusSite, body: Body) -> Response {
    // The strings an error's call passes are the message it sends
    // (`new CustomError("Link was not found.")`); a success's strings may be anything.
    let strings: Vec<String> = call
        .args
        .iter()
        .filter_map(|argument| match argument {
            Argument::Text(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    let body = match body {
        Body::Unknown if !strings.is_empty() && status.code.is_some_and(|code| code >= 400) => {
            Body::Opaque {
                range: call.range.clone(),
                words: hsl_facts::Words {
                    strings,
                    ..hsl_facts::Words::default()
                },
            }
        }
        other => other,
    };
    Response {
        status,
        headers: Vec::new(),
        headers_complete: false,
        header_insert: None,
        body,
        context: call.context.clone(),
        handler: call.handler,
        role: SiteRole::Sets,
        without_body: None,
    }
}
