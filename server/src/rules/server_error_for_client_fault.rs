use crate::rules::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};

declare_rule! {
    /// TODO(docs): written with the rule.
    pub struct ServerErrorForClientFault;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "server-error-for-client-fault",
    summary: "`500` for the client's own mistake",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ServerErrorForClientFault::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let _ = (ctx, meta);
    Vec::new()
}
