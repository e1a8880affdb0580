; Shapes the JS/TS extractor reads; one file serves JavaScript, TypeScript and TSX.
; The framework tables decide what each captured call means (a status, a header, a route).

; A member call: one link of a chain such as `res.status(201).json(x)` or `app.post(p, h)`.
(call_expression
  function: (member_expression
    object: (_) @call.receiver
    property: (property_identifier) @call.method)
  arguments: (arguments) @call.args) @call

; `res.statusCode = 201`.
(assignment_expression
  left: (member_expression
    object: (_) @assign.receiver
    property: (property_identifier) @assign.property)
  right: (_) @assign.value) @assign

; `import x from 'express'`, `import * as users from './users'`.
(import_statement
  source: (string) @import.source) @import

; `const users = require('./users')`.
(call_expression
  function: (identifier) @require.function
  arguments: (arguments . (string) @require.source)
  (#eq? @require.function "require")) @require

; `new Response(body, { status: 201 })`, `throw new HTTPException(404)`.
(new_expression
  constructor: (_) @new.constructor
  arguments: (arguments) @new.args) @new

; `@Post()`, `@HttpCode(204)`, `@Redirect('/x', 301)` on a class method.
(decorator) @decorator

; `redirect('/login')`, `notFound()`: a bare call of a function a framework exports.
(call_expression
  function: (identifier) @fcall.function
  arguments: (arguments) @fcall.args) @fcall
