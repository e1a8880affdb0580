//! The framework tables of `grammars-config/frameworks/`, embedded at build time.
//!
//! Framework knowledge lives in those TOML files so that supporting a framework is a table and
//! fixtures, not new Rust. This module only gives them types; the syntax layer reads them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

mod conditions;

pub use conditions::*;

/// Each embedded table with its file name, so a broken table names itself.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "nextjs-pages.toml",
        include_str!("../../../../grammars-config/frameworks/nextjs-pages.toml"),
    ),
    (
        "node.toml",
        include_str!("../../../../grammars-config/frameworks/node.toml"),
    ),
    (
        "nestjs.toml",
        include_str!("../../../../grammars-config/frameworks/nestjs.toml"),
    ),
    (
        "http-status-codes.toml",
        include_str!("../../../../grammars-config/frameworks/http-status-codes.toml"),
    ),
    (
        "deno-std-http.toml",
        include_str!("../../../../grammars-config/frameworks/deno-std-http.toml"),
    ),
    (
        "http-errors.toml",
        include_str!("../../../../grammars-config/frameworks/http-errors.toml"),
    ),
    (
        "web.toml",
        include_str!("../../../../grammars-config/frameworks/web.toml"),
    ),
    (
        "nextjs.toml",
        include_str!("../../../../grammars-config/frameworks/nextjs.toml"),
    ),
    (
        "koa.toml",
        include_str!("../../../../grammars-config/frameworks/koa.toml"),
    ),
    (
        "fastify.toml",
        include_str!("../../../../grammars-config/frameworks/fastify.toml"),
    ),
    (
        "hono.toml",
        include_str!("../../../../grammars-config/frameworks/hono.toml"),
    ),
    (
        "express.toml",
        include_str!("../../../../grammars-config/frameworks/express.toml"),
    ),
    (
        "http.toml",
        include_str!("../../../../grammars-config/frameworks/http.toml"),
    ),
    (
        "axum.toml",
        include_str!("../../../../grammars-config/frameworks/axum.toml"),
    ),
    (
        "actix-web.toml",
        include_str!("../../../../grammars-config/frameworks/actix-web.toml"),
    ),
    (
        "rocket.toml",
        include_str!("../../../../grammars-config/frameworks/rocket.toml"),
    ),
    (
        "warp.toml",
        include_str!("../../../../grammars-config/frameworks/warp.toml"),
    ),
    (
        "poem.toml",
        include_str!("../../../../grammars-config/frameworks/poem.toml"),
    ),
    (
        "hyper.toml",
        include_str!("../../../../grammars-config/frameworks/hyper.toml"),
    ),
];

/// One framework's table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub display: String,
    /// `"js"` (JavaScript, TypeScript, TSX) or `"rust"`.
    pub language: String,
    #[serde(default)]
    pub detect: Detect,
    #[serde(default)]
    pub response: Option<ResponseNames>,
    #[serde(default)]
    pub calls: Vec<ResponseCall>,
    #[serde(default)]
    pub assignments: Vec<StatusAssignment>,
    #[serde(default)]
    pub routes: Option<Routes>,
    #[serde(default)]
    pub constant_families: Vec<ConstantFamily>,
    #[serde(default)]
    pub helper_families: Vec<HelperFamily>,
    #[serde(default)]
    pub status_ctors: Vec<StatusCtor>,
    #[serde(default)]
    pub status_methods: Vec<ArgMethod>,
    #[serde(default)]
    pub header_methods: Vec<HeaderMethod>,
    #[serde(default)]
    pub body_methods: Vec<ArgMethod>,
    #[serde(default)]
    pub header_constants: BTreeMap<String, String>,
    #[serde(default)]
    pub empty_bodies: Vec<String>,
    #[serde(default)]
    pub body_wrappers: Vec<String>,
    #[serde(default)]
    pub fixed_responses: BTreeMap<String, u16>,
    /// JS: `new Response(body, init)`, `new HTTPException(404)`: constructors that build a
    /// response or an error that becomes one. `method` is the constructor's name.
    #[serde(default)]
    pub constructors: Vec<ResponseCall>,
    /// JS: functions the framework exports that answer the request when called
    /// (`redirect('/x')` from `next/navigation`); `method` is the exported name.
    #[serde(default)]
    pub functions: Vec<ResponseCall>,
    /// JS: decorators on a handler method that act on its response (`@HttpCode(204)`,
    /// `@Redirect(url, 301)`, `@Header(name, value)`); `method` is the decorator's name.
    #[serde(default)]
    pub decorator_calls: Vec<ResponseCall>,
    /// Rust: calls whose argument is a status and whose method chain is the response
    /// (`HttpResponse::build(StatusCode::X)`, warp `reply::with_status(r, StatusCode::X)`).
    #[serde(default)]
    pub status_fns: Vec<StatusFn>,
    /// Rust: builder methods that finish a response without a body (actix `.finish()`).
    #[serde(default)]
    pub empty_body_methods: Vec<String>,
    /// Rust: the call that replaces a body method to send no body (`finish()`), for fixes.
    #[serde(default)]
    pub builder_finish: Option<String>,
    /// Rust: where the status stands in a responder tuple: `"first"` (axum, Rocket, poem:
    /// `(StatusCode, R)`) or `"last"` (actix-web: `(R, StatusCode)`, body first).
    #[serde(default)]
    pub responder_tuple_status: Option<String>,
    /// Rust: methods whose closure argument computes the value the call returns (`map`).
    #[serde(default)]
    pub closure_adapters: Vec<String>,
    /// Rust: of those, the ones whose closure value is the error a following `?` returns.
    #[serde(default)]
    pub error_adapters: Vec<String>,
    /// Rust: macros whose expansion is a non-empty body (`json!`, `format!`).
    #[serde(default)]
    pub body_macros: Vec<String>,
    /// Rust: a body type's empty value (`Body` → `empty()`), for "send no body" fixes.
    #[serde(default)]
    pub empty_body_ctors: BTreeMap<String, String>,
    /// Rust: methods that pass a value through unchanged as far as the response is concerned
    /// (`.unwrap()`, `.expect(..)`, `.into()`).
    #[serde(default)]
    pub transparent_methods: Vec<String>,
    /// Rust: calls that wrap a handler's return value (`Ok(x)`, `Err(x)`, `Box::new(x)`).
    #[serde(default)]
    pub value_wrappers: Vec<String>,
    /// Rust: methods that turn a value into the response (`.into_response()`).
    #[serde(default)]
    pub response_conversions: Vec<String>,
    /// Rust: methods whose argument is the error a following `?` returns (`opt.ok_or(e)?`).
    #[serde(default)]
    pub error_value_methods: Vec<String>,
    /// Rust: methods that leave an error as it is (`Result::and_then`, `map`): an error an
    /// adapter made before them (`.map_err(|_| StatusCode::X).and_then(..)`) is still the one
    /// the chain's value carries.
    #[serde(default)]
    pub error_preserving_methods: Vec<String>,
    /// Rust: conversions of a string literal that keep it the body (`"x".to_string()`).
    #[serde(default)]
    pub string_conversions: Vec<String>,
    /// Rust: attributes that give a response type its status (poem-openapi
    /// `#[oai(status = 204)]` on an `ApiResponse` variant, Rocket `#[response(status = 201)]`).
    #[serde(default)]
    pub status_attributes: Vec<StatusAttribute>,
    /// Rust: generic types that wrap a response type and may add headers to it or change its
    /// status (poem-openapi `payload::Response<T>`): a response type returned inside one
    /// anywhere in its file does not show all its headers.
    #[serde(default)]
    pub response_type_wrappers: Vec<String>,
    /// Rust: attributes that make a function an error catcher for the status they name (Rocket
    /// `#[catch(404)]`, `#[catch(default)]`): a body it returns without a status of its own is
    /// sent with the caught status, not with the body's implicit one.
    #[serde(default)]
    pub catcher_attributes: Vec<String>,
    /// Rust: functions that add a header to a reply passed to them (warp
    /// `reply::with_header(reply, name, value)`), so a response's headers are all seen.
    #[serde(default)]
    pub header_fns: Vec<HeaderFn>,
    /// Rust: calls that start a fresh response with no headers (`Response::builder`,
    /// `HttpResponse::build`), as `Type::function`; a chain from anything else may carry headers
    /// the syntax does not show.
    #[serde(default)]
    pub response_ctors: Vec<String>,
    /// Rust: the method that lends a bound response's header map (`res.headers_mut()`), and the
    /// map methods that add a header through it (`.insert(name, v)`, `.append(..)`).
    #[serde(default)]
    pub header_map_method: Option<String>,
    #[serde(default)]
    pub header_map_inserts: Vec<String>,
    /// Rust: the method that lends a bound response's status slot (`*res.status_mut() = X`).
    #[serde(default)]
    pub status_slot_method: Option<String>,
    /// Rust: methods on a bound response that only read it (`res.status()`, `res.headers()`):
    /// calling them hides nothing from the syntax.
    #[serde(default)]
    pub reading_methods: Vec<String>,
    /// Whose types other frameworks re-export (the `http` crate): read after the frameworks a
    /// file imports, and also in files that import only a re-exporter.
    #[serde(default)]
    pub reexported: bool,
    /// Rust: how a header is added to a responder tuple right after its status element (axum
    /// `, [("{name}", "{value}")]`), for "add the header" fixes.
    #[serde(default)]
    pub tuple_header_insert: Option<String>,
    /// Rust: the status a body wrapper returned on its own sends (axum `Json(x)`: 200).
    #[serde(default)]
    pub body_wrapper_status: Option<u16>,
    /// The inclusive range of codes the framework accepts at run time (Fastify 100–599, the
    /// Web `Response` 200–599, node and the `http` crate 100–999); codes outside it are refused
    /// when the response is sent. `None` when the framework does not check.
    #[serde(default)]
    pub accepted_statuses: Option<[u16; 2]>,
    /// Rust: traits whose impl turns a type into a response (axum `IntoResponse`, actix
    /// `ResponseError`, Rocket `Responder`): the statuses that impl's methods send per variant
    /// are what a returned value of the type sends.
    #[serde(default)]
    pub error_traits: Vec<String>,
}

/// A function that adds a header to the reply it wraps (warp `reply::with_header`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderFn {
    /// The path's last two segments (`reply::with_header`).
    pub path: String,
    pub reply_arg: usize,
    pub name_arg: usize,
}

/// An attribute whose `key = <code>` sets the status of the variant or struct it marks; the
/// item's fields, except those marked with an attribute naming `header_key`, are the body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAttribute {
    pub attribute: String,
    pub key: String,
    pub header_key: Option<String>,
}

/// A call whose argument is a status and whose chain of methods is the response.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusFn {
    /// The path's last two segments (`HttpResponse::build`, `reply::with_status`).
    pub path: String,
    pub status_arg: usize,
    /// The argument that is the body (warp `with_status(reply, ..)`), when there is one.
    pub body_arg: Option<usize>,
}

/// How a file shows it uses the framework.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    #[serde(default)]
    pub imports: Vec<String>,
}

/// Names of the response object in JS handlers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseNames {
    pub names: Vec<String>,
    /// The call that finishes a response without a body (`end()`), for "drop the body" fixes.
    pub finish: Option<String>,
    /// Names of classes whose static calls build a response (`Response.json(..)`,
    /// `NextResponse.redirect(..)`); their handler is the enclosing function.
    #[serde(default)]
    pub static_names: Vec<String>,
    /// The names mean this framework's response only in a file that imports it (node's `res`
    /// is Express's `res` elsewhere).
    #[serde(default)]
    pub only_when_imported: bool,
    /// Properties of the response object that are the same response (Koa's `ctx.response`):
    /// `ctx.response.set(..)` is read as `ctx.set(..)`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Properties through which headers can be set out of the tables' sight (Fastify's
    /// `reply.raw`, Koa's `ctx.res`, Hono's `c.res`): a handler that touches one does not show
    /// every header of its responses.
    #[serde(default)]
    pub opaque_members: Vec<String>,
    /// Koa 1: inside generator middleware (`function* (next) { this.status = 401 }`) `this` is
    /// the response object.
    #[serde(default)]
    pub this_in_generators: bool,
}

/// A call on a JS response chain and what it does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseCall {
    pub method: String,
    /// The argument that sets the status.
    pub status_arg: Option<usize>,
    /// The argument that is the body.
    pub body_arg: Option<usize>,
    /// A fixed body kind: `"none"` or `"opaque"`.
    pub body: Option<String>,
    /// The status this call sends when none was set (`res.json` → 200).
    pub implicit_status: Option<u16>,
    /// Whether the call finishes the response.
    #[serde(default)]
    pub ends: bool,
    /// The argument that names a header (`res.set('Allow', ..)`).
    pub header_name_arg: Option<usize>,
    /// A header this call always sets (`res.location` → `location`).
    pub sets_header: Option<String>,
    pub redirect: Option<RedirectHelper>,
    /// The argument that is a `ResponseInit` (`{ status, headers }`) or a bare status number
    /// (`Response.json(x, { status: 201 })`, `c.json(x, 201)`, `NextResponse.redirect(u, 301)`).
    pub init_arg: Option<usize>,
    /// The first argument that may be a header object (node `res.writeHead(405, { Allow })`,
    /// Hono `c.json(x, 405, { Allow })`): the call's last argument from there on is read as
    /// headers unless it is a string (`writeHead`'s reason phrase).
    pub headers_arg: Option<usize>,
    /// The first argument that may be an options object whose `headers` key holds headers and
    /// whose `res` key is a whole response (http-errors' props in Koa `ctx.throw(401, msg,
    /// { headers })`, Hono `new HTTPException(401, { res })`).
    pub options_arg: Option<usize>,
    /// How a header is added to the response whose status this call sets, for "add the header"
    /// fixes; `{name}`, `{value}` are left for the rule, `{q}` becomes the file's quote and
    /// `{receiver}` the response object. Forms: `"after-call:<text>"` (after the call, Express
    /// `.set(..)` after `status(..)`), `"before-method:<text>"` (before the method name),
    /// `"before-statement:<text>"` (a statement of its own before this one; `{indent}` is its
    /// indentation), `"init-headers"` (a key in the init object's `headers`, or a `headers`
    /// entry), `"headers-arg"` (a key in the header object argument, or a new one).
    pub header_insert: Option<String>,
    /// How an explicit status is written when the call sends its implicit default (`{code}`
    /// replaced): the forms of `header_insert`, and `"init-arg:<new argument>"` (a `status`
    /// entry in the init object, or `<new argument>` after the last one).
    pub implicit_insert: Option<String>,
    /// Calls of one family (NestJS's built-in exceptions) each send a fixed status and are
    /// interchangeable: a fix switches to the member that sends the wanted code.
    #[serde(default)]
    pub family: Option<String>,
    /// Methods that keep a constructed response as a value instead of sending it
    /// (`cache.put(request, new Response(..))`): built there, it is no response of the handler.
    #[serde(default)]
    pub stored_by: Vec<String>,
}

/// A redirect helper with an implicit default code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectHelper {
    pub default: u16,
    /// Which argument is the status when it is given.
    pub status_arg: usize,
    /// With fewer arguments the default applies.
    pub min_args_for_status: usize,
    /// Where a fix writes the explicit code: `"before-first-arg"`, `"after-last-arg"`,
    /// `"before-method:<template>"` (a call chained before the helper, Fastify's `code(303).`),
    /// `"before-statement:<template>"` (a statement of its own, Koa) or `"none"`.
    pub insert: String,
    /// A status set earlier on the same response that the helper keeps instead of its default:
    /// `"any"` (Fastify `reply.code(303).redirect(url)`) or `"redirect"` (Koa keeps a 3xx).
    pub keeps_status: Option<String>,
    /// Another default under a directive: when the call is in a function, or a file, whose
    /// first statement is the directive (Next.js `redirect()` answers a Server Action's form
    /// post, `"use server"`, with 303).
    pub under_directive: Option<DirectiveDefault>,
}

/// A helper default that holds under a directive (`"use server"`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectiveDefault {
    /// The directive's text, without quotes.
    pub directive: String,
    pub status: u16,
}

impl Tables {
    /// Every directive a JS table's helper defaults depend on (`"use server"`): whether a file
    /// starts with one is part of what its statements are read with.
    pub fn js_directives(&self) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .for_language("js")
            .flat_map(|framework| framework.calls.iter().chain(&framework.functions))
            .filter_map(|call| call.redirect.as_ref()?.under_directive.as_ref())
            .map(|under| under.directive.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// `res.statusCode = n`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAssignment {
    pub property: String,
    /// The property is the body rather than the status (Koa `ctx.body = x`).
    #[serde(default)]
    pub body: bool,
    /// The status assigning a body sends when none was set (Koa: 200).
    pub implicit_status: Option<u16>,
    /// How a header is added to the response whose status this assignment sets (a
    /// `before-statement:` form of [`ResponseCall::header_insert`]).
    pub header_insert: Option<String>,
    /// How an explicit status is written before a body assignment that sends the implicit one
    /// (a `before-statement:` form of [`ResponseCall::implicit_insert`]).
    pub implicit_insert: Option<String>,
}

/// How routes and their methods are declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    /// JS: registration method names → HTTP method (`post` → `POST`).
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// JS: the call that starts a per-path chain (`app.route(path)`).
    pub chain_start: Option<String>,
    #[serde(default)]
    pub exclude_receivers: Vec<String>,
    /// JS: registration methods that serve every method (`app.all(path, h)`): they prove no
    /// method, but name the path the handler serves (for "add `Allow`" fixes).
    #[serde(default)]
    pub any_methods: Vec<String>,
    /// Rust: the router method taking `(path, method_router)`.
    pub register_method: Option<String>,
    /// Rust: method-router functions (`post(h)`) → HTTP method.
    #[serde(default)]
    pub router_fns: BTreeMap<String, String>,
    pub filter_fn: Option<String>,
    pub filter_type: Option<String>,
    /// Rust: typed routing methods (`typed_post(h)`) → HTTP method.
    #[serde(default)]
    pub typed_methods: BTreeMap<String, String>,
    /// JS: receiver names that are an app or router whatever the file shows (`app`), compared
    /// case-insensitively, and name endings that mark one (`usersRouter`).
    #[serde(default)]
    pub router_names: Vec<String>,
    #[serde(default)]
    pub router_suffixes: Vec<String>,
    /// JS: `fastify.route({ method: 'POST', url, handler })`: the registering call and the keys
    /// of its options object.
    pub route_object: Option<RouteObject>,
    /// JS: method decorators on a class method (`@Post()` → `POST`).
    #[serde(default)]
    pub decorators: BTreeMap<String, String>,
    /// JS: the status a method decorator's handler answers when no decorator sets one
    /// (NestJS `@Post()` 201, the others 200): its implicit status, with what it returns as the
    /// body.
    #[serde(default)]
    pub decorator_statuses: BTreeMap<String, u16>,
    /// JS: exported function names that declare the method (Next.js `export function POST`).
    #[serde(default)]
    pub exported_names: BTreeMap<String, String>,
    /// JS: without an import of the framework, an exported name counts when the function's
    /// first parameter has one of these types (`POST(request: Request)`).
    #[serde(default)]
    pub exported_request_types: Vec<String>,
    /// JS: parameter decorators that hand the handler the platform response (`@Res()`), after
    /// which what the method returns is not the body.
    #[serde(default)]
    pub response_param_decorators: Vec<String>,
    /// JS: a call whose first argument names the methods (Hono `app.on('POST', path, h)`).
    pub method_arg_call: Option<String>,
    /// JS: registrations may name the route first (@koa/router `router.get('user', path, h)`).
    #[serde(default)]
    pub named_routes: bool,
    /// JS: a branch on the request's method proves it inside the branch
    /// (`if (req.method === 'POST')`, `case 'POST':` of `switch (req.method)`).
    pub method_branches: Option<MethodBranches>,
    /// Rust: attributes on a handler function (`#[post("/x")]`) → HTTP method.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Rust: attributes naming methods by key (`#[route("/x", method = "POST")]`,
    /// poem-openapi `#[oai(path = "/x", method = "post")]`).
    #[serde(default)]
    pub method_attributes: Vec<String>,
    /// Rust: the key of those attributes (`method`).
    #[serde(default)]
    pub method_key: Option<String>,
    /// Rust: methods that attach a handler to a method route built before them
    /// (actix `web::post().to(h)`); the route's method comes from `router_fns` called without
    /// arguments or from `filter_fn` with one argument in the receiver chain.
    #[serde(default)]
    pub handler_methods: Vec<String>,
    /// Rust: filter-chain methods whose argument handles what the chain matched (warp
    /// `.and_then(h)`, `.map(h)`); the method comes from `filter_fns` in the chain.
    #[serde(default)]
    pub chain_handler_methods: Vec<String>,
    /// Rust: method filters (warp `warp::post()`) → HTTP method; a call only counts when its
    /// path starts with `filter_crate` or the name is imported from it.
    #[serde(default)]
    pub filter_fns: BTreeMap<String, String>,
    #[serde(default)]
    pub filter_crate: Option<String>,
    /// Rust: calls that start a per-path resource whose methods named in `router_fns` take a
    /// handler (actix `web::resource("/x").post(h)`, resource.rs:399-405).
    #[serde(default)]
    pub resource_fns: Vec<String>,
}

/// Which expressions name the request's method: `<request>.<property>`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodBranches {
    pub request_names: Vec<String>,
    pub property: String,
}

/// A registration by options object: `fastify.route({ method, url, handler })`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteObject {
    pub call: String,
    pub method_key: String,
    pub path_key: String,
    pub handler_key: String,
}

/// A family of named status constants (`StatusCode::FOUND`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstantFamily {
    pub id: String,
    /// The type or namespace before the name (`StatusCode`).
    pub type_name: String,
    /// The registry column holding each code's name in this family.
    pub registry_column: Option<String>,
    /// Extra or overriding names (name → code).
    #[serde(default)]
    pub names: BTreeMap<String, u16>,
    /// How a code is written in this family, `{name}` replaced.
    pub spelling: String,
    /// Whether a file must import the table's framework for the family to be read: a common
    /// type name such as Rocket's `Status` is not proof on its own.
    #[serde(default)]
    pub requires_import: bool,
    /// When non-empty, the inclusive code ranges a bare constant returned as the response
    /// actually sends; others are not sent as written (Rocket's `Status` responder answers a
    /// 3xx or 206+ with 500), so the site only mentions the code.
    #[serde(default)]
    pub bare_sends: Vec<[u16; 2]>,
}

/// Helpers whose name implies a code (`Redirect::to` = 303).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelperFamily {
    pub id: String,
    pub type_name: String,
    pub sets_header: Option<String>,
    pub codes: BTreeMap<String, u16>,
    /// Methods chained on the helper that change its code (actix `Redirect::to(u).see_other()`).
    #[serde(default)]
    pub modifiers: BTreeMap<String, u16>,
    /// Whether the helper starts a builder whose chain is the response, with its headers and
    /// body (actix `HttpResponse::Found().insert_header(..).finish()`).
    #[serde(default)]
    pub builder: bool,
    /// Whether a file must import the table's framework for the helper to be read (Rocket's
    /// `Created::new` is a common name).
    #[serde(default)]
    pub requires_import: bool,
    /// For builder helpers: how a header is added right after the helper call (actix
    /// `.insert_header(("{name}", "{value}"))` after `HttpResponse::Found()`).
    #[serde(default)]
    pub header_insert: Option<String>,
}

/// A constructor whose argument is a numeric status (`StatusCode::from_u16(n)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCtor {
    pub path: String,
    pub arg: usize,
}

/// A method whose argument plays a role (`.status(x)`, `.body(b)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgMethod {
    pub method: String,
    pub arg: usize,
    /// Whether the receiver of the method is the response's body (actix and poem
    /// `Json(x).with_status(..)`).
    #[serde(default)]
    pub receiver_is_body: bool,
    /// Rust, status methods: how a header is added right after the call (`.header("{name}",
    /// "{value}")` after `.status(..)`), for "add the header" fixes. The table of a framework
    /// the file imports wins over the http crate's.
    #[serde(default)]
    pub header_insert: Option<String>,
}

/// A method that sets a header named by an argument (`.header(LOCATION, v)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMethod {
    pub method: String,
    pub name_arg: usize,
}

/// All tables, parsed once.
#[derive(Debug)]
pub struct Tables {
    pub frameworks: Vec<Framework>,
}

impl Tables {
    /// The embedded tables. They are checked by tests at build time, so a parse failure here is
    /// a build defect; it is reported and the table skipped rather than taking the process down.
    pub fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut frameworks = Vec::new();
            for (file, text) in EMBEDDED {
                match toml::from_str::<Framework>(text) {
                    Ok(framework) => frameworks.push(framework),
                    Err(err) => eprintln!("http-status-ls: bad embedded table {file}: {err}"),
                }
            }
            Tables { frameworks }
        })
    }

    /// The tables for one language family (`"js"` or `"rust"`).
    pub fn for_language<'a>(&'a self, language: &'a str) -> impl Iterator<Item = &'a Framework> {
        self.frameworks
            .iter()
            .filter(move |framework| framework.language == language)
    }

    /// A constant family by id, from any table.
    pub fn constant_family(&self, id: &str) -> Option<&ConstantFamily> {
        self.frameworks
            .iter()
            .flat_map(|framework| &framework.constant_families)
            .find(|family| family.id == id)
    }

    /// A helper family by id, from any table.
    pub fn helper_family(&self, id: &str) -> Option<&HelperFamily> {
        self.frameworks
            .iter()
            .flat_map(|framework| &framework.helper_families)
            .find(|family| family.id == id)
    }

    /// The member of a helper family, or of a family of calls with fixed statuses, that sends
    /// `code` (`SeeOther` for actix's 303, `ForbiddenException` for NestJS's 403).
    pub fn family_member(&self, id: &str, code: u16) -> Option<&str> {
        if let Some(family) = self.helper_family(id) {
            return family
                .codes
                .iter()
                .find(|(_, value)| **value == code)
                .map(|(name, _)| name.as_str());
        }
        self.frameworks
            .iter()
            .flat_map(|framework| framework.calls.iter().chain(&framework.constructors))
            .find(|call| call.family.as_deref() == Some(id) && call.implicit_status == Some(code))
            .map(|call| call.method.as_str())
    }

    /// A framework's display name, for messages ("302 Found (Express default)").
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.frameworks
            .iter()
            .find(|framework| framework.id == id)
            .map_or(id, |framework| framework.display.as_str())
    }
}

/// Literals of which a file must contain at least one to hold a status site: the names of
/// status-setting calls, properties, constant types and helpers across every table. The CLI
/// parses no file without one (ripgrep-fast skipping of the rest).
pub fn status_literals() -> Vec<String> {
    let tables = Tables::get();
    let mut literals = Vec::new();
    for framework in &tables.frameworks {
        for call in &framework.calls {
            if call.status_arg.is_some()
                || call.redirect.is_some()
                || call.init_arg.is_some()
                || call.implicit_status.is_some()
            {
                literals.push(format!(".{}(", call.method));
            }
        }
        literals.extend(
            framework
                .constructors
                .iter()
                .map(|c| format!("{}(", c.method)),
        );
        literals.extend(
            framework
                .decorator_calls
                .iter()
                .map(|c| format!("@{}(", c.method)),
        );
        literals.extend(framework.functions.iter().map(|f| {
            // A module whose export is the function is called under any local name: the
            // module's own name is what the file must contain.
            if f.method == "default" {
                framework
                    .detect
                    .imports
                    .first()
                    .cloned()
                    .unwrap_or_default()
            } else {
                format!("{}(", f.method)
            }
        }));
        literals.extend(
            framework
                .assignments
                .iter()
                .map(|a| format!(".{}", a.property)),
        );
        let separator = if framework.language == "js" {
            "."
        } else {
            "::"
        };
        literals.extend(
            framework
                .constant_families
                .iter()
                .map(|f| format!("{}{separator}", f.type_name)),
        );
        literals.extend(
            framework
                .helper_families
                .iter()
                .map(|f| format!("{}::", f.type_name)),
        );
        literals.extend(
            framework
                .status_ctors
                .iter()
                // `Status::new(`, not `new`: the type keeps the literal selective.
                .map(|c| {
                    let segments: Vec<&str> = c.path.rsplit("::").take(2).collect();
                    let tail: Vec<&str> = segments.into_iter().rev().collect();
                    format!("{}(", tail.join("::"))
                }),
        );
        literals.extend(
            framework
                .status_methods
                .iter()
                .map(|m| format!(".{}(", m.method)),
        );
        literals.extend(framework.status_fns.iter().map(|f| format!("{}(", f.path)));
        // `#[oai(status = 201)]` on a response type, `#[catch(404)]` on a catcher.
        literals.extend(
            framework
                .status_attributes
                .iter()
                .map(|a| format!("#[{}(", a.attribute))
                .chain(
                    framework
                        .catcher_attributes
                        .iter()
                        .map(|a| format!("#[{a}(")),
                ),
        );
    }
    // A body wrapper around a literal object (`Json(json!({..}))`) sends an implicit status;
    // the `json!` macro is what makes the object literal.
    let wraps = |f: &Framework| f.language == "rust" && f.body_wrapper_status.is_some();
    if tables.frameworks.iter().any(wraps) {
        literals.push("json!(".to_string());
    }
    literals.sort();
    literals.dedup();
    literals
}

/// Literals of which a file must contain at least one to register a route (`.post(`,
/// `.route(`, `post(`): with a handler's name, what makes a file worth parsing for the
/// cross-file index.
pub fn route_literals() -> Vec<String> {
    let mut literals = Vec::new();
    for framework in &Tables::get().frameworks {
        let Some(routes) = &framework.routes else {
            continue;
        };
        literals.extend(routes.methods.keys().map(|name| format!(".{name}(")));
        literals.extend(routes.chain_start.iter().map(|name| format!(".{name}(")));
        literals.extend(
            routes
                .register_method
                .iter()
                .map(|name| format!(".{name}(")),
        );
        literals.extend(routes.typed_methods.keys().map(|name| format!(".{name}(")));
        literals.extend(routes.route_object.iter().map(|r| format!(".{}(", r.call)));
        literals.extend(routes.decorators.keys().map(|name| format!("@{name}(")));
        literals.extend(routes.exported_names.keys().cloned());
        literals.extend(
            routes
                .method_arg_call
                .iter()
                .map(|name| format!(".{name}(")),
        );
        // warp chains end in `.map(h)`, too common to mean anything; they need `warp::post()`.
        literals.extend(routes.filter_crate.iter().map(|name| format!("{name}::")));
        literals.extend(routes.resource_fns.iter().map(|name| format!("{name}(")));
    }
    literals.sort();
    literals.dedup();
    literals
}

/// Framework detection decided by configuration rather than by the file's imports: `true`
/// treats a file as if it imported the framework (a handler module that receives `res` from a
/// router defined elsewhere), `false` ignores the framework in the file (its status sites are
/// not reported). Keys are framework table ids (`express`, `axum`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameworkOverrides {
    /// Table id → forced on (`true`) or off (`false`).
    pub frameworks: std::collections::BTreeMap<String, bool>,
}

impl FrameworkOverrides {
    /// Whether any framework is forced off (responses then need filtering).
    pub fn turns_any_off(&self) -> bool {
        self.frameworks.values().any(|on| !on)
    }

    /// Whether the table `id` is forced off.
    pub fn is_off(&self, id: &str) -> bool {
        self.frameworks.get(id) == Some(&false)
    }

    /// Adjusts the frameworks an extractor detected from imports (`language` is the tables'
    /// `"js"` or `"rust"`). Forcing a framework on detects every table of the language that the
    /// framework's imports would (`axum` also brings the `http` crate's `StatusCode` table);
    /// forcing it off removes only that table.
    pub fn apply(&self, detected: &mut Vec<String>, language: &str) {
        if self.frameworks.is_empty() {
            return;
        }
        let tables: Vec<&crate::Framework> = crate::Tables::get().for_language(language).collect();
        for (id, on) in &self.frameworks {
            if !on {
                continue;
            }
            let Some(forced) = tables.iter().find(|table| &table.id == id) else {
                continue;
            };
            for table in &tables {
                let same = &table.id == id
                    || table
                        .detect
                        .imports
                        .iter()
                        .any(|import| forced.detect.imports.contains(import));
                if same && !self.is_off(&table.id) && !detected.contains(&table.id) {
                    detected.push(table.id.clone());
                }
            }
        }
        detected.retain(|id| !self.is_off(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_table_parses() {
        for (file, text) in EMBEDDED {
            if let Err(err) = toml::from_str::<Framework>(text) {
                panic!("{file}: {err}");
            }
        }
    }

    #[test]
    fn every_table_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../grammars-config/frameworks");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("frameworks dir")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(f, _)| f.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
