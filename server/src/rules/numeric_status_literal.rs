use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct NumericStatusLiteral;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "numeric-status-literal",
    summary: "bare number where the file uses a named-constant family",
    default_severity: Severity::Hint,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: NumericStatusLiteral::DOCS,
    since: "next",
    default_enabled: false,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
