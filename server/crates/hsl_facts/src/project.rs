//! Facts that reach across functions: a call in a handler that may send a response through a
//! function of the project (`return unauthorized()`, `sendError(res, 401)`,
//! `Err(ApiError::new(.., StatusCode::UNAUTHORIZED))`), and the summary of such a function that
//! the workspace index derives, so that rules see the response the call sends where it is sent.

use crate::{
    Body, ByteRange, Context, HandlerId, HeaderFact, Location, ObjectLiteral, StatusSite, Words,
};

/// A call in a handler whose result is sent, returned or raised, or that is handed the
/// handler's response object: a call the project's helpers may answer.
#[derive(Clone, Debug, PartialEq)]
pub struct HelperCall {
    /// The callee as written, by name: `["unauthorized"]`, `["errors", "unauthorized"]`,
    /// `["ApiError", "new"]`, `["CustomError"]` for `new CustomError(..)`.
    pub callee: Vec<String>,
    /// The whole call.
    pub range: ByteRange,
    /// The callee's last name: where a finding on the call points.
    pub name_range: ByteRange,
    /// What each argument is, as far as a helper's summary needs it.
    pub args: Vec<Argument>,
    pub context: Context,
    /// The handler the call is made from.
    pub handler: Option<HandlerId>,
    /// How the call is written: a call proper, or a type named with its arguments.
    pub form: CallForm,
}

/// How a [`HelperCall`] is written. A type named with arguments (`Sent<201, Item>` as a
/// handler's return type) is answered only by a type that sends its argument; no unknown
/// call's status argument is read into it, since a number among a type's arguments is usually
/// a size or a capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallForm {
    /// A function, constructor or macro called with arguments.
    Call,
    /// A generic type written with its arguments, whose value the handler returns.
    TypeArguments,
}

/// An argument of a [`HelperCall`].
#[derive(Clone, Debug, PartialEq)]
pub enum Argument {
    /// A status code the syntax knows, as written: a number in range, a constant of a known
    /// family (`401`, `StatusCode::UNAUTHORIZED`).
    Status(StatusSite),
    /// A literal object (`{ error: "x" }`).
    Object(ObjectLiteral),
    /// A string literal (`"Link was not found."`): the message an error or helper sends.
    Text(String),
    /// The handler's response object (`res`, `ctx`, `reply`, `c`).
    Response,
    /// A boolean literal (`true`, `false`): a switch with which the caller picks a branch of
    /// the function, so what one call reaches of it is not what another does.
    Switch,
    /// Anything else.
    Other,
}

/// What a call to a function of the project sends, summarised from the responses the function
/// builds: the workspace index derives it and turns each call into a response.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHelper {
    /// The function's name, as callers write its last segment; for an error type's variant, the
    /// variant (`Forbidden`).
    pub name: String,
    /// The type a variant belongs to (`AppError`), which callers write before it.
    pub owner: Option<String>,
    /// Where the function is defined, for related notes.
    pub defined: Location,
    pub status: HelperStatus,
    /// Headers the function sets on the response, and whether that list is complete.
    pub headers: Vec<HeaderFact>,
    pub headers_complete: bool,
    /// The body the function sends.
    pub body: HelperBody,
}

/// The status a helper sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelperStatus {
    /// Always this code.
    Fixed(u16),
    /// The code the caller passes as the argument at `index`, else `default`.
    Argument { index: usize, default: Option<u16> },
    /// The code the caller passes as its last argument: a macro whose rules take different
    /// numbers of arguments and the status always last (`err!(msg, 429)`,
    /// `err!(msg, detail, 429)`).
    LastArgument,
    /// The code the caller writes as the type's generic argument at `index`: a type whose
    /// conversion into a response sends its const parameter (`impl<const CODE: u16, T>
    /// IntoResponse for Sent<CODE, T>` building `StatusCode::from_u16(CODE)`), used as
    /// `Sent<201, Item>`. The conversion builds the whole response, so the helper's headers are
    /// all the response gets, and the rules about missing headers judge each use.
    TypeArgument { index: usize },
    /// The code a map of the project gives the key the caller passes: an error class that
    /// keeps a code name (`new ApiError({ code: "unauthorized" })`) which the project's
    /// error handler looks up in a map of names to statuses (`{ unauthorized: 401 }`). The
    /// key is the argument at `index`, or that argument's `property` when it is an object.
    /// Which maps count is the index's to say: those the helper's own file defines or
    /// imports.
    Keyed {
        index: usize,
        property: Option<String>,
    },
}

/// The body a helper sends.
#[derive(Clone, Debug, PartialEq)]
pub enum HelperBody {
    /// Not known.
    Unknown,
    /// No body, or an empty one.
    None,
    /// Content, whose words are the helper's.
    Content(Body),
    /// The caller's argument at this index.
    Argument(usize),
}

/// A named function of the file, no handler itself, that reads an HTTP authentication
/// credential (the `Authorization` header): `auth(req)` in a helper module. A handler in
/// another file that calls it works with that credential although its own code never names
/// the header, so the workspace index lends the caller these words.
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialCheck {
    /// The function's name, as callers write it.
    pub name: String,
    /// The whole function.
    pub range: ByteRange,
    /// The words of its body (see [`crate::Handler::words`]).
    pub words: Words,
}
