use std::collections::BTreeSet;

use crate::declare_rule;
use crate::{Finding, FixAvailability, Frameworks, Related, RuleContext, RuleMeta, Severity};
use hsl_facts::{RouteContract, SiteRole};
use hsl_fixes::{Edit, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A route's handler sends a status its contract does not declare.
    ///
    /// ## What it does
    /// Compares every status a route's handler sets (explicit codes, helper defaults such as
    /// `res.redirect(url)`, the project's own helpers and error mappings) with the responses
    /// the route's contract declares. The contract is an OpenAPI 3.0/3.1 (or Swagger 2.0)
    /// document: the one `openapi = "spec/api.yaml"` names in `http-status-ls.toml`, else an
    /// `openapi.yaml`, `openapi.yml`, `openapi.json`, `swagger.yaml` or `swagger.json` at the
    /// project root. Or it is written beside the handler: NestJS `@ApiResponse({ status })` and
    /// its shorthands (`@ApiCreatedResponse()`, `@ApiNotFoundResponse()`, …) on the method or
    /// its class, read as `@nestjs/swagger` writes the document (a method that declares
    /// nothing itself keeps the status it answers by default), and Fastify's
    /// `schema: { response: { 201: .., '4xx': .., default: .. } }` in a route's options
    /// (`fastify.post(path, { schema }, handler)`, `fastify.route({ .., schema })`), and
    /// utoipa's `#[utoipa::path(.., responses((status = 201, ..), (status = NOT_FOUND, ..)))]`
    /// on an axum, actix-web or Rocket handler (any Rust route the index knows), and @hono/zod-openapi's `createRoute({ method, path,
    /// responses: { 201: .., 404: .. } })` registered by `app.openapi(route, handler)`, and
    /// the poem-openapi response enum (`#[derive(ApiResponse)]`, one `#[oai(status = 201)]`,
    /// `#[oai(status_range = "4XX")]` or default variant per response) an endpoint of the same
    /// file returns (`-> poem::Result<AddPetResponse>`, plus the enum of a `Result`'s error
    /// type): the framework documents exactly those variants, so a status the endpoint sends
    /// otherwise (`Err(poem::Error::from_status(StatusCode::CONFLICT))`) is undeclared. Such a
    /// contract comes first.
    /// A route meets its operation by method and path, router prefixes and mount
    /// points included, whatever the parameters are called (`/items/:id` is `/items/{itemId}`),
    /// with or without a server's base path. The finding sits on the status and points at the
    /// operation. For a contract written beside the handler, a suggested fix declares the
    /// status in the contract's idiom: a new `@ApiResponse({ status: 409, description:
    /// 'Conflict' })` line above the method's contract decorators (imported beside the
    /// shorthands the file imports), a new key in `schema.response` quoted as its siblings,
    /// or a new `(status = 409, description = "Conflict")` entry in utoipa's `responses(..)`.
    ///
    /// ## Why is this bad?
    /// Clients, generated SDKs and API gateways trust the contract: a status it does not
    /// declare is one their code has no branch for. A typed client throws on it or treats it as
    /// a success, a mock server never returns it, and the documentation lies. Either the
    /// contract forgot a response or the handler answers something it should not.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.1.0
    /// info: { title: Items, version: "1" }
    /// paths:
    ///   /items:
    ///     post:
    ///       responses:
    ///         "201": { description: Created }
    ///         "400": { description: Bad Request }
    /// ```
    ///
    /// ```ts,expect_diagnostic
    /// app.post("/items", (req, res) => {
    ///   res.status(409).json({ error: "exists" });
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/items", (req, res) => {
    ///   res.status(400).json({ error: "exists" });
    /// });
    /// ```
    /// (or declare `409` in the contract).
    ///
    /// ## Fix safety
    /// Declaring the status is a suggestion, never applied by `--fix`: whether the contract
    /// forgot a response or the handler should not send it is the author's call. It is offered
    /// only for a contract written in the handler's own file (an OpenAPI document is left to
    /// its authors, and a poem-openapi enum needs a variant name and payload only its author
    /// can choose), with a description taken from the status's registered name, and dropped
    /// when the edited file would parse worse.
    ///
    /// ## When it stays silent
    /// For a route no contract documents (no operation with its method and path, no response
    /// decorator on its method or class: it is never reported); for a method one of whose
    /// response decorators names a status that is not a literal or a known constant, or whose
    /// `schema.response` is not written in the options (a variable) or has a computed key, or
    /// whose utoipa `responses(..)` is a type (`responses(TodoResponses)`); for a poem-openapi
    /// endpoint whose response enum is in another file, is wrapped (`payload::Response<R>`,
    /// which may change the status) or has a variant whose status is not a number literal;
    /// for a status a range (`4XX`) or `default` covers; for a status whose code is
    /// not known; for a route whose path the syntax cannot build (a prefix or mount that is not
    /// a literal), or a warp filter chain whose path filters are not all known (an unknown
    /// root filter, `path::tail()`). Frameworks whose routes are branches on the request's
    /// method and path (`node:http`, `hyper`, a Web worker's `fetch`) have no route to compare.
    ///
    /// ## References
    /// - OpenAPI Specification 3.1, Responses Object (`default`, ranges `1XX`–`5XX`)
    pub struct UndeclaredStatus;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "undeclared-status",
    summary: "a route's handler sends a status its contract does not declare",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: Frameworks {
        except: &["node", "hyper"],
        also: &[],
    },
    docs: UndeclaredStatus::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    if ctx.contracts.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut reported = BTreeSet::new();
    for response in &ctx.facts.responses {
        let (Some(code), Some(handler)) = (response.status.code, response.handler) else {
            continue;
        };
        if response.role != SiteRole::Sets || !(100..=599).contains(&code) {
            continue;
        }
        for contract in ctx.contracts.iter().filter(|c| c.handler == handler) {
            if contract.covers(code) || !reported.insert(response.status.range.start) {
                continue;
            }
            found.push(Finding {
                rule: meta.id,
                severity: meta.default_severity,
                range: response.status.range.clone(),
                message: format!(
                    "`{}` is not declared for `{} {}` in {}, which declares {}: declare it, or send a declared status",
                    status_codes::label(code),
                    contract.method.as_str(),
                    contract.path,
                    contract.source,
                    contract.declared_list()
                ),
                fixes: declare_fix(ctx, contract, code).into_iter().collect(),
                related: vec![Related {
                    location: contract.declared_at.clone(),
                    message: format!(
                        "`{} {}` is declared here",
                        contract.method.as_str(),
                        contract.path
                    ),
                }],
            });
        }
    }
    found
}

/// The suggested fix that declares `code` in a contract written in this file, in its idiom
/// (a new `@ApiResponse(..)` line, a `schema.response` key, a utoipa entry), with the
/// decorator's import when the file does not import it yet.
fn declare_fix(ctx: &RuleContext<'_>, contract: &RouteContract, code: u16) -> Option<Fix> {
    if contract.additions.is_empty() {
        return None;
    }
    let description = status_codes::lookup(code)
        .filter(|entry| entry.is_registered())
        .map_or_else(|| format!("Status {code}"), |entry| entry.name.clone());
    if description.contains(['\'', '"', '\\']) {
        return None;
    }
    let mut edits: Vec<Edit> = contract
        .additions
        .iter()
        .map(|addition| Edit {
            range: addition.range.clone(),
            new_text: addition
                .text
                .replace("{code}", &code.to_string())
                .replace("{description}", &description),
        })
        .collect();
    if let Some(name) = contract.source.strip_prefix('@') {
        edits.extend(import_of(ctx, name)?);
    }
    Some(Fix::suggested(
        format!(
            "Declare `{}` in {}",
            status_codes::label(code),
            contract.source
        ),
        edits,
    ))
}

/// The edit that imports decorator `name` beside another response decorator of its table the
/// file imports by name; no edit when the file imports it already, `None` when it imports none
/// to stand beside.
fn import_of(ctx: &RuleContext<'_>, name: &str) -> Option<Vec<Edit>> {
    if ctx.facts.imports.iter().any(|import| import.local == name) {
        return Some(Vec::new());
    }
    let siblings: Vec<&str> = hsl_tables::Tables::get()
        .frameworks
        .iter()
        .filter_map(|table| table.routes.as_ref()?.response_decorators.as_ref())
        .filter(|declared| declared.generic == name)
        .flat_map(|declared| {
            declared
                .shorthands
                .keys()
                .chain(&declared.defaults)
                .map(String::as_str)
        })
        .collect();
    let beside = ctx.facts.imports.iter().find(|import| {
        import.item.as_deref() == Some(import.local.as_str())
            && siblings.contains(&import.local.as_str())
            && import.specifier.is_some()
    })?;
    let at = beside.specifier.as_ref()?.start;
    Some(vec![Edit {
        range: at..at,
        new_text: format!("{name}, "),
    }])
}
