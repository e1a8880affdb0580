use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Body, Response, Words};
use hsl_tables::{Conditions, Validator};

declare_rule! {
    /// A `400` is sent with the result of a validator.
    ///
    /// ## What it does
    /// Flags a `400 Bad Request` whose branch or body refers to the result of a validator the
    /// handler runs: express-validator (`validationResult(req)` → `errors.array()`), zod
    /// (`safeParse` → `result.success`, `.issues`, `.flatten()`), joi (`schema.validate` →
    /// `error.details`), class-validator (`validate(dto)` → `errors.length`), the Rust
    /// `validator` and `garde` crates (`payload.validate()` → `Err(e)`).
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
    /// axum's `JsonRejection`): `400` is right there. When the handler calls no validator the
    /// lists in `grammars-config/conditions.toml` know, or the `400`'s branch and body do not
    /// refer to the validator's result; when validation happens in middleware or a pipe (NestJS
    /// `ValidationPipe` answers `400` by default, out of sight).
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
        .filter(|response| validator_result(ctx, response).is_some())
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

/// The validator whose failed result this response reports, when the syntax shows one: the
/// response's branch calls the validator, or the handler calls it and the branch or body reads
/// its result. `None` for a malformed body (`SyntaxError`, `JsonRejection`).
pub(crate) fn validator_result(
    ctx: &RuleContext<'_>,
    response: &Response,
) -> Option<&'static Validator> {
    let words = &Conditions::get().validation;
    let context = &response.context;
    let mut around: Vec<&Words> = context
        .branch_conditions
        .iter()
        .filter(|c| c.holds())
        .map(|c| &c.words)
        .collect();
    let mut failure_names: Vec<String> = Vec::new();
    if let Some(failure) = &context.failure {
        around.push(&failure.tried_words);
        failure_names.extend(failure.binding.iter().cloned());
        if let Some(pattern) = &failure.pattern {
            failure_names.extend(pattern.names.iter().cloned());
        }
    }
    let body = match &response.body {
        Body::Opaque { words, .. } => Some(words),
        _ => None,
    };
    let every = around.iter().copied().chain(body);
    if is_malformed(every, &failure_names, &words.malformed) {
        return None;
    }
    let handler_calls = response
        .handler
        .and_then(|id| ctx.facts.handlers.get(id))
        .map_or(&[][..], |handler| handler.words.calls.as_slice());
    words.validators.iter().find(|validator| {
        let in_branch = around.iter().any(|words| words.calls_any(&validator.calls));
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
            || failure_names
                .iter()
                .any(|name| validator.results.contains(name))
            || body.is_some_and(reads_result);
        in_branch || (handler_runs_it && result_read)
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
