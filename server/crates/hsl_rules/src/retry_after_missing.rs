use crate::conditions::{permission_fails, within};
use crate::vocabulary::{has_run, names_server_state, says_server_config, words_have_run};
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, body_strings,
    declare_rule,
};
use hsl_facts::{ByteRange, Condition, Failure, HandlerRef, Response, SiteRole, Words};
use hsl_status_codes as status_codes;
use hsl_tables::{Conditions, PartRun};

declare_rule! {
    /// A `429` or `503` response does not say when to come back.
    ///
    /// ## What it does
    /// Flags a `429 Too Many Requests` or `503 Service Unavailable` set on a response whose
    /// construction is fully visible and that never sets `Retry-After`, when the code shows a
    /// condition a client can wait out. A `503` counts only when its branch, its failure
    /// handler, its message or its handler shows load, a rate limit, maintenance or work still
    /// in progress (`if (!limit.success)`, `SQLITE_BUSY`, `QueueFullError`, a connection pool
    /// with none free, "down for maintenance", `has_processing`); a `429` counts unless its
    /// branch shows it is not about a rate.
    ///
    /// ## Why is this bad?
    /// Both statuses mean "not now". `Retry-After` (RFC 9110 §10.2.3; RFC 6585 §4 for `429`)
    /// tells clients how long to wait; without it, well-behaved clients guess, and retry loops
    /// in SDKs hammer the service exactly when it is overloaded.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/search", async (req, res) => {
    ///   const { success } = await ratelimit.limit(req.ip);
    ///   if (!success) return res.status(429).json({ error: "slow down" });
    ///   res.json(await search(req.query.q));
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/search", async (req, res) => {
    ///   const { success, reset } = await ratelimit.limit(req.ip);
    ///   if (!success) return res.status(429).set("Retry-After", String(reset)).json({ error: "slow down" });
    ///   res.json(await search(req.query.q));
    /// });
    /// ```
    ///
    /// ## When it stays silent
    /// For a `503` that nothing shows to be temporary: missing configuration (its branch reads
    /// the environment or the configuration, or its message says "not configured"), a caught
    /// database or dependency error (a `503` in a `catch` or `Err` arm is judged by what was
    /// tried and the error matched, not by words elsewhere in the handler; a `try` block that
    /// answers errors itself wraps the handler and proves nothing either), a feature that is
    /// off; no moment to retry exists there. The words of a handler that answers its rate
    /// limit with a `429` of its own, or hands the limit to a function of the project that
    /// answers it (`return limitedResponse(c, rateLimited)`), belong to that answer, not to
    /// its `503`s. Nor do the words of a `503` sent from the `catch` of a `try` block that
    /// answers its limit itself (a `429` there, or the limit handed to such a function):
    /// "Request quota check failed." names the check that broke, not a load.
    /// For a `503` of a health or readiness probe (a handler or route named `health`,
    /// `readiness`, `liveness`): it is a check result that probes read on their own schedule.
    /// For a `429` whose branch tests an account's state or a role (`hasRole(user,
    /// "INACTIVE")`, a suspended account) or a cap on held resources (concurrent sessions,
    /// seats, "too many open" streams, a maximum of connections): they clear when something
    /// changes, not after a time. A `429` declared on a response type (`#[oai(status = 429)]
    /// AtCapacity`, Rocket's `#[response(status = 429)]`) is judged where its file builds it:
    /// silent when every place that builds it is under such a test (the
    /// `Err(Error::SessionLimitReached)` arm that returns `Response::AtCapacity`); places in
    /// other files are not seen. For a `429` sent from a
    /// `catch` or `Err` arm that does not single out a rate-limit error (a `.catch` of any
    /// upstream failure, also when its callback returns the `Response` itself): the rate is
    /// not proven to be this client's. When the headers come
    /// from a variable or a spread, or the response is bound to a name and changed where the
    /// syntax cannot follow.
    /// A function of the same file that only reads the response object handed to it
    /// (`audit(c)` using `c.get(..)` and `c.env`) hides nothing: its body is read as the
    /// handler's own.
    /// A Rust function of the same file lent the response (`add_cors(&mut res)`,
    /// `self.stamp(&mut res)`) hides nothing when every use of its parameter is seen: the
    /// headers it sets on any of its paths count as set, and so do those of the functions it
    /// lends the response to in turn.
    /// A project macro that returns its error type with the status it is given
    /// (`bail!("slow down", 429)`) shows its headers when the same file's conversion of that
    /// type (`impl Responder for ApiError`) builds every response on a chain in sight: the
    /// call is judged with those headers; otherwise they stay out of sight.
    /// A `Retry-After` added by rate-limiting middleware is not visible.
    /// The words it reads are listed under `[retry]` in `grammars-config/conditions.toml`.
    ///
    /// ## References
    /// - RFC 9110 §10.2.3 (`Retry-After`), §15.6.4 (503); RFC 6585 §4 (429)
    pub struct RetryAfterMissing;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "retry-after-missing",
    summary: "`429` or `503` without a `Retry-After` header",
    default_severity: Severity::Info,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: RetryAfterMissing::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets && response.lacks_header("retry-after"))
        .filter_map(|response| {
            let code = response.status.code?;
            let waits = match code {
                429 => is_a_rate(response),
                503 => is_temporary(ctx, response),
                _ => false,
            };
            waits.then(|| Finding {
                rule: meta.id,
                severity: meta.default_severity,
                range: response.status.range.clone(),
                message: format!(
                    "`{}` without `Retry-After`: clients cannot tell when to try again; set `Retry-After` in seconds",
                    status_codes::label(code)
                ),
                fixes: Vec::new(),
                related: Vec::new(),
            })
        })
        .collect()
}

/// Whether a `429` is about a request rate: no test on the way to it is about the account or
/// a role, or a cap on held resources (nor, for a status declared on a response type, on the
/// way to every place that builds the type), and a failure handler it is sent from singles out
/// a rate-limit error.
fn is_a_rate(response: &Response) -> bool {
    let retry = &Conditions::get().retry;
    let context = &response.context;
    let built_elsewhere = &context.built_under;
    if shows_no_rate(&context.branch_conditions)
        || (!built_elsewhere.is_empty() && built_elsewhere.iter().all(|place| shows_no_rate(place)))
    {
        return false;
    }
    if let Some(failure) = &response.context.failure {
        let in_failure = response
            .context
            .branch_conditions
            .iter()
            .filter(|condition| within(&condition.range, &failure.range))
            .any(|condition| words_have_run(&condition.words, &retry.temporary));
        let pattern = failure
            .pattern
            .as_ref()
            .is_some_and(|pattern| pattern.names.iter().any(|n| has_run(n, &retry.temporary)));
        return in_failure || pattern || words_have_run(&failure.tried_words, &retry.temporary);
    }
    true
}

/// Whether a test that holds on the way to a `429` is about an account's state, a role or a
/// cap on held resources (`SessionLimitReached`, `MAX_CONCURRENT_SESSIONS`), not a rate.
fn shows_no_rate(conditions: &[Condition]) -> bool {
    let retry = &Conditions::get().retry;
    conditions
        .iter()
        .filter(|condition| condition.holds())
        .any(|condition| {
            words_have_run(&condition.words, &retry.not_rate)
                || (!words_have_run(&condition.words, &retry.rate)
                    && (permission_fails(condition) || permission_words(&condition.words)))
        })
}

/// Whether a role or account state is named by a test (`hasRole(user, "INACTIVE")`).
fn permission_words(words: &Words) -> bool {
    words
        .names
        .iter()
        .any(|name| crate::vocabulary::is_permission_name(name))
}

/// Whether a `503` reports a condition a client can wait out, and is not a probe's result or
/// the server's configuration. A `503` in a `catch` or an `Err` arm is judged by its failure
/// (what was tried, the error matched, the conditions and message there), not by the rest of
/// the handler; nor is one in a handler that answers its rate limit with a `429` of its own:
/// a handler that enforces a quota and answers `503` when its database fails reports no load.
fn is_temporary(ctx: &RuleContext<'_>, response: &Response) -> bool {
    let retry = &Conditions::get().retry;
    let messages = body_strings(response);
    if is_probe(ctx, response, &retry.probes) || says_server_config(&messages) {
        return false;
    }
    let holding: Vec<_> = response
        .context
        .branch_conditions
        .iter()
        .filter(|condition| condition.holds())
        .collect();
    if holding
        .iter()
        .any(|condition| names_server_state(&condition.words))
    {
        return false;
    }
    let temporary = &retry.temporary;
    let handler = response.handler.and_then(|id| ctx.facts.handlers.get(id));
    takes_from_pool(response, &holding)
        || holding
            .iter()
            .any(|condition| words_have_run(&condition.words, temporary))
        || response
            .context
            .failure
            .as_ref()
            .is_some_and(|failure| failure_is_temporary(ctx, response, failure, temporary))
        || message_is_temporary(ctx, response, &messages, temporary)
        || (response.context.failure.is_none()
            && !answers_its_rate_limit(ctx, response)
            && handler.is_some_and(|handler| {
                words_have_run(&handler.words, temporary)
                    || handler
                        .name
                        .as_deref()
                        .is_some_and(|name| has_run(name, temporary))
            }))
}

/// Whether the handler of a response answers a rate limit with a `429` of its own, or hands
/// the limit to a project helper that answers it (`return limitedResponse(c, rateLimited)`):
/// its words about limits and quotas belong to that answer, and prove nothing about its other
/// `503`s.
fn answers_its_rate_limit(ctx: &RuleContext<'_>, response: &Response) -> bool {
    response.handler.is_some_and(|handler| {
        ctx.facts.responses.iter().any(|other| {
            other.handler == Some(handler)
                && other.role == SiteRole::Sets
                && other.status.code == Some(429)
        }) || hands_rate_limit_to_helper(ctx, handler)
    })
}

/// Whether a call of the handler to a project function names a rate limit in what it passes
/// (`invalidProofResponse(c, proofGate.rateLimited)`): that function answers the limit.
fn hands_rate_limit_to_helper(ctx: &RuleContext<'_>, handler: usize) -> bool {
    hands_rate_limit_to_helper_within(ctx, handler, None)
}

/// [`hands_rate_limit_to_helper`] for the calls inside `within_range` only (a `try` block),
/// or every call of the handler when it is `None`.
fn hands_rate_limit_to_helper_within(
    ctx: &RuleContext<'_>,
    handler: usize,
    within_range: Option<&ByteRange>,
) -> bool {
    let limited = &Conditions::get().retry.temporary;
    ctx.facts
        .helper_calls
        .iter()
        .filter(|call| call.handler == Some(handler))
        .filter(|call| within_range.is_none_or(|range| within(&call.range, range)))
        .filter_map(|call| {
            let arguments = call.name_range.end..call.range.end;
            ctx.text.get(arguments)
        })
        .any(|arguments| {
            arguments
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|name| !name.is_empty() && has_run(name, limited))
        })
}

/// Whether the failure a `503` is sent from is a temporary one: the error it matches names
/// one, or what was tried does. A `try` block that answers errors itself (its own `429` or
/// `400`) wraps a whole handler: its words tell what the handler does, not what failed, and
/// count no more than the handler's.
fn failure_is_temporary(
    ctx: &RuleContext<'_>,
    response: &Response,
    failure: &Failure,
    temporary: &[PartRun],
) -> bool {
    let pattern = failure
        .pattern
        .as_ref()
        .is_some_and(|pattern| pattern.names.iter().any(|n| has_run(n, temporary)));
    pattern
        || in_failure_tests(response, failure, temporary)
        || (!try_answers_errors_itself(ctx, response, failure)
            && words_have_run(&failure.tried_words, temporary))
}

/// Whether the `try` block a failure handler guards answers errors itself: it sends a status
/// of `400` or more (its own `429`), or hands a rate limit to a project function that answers
/// it (`return invalidProofResponse(c, proofGate.rateLimited)`). Such a block wraps the
/// handler's work, limit checks included: what it tries is not what failed, and a limit it
/// checks is answered there, not by the `503` of its `catch`.
fn try_answers_errors_itself(
    ctx: &RuleContext<'_>,
    response: &Response,
    failure: &Failure,
) -> bool {
    let Some(tried) = failure.tried.as_ref() else {
        return false;
    };
    let sends_error = ctx.facts.responses.iter().any(|other| {
        other.role == SiteRole::Sets
            && other.status.code.is_some_and(|code| code >= 400)
            && within(&other.status.range, tried)
    });
    sends_error
        || response
            .handler
            .is_some_and(|handler| hands_rate_limit_to_helper_within(ctx, handler, Some(tried)))
}

/// Whether a message of a `503` says it is temporary. A `503` sent from the failure handler of
/// a `try` block that answers errors itself reports that its work failed ("Request quota
/// check failed."): words about rates and quotas there name the check, which the block
/// answers on its own, so only the other words (`busy`, `maintenance`) count.
fn message_is_temporary(
    ctx: &RuleContext<'_>,
    response: &Response,
    messages: &[String],
    temporary: &[PartRun],
) -> bool {
    let check_failed = response
        .context
        .failure
        .as_ref()
        .is_some_and(|failure| try_answers_errors_itself(ctx, response, failure));
    let rate = &Conditions::get().retry.rate;
    let counted: Vec<PartRun> = temporary
        .iter()
        .filter(|run| !(check_failed && rate.iter().any(|word| word.found_in(run.parts()))))
        .cloned()
        .collect();
    messages.iter().any(|message| has_run(message, &counted))
}

/// Whether a test inside the failure handler names a temporary failure
/// (`if (!(error instanceof QueueFullError)) throw error;` before the `503`).
fn in_failure_tests(response: &Response, failure: &Failure, temporary: &[PartRun]) -> bool {
    response
        .context
        .branch_conditions
        .iter()
        .filter(|condition| within(&condition.range, &failure.range))
        .any(|condition| words_have_run(&condition.words, temporary))
}

/// Whether the `503` answers a connection pool with none free: the branches that hold where it
/// is sent, or the failure it is sent from, name a pool and take from it (`pool.get()`, the
/// `_` arm of `match p.get().await` under `Some(p)` of `state::<DbPool>()`).
fn takes_from_pool(response: &Response, holding: &[&hsl_facts::Condition]) -> bool {
    let retry = &Conditions::get().retry;
    let mut words: Vec<&Words> = holding.iter().map(|condition| &condition.words).collect();
    if let Some(failure) = &response.context.failure {
        words.push(&failure.tried_words);
    }
    let names = || words.iter().flat_map(|words| words.names.iter());
    names().any(|name| has_run(name, &retry.pools))
        && names().any(|name| retry.pool_takes.iter().any(|take| take == name))
}

/// Whether the response comes from a health or readiness probe: its handler's name or the
/// literal path it is registered on says so (`getHealth`, `/healthz`, `/health/db`).
fn is_probe(ctx: &RuleContext<'_>, response: &Response, probes: &[PartRun]) -> bool {
    let Some(id) = response.handler else {
        return false;
    };
    let named = ctx
        .facts
        .handlers
        .get(id)
        .and_then(|handler| handler.name.as_deref())
        .is_some_and(|name| has_run(name, probes));
    named
        || ctx.facts.registrations.iter().any(|registration| {
            registration.handler == HandlerRef::Inline(id)
                && registration
                    .path
                    .as_deref()
                    .is_some_and(|path| has_run(path, probes))
        })
}
