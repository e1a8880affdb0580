//! How a table's routes declare their methods: registration calls, method routers, filters,
//! decorators, attributes, exported names and branches on the request's method.

use std::collections::BTreeMap;

use hsl_facts::Method;
use serde::Deserialize;

use crate::values;

/// How routes and their methods are declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    /// JS: registration method names → HTTP method (`post` → `POST`).
    #[serde(default, deserialize_with = "values::methods")]
    pub methods: BTreeMap<String, Method>,
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
    #[serde(default, deserialize_with = "values::methods")]
    pub router_fns: BTreeMap<String, Method>,
    pub filter_fn: Option<String>,
    pub filter_type: Option<String>,
    /// Rust: typed routing methods (`typed_post(h)`) → HTTP method.
    #[serde(default, deserialize_with = "values::methods")]
    pub typed_methods: BTreeMap<String, Method>,
    /// Rust: the attribute on a struct that names the path a typed route serves (axum-extra
    /// `#[typed_path("/items/:id")] struct ItemPath;`): a handler whose first parameter is that
    /// struct serves that path when a typed method registers it.
    pub typed_path_attribute: Option<String>,
    /// JS: receiver names that are an app or router whatever the file shows (`app`), compared
    /// case-insensitively, and name endings that mark one (`usersRouter`).
    #[serde(default)]
    pub router_names: Vec<String>,
    #[serde(default)]
    pub router_suffixes: Vec<String>,
    /// JS: `fastify.route({ method: 'POST', url, handler })`: the registering call and the keys
    /// of its options object.
    pub route_object: Option<RouteObject>,
    /// JS: a route defined as a value, then registered with its handler (see
    /// [`RouteDefinition`]).
    pub route_definition: Option<RouteDefinition>,
    /// JS: method decorators on a class method (`@Post()` → `POST`).
    #[serde(default, deserialize_with = "values::methods")]
    pub decorators: BTreeMap<String, Method>,
    /// JS: the status a method decorator's handler answers when no decorator sets one
    /// (NestJS `@Post()` 201, the others 200): its implicit status, with what it returns as the
    /// body.
    #[serde(default)]
    pub decorator_statuses: BTreeMap<String, u16>,
    /// JS: exported function names that declare the method (Next.js `export function POST`).
    #[serde(default, deserialize_with = "values::methods")]
    pub exported_names: BTreeMap<String, Method>,
    /// JS: without an import of the framework, an exported name counts when the function's
    /// first parameter has one of these types (`POST(request: Request)`).
    #[serde(default)]
    pub exported_request_types: Vec<String>,
    /// JS: parameter decorators that hand the handler the platform response (`@Res()`), after
    /// which what the method returns is not the body.
    #[serde(default)]
    pub response_param_decorators: Vec<String>,
    /// JS: parameter decorators that hand the handler a part of the request (`@Param('id')`,
    /// `@Body()`): calls in a handler's signature that send nothing themselves.
    #[serde(default)]
    pub request_param_decorators: Vec<String>,
    /// JS: a call whose first argument names the methods (Hono `app.on('POST', path, h)`).
    pub method_arg_call: Option<String>,
    /// JS: a call that names the path, then the methods in any case, then the middleware, one
    /// function or an array (@koa/router `router.register(path, ['get', 'post'], [mw, h])`).
    pub path_methods_call: Option<String>,
    /// JS: registrations may name the route first (@koa/router `router.get('user', path, h)`).
    #[serde(default)]
    pub named_routes: bool,
    /// JS: a router joins a path to its prefix as written, so on a receiver known to be a router
    /// any string is a path, with or without a leading `/` (@koa/router under `/api/`:
    /// `router.post("documents.list", h)`).
    #[serde(default)]
    pub prefix_relative_paths: bool,
    /// JS: a branch on the request's method proves it inside the branch
    /// (`if (req.method === 'POST')`, `case 'POST':` of `switch (req.method)`).
    pub method_branches: Option<MethodBranches>,
    /// Rust: attributes on a handler function (`#[post("/x")]`) → HTTP method.
    #[serde(default, deserialize_with = "values::methods")]
    pub attributes: BTreeMap<String, Method>,
    /// Rust: attributes naming methods by key (`#[route("/x", method = "POST")]`,
    /// poem-openapi `#[oai(path = "/x", method = "post")]`).
    #[serde(default)]
    pub method_attributes: Vec<MethodAttribute>,
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
    #[serde(default, deserialize_with = "values::methods")]
    pub filter_fns: BTreeMap<String, Method>,
    #[serde(default)]
    pub filter_crate: Option<String>,
    /// Rust: the filter crate's path filters, from which a filter chain's path is read (warp
    /// `warp::path!("todos" / u64)`, `warp::path("todos").and(warp::path::param())`).
    pub path_filters: Option<PathFilters>,
    /// Rust: calls that start a per-path resource whose methods named in `router_fns` take a
    /// handler (actix `web::resource("/x").post(h)`, resource.rs:399-405).
    #[serde(default)]
    pub resource_fns: Vec<String>,
    /// Calls that mount a router under a prefix, the prefix first: `app.use('/api', api)`,
    /// Hono `app.route('/api', sub)` (JS); axum `.nest("/api", api())`, Rocket
    /// `.mount("/api", routes![h])` (Rust). They prove no method; they make route paths whole.
    #[serde(default)]
    pub mount_calls: Vec<String>,
    /// JS: a mount whose prefix is a key of its options object (Fastify
    /// `fastify.register(plugin, { prefix: '/api' })`).
    pub mount_option: Option<MountOption>,
    /// Rust: calls that open a scope whose routes sit under its path (actix
    /// `web::scope("/api").route("/x", ..)`).
    #[serde(default)]
    pub scope_fns: Vec<String>,
    /// JS: the class decorator whose argument prefixes the paths of its methods' decorators
    /// (NestJS `@Controller('orders')` with `@Get(':id')` is `/orders/:id`).
    pub controller_decorator: Option<String>,
    /// JS: decorators that declare a method's responses beside it, on the method or on its
    /// class (`@nestjs/swagger`): an in-code contract the contract rules compare with what the
    /// method sends.
    pub response_decorators: Option<ResponseDecorators>,
    /// JS: where a registration's options object declares the route's responses (Fastify
    /// `{ schema: { response: { 201: .. } } }`): an in-code contract.
    pub response_schema: Option<ResponseSchema>,
    /// Rust: the attribute on a handler function that declares its responses (utoipa
    /// `#[utoipa::path(.., responses((status = 201, ..), ..))]`): an in-code contract.
    pub response_attribute: Option<ResponseAttribute>,
    /// Rust: an impl block whose methods are endpoints served together (poem-openapi
    /// `#[OpenApi(prefix_path = "/v1")] impl Api`), and the service a router mounts them as.
    pub api_impl: Option<ApiImpl>,
    /// Rust: what builds the application whose mounts serve every attribute route (Rocket
    /// `rocket::build()`, `#[launch]`). With it, a route function is served only where a mount
    /// names it.
    pub app_root: Option<AppRoot>,
}

/// The calls and attributes that build the application: in a project where one is in sight,
/// every mount is too, so an attribute route that no mount names is not served.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppRoot {
    /// Calls by their path's last two segments (`rocket::build`).
    pub calls: Vec<String>,
    /// Attributes on the function that returns the application (`launch`).
    pub attributes: Vec<String>,
}

/// An attributed impl block of endpoints: its attribute may put every endpoint under a prefix,
/// and a router serves the endpoints by mounting the service built from the impl's type
/// (`.nest("/api", OpenApiService::new(Api, "Title", "1.0"))`), not by naming them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiImpl {
    /// The attribute on the impl block (`OpenApi`).
    pub attribute: String,
    /// Its key whose string prefixes every endpoint's path (`prefix_path`).
    pub prefix_key: String,
    /// The call that builds the mounted service, by its path's last two segments
    /// (`OpenApiService::new`), and the argument that is the impl's value (`Api`, `(A, B)`).
    pub service: String,
    pub service_arg: usize,
}

/// An attribute that lists a handler's responses: `#[<path>(.., <list_key>((<status_key> =
/// 201, ..), ..))]`. A status is a number, a string (`"4XX"`, `"default"`) or an `http`
/// crate constant (`NOT_FOUND`, `StatusCode::NOT_FOUND`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseAttribute {
    /// The attribute's path as written, segment by segment (`["utoipa", "path"]`).
    pub path: Vec<String>,
    pub list_key: String,
    pub status_key: String,
    /// The constant family type a bare constant (`NOT_FOUND`) belongs to: `StatusCode`.
    pub constant_type: String,
}

/// The keys leading to a route's declared responses in its options object:
/// `<schema_key>: { <responses_key>: { 201: .., '4xx': .., default: .. } }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSchema {
    pub schema_key: String,
    pub responses_key: String,
}

/// Decorators that declare responses: `@ApiResponse({ status: 201 })`, `@ApiNotFoundResponse()`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDecorators {
    /// The decorator whose options object names the status under `status_key`; the value is a
    /// number, a named constant, `'default'` or a class (`'4XX'`).
    pub generic: String,
    pub status_key: String,
    /// Decorators that declare one status by their name (`ApiNotFoundResponse` → 404).
    pub shorthands: BTreeMap<String, u16>,
    /// Decorators that declare the `default` response.
    #[serde(default)]
    pub defaults: Vec<String>,
}

/// The path filters of a filter crate (`filter_crate`): which calls match a segment, a
/// parameter, the end of the path, or leave the rest of it open, and the macro that combines
/// them (`path!("a" / u64)`: a string is a segment, a type a parameter; the path ends there
/// unless the macro ends in `..`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathFilters {
    /// The macro (`path` for `warp::path!`).
    #[serde(rename = "macro")]
    pub macro_name: String,
    /// The function matching one literal segment (`warp::path("todos")`).
    pub segment: String,
    /// The module of the other path filters (`path` for `warp::path::param()`).
    pub module: String,
    /// The function matching one parameter segment (`param`).
    pub param: String,
    /// The function matching the end of the path (`end`).
    pub end: String,
    /// Functions after which the rest of the path is anything (`tail`, `full`, `peek`).
    pub open: Vec<String>,
}

/// A mount whose prefix is a key of an options object: `<call>(router, { <key>: '/api' })`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MountOption {
    pub call: String,
    pub key: String,
}

/// An attribute whose `key = <method>` names a handler's method (`#[route("/x", method =
/// "POST")]`): the shape of [`crate::StatusAttribute`] for methods.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodAttribute {
    pub attribute: String,
    pub key: String,
}

/// Which expressions name the request's method: `<request>.<property>`; and which read its
/// path, so that a branch testing both (`req.url === "/login" && req.method === "POST"`,
/// `(&Method::POST, "/login") =>`) is a route of its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodBranches {
    pub request_names: Vec<String>,
    pub property: String,
    /// The expressions that read the request's path, as written without spaces
    /// (`req.url`, `url.pathname`, `req.uri().path()`). Empty: branches name no path.
    #[serde(default)]
    pub path_reads: Vec<String>,
}

impl MethodBranches {
    /// Whether `expression` (source text) reads the request's path, spaces aside.
    pub fn reads_path(&self, expression: &str) -> bool {
        let compact: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
        self.path_reads.contains(&compact)
    }
}

/// A route defined as a value and registered with its handler: @hono/zod-openapi's
/// `app.openapi(createRoute({ method, path, responses }), handler)`, the definition written in
/// the call or bound to a constant of the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteDefinition {
    /// The function that defines a route from an options object (`createRoute`).
    pub define: String,
    /// The method that registers a definition and its handler (`openapi`).
    pub register: String,
    pub method_key: String,
    /// Its path, in OpenAPI's template form already (`/users/{id}`).
    pub path_key: String,
    /// The responses the route declares, keyed by status (an in-code contract).
    pub responses_key: String,
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
