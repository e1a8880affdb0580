//! The language-neutral model of what a file says about HTTP responses.
//!
//! Facts are what every rule reads, so that a rule is written once for every framework.
//! They are plain data with byte ranges into the file's text: no tree-sitter nodes, no LSP
//! positions and no serde derives (serialisable views live in the adapters).

pub mod condition;
pub mod contract;
pub mod language;
pub mod project;
pub mod shift;

pub use condition::{
    Comparison, Condition, Failure, Literal, Operand, Path, Pattern, PatternKind, Step, Test, Words,
};
pub use contract::{DeclaredKey, DeclaredResponses, HandlerRoute, KeyPlace, RouteContract};
pub use language::{Family, Language};
pub use project::{
    Argument, CallForm, CredentialCheck, HelperBody, HelperCall, HelperStatus, ResponseHelper,
};

use std::ops::Range;
use std::path::PathBuf;

/// A half-open byte range into the analysed text.
pub type ByteRange = Range<usize>;

/// An HTTP request method as a handler is registered for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Trace,
    Connect,
}

impl Method {
    /// Parses a method name in any case (`post`, `POST`), the way tables spell them.
    pub fn parse(name: &str) -> Option<Method> {
        let method = match name.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" | "DEL" => Method::Delete,
            "OPTIONS" => Method::Options,
            "TRACE" => Method::Trace,
            "CONNECT" => Method::Connect,
            _ => return None,
        };
        Some(method)
    }

    /// The method's canonical upper-case name, as messages print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Connect => "CONNECT",
        }
    }

    /// Safe methods (RFC 9110 §9.2.1) are the ones a 301/302 redirect cannot harm.
    pub fn is_safe(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Options | Method::Trace
        )
    }
}

/// Everything extracted from one file.
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// Frameworks recognised in this file (from imports), by table id.
    pub frameworks: Vec<String>,
    /// Functions that send responses or are registered as route handlers.
    pub handlers: Vec<Handler>,
    /// Route registrations found in this file (`app.post('/x', h)`, `.route("/x", post(h))`).
    pub registrations: Vec<RouteRegistration>,
    /// Names bound by imports, so a registration can name the file its handler lives in.
    pub imports: Vec<Import>,
    /// Every response whose status this file sets or mentions.
    pub responses: Vec<Response>,
    /// Calls in handlers that the project's own functions may answer (see [`HelperCall`]).
    pub helper_calls: Vec<HelperCall>,
    /// This file's functions that send a response when called, summarised from the facts above
    /// by the workspace crate (`hsl_workspace::summarise_helpers`) once the file is read; the
    /// syntax layer leaves it empty.
    pub helpers: Vec<ResponseHelper>,
    /// This file's functions that read an HTTP authentication credential for their callers
    /// (see [`CredentialCheck`]).
    pub credential_checks: Vec<CredentialCheck>,
}

/// Index of a handler in [`FileFacts::handlers`].
pub type HandlerId = usize;

/// A function that may serve a request.
#[derive(Clone, Debug)]
pub struct Handler {
    /// The name other files use to register it; `None` for an inline closure.
    pub name: Option<String>,
    /// The whole function, for "which handler is this site in".
    pub range: ByteRange,
    /// The name (or the function head for anonymous ones), where related information points.
    pub name_range: ByteRange,
    /// Methods proven from syntax in this file (attribute, decorator, exported name, inline
    /// registration). Registrations by name are resolved later by the workspace index.
    pub methods: Vec<MethodEvidence>,
    /// The words of its body, each list sorted and without repeats: the names it reads
    /// (`authorization`, `session`), its strings and the functions it calls (a validator's
    /// `safeParse`, a token's `verify`). Rules read what a handler works with from them.
    pub words: Words,
    /// The error type this function turns into responses, when it is the conversion method of
    /// such an impl (`AppError` for `fn into_response` in `impl IntoResponse for AppError`), or
    /// a free function matching its one parameter of that type (`fn to_response(e: TcpError)`,
    /// whose parameter is then its one entry in `params`): its responses are what a returned
    /// `AppError::…` sends.
    pub error_type: Option<String>,
    /// The file's aliases of `Result` whose error is `error_type`, when this is a conversion
    /// method (`PageResult` for `type PageResult<T> = Result<T, PageError>` beside `impl
    /// ResponseError for PageError`): a handler that returns one returns that error type, and
    /// what its `?` lets out is answered by this conversion, so the handler lends it its
    /// methods as one returning `Result<T, PageError>` does.
    pub error_aliases: Vec<String>,
    /// Whether this "handler" is a response type rather than a function: an enum or struct
    /// whose variants declare their statuses in attributes (poem-openapi `ApiResponse`, Rocket
    /// `Responder`). It stands in as a handler so that the endpoints returning it give it their
    /// methods; its statuses are numbers in attributes, which take nothing else.
    pub response_type: bool,
    /// Whether the function is its module's default export (`module.exports = function ..`,
    /// `export default function ..`): a file that imports the module binds it under a name of
    /// its own, so a registration names it by that name.
    pub default_export: bool,
    /// The responses the code declares for it beside it (an in-code contract), when it
    /// declares any.
    pub declared: Option<DeclaredResponses>,
    /// Where an answer may leave the function that its body does not spell: each `throw`
    /// statement (JavaScript) and each `?` (Rust). A rule that needs every status a handler
    /// can send asks whether a known status accounts for each of them.
    pub escapes: Vec<ByteRange>,
    /// Whether the function belongs to an authentication library's strategy (a method or a
    /// token extractor of `class X extends PassportStrategy(..)`): it checks the request's
    /// credential and nothing else, so what it finds missing is the credential or what it
    /// names, whatever the project calls it (`payload`, `profile`).
    pub authenticates: bool,
    /// The names of its parameters in order, an empty name for one that is a pattern: a
    /// helper that sends a parameter as its body (`function json(data) { return
    /// Response.json(data) }`) sends, at each call, what the caller passes there.
    pub params: Vec<String>,
    /// The names its body binds to a computed value (`const parsed = schema.safeParse(row)`),
    /// in source order: a rule follows a value back to where it came from (the request, the
    /// database, another server) through them. Empty for languages that do not record them.
    pub bindings: Vec<Binding>,
    /// The calls its body makes, each with the collection it runs once per entry of, when it
    /// does (`for (const tag in tags) addTag(tag)`, `items.forEach(item => insert(item))`): a
    /// rule tells one write from one per entry of the request through them. Empty for
    /// languages that do not record them.
    pub body_calls: Vec<BodyCall>,
    /// Whether it runs in a browser: its file reads a member of a global only a browser has
    /// (`window.__TAURI__`) and never tests such a global with `typeof`. A response it builds
    /// answers the page's own code, not a request.
    pub in_browser: bool,
    /// The path the type of its first parameter declares, when that type is a struct of the
    /// same file with a typed-path attribute (axum-extra `#[typed_path("/items/:id")] struct
    /// ItemPath;` taken by `async fn show(path: ItemPath)`): a typed registration
    /// (`.typed_get(show)`) names no path of its own and serves this one.
    pub typed_path: Option<String>,
}

/// A name bound to the value of an expression in a handler's body (`const rows = await
/// db.select().from(monitors)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    /// The words of the bound expression: the names it reads and the functions it calls.
    pub value: Words,
    /// The plain names passed to the expression's outermost call (`row` in
    /// `schema.safeParse(row)`), `await` looked through; empty when it is not a call.
    pub arguments: Vec<String>,
}

/// A call in a handler's body, by the last name of what it calls (`addModuleTag` for
/// `packageService.addModuleTag(..)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyCall {
    pub name: String,
    /// The words of the collection a loop or a per-entry callback around the call walks
    /// (`tags` in `for (var tag in tags)`, `req.body.items` in `req.body.items.map(..)`); `None`
    /// for a call made once.
    pub per_entry_of: Option<Words>,
}

/// A method together with the place in the code that proves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodEvidence {
    pub method: Method,
    /// How the method was learned; messages and related information say it.
    pub source: MethodSource,
    /// The registration, attribute or name that proves the method.
    pub range: ByteRange,
    /// The path an attribute or decorator names with the method (`#[get("/notes/<id>")]`,
    /// NestJS `@Get(':id')` joined to its `@Controller('orders')`), as written: the route the
    /// handler serves, before the mounts the workspace index adds. `None` for other evidence.
    pub path: Option<String>,
    /// The name a mount names to serve this route when it is not the function's own: the type
    /// of the impl block whose endpoints are mounted together (poem-openapi `.nest("/api",
    /// OpenApiService::new(Api, ..))` serves the methods of `#[OpenApi] impl Api`).
    pub mounted_as: Option<String>,
    /// Whether the route is served only where a mount names it (a Rocket route function that
    /// no `routes![..]` of a `.mount(..)` lists is never served).
    pub needs_mount: bool,
}

/// How a handler's method was learned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodSource {
    /// A route registration call (`app.post(...)`, `.route("/x", post(h))`).
    Registration,
    /// An attribute or decorator on the function (`#[post]`, `@Post()`).
    Attribute,
    /// The function's exported name (Next.js `export function POST`).
    ExportedName,
    /// A branch on the request's method (`if (req.method === 'POST') { … }`); the handler is
    /// the branch.
    Branch,
}

/// A call that registers handlers for methods on a path, or mounts a router under a prefix.
#[derive(Clone, Debug)]
pub struct RouteRegistration {
    pub methods: Vec<Method>,
    /// The route path when it is a literal; for a mount, its prefix.
    pub path: Option<String>,
    pub handler: HandlerRef,
    /// The registration call (or the method part of a chain), for related information.
    pub range: ByteRange,
    /// The router this registration adds to, as a mount elsewhere names it, so that the mount's
    /// prefix reaches it: in JavaScript the receiver (`router` in `router.get(..)`), in Rust the
    /// function that builds the router (`cart_routes`). `None` when the syntax shows none.
    pub scope: Option<String>,
    pub kind: RegistrationKind,
    /// The responses the registration's options declare for the route (Fastify
    /// `schema: { response: { 201: .. } }`): an in-code contract, when it has one.
    pub declared: Option<DeclaredResponses>,
}

/// What a [`RouteRegistration`] adds to the application's routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationKind {
    /// The handler serves `methods` on `path`.
    Route,
    /// The router `handler` names (a router variable, an imported module, a function that builds
    /// a router) is mounted under the prefix `path` (`app.use('/api', api)`, `.nest("/cart",
    /// cart_routes())`); it proves no method.
    Router,
    /// The handler, whose attribute names its method and path, is mounted under the prefix
    /// `path` (Rocket `mount("/api", routes![list])`).
    Handler,
    /// The application is built here (Rocket `rocket::build()`, `#[launch]`): the project's
    /// mounts are in sight, so a route that needs a mount and has none is not served. It names
    /// nothing and proves nothing.
    AppRoot,
}

impl RouteRegistration {
    /// Whether this registration serves requests itself, rather than mounting others.
    pub fn is_route(&self) -> bool {
        self.kind == RegistrationKind::Route
    }
}

/// How a registration names its handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerRef {
    /// A function written inline in the registration.
    Inline(HandlerId),
    /// A path of names: `create`, `users.create`, `handlers::users::create`.
    Named(Vec<String>),
}

/// A local name bound by an import (`import * as users from './users'`, `use crate::h::create`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub local: String,
    /// The module specifier (`./handlers/users`) or Rust path (`crate::handlers`), without the
    /// imported item itself.
    pub module: String,
    /// The item imported from the module, `None` when the whole module is bound.
    pub item: Option<String>,
    /// The named specifier (`UnauthorizedException` in `import { UnauthorizedException } from
    /// ..`), where a fix that switches to a sibling name adds that name beside it.
    pub specifier: Option<ByteRange>,
}

/// One response construction, with its status and whatever the syntax shows of it.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: StatusSite,
    /// Headers set on the same response, lower-cased names.
    pub headers: Vec<HeaderFact>,
    /// Whether the syntax shows every header this code sets on the response: no header map
    /// from a variable, no spread, no response bound to a name and changed out of sight.
    /// Rules about a missing header fire only when this holds. Headers set by middleware are
    /// never visible; that limit is documented by each rule.
    pub headers_complete: bool,
    /// Where a header can be added to this response in the site's idiom; the template has
    /// `{name}` and `{value}` (`.set('{name}', '{value}')` after `res.status(405)`).
    pub header_insert: Option<Insertion>,
    pub body: Body,
    pub context: Context,
    /// The handler this response is sent from, when the syntax shows one.
    pub handler: Option<HandlerId>,
    /// Whether the status is being set (`res.status(302)`) or only mentioned (`==`, macros).
    pub role: SiteRole,
    /// The same response sent without its body, in the site's idiom (`.json(x)` → `.end()`),
    /// when the syntax allows it.
    pub without_body: Option<Replacement>,
}

/// A replacement of source text, spelled by the syntax layer in the site's idiom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub range: ByteRange,
    pub text: String,
}

/// Whether a status is set on a response or only named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteRole {
    Sets,
    Mentions,
}

/// Where a status code appears, and how it is spelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSite {
    /// The code, when the syntax makes it known.
    pub code: Option<u16>,
    pub spelling: Spelling,
    /// The range a diagnostic underlines and a hover answers on.
    pub range: ByteRange,
    /// The framework table that recognised the site (its idiom spells fixes).
    pub framework: String,
}

/// How a status is written; fixes keep the spelling family of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// A bare number: `res.status(302)`.
    Number,
    /// A named constant: `StatusCode::FOUND`; `name_range` covers `FOUND`.
    Constant {
        family: String,
        name: String,
        name_range: ByteRange,
    },
    /// A helper whose name implies the code: `Redirect::to(..)`, `HttpResponse::Found()`.
    Helper {
        family: String,
        name: String,
        name_range: ByteRange,
    },
    /// A call of a function of the project that sends the code: `return unauthorized()` where
    /// `unauthorized` builds a `401`, `new ApiError("x", 401)`. The workspace index makes these
    /// from [`HelperCall`]s; a fix belongs in the helper, not at the call.
    ProjectHelper {
        /// The function's name.
        name: String,
        /// Where it is defined, when the index knows the definition.
        defined: Option<Location>,
    },
    /// A helper called without a code that sends its default: `res.redirect(url)`.
    ImplicitDefault {
        helper: String,
        /// Where an explicit code is inserted and how (`303, ` before the first argument).
        insert: Option<Insertion>,
    },
}

/// A place and a template (`{code}` is replaced) for writing an explicit code into a helper call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub at: usize,
    pub template: String,
}

impl Response {
    /// A status site the syntax knows nothing else of: no header seen (and the list not known
    /// to be complete), an unknown body, no branch context.
    pub fn bare(status: StatusSite, handler: Option<usize>, role: SiteRole) -> Response {
        Response {
            status,
            headers: Vec::new(),
            headers_complete: false,
            header_insert: None,
            body: Body::Unknown,
            context: Context::default(),
            handler,
            role,
            without_body: None,
        }
    }

    /// Whether the syntax shows `name` (lower-case) set on this response.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|header| header.name == name)
    }

    /// Whether the response is proven to lack `name`: its headers are all visible and none is
    /// `name`.
    pub fn lacks_header(&self, name: &str) -> bool {
        self.headers_complete && !self.has_header(name)
    }
}

/// A header set on a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderFact {
    /// Lower-cased header name (`location`).
    pub name: String,
    pub range: ByteRange,
}

/// What the syntax shows of a response's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// Not visible from the syntax; rules stay silent.
    Unknown,
    /// The response is finished without a body (`res.end()`, `.finish()`, a bare `StatusCode`).
    None,
    /// A body that is present but empty (`""`, `()`).
    Empty,
    /// A literal object, with its keys and values.
    Object(ObjectLiteral),
    /// A body whose content is not known, but which is there; its words (the strings of
    /// `Json(json!({ "error": "not found" }))`) are what rules may read of it.
    Opaque { range: ByteRange, words: Words },
}

impl Body {
    /// Whether the syntax proves content is sent.
    pub fn has_content(&self) -> bool {
        matches!(self, Body::Object(_) | Body::Opaque { .. })
    }

    /// The range of the body expression, when there is one to point at or remove.
    pub fn range(&self) -> Option<ByteRange> {
        match self {
            Body::Object(object) => Some(object.range.clone()),
            Body::Opaque { range, .. } => Some(range.clone()),
            _ => None,
        }
    }
}

/// A literal object body (`{ error: "x" }`, `json!({ "ok": false })`).
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectLiteral {
    pub range: ByteRange,
    pub entries: Vec<(String, LiteralValue)>,
}

/// The value of a literal object's entry, as far as rules care.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralValue {
    Null,
    Bool(bool),
    String(String),
    Number,
    /// A bare variable (`{ err }`, `error: e`): whether it holds a failure depends on where
    /// the response is sent (a `catch` binding does, a Node-style callback's `err` may be null).
    Variable(String),
    Other,
}

/// Where in the handler's control flow a response is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Inside a `catch` block (or a promise's `.catch(..)` callback).
    pub in_catch: bool,
    /// Inside an `Err(_)` match arm, an `if let Err(_)` block, a `let Ok(_) = .. else` block or
    /// a `.map_err(..)` closure.
    pub in_err_arm: bool,
    /// The tests that hold where the response is sent: enclosing `if`s and ternaries, match
    /// arms, `if let` / `let … else`, early-return guards before it in the same block, and the
    /// receiver of `.ok_or(..)` / `.map_err(..)`; outermost first, innermost last.
    pub branch_conditions: Vec<Condition>,
    /// The innermost failure handler around the response (`catch`, `Err` arm), so rules can
    /// tell a condition inside it (testing the error's kind) from one around it.
    pub failure: Option<Failure>,
    /// For a status declared on a response type away from where it is sent (a Rust variant
    /// `#[oai(status = 429)] TooManyRequests`): the tests that hold at each place of the same
    /// file that builds the type, one list per place; empty when the status is set where it is
    /// sent or no such place is seen. A rule that asks why a status is sent reads these too.
    pub built_under: Vec<Vec<Condition>>,
}

impl Body {
    /// Whether a literal body reports an error (see [`ObjectLiteral::error_marker`]). Shared by
    /// the rules that must agree on what an error body is (`error-body-on-success`,
    /// `success-in-error-handler`).
    pub fn marks_error(&self) -> bool {
        matches!(self, Body::Object(object) if object.error_marker(&[]).is_some())
    }
}

impl ObjectLiteral {
    /// The entry that marks this body as an error, as a message shows it: `success: false`,
    /// `ok: false`, a non-empty `error` / `errors` / `err`, `status: "error" | "fail" |
    /// "failed"`. `None` when the body also claims success (`ok: true`) or every error entry is
    /// empty (`null`, `false`, `""`) or a number (`errors: errors.length`: a batch's tally of
    /// failures, which may be none). Error keys named in `unproven` (bare variables nothing
    /// proves set) do not count.
    pub fn error_marker(&self, unproven: &[String]) -> Option<String> {
        let claims_success = self.entries.iter().any(|(key, value)| {
            matches!(key.as_str(), "success" | "ok") && *value == LiteralValue::Bool(true)
        });
        if claims_success {
            return None;
        }
        self.entries
            .iter()
            .find_map(|(key, value)| match (key.as_str(), value) {
                ("success" | "ok", LiteralValue::Bool(false)) => Some(format!("{key}: false")),
                (
                    "error" | "errors" | "err",
                    LiteralValue::Null | LiteralValue::Bool(false) | LiteralValue::Number,
                ) => None,
                ("error" | "errors" | "err", LiteralValue::String(text)) if text.is_empty() => None,
                ("error" | "errors" | "err", _) if unproven.contains(key) => None,
                ("error" | "errors" | "err", _) => Some(format!("{key}: …")),
                ("status", LiteralValue::String(text))
                    if matches!(text.as_str(), "error" | "fail" | "failed") =>
                {
                    Some(format!("status: \"{text}\""))
                }
                _ => None,
            })
    }
}

/// Where a related note points: this file or another one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// `None` for the analysed file.
    pub path: Option<PathBuf>,
    pub range: ByteRange,
}

/// A method of a handler, with the place that proves it (possibly in another file): what the
/// workspace index resolves and the rules read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedMethod {
    pub method: Method,
    pub source: MethodSource,
    pub location: Location,
}
