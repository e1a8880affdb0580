use crate::unauthenticated_as_forbidden::{calls_any, has_word};
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::Response;
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
    let body_text = response
        .body
        .range()
        .and_then(|range| ctx.text.get(range))
        .unwrap_or("");
    let mut around: Vec<&str> = context
        .branch_conditions
        .iter()
        .filter(|c| !c.negated)
        .flat_map(|c| std::iter::once(c.text.as_str()).chain(c.pattern.as_deref()))
        .collect();
    if let Some(failure) = &context.failure {
        around.extend(failure.binding.as_deref());
        around.extend(failure.pattern.as_deref());
        around.extend(
            failure
                .tried
                .as_ref()
                .and_then(|range| ctx.text.get(range.clone())),
        );
    }
    let malformed = around
        .iter()
        .chain(std::iter::once(&body_text))
        .any(|text| {
            words
                .malformed
                .iter()
                .any(|word| text.contains(word.as_str()))
        });
    if malformed {
        return None;
    }
    let handler_text = response
        .handler
        .and_then(|id| ctx.facts.handlers.get(id))
        .and_then(|handler| ctx.text.get(handler.range.clone()))
        .unwrap_or("");
    words.validators.iter().find(|validator| {
        let in_branch = around.iter().any(|text| calls_any(text, &validator.calls));
        let reads_result = |text: &str| {
            validator.results.iter().any(|result| {
                if result.contains('.') {
                    text.contains(result.as_str())
                } else {
                    has_word(text, std::slice::from_ref(result))
                }
            })
        };
        in_branch
            || (calls_any(handler_text, &validator.calls)
                && (around.iter().any(|text| reads_result(text)) || reads_result(body_text)))
    })
}
