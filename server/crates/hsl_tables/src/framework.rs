//! One framework's table (`grammars-config/frameworks/<id>.toml`): its identity, how a file
//! shows it uses the framework, and the Rust vocabulary (status constants, helpers, builders,
//! body wrappers). The JS response vocabulary is in `calls.rs`, routes in `routes.rs`.

use std::collections::BTreeMap;

use hsl_facts::Family;
use serde::Deserialize;

use crate::calls::{ResponseCall, ResponseNames, StatusAssignment};
use crate::routes::Routes;
use crate::values::{self, CodeRange, Fixtures, Template, TupleStatus};

/// One framework's table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub display: String,
    /// `"js"` (JavaScript, TypeScript, TSX) or `"rust"`.
    #[serde(deserialize_with = "values::family")]
    pub language: Family,
    /// Where several tables of a language read the same name (`res`, `.status(`), the one with
    /// the lower priority is asked first. Unique within a language, so the order is the
    /// tables' own, not the file system's.
    pub priority: u16,
    /// Whose fixtures cover the table, which decides the frameworks every rule claims.
    #[serde(default)]
    pub fixtures: Fixtures,
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
    /// Types whose values are one header each, by the header they are (Rocket's
    /// `ContentType::JSON` is `Content-Type`), so a chain that adds one names it.
    #[serde(default)]
    pub typed_headers: BTreeMap<String, String>,
    #[serde(default)]
    pub empty_bodies: Vec<String>,
    #[serde(default)]
    pub body_wrappers: Vec<String>,
    /// Values that are a response with a fixed status and no body (axum `NoContent`). No
    /// extractor reads them yet.
    #[serde(default)]
    pub fixed_responses: BTreeMap<String, u16>,
    /// JS: `new Response(body, init)`, `new HTTPException(404)`: constructors that build a
    /// response or an error that becomes one. `method` is the constructor's name.
    #[serde(default)]
    pub constructors: Vec<ResponseCall>,
    /// JS: functions the framework exports that answer the request when called
    /// (`redirect('/x')` from `next/navigation`); `method` is the exported name, `default` the
    /// module's default export.
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
    /// Rust: builder methods that finish a response without a body (actix `.finish()`); the
    /// first is the call a "send no body" fix writes in place of a body method.
    #[serde(default)]
    pub empty_body_methods: Vec<String>,
    /// Rust: where the status stands in a responder tuple (`"first"` or `"last"`).
    #[serde(default)]
    pub responder_tuple_status: Option<TupleStatus>,
    /// Rust: methods whose closure argument computes the value the call returns (`map`).
    #[serde(default)]
    pub closure_adapters: Vec<String>,
    /// Rust: of those, the ones whose closure value is the error a following `?` returns.
    #[serde(default)]
    pub error_adapters: Vec<String>,
    /// Rust: macros whose expansion is a non-empty body (`format!`).
    #[serde(default)]
    pub body_macros: Vec<String>,
    /// Rust: macros whose expansion is a literal object body, read entry by entry (`json!`).
    #[serde(default)]
    pub object_macros: Vec<String>,
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
    pub tuple_header_insert: Option<Template>,
    /// Rust: the status a body wrapper returned on its own sends (axum `Json(x)`: 200).
    #[serde(default)]
    pub body_wrapper_status: Option<u16>,
    /// The range of codes the framework accepts at run time (Fastify 100–599, the Web
    /// `Response` 200–599, node and the `http` crate 100–999); codes outside it are refused
    /// when the response is sent. `None` when the framework does not check.
    #[serde(default)]
    pub accepted_statuses: Option<CodeRange>,
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
    /// When an enum of such variants is also the declared contract of the endpoints that
    /// return it (poem-openapi `#[derive(ApiResponse)]`): how it is marked and read.
    pub contract: Option<ResponseEnumContract>,
}

/// A response enum that is its endpoints' contract: the framework writes exactly its variants'
/// statuses into the API document, so a status the endpoint sends otherwise is undeclared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseEnumContract {
    /// The derive that makes an enum a contract (`ApiResponse`).
    pub derive: String,
    /// The variant key that declares a class of statuses (`status_range = "4XX"`); a variant
    /// with neither this nor the status key is the `default` response.
    pub range_key: String,
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    #[serde(default)]
    pub imports: Vec<String>,
    /// Whether a project whose manifest (`package.json`, `Cargo.toml`) depends on one of the
    /// imports uses the framework in every file. `false` for modules every project has (node's
    /// `http`), globals, and tables that share their module with another (`next`).
    #[serde(default = "yes")]
    pub manifest: bool,
}

impl Default for Detect {
    fn default() -> Detect {
        Detect {
            imports: Vec::new(),
            manifest: true,
        }
    }
}

fn yes() -> bool {
    true
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
    pub spelling: Template,
    /// Whether a file must import the table's framework for the family to be read: a common
    /// type name such as Rocket's `Status` is not proof on its own.
    #[serde(default)]
    pub requires_import: bool,
    /// When non-empty, the code ranges a bare constant returned as the response actually
    /// sends; others are not sent as written (Rocket's `Status` responder answers a 3xx or
    /// 206+ with 500), so the site only mentions the code.
    #[serde(default)]
    pub bare_sends: Vec<CodeRange>,
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
    pub header_insert: Option<Template>,
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
    pub header_insert: Option<Template>,
}

/// A method that sets a header named by an argument (`.header(LOCATION, v)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMethod {
    pub method: String,
    pub name_arg: usize,
}
