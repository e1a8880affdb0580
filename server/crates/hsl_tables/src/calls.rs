//! The JS response vocabulary of a table: the names of the response object, the calls on it
//! (and the constructors, functions and decorators shaped like them), property assignments,
//! and redirect helpers with their defaults.

use serde::Deserialize;

use crate::values::{self, FixedBody, Insertions, KeepsStatus};

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
    /// A body the call always sends (`"none"` or `"opaque"`).
    pub body: Option<FixedBody>,
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
    /// fixes: `after-call:`, `before-method:`, `before-statement:` with a template,
    /// `init-headers` or `headers-arg` ([`crate::InsertionForm`]); `a|b` tries `a` first.
    /// `{name}`, `{value}` are left for the rule.
    #[serde(default, deserialize_with = "values::header_insertions")]
    pub header_insert: Option<Insertions>,
    /// How an explicit status is written when the call sends its implicit default (`{code}`
    /// left for the rule): `after-call:`, `before-method:`, `before-statement:` or `init-arg:`
    /// (a `status` entry in the init object, or the template after the last argument).
    #[serde(default, deserialize_with = "values::status_insertions")]
    pub implicit_insert: Option<Insertions>,
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
    /// Which argument is the status when it is given; `None` when the helper takes no status
    /// (Koa's `ctx.redirect(url)`, Next.js's `redirect(path)`).
    pub status_arg: Option<usize>,
    /// With fewer arguments the default applies.
    pub min_args_for_status: Option<usize>,
    /// Where a fix writes the explicit code: `before-first-arg`, `after-last-arg`,
    /// `before-method:<template>` (a call chained before the helper, Fastify's `code(303).`) or
    /// `before-statement:<template>` (a statement of its own, Koa); absent when no fix can
    /// write one.
    #[serde(default, deserialize_with = "values::redirect_insertions")]
    pub insert: Option<Insertions>,
    /// A status set earlier on the same response that the helper keeps instead of its default.
    pub keeps_status: Option<KeepsStatus>,
    /// Another default under a directive: when the call is in a function, or a file, whose
    /// first statement is the directive (Next.js `redirect()` answers a Server Action's form
    /// post, `"use server"`, with 303).
    pub under_directive: Option<DirectiveDefault>,
}

impl RedirectHelper {
    /// The argument that holds the status when the call has enough arguments to give one.
    pub fn written_status_arg(&self, args: usize) -> Option<usize> {
        let (index, min) = (self.status_arg?, self.min_args_for_status?);
        (args >= min).then_some(index)
    }
}

/// A helper default that holds under a directive (`"use server"`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectiveDefault {
    /// The directive's text, without quotes.
    pub directive: String,
    pub status: u16,
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
    #[serde(default, deserialize_with = "values::statement_insertions")]
    pub header_insert: Option<Insertions>,
    /// How an explicit status is written before a body assignment that sends the implicit one
    /// (a `before-statement:` form of [`ResponseCall::implicit_insert`]).
    #[serde(default, deserialize_with = "values::statement_insertions")]
    pub implicit_insert: Option<Insertions>,
}
