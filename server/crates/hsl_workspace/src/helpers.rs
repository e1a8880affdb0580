//! The project's own response helpers: functions that build or send a response and are called
//! from handlers (`return unauthorized()`, `sendError(res, 401)`), summarised once from their
//! facts, and the responses their calls send, made where the call is, with the call's context.

use std::collections::HashMap;

use hsl_facts::{
    Argument, Body, FileFacts, HelperBody, HelperCall, HelperStatus, Location, Response,
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
        let Some(summary) = summary_of(&responses) else {
            continue;
        };
        found.push(ResponseHelper {
            name: name.to_string(),
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

/// The summary of a function's responses when they all send one known code.
fn summary_of(responses: &[&Response]) -> Option<ResponseHelper> {
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
        ([_], Body::Object(_) | Body::Opaque { .. }) => HelperBody::Content(first.body.clone()),
        _ => HelperBody::Unknown,
    };
    Some(ResponseHelper {
        name: String::new(),
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

/// Where each helper name is defined in the index: name → (file index, helper index).
pub(crate) type HelpersByName<'a> = HashMap<&'a str, Vec<(usize, usize)>>;

impl WorkspaceIndex<'_> {
    /// The responses the helper calls of `target` send: one per call the index can read, at
    /// the call, in its context. A call answered by a helper of the project sends the helper's
    /// code; a call that passes a status as an argument (`new ApiError("x", 401)`,
    /// `ApiError::new(.., StatusCode::UNAUTHORIZED)`) sends that status. The headers of such a
    /// response are never taken as complete: they belong to the helper, where the rules about
    /// missing headers already look.
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
        if let Some(helper) = self.helper_named(target, &call.callee, name) {
            return response_through(call, helper);
        }
        // No helper of the project is known by that name: a status argument is what the call
        // sends, when it has exactly one.
        let mut statuses = call.args.iter().filter_map(|argument| match argument {
            Argument::Status(site) => Some(site),
            _ => None,
        });
        let site = statuses.next()?;
        if statuses.next().is_some() {
            return None;
        }
        Some(call_response(call, site.clone(), Body::Unknown))
    }

    /// The helper `callee` names, as written in `from`: traced through imports, or the only
    /// helper of that name in the index.
    fn helper_named(
        &self,
        from: &IndexedFile<'_>,
        callee: &[String],
        name: &str,
    ) -> Option<&ResponseHelper> {
        if CONVERSIONS.contains(&name) || self.registrations_by_name.contains_key(name) {
            return None;
        }
        let candidates = self.helpers.get(name)?;
        let mut traced = candidates.iter().filter(|(file_idx, _)| {
            self.files
                .get(*file_idx)
                .is_some_and(|file| self.refers_to(from, callee, file))
        });
        let &(file_idx, helper_idx) = traced.next()?;
        if traced.next().is_some() {
            return None;
        }
        self.files.get(file_idx)?.facts.helpers.get(helper_idx)
    }
}

/// The response a call to `helper` sends.
fn response_through(call: &HelperCall, helper: &ResponseHelper) -> Option<Response> {
    let code = match helper.status {
        HelperStatus::Fixed(code) => Some(code),
        HelperStatus::Argument { index, default } => match call.args.get(index) {
            Some(Argument::Status(site)) => site.code,
            None => default,
            Some(_) => None,
        },
    }?;
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
    Some(call_response(call, site, body))
}

fn call_response(call: &HelperCall, status: StatusSite, body: Body) -> Response {
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
