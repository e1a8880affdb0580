use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct DeprecatedStatusCode;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "deprecated-status-code",
    summary: "status code IANA marks unused or obsolete",
    default_severity: Severity::Hint,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: DeprecatedStatusCode::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
