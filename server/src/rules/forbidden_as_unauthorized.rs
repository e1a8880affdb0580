use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct ForbiddenAsUnauthorized;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "forbidden-as-unauthorized",
    summary: "`401` where the user is known but lacks permission (`403`)",
    default_severity: Severity::Info,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: ForbiddenAsUnauthorized::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
