//! What each route of a project can send: the routes the workspace index finds (whole paths in
//! OpenAPI template form) with every status their handlers set, as far as the facts prove
//! (explicit codes, helper and framework defaults, the project's helpers and error mappings).
//! Shared by `http-status-ls routes` and the server's hovers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hsl_contracts::{PathTemplate, SkeletonInfo, SkeletonResponse, SkeletonRoute, StatusKey};
use hsl_facts::{ByteRange, FileFacts, HandlerId, Method, SiteRole};
use hsl_workspace::WorkspaceIndex;

use crate::{SourceFile, with_helper_responses};

/// A route and what its handler can send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteStatuses {
    pub method: Method,
    /// The whole path, parameters in OpenAPI's spelling: `/items/{id}`.
    pub path: PathTemplate,
    /// Where the route is registered: the registration, attribute or exported name.
    pub file: PathBuf,
    pub range: ByteRange,
    /// The handler's file and id, when the index found its definition and the route has one
    /// handler (not a chain of middleware and handler).
    pub handler: Option<(PathBuf, HandlerId)>,
    /// Every status the handler sets, at the place that sets it, in the order of the handler's
    /// file.
    pub statuses: Vec<SentStatus>,
}

/// A status a handler sends, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentStatus {
    pub code: u16,
    pub file: PathBuf,
    pub range: ByteRange,
}

/// Every route of the indexed files with the statuses its handler sends; `files` are the
/// analysed files whose responses count (a handler in a file not among them sends nothing
/// the facts show).
pub fn route_statuses(files: &[&SourceFile], index: &WorkspaceIndex<'_>) -> Vec<RouteStatuses> {
    let by_path: HashMap<&Path, &SourceFile> = files
        .iter()
        .map(|file| (file.path.as_path(), *file))
        .collect();
    let mut facts_of: HashMap<&Path, Cow<'_, FileFacts>> = HashMap::new();
    let mut out = Vec::new();
    for route in index.routes() {
        let statuses = match route.handler {
            Some((path, id)) => match by_path.get(path) {
                Some(file) => {
                    let facts = facts_of
                        .entry(file.path.as_path())
                        .or_insert_with(|| with_helper_responses(file, index));
                    sent_by(facts, path, id)
                }
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let path = PathTemplate::from_route(&route.path);
        // One registration with several handlers (middleware, then the handler) is one route
        // that can send what any of them sends.
        if let Some(same) = out.iter_mut().find(|known: &&mut RouteStatuses| {
            known.method == route.method
                && known.file == route.file
                && known.range == route.range
                && known.path == path
        }) {
            same.statuses.extend(statuses);
            same.handler = None;
            continue;
        }
        out.push(RouteStatuses {
            method: route.method,
            path,
            file: route.file.to_path_buf(),
            range: route.range,
            handler: route.handler.map(|(path, id)| (path.to_path_buf(), id)),
            statuses,
        });
    }
    for route in &mut out {
        route
            .statuses
            .sort_by(|a, b| (&a.file, a.range.start).cmp(&(&b.file, b.range.start)));
        route.statuses.dedup();
    }
    out
}

/// The statuses handler `id` of a file sets, each site once, in file order.
fn sent_by(facts: &FileFacts, path: &Path, id: HandlerId) -> Vec<SentStatus> {
    let mut sent: Vec<SentStatus> = facts
        .responses
        .iter()
        .filter(|response| response.handler == Some(id) && response.role == SiteRole::Sets)
        .filter_map(|response| {
            Some(SentStatus {
                code: response.status.code?,
                file: path.to_path_buf(),
                range: response.status.range.clone(),
            })
        })
        .collect();
    sent.sort_by_key(|status| (status.range.start, status.code));
    sent.dedup();
    sent
}

/// How a skeleton is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skeleton {
    Yaml,
    Json,
}

/// An OpenAPI 3.1 skeleton of the routes: per path and method, a response per status sent.
pub fn openapi_skeleton(title: &str, routes: &[RouteStatuses], format: Skeleton) -> String {
    let skeleton: Vec<SkeletonRoute> = routes
        .iter()
        .map(|route| {
            // A code outside 100–599 (`4004`) is a bug `invalid-status-code` reports; OpenAPI
            // has no key for it.
            let mut codes: Vec<u16> = route
                .statuses
                .iter()
                .map(|status| status.code)
                .filter(|code| (100..=599).contains(code))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            SkeletonRoute {
                method: route.method,
                path: route.path.clone(),
                responses: codes
                    .into_iter()
                    .map(|code| SkeletonResponse {
                        status: StatusKey::Code(code),
                        description: description_of(code),
                    })
                    .collect(),
            }
        })
        .collect();
    let info = SkeletonInfo {
        title: title.to_string(),
        version: "0.0.0".to_string(),
    };
    match format {
        Skeleton::Yaml => hsl_contracts::openapi_yaml(&info, &skeleton),
        Skeleton::Json => hsl_contracts::openapi_json(&info, &skeleton),
    }
}

/// The registry's name of a code (`Not Found`), or the code for one it does not list.
fn description_of(code: u16) -> String {
    match hsl_status_codes::lookup(code) {
        Some(entry) if entry.is_registered() => entry.name.clone(),
        _ => format!("Status {code}"),
    }
}

/// The hover of a route: on a registration, attribute or exported name of this file, or on the
/// name of a handler of this file that serves routes, the routes with the statuses the handler
/// can send and, where a contract documents a route, what it declares. Statuses are those of
/// handlers in `file` (another file's responses are not at hand here).
pub fn route_hover(
    file: &SourceFile,
    index: &WorkspaceIndex<'_>,
    contracts: &[hsl_facts::RouteContract],
    offset: usize,
) -> Option<crate::hover::HoverInfo> {
    let here = |range: &ByteRange| range.start <= offset && offset <= range.end;
    let on_handler = file
        .facts
        .handlers
        .iter()
        .position(|handler| here(&handler.name_range));
    let routes: Vec<RouteStatuses> = route_statuses(&[file], index)
        .into_iter()
        .filter(|route| {
            let registered_here = route.file == file.path && here(&route.range);
            let handled_here = on_handler.is_some()
                && route
                    .handler
                    .as_ref()
                    .map(|(path, id)| (path.as_path(), Some(*id)))
                    == Some((file.path.as_path(), on_handler));
            registered_here || handled_here
        })
        .collect();
    let range = routes
        .iter()
        .find(|route| route.file == file.path && here(&route.range))
        .map(|route| route.range.clone())
        .or_else(|| {
            on_handler
                .and_then(|id| file.facts.handlers.get(id))
                .map(|h| h.name_range.clone())
        })?;
    let mut markdown = String::new();
    for route in &routes {
        markdown.push_str(&route_markdown(route, contracts));
    }
    (!markdown.is_empty()).then_some(crate::hover::HoverInfo {
        range,
        markdown: markdown.trim_end().to_string(),
    })
}

/// One route's lines of a hover.
fn route_markdown(route: &RouteStatuses, contracts: &[hsl_facts::RouteContract]) -> String {
    let mut codes: Vec<u16> = route.statuses.iter().map(|status| status.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let sends = if codes.is_empty() {
        "no status the code shows".to_string()
    } else {
        codes
            .iter()
            .map(|code| format!("`{}`", hsl_status_codes::label(*code)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!(
        "**{} {}** can send {sends}\n\n",
        route.method.as_str(),
        route.path
    );
    let path = route.path.to_string();
    if let Some(contract) = contracts
        .iter()
        .find(|contract| contract.method == route.method && contract.path == path)
    {
        out.push_str(&format!(
            "- {} declares {}\n\n",
            contract.source,
            contract.declared_list()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_text;
    use hsl_facts::Language;

    #[test]
    fn hovering_a_registration_lists_what_its_handler_sends() {
        let text = "const express = require('express');\nconst app = express();\napp.post('/items', (req, res) => {\n  if (!req.body) return res.status(400).end();\n  res.status(201).json({});\n});\n";
        let file = from_text(
            PathBuf::from("/p/app.js"),
            Language::JavaScript,
            text.to_string(),
        );
        let index = WorkspaceIndex::new(vec![file.indexed()]);
        let at = text.find("post(").expect("post");
        let info = route_hover(&file, &index, &[], at).expect("hover");
        assert_eq!(
            info.markdown,
            "**POST /items** can send `201 Created`, `400 Bad Request`"
        );
        let elsewhere = text.find("express()").expect("express");
        assert_eq!(route_hover(&file, &index, &[], elsewhere), None);
    }
}
