use crate::conditions::within;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Failure, PatternKind, Response, SiteRole, Test};
use hsl_tables::Conditions;

declare_rule! {
    /// A `2xx` is sent from a `catch` block or an `Err` arm.
    ///
    /// ## What it does
    /// Flags a success status, written out or the implicit `200` of a body sender
    /// (`res.json(..)`, `c.json(..)`), sent from a `catch` block, a promise's `.catch(..)`
    /// callback, an `Err(_)` match arm, an `if let Err(_)` block or a `let Ok(..) = .. else`
    /// block: code that runs because something failed.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.3: a `2xx` says "the client's request was successfully received, understood,
    /// and accepted". Sent from an error path it reports the failure as a success: clients,
    /// caches, retries, monitoring and SLO dashboards all count it as one, so the failure is
    /// cached, never retried and never alerted on. Use a `4xx` for the client's mistake or a
    /// `5xx` (`500 Internal Server Error`, §15.6.1) for the server's.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/orders", async (req, res) => {
    ///   try {
    ///     res.json(await db.orders.list());
    ///   } catch (err) {
    ///     res.status(200).json({ orders: [] });
    ///   }
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/orders", async (req, res) => {
    ///   try {
    ///     res.json(await db.orders.list());
    ///   } catch (err) {
    ///     res.status(500).json({ error: "Could not load orders" });
    ///   }
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn orders(State(db): State<Db>) -> impl IntoResponse {
    ///     match db.orders().await {
    ///         Ok(orders) => (StatusCode::OK, Json(orders)).into_response(),
    ///         Err(_) => (StatusCode::OK, Json(Vec::<Order>::new())).into_response(),
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn orders(State(db): State<Db>) -> impl IntoResponse {
    ///     match db.orders().await {
    ///         Ok(orders) => (StatusCode::OK, Json(orders)).into_response(),
    ///         Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    ///     }
    /// }
    /// ```
    ///
    /// ## When it stays silent
    /// When the `2xx` sits under a test of the error's kind (`if (err.code === "ENOENT")`,
    /// `Err(e) if e.kind() == ErrorKind::NotFound`, `Err(sqlx::Error::RowNotFound)`): a handled,
    /// expected case such as "no file yet, so an empty list" is a success. When the body itself
    /// marks an error (`{ success: false }`, `{ error: .. }`): `error-body-on-success` reports
    /// that. When a default-status sender (`res.end(..)`) follows a non-`2xx` status set earlier
    /// in the same handler, even conditionally (`if (!res.headersSent) res.writeHead(500)`).
    /// When the response is built in a `try` block or an `Ok` arm, or only compared.
    /// There is no fix: which error status fits depends on what failed.
    ///
    /// ## References
    /// - RFC 9110 §15.3 (Successful 2xx), §15.6.1 (500 Internal Server Error)
    pub struct SuccessInErrorHandler;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "success-in-error-handler",
    summary: "`2xx` sent from a `catch` block or `Err` arm",
    default_severity: Severity::Warning,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: SuccessInErrorHandler::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for response in &ctx.facts.responses {
        if response.role != SiteRole::Sets {
            continue;
        }
        let Some(code @ 200..=299) = response.status.code else {
            continue;
        };
        let context = &response.context;
        if !(context.in_catch || context.in_err_arm) {
            continue;
        }
        let Some(failure) = &context.failure else {
            continue;
        };
        if response.body.marks_error()
            || tests_error_kind(response, failure)
            || error_status_set_before(ctx, response, failure)
        {
            continue;
        }
        let place = if context.in_catch {
            "a `catch` block"
        } else {
            "an `Err` branch"
        };
        let what = match &response.status.spelling {
            hsl_facts::Spelling::ImplicitDefault { helper, .. } => {
                format!("`{helper}` sends `{code}`")
            }
            _ => format!("`{code}` sent"),
        };
        findings.push(Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message: format!(
                "{what} from {place}: the failure is reported as a success, use a `4xx` or `5xx` status"
            ),
            fixes: Vec::new(),
            related: Vec::new(),
        });
    }
    findings
}

/// Whether an implicit `200` (`res.end(..)`) follows an error status set earlier in the same
/// failure handler (`if (!res.headersSent) res.writeHead(500)`): the status is not proven to
/// be the default, whether that write ran or the headers were already out.
fn error_status_set_before(ctx: &RuleContext<'_>, response: &Response, failure: &Failure) -> bool {
    if !matches!(
        response.status.spelling,
        hsl_facts::Spelling::ImplicitDefault { .. }
    ) {
        return false;
    }
    ctx.facts.responses.iter().any(|earlier| {
        earlier.role == SiteRole::Sets
            && earlier.status.range.end <= response.status.range.start
            && within(&earlier.status.range, &failure.range)
            && earlier.status.code.is_none_or(|code| code >= 300)
    })
}

/// Whether the response is sent only for some kinds of error: a condition inside the failure
/// handler that reads the error (or names an error kind), or an `Err(..)` pattern that names
/// a variant rather than binding any error.
fn tests_error_kind(response: &Response, failure: &Failure) -> bool {
    let kind_words = &Conditions::get().failure.kind_words;
    if failure
        .pattern
        .as_ref()
        .is_some_and(|pattern| !pattern.takes_all)
    {
        return true;
    }
    response
        .context
        .branch_conditions
        .iter()
        .filter(|condition| within(&condition.range, &failure.range))
        .any(|condition| {
            let names_binding = failure
                .binding
                .as_ref()
                .is_some_and(|binding| condition.words.names.contains(binding));
            let pattern_names_kind = matches!(
                &condition.test,
                Test::Matches { pattern, .. }
                    if pattern.kind == PatternKind::Err && !pattern.takes_all
            );
            names_binding || pattern_names_kind || condition.words.has_name(kind_words)
        })
}
