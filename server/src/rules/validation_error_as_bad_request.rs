use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct ValidationErrorAsBadRequest;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "validation-error-as-bad-request",
    summary: "`400` sent with a validator's result (`422`)",
    default_severity: Severity::Hint,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: ValidationErrorAsBadRequest::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
