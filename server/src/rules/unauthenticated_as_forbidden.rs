use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct UnauthenticatedAsForbidden;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "unauthenticated-as-forbidden",
    summary: "`403` where the credential is missing or invalid (`401`)",
    default_severity: Severity::Info,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: UnauthenticatedAsForbidden::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
