use std::collections::BTreeSet;

use crate::declare_rule;
use crate::{Finding, FixAvailability, Frameworks, Related, RuleContext, RuleMeta, Severity};
use hsl_facts::{ByteRange, DeclaredKey, Family, HandlerId, RouteContract, SiteRole};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A route's contract declares a status its handler never sends.
    ///
    /// ## What it does
    /// Off by default; enable it in configuration (`declared-status-unsent = "warning"`).
    /// Reads the same contracts as `undeclared-status` (an OpenAPI document, NestJS
    /// `@ApiResponse` decorators, Fastify `schema.response`, utoipa `responses(..)`,
    /// @hono/zod-openapi `createRoute({ responses })`) and
    /// compares them the other way round: a status the contract declares by its exact code
    /// that no status site of the route's handler sends, counting the statuses the handler's
    /// helpers and the framework's implicit defaults send (`@Post()` answers 201). It speaks
    /// only when the handler's statuses are complete: every status it sets is known, every
    /// call of the project's helpers is resolved, every `throw` raises a known status, there
    /// is no `?` that hands an error of any status back, and (in JavaScript) every call it
    /// makes is one of the framework's own response calls. The finding sits on the
    /// declaration (the decorator, the schema's key, the utoipa entry), or, for a document, on
    /// the route's registration with the document's line in the message.
    ///
    /// ## Why is this bad?
    /// Client authors and generated SDKs write a branch for every declared response. A
    /// declared status the server never answers is dead code for each of them, and it often
    /// means the handler forgot a case (a missing `404` for an unknown id, a `409` the
    /// documentation promises on a duplicate).
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// import { Controller, Get } from "@nestjs/common";
    /// import { ApiNotFoundResponse, ApiOkResponse } from "@nestjs/swagger";
    ///
    /// @Controller("meta")
    /// export class MetaController {
    ///   @Get("version")
    ///   @ApiOkResponse()
    ///   @ApiNotFoundResponse()
    ///   version() {
    ///     return { version: "1.4.0" };
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// import { Controller, Get } from "@nestjs/common";
    /// import { ApiOkResponse } from "@nestjs/swagger";
    ///
    /// @Controller("meta")
    /// export class MetaController {
    ///   @Get("version")
    ///   @ApiOkResponse()
    ///   version() {
    ///     return { version: "1.4.0" };
    ///   }
    /// }
    /// ```
    /// (or send `404` where the version is not known).
    ///
    /// ## When it stays silent
    /// When the handler's statuses are not complete (a status from a variable, a call of the
    /// project that the index cannot resolve, a `throw` of a value whose status is not known,
    /// a Rust `?`, a JavaScript call that is not a response call of the framework); for ranges
    /// (`4XX`) and `default`, which promise nothing; for `200`, which frameworks answer
    /// whenever a handler returns a body without a status; and for the statuses the layers
    /// around a handler answer for it (validation `400`/`422`, authentication `401`/`403`,
    /// `405`, content negotiation `406`/`415`, `413`, conditional and partial requests
    /// `304`/`206`/`416`, rate limits `429`, time-outs `408`, and server errors `500`–`504`).
    /// Middleware is not followed.
    ///
    /// ## References
    /// - OpenAPI Specification 3.1, Responses Object
    pub struct DeclaredStatusUnsent;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "declared-status-unsent",
    summary: "a route's contract declares a status its handler never sends",
    default_severity: Severity::Warning,
    fix: FixAvailability::None,
    frameworks: Frameworks {
        except: &["node", "web", "hyper", "warp"],
        also: &[],
    },
    docs: DeclaredStatusUnsent::DOCS,
    since: "next",
    default_enabled: false,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut reported = BTreeSet::new();
    for contract in ctx.contracts {
        let Some(sent) = complete_statuses(ctx, contract.handler) else {
            continue;
        };
        for key in &contract.declared {
            let DeclaredKey::Code(code) = *key else {
                continue;
            };
            if sent.contains(&code) || status_codes::answered_around(code) {
                continue;
            }
            let finding = unsent(ctx, meta, contract, *key, code);
            if reported.insert((finding.range.start, code)) {
                found.push(finding);
            }
        }
    }
    found
}

/// The finding for one declared code: on the declaration when it is written in this file,
/// else on the route's registration, else on the handler's name.
fn unsent(
    ctx: &RuleContext<'_>,
    meta: &RuleMeta,
    contract: &RouteContract,
    key: DeclaredKey,
    code: u16,
) -> Finding {
    let place = contract.key_places.iter().find(|place| place.key == key);
    let handler_name = ctx
        .facts
        .handlers
        .get(contract.handler)
        .map_or(0..0, |handler| handler.name_range.clone());
    let range = match place {
        Some(place) if place.location.path.is_none() => place.location.range.clone(),
        _ if contract.registered_at.path.is_none() => contract.registered_at.range.clone(),
        _ => handler_name,
    };
    let written = place.map_or(contract.source.as_str(), |place| place.label.as_str());
    let mut related = Vec::new();
    if let Some(place) = place.filter(|place| place.location.path.is_some()) {
        related.push(Related {
            location: place.location.clone(),
            message: format!("`{code}` is declared here"),
        });
    }
    Finding {
        rule: meta.id,
        severity: meta.default_severity,
        range,
        message: format!(
            "`{}` is declared for `{} {}` ({written}) but its handler never sends it: send it where it applies, or remove it from the contract",
            status_codes::label(code),
            contract.method.as_str(),
            contract.path,
        ),
        fixes: Vec::new(),
        related,
    }
}

/// Every status handler `id` can send, when the facts show them all; `None` when some answer
/// may leave it unseen.
fn complete_statuses(ctx: &RuleContext<'_>, id: HandlerId) -> Option<BTreeSet<u16>> {
    let handler = ctx.facts.handlers.get(id)?;
    let sets: Vec<&hsl_facts::Response> = ctx
        .facts
        .responses
        .iter()
        .filter(|response| response.handler == Some(id) && response.role == SiteRole::Sets)
        .collect();
    let mut sent = BTreeSet::new();
    for response in &sets {
        sent.insert(response.status.code?);
    }
    let answered_within = |range: &ByteRange| {
        sets.iter()
            .any(|response| within(&response.status.range, range))
    };
    let calls: Vec<&hsl_facts::HelperCall> = ctx
        .facts
        .helper_calls
        .iter()
        .filter(|call| call.handler == Some(id))
        .collect();
    if !calls.iter().all(|call| answered_within(&call.range)) {
        return None;
    }
    if !handler.escapes.iter().all(answered_within) {
        return None;
    }
    if written_in(ctx) == Some(Family::JavaScript) {
        let mut known: BTreeSet<&str> = js_response_calls().collect();
        known.extend(
            calls
                .iter()
                .filter_map(|call| call.callee.last().map(String::as_str)),
        );
        if !handler
            .words
            .calls
            .iter()
            .all(|call| known.contains(call.as_str()))
        {
            return None;
        }
    }
    Some(sent)
}

/// Whether `inner` lies within `outer`.
fn within(inner: &ByteRange, outer: &ByteRange) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The language the file's frameworks are written in.
fn written_in(ctx: &RuleContext<'_>) -> Option<Family> {
    let tables = hsl_tables::Tables::get();
    ctx.facts
        .frameworks
        .iter()
        .find_map(|id| tables.framework(id).map(|table| table.language))
}

/// The last name of a dotted path: `json` in `NextResponse.json`.
fn last_name(path: &str) -> &str {
    path.rsplit(['.', ':']).next().unwrap_or(path)
}

/// The names of the calls by which JavaScript frameworks answer, declare routes and read
/// requests (`status`, `json`, `redirect`, `Post`, `Param`): a handler whose every call is one
/// of them, or a call of the project's helpers, sends nothing the facts do not show.
fn js_response_calls() -> impl Iterator<Item = &'static str> {
    hsl_tables::Tables::get()
        .frameworks
        .iter()
        .filter(|table| table.language == Family::JavaScript)
        .flat_map(|table| {
            let calls = table
                .calls
                .iter()
                .chain(&table.constructors)
                .chain(&table.functions)
                .chain(&table.decorator_calls)
                .map(|call| last_name(call.method.as_str()));
            let methods = table
                .status_methods
                .iter()
                .chain(&table.body_methods)
                .map(|method| method.method.as_str())
                .chain(table.header_methods.iter().map(|m| m.method.as_str()));
            let routes = table.routes.iter().flat_map(|routes| {
                let contract = routes.response_decorators.iter().flat_map(|declared| {
                    std::iter::once(declared.generic.as_str())
                        .chain(declared.shorthands.keys().map(String::as_str))
                        .chain(declared.defaults.iter().map(String::as_str))
                });
                routes
                    .decorators
                    .keys()
                    .map(String::as_str)
                    .chain(routes.decorator_statuses.keys().map(String::as_str))
                    .chain(routes.response_param_decorators.iter().map(String::as_str))
                    .chain(routes.request_param_decorators.iter().map(String::as_str))
                    .chain(routes.controller_decorator.iter().map(String::as_str))
                    .chain(contract)
            });
            calls.chain(methods).chain(routes)
        })
}
