use crate::conditions::{permission_fails, tests_missing_credential};
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::Response;

declare_rule! {
    /// A `401` answers a signed-in user who lacks permission.
    ///
    /// ## What it does
    /// Flags a `401 Unauthorized` set where a test of a permission, role or ownership fails for
    /// a user the code has already identified: `if (!user.roles.includes("admin"))`,
    /// `if (post.authorId !== req.user.id)`, `if !claims.is_admin`,
    /// `if (!ability.can("delete", post))`. Permission helpers and role flags are recognised
    /// by the words their names are made of, so the project's own names count:
    /// `isUserAnOrgAdmin(..)`, `canViewWebsite(..)`, `is_moderator`, a local `is_allowed`, a
    /// negated `adminRole` or `teamMember`; ownership comparisons count through `.toString()`,
    /// `String(..)` and `.equals(..)` (`post.user.toString() !== req.user.id`), and with the
    /// signed-in user's id bound to a local named as the record's field
    /// (`existing.userId !== userId` after `const userId = auth.user.id`); so does a
    /// lookup named for a grant that found none for the user
    /// (`let Some(membership) = Membership::find(&user.id, &org) else { .. }`).
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.2 defines `401 Unauthorized` as "lacks valid authentication credentials":
    /// signing in (again) would help, and clients react that way: browsers prompt, front ends
    /// drop the session and send the user to the sign-in page, token clients refresh and retry.
    /// A user who is signed in but not allowed needs `403 Forbidden` (§15.5.4): the server
    /// knows who is asking and refuses; new credentials for the same user will not change that.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.delete("/posts/:id", async (req, res) => {
    ///   const post = await Post.findById(req.params.id);
    ///   if (post.authorId !== req.user.id) {
    ///     return res.status(401).json({ error: "Not your post" });
    ///   }
    ///   await post.deleteOne();
    ///   res.status(204).end();
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.delete("/posts/:id", async (req, res) => {
    ///   const post = await Post.findById(req.params.id);
    ///   if (post.authorId !== req.user.id) {
    ///     return res.status(403).json({ error: "Not your post" });
    ///   }
    ///   await post.deleteOne();
    ///   res.status(204).end();
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn purge(claims: Claims) -> StatusCode {
    ///     if !claims.is_admin {
    ///         return StatusCode::UNAUTHORIZED;
    ///     }
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn purge(claims: Claims) -> StatusCode {
    ///     if !claims.is_admin {
    ///         return StatusCode::FORBIDDEN;
    ///     }
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// `403 Forbidden` is offered as a suggested fix, in the site's own spelling, when that
    /// spelling has a `403` (a number, `StatusCode::FORBIDDEN`, `HttpStatus.FORBIDDEN`,
    /// `HttpResponse::Forbidden()`; not for NestJS's `UnauthorizedException`, which is left to
    /// you). It is not applied by `--fix`: clients that sign the user out on `401` will stop
    /// doing so, which is the point but still a change of behaviour to review.
    ///
    /// ## When it stays silent
    /// When a test on the way to the `401` is for a missing credential (`if (!req.user ||
    /// !req.user.isAdmin)`: a `401` is right for the anonymous half); when the permission test
    /// passed on the way to it (a guard `if (!isAdmin) return 403` before a `401` for an
    /// expired token); when no failing test names a permission, role or owner (the words and
    /// word parts are listed in `grammars-config/conditions.toml`: a check through a helper
    /// of another name, `if (!allowed(user))`, is not seen); for a name that ends in a
    /// credential word (`adminToken`, `owner_api_key`: a missing one is a `401` case); when a
    /// call that starts with a verifier's verb fails on a credential it is given
    /// (`decode_admin(access_token).is_err()`: the token is invalid, whatever role the name
    /// speaks of); when a test checks what kind of credential was decoded (`if
    /// (!allowedTypes.includes(payload.type))`, `claims.iss != ISSUER`: a refresh token used
    /// as a session or another issuer's token is an invalid credential, whatever the list is
    /// called; roles and scopes in the claims still ask a permission); when a stored value
    /// fails to convert (`MembershipType::from_i32(row.atype)`: bad data, not a missing
    /// grant); past a lookup that found the grant (after `let Some(membership) =
    /// Membership::find(..) else { .. }`, in `Some(role) =>`): a `401` there answers something
    /// else; when the status is only compared, not set.
    ///
    /// ## References
    /// - RFC 9110 §15.5.2 (401 Unauthorized), §15.5.4 (403 Forbidden)
    pub struct ForbiddenAsUnauthorized;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "forbidden-as-unauthorized",
    summary: "`401` where the user is known but lacks permission (`403`)",
    default_severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ForbiddenAsUnauthorized::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.setting(401)
        .filter(|response| answers_known_user(response))
        .map(|response| {
            Finding::use_instead(
                ctx,
                meta,
                response,
                403,
                "`401` for a user who is signed in but lacks permission: use `403 Forbidden`"
                    .to_string(),
            )
        })
        .collect()
}

/// Whether the response answers a user the code has identified and then refused: a test on
/// the way to it fails on a permission, a role or an ownership, and none of them is for a
/// missing or invalid credential. `unauthorized-without-challenge` asks this too, so that
/// only the right rule speaks on such a `401`.
pub(crate) fn answers_known_user(response: &Response) -> bool {
    let conditions = &response.context.branch_conditions;
    !conditions.iter().any(tests_missing_credential) && conditions.iter().any(permission_fails)
}
