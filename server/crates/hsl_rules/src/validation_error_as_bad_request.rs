use crate::conditions::within;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Body, Condition, Failure, Method, Operand, Response, Test, Words};
use hsl_tables::{Conditions, Validator};

declare_rule! {
    /// A `400` is sent with the result of a validator.
    ///
    /// ## What it does
    /// Flags a `400 Bad Request` whose branch or body refers to the result of a validator the
    /// handler runs: express-validator (`validationResult(req)` → `errors.array()`), zod
    /// (`safeParse` → `result.success`, `.issues`, `.flatten()`), joi (`schema.validate` →
    /// `error.details`), class-validator (`validate(dto)` → `errors.length`), the Rust
    /// `validator` and `garde` crates (`payload.validate()` → `Err(e)`). A `400` after a
    /// guard that returns when the input passed (`if (result.isEmpty()) return next();`, or
    /// the `else` of `if (result.success)`) reports the failed validation too, whatever its
    /// body carries: the code there runs only for input the validator refused.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.1 describes `400 Bad Request` as a request the server cannot process
    /// because it is malformed: bad syntax, framing or routing. A body that parsed fine but
    /// fails the schema is well-formed and semantically wrong, which is what `422 Unprocessable
    /// Content` (§15.5.21) says. Keeping the two apart lets clients tell "fix your JSON" from
    /// "fix the fields listed in the body", and is what many API guidelines and frameworks
    /// (FastAPI, Rails, Laravel, axum's `JsonRejection::JsonDataError`) do.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.post("/users", (req, res) => {
    ///   const result = userSchema.safeParse(req.body);
    ///   if (!result.success) {
    ///     return res.status(400).json(result.error.flatten());
    ///   }
    ///   res.status(201).json(createUser(result.data));
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/users", (req, res) => {
    ///   const result = userSchema.safeParse(req.body);
    ///   if (!result.success) {
    ///     return res.status(422).json(result.error.flatten());
    ///   }
    ///   res.status(201).json(createUser(result.data));
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// use validator::Validate;
    ///
    /// async fn create(Json(payload): Json<NewUser>) -> Response {
    ///     if let Err(errors) = payload.validate() {
    ///         return (StatusCode::BAD_REQUEST, Json(errors)).into_response();
    ///     }
    ///     StatusCode::CREATED.into_response()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// use validator::Validate;
    ///
    /// async fn create(Json(payload): Json<NewUser>) -> Response {
    ///     if let Err(errors) = payload.validate() {
    ///         return (StatusCode::UNPROCESSABLE_ENTITY, Json(errors)).into_response();
    ///     }
    ///     StatusCode::CREATED.into_response()
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// `422 Unprocessable Content` is offered as a suggested fix, in the site's own spelling,
    /// when that spelling has a `422` (not for NestJS's `BadRequestException`). It is never
    /// applied by `--fix`: clients, tests and API documents that expect `400` for
    /// invalid fields have to change with it.
    ///
    /// ## When it stays silent
    /// For a body that is not well-formed (a `catch` of `SyntaxError` around `JSON.parse`,
    /// axum's `JsonRejection`): `400` is right there. For a handler registered only for `GET`
    /// or `HEAD`: it validates the query or the path, and a request without content has
    /// nothing `422` could describe (`400`, or `404` for a path segment, is right). For a
    /// `catch` around a validator call that returns its result (`safeParse`): such a call never
    /// throws, so the `catch` handles something else (a body that is not JSON, a failed
    /// lookup) unless it tests the validator's error (`err instanceof ZodError`) or its `try`
    /// block runs a throwing call (`validateOrReject`). For a Rust `.validate()` in a file that
    /// does not import the `validator` or `garde` crate: it is a method of the project's own
    /// (a signature check) that happens to share the name. When the handler calls no
    /// validator the lists in `grammars-config/conditions.toml` know, or the `400`'s branch
    /// and body do not refer to the validator's result (a `400` after a guard that returned
    /// for *failed* input, `if (!result.isEmpty()) return ..`, answers input that passed);
    /// when validation happens in middleware
    /// or a pipe (NestJS `ValidationPipe` answers `400` by default, out of sight).
    /// When what was validated is the server's own data: the result the `400` reads is bound
    /// to a validator call (`const parsed = schema.safeParse(row)`) whose arguments are bound
    /// to a database query or another server's answer (`const row = await db.select()..`,
    /// `const body = await upstream.json()`, calls listed as `server_reads` in
    /// `grammars-config/conditions.toml`) that names none of the handler's parameters (a
    /// handler without parameters names none): a failure there is the server's, not the
    /// client's. A query that reads the request (`WHERE
    /// id = req.params.id`) is judged as before.
    ///
    /// ## References
    /// - RFC 9110 §15.5.1 (400 Bad Request), §15.5.21 (422 Unprocessable Content)
    pub struct ValidationErrorAsBadRequest;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "validation-error-as-bad-request",
    summary: "`400` sent with a validator's result (`422`)",
    default_severity: Severity::Hint,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ValidationErrorAsBadRequest::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.setting(400)
        .filter(|response| !without_content(ctx, response))
        .filter(|response| {
            validator_result(ctx, response)
                .is_some_and(|validator| !checks_server_data(ctx, response, validator))
        })
        .map(|response| {
            Finding::use_instead(
                ctx,
                meta,
                response,
                422,
                "`400` sent for a failed validation: the request is well-formed but invalid, use `422 Unprocessable Content`".to_string(),
            )
        })
        .collect()
}

/// Whether every method the handler is registered for sends no content (`GET`, `HEAD`): what
/// it validates is the query or the path, for which `400` (or `404`) is right.
fn without_content(ctx: &RuleContext<'_>, response: &Response) -> bool {
    let methods = ctx.methods_of(response.handler);
    !methods.is_empty()
        && methods
            .iter()
            .all(|resolved| matches!(resolved.method, Method::Get | Method::Head))
}

/// The validator whose failed result this response reports, when the syntax shows one: the
/// response's branch calls the validator, or the handler calls it and the branch or body reads
/// its result; a failure handler counts when it tests the validator's error or its `try`
/// block runs a call of it that throws. `None` for a malformed body (`SyntaxError`,
/// `JsonRejection`), and for validators of another language or whose module the file does not
/// import.
pub(crate) fn validator_result(
    ctx: &RuleContext<'_>,
    response: &Response,
) -> Option<&'static Validator> {
    let words = &Conditions::get().validation;
    let context = &response.context;
    let around: Vec<&Words> = context
        .branch_conditions
        .iter()
        .filter(|c| c.holds())
        .map(|c| &c.words)
        .collect();
    let body = match &response.body {
        Body::Opaque { words, .. } => Some(words),
        _ => None,
    };
    let failure = context.failure.as_ref();
    let mut failure_names: Vec<String> = Vec::new();
    if let Some(failure) = failure {
        failure_names.extend(failure.binding.iter().cloned());
        if let Some(pattern) = &failure.pattern {
            failure_names.extend(pattern.names.iter().cloned());
        }
    }
    let tried = failure.map(|failure| &failure.tried_words);
    let every = around.iter().copied().chain(tried).chain(body);
    if is_malformed(every, &failure_names, &words.malformed) {
        return None;
    }
    let family = crate::language_family(response);
    let handler_calls = response
        .handler
        .and_then(|id| ctx.facts.handlers.get(id))
        .map_or(&[][..], |handler| handler.words.calls.as_slice());
    words
        .validators
        .iter()
        .filter(|validator| family.is_none_or(|family| family == validator.language))
        .filter(|validator| imports_one_of(ctx, &validator.imports))
        .find(|validator| {
            let handles_failure =
                failure.is_some_and(|failure| handles_its_failure(response, failure, validator));
            let in_branch =
                around.iter().any(|words| words.calls_any(&validator.calls)) || handles_failure;
            let reads_result = |words: &Words| {
                validator.results.iter().any(|result| {
                    let run: Vec<&str> = result.split('.').collect();
                    if run.len() > 1 {
                        words.has_sequence(&run)
                    } else {
                        words.has_name(std::slice::from_ref(result))
                    }
                })
            };
            let handler_runs_it = handler_calls
                .iter()
                .any(|call| validator.calls.contains(call));
            let result_read = around.iter().any(|words| reads_result(words))
                || body.is_some_and(reads_result)
                || context
                    .branch_conditions
                    .iter()
                    .any(|condition| past_its_pass_test(condition, validator));
            in_branch || (handler_runs_it && result_read)
        })
}

/// Whether the validator's result the response reports was computed from the server's own
/// data, not the client's: each result of `validator` the response's branch or body reads is
/// bound to a call of it (`const parsed = schema.safeParse(row)`) whose arguments are all
/// bound to a read of the database or of another server that does not touch the handler's
/// parameters (`const row = await db.select()..`, `const bodies = await
/// Promise.all(results.map((r) => r.json()))`). A handler whose first parameter is a pattern
/// (`({ request }) =>`) is not judged: its request has no name to look for. A handler with no
/// parameters (a NestJS method without `@Body()`) has no request to read: every database read
/// in it is the server's.
fn checks_server_data(ctx: &RuleContext<'_>, response: &Response, validator: &Validator) -> bool {
    let Some(handler) = response.handler.and_then(|id| ctx.facts.handlers.get(id)) else {
        return false;
    };
    if handler.params.first().is_some_and(String::is_empty) {
        return false;
    }
    let reported = |name: &str| {
        let named = |words: &Words| words.names.iter().any(|n| n == name);
        response
            .context
            .branch_conditions
            .iter()
            .filter(|condition| condition.holds())
            .any(|condition| named(&condition.words))
            || matches!(&response.body, Body::Opaque { words, .. } if named(words))
    };
    let mut results = handler
        .bindings
        .iter()
        .filter(|binding| binding.value.calls_any(&validator.calls) && reported(&binding.name))
        .peekable();
    results.peek().is_some()
        && results.all(|result| {
            !result.arguments.is_empty()
                && result
                    .arguments
                    .iter()
                    .all(|argument| read_by_the_server(handler, argument))
        })
}

/// Whether `name` is last bound in `handler` to a read of the database or of another server
/// (`server_reads` in `grammars-config/conditions.toml`) whose expression names none of the
/// handler's parameters.
fn read_by_the_server(handler: &hsl_facts::Handler, name: &str) -> bool {
    let reads = &Conditions::get().validation.server_reads;
    handler
        .bindings
        .iter()
        .rev()
        .find(|binding| binding.name == name)
        .is_some_and(|binding| {
            let params: Vec<String> = handler
                .params
                .iter()
                .filter(|param| !param.is_empty())
                .cloned()
                .collect();
            binding.value.calls_any(reads) && !binding.value.has_name(&params)
        })
}

/// Whether `condition` puts the response where `validator`'s pass test failed: after a guard
/// that returned when the input passed (`if (result.isEmpty()) return next();`), or in the
/// `else` of such a test. The code there runs only for input the validator refused.
fn past_its_pass_test(condition: &Condition, validator: &Validator) -> bool {
    let Test::Present(Operand::Path(path)) = &condition.test else {
        return false;
    };
    condition.negated
        && path
            .names()
            .last()
            .is_some_and(|name| validator.passes.iter().any(|pass| pass == name))
}

/// Whether a failure handler handles `validator`'s failure: a test inside it, or its `Err`
/// pattern, names one of the validator's errors (`err instanceof ZodError`), or its `try`
/// block runs a call of the validator that throws (`validateOrReject(dto)`). A call that
/// returns its result (`safeParse`) fails in no `catch`.
fn handles_its_failure(response: &Response, failure: &Failure, validator: &Validator) -> bool {
    let names_error = |words: &Words| words.has_name(&validator.errors);
    failure.tried_words.calls_any(&validator.throwing)
        || failure
            .pattern
            .as_ref()
            .is_some_and(|pattern| pattern.names.iter().any(|n| validator.errors.contains(n)))
        || response
            .context
            .branch_conditions
            .iter()
            .filter(|condition| condition.holds() && within(&condition.range, &failure.range))
            .any(|condition| names_error(&condition.words))
}

/// Whether the file imports one of `modules` (or `modules` is empty): a Rust trait method
/// such as `.validate()` is only the `validator` crate's when its trait is in scope.
fn imports_one_of(ctx: &RuleContext<'_>, modules: &[String]) -> bool {
    modules.is_empty()
        || ctx.facts.imports.iter().any(|import| {
            modules.iter().any(|module| {
                import.module == *module
                    || import
                        .module
                        .strip_prefix(module.as_str())
                        .is_some_and(|rest| rest.starts_with("::") || rest.starts_with('/'))
            })
        })
}

/// Whether what surrounds the response marks a body that is not even well-formed: a
/// `SyntaxError`, a `JsonRejection`, a failed `JSON.parse`. Entries with a `.` match a run
/// of names; the others a name, a call or a word of a string.
fn is_malformed<'a>(
    around: impl Iterator<Item = &'a Words>,
    failure_names: &[String],
    malformed: &[String],
) -> bool {
    let named = |words: &Words, entry: &String| {
        let run: Vec<&str> = entry.split('.').collect();
        if run.len() > 1 {
            return words.has_sequence(&run);
        }
        words.has_name(std::slice::from_ref(entry))
            || words.calls.contains(entry)
            || words.strings.iter().any(|s| s.contains(entry.as_str()))
    };
    let mut around = around;
    failure_names.iter().any(|name| malformed.contains(name))
        || around.any(|words| malformed.iter().any(|entry| named(words, entry)))
}
