use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct ErrorBodyOnSuccess;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "error-body-on-success",
    summary: "`2xx` response whose literal body reports an error",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ErrorBodyOnSuccess::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
