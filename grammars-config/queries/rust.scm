; Shapes the Rust extractor reads. The framework tables decide what each capture means.

; `StatusCode::FOUND`, `Redirect::to`, `http::StatusCode::SEE_OTHER`.
(scoped_identifier
  path: (_) @path.type
  name: (identifier) @path.name) @path

; A method call: one link of a chain such as `Router::new().route(p, post(h))`.
(call_expression
  function: (field_expression
    value: (_) @method.receiver
    field: (field_identifier) @method.name)
  arguments: (arguments) @method.args) @method

; A plain function call: `post(create)`, `StatusCode::from_u16(302)`.
(call_expression
  function: [(identifier) (scoped_identifier)] @fn.function
  arguments: (arguments) @fn.args) @fn

; A macro's token tree is scanned for status tokens (`assert_eq!(s, StatusCode::FOUND)`).
(macro_invocation
  (token_tree) @macro.tokens) @macro

; `macro_rules! deny { .. }`: a project macro whose rules may return a response for their caller.
(macro_definition) @macro_def

; `use crate::handlers::{create, list};`
(use_declaration
  argument: (_) @use.tree) @use

; `#[post("/x")]` on a handler; `#[route("/x", method = "POST")]`.
(attribute_item
  (attribute) @attribute)

; `#[macro_use] extern crate rocket;` shows the framework as a `use` does.
(extern_crate_declaration
  name: (identifier) @extern.name)

; `match (req.method(), req.uri().path()) { (&Method::POST, "/x") => .. }` and
; `if req.method() == Method::POST { .. }`: a branch on the request's method.
(match_expression) @branch.match

(if_expression) @branch.if

; `async fn create(..) -> Result<Sent<201, Item>, AppError>`: a return type that may carry the
; status the function answers as a type argument.
(function_item
  return_type: (generic_type) @returns)
