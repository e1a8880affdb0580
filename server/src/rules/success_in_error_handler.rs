use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
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
    let _ = (ctx, meta);
    Vec::new()
}
