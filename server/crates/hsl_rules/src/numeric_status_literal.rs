use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{SiteRole, Spelling};
use hsl_fixes::{self as fixes, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A bare number sets a status in a file that names its statuses with constants.
    ///
    /// ## What it does
    /// Off by default; enable it in configuration (`numeric-status-literal = "hint"`).
    /// Flags a status written as a number (`res.status(201)`) in a file that already writes
    /// statuses with a named-constant family: `StatusCodes.OK` from `http-status-codes`,
    /// NestJS's `HttpStatus.OK`, the `http` crate's `StatusCode::OK`, Rocket's `Status::Ok`.
    /// The message names the constant for the code, in the file's own family.
    ///
    /// ## Why is this bad?
    /// A file that mixes `StatusCodes.CREATED` and `201` makes readers translate numbers, and a
    /// search for `StatusCodes.` misses the numeric sites. A constant names the intent
    /// (`UNPROCESSABLE_ENTITY` rather than `422`) and cannot be mistyped as a code that does not
    /// exist. This is a consistency rule, not a correctness one, so it is opt-in.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// import { StatusCodes } from "http-status-codes";
    /// app.get("/items", (req, res) => res.status(StatusCodes.OK).json(items));
    /// app.post("/items", (req, res) => res.status(201).json(item));
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// import { StatusCodes } from "http-status-codes";
    /// app.get("/items", (req, res) => res.status(StatusCodes.OK).json(items));
    /// app.post("/items", (req, res) => res.status(StatusCodes.CREATED).json(item));
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn list() -> impl IntoResponse {
    ///     (StatusCode::OK, "[]")
    /// }
    /// async fn create() -> impl IntoResponse {
    ///     (StatusCode::from_u16(201).unwrap(), "{}")
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn list() -> impl IntoResponse {
    ///     (StatusCode::OK, "[]")
    /// }
    /// async fn create() -> impl IntoResponse {
    ///     (StatusCode::CREATED, "{}")
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// In JavaScript and TypeScript the number is replaced by the constant, written the way the
    /// file already writes the family (`StatusCodes.CREATED`); the value is the same, so the fix
    /// is safe. It is offered only when the family's name (`StatusCodes`, `HttpStatus`) is
    /// imported in the file, so the fix never writes a name that is not in scope. In Rust the
    /// number sits inside `StatusCode::from_u16(..)` or `Status::new(..)`, where the whole call
    /// must become the constant, so the message names the constant and no fix is offered.
    ///
    /// ## When it stays silent
    /// In files that write no status as a constant (numbers are then the file's style); when
    /// the file uses two families equally often (which one to use is a choice); when the family
    /// has no name for the code; for codes `deprecated-status-code` or `invalid-status-code`
    /// reports (`418`, `509`), whose constant would be no better; for codes that are only
    /// compared or asserted, not set; for codes computed at run time; and for numbers in Rust
    /// attributes (`#[oai(status = 201)]`, `#[response(status = 201)]`), which take only a
    /// number.
    ///
    /// ## References
    /// - `http-status-codes` (npm), NestJS `HttpStatus`, `http::StatusCode`, Rocket `Status`
    /// - Go's `usestdlibvars` linter, which makes the same suggestion for `net/http`
    pub struct NumericStatusLiteral;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "numeric-status-literal",
    summary: "bare number where the file uses a named-constant family",
    default_severity: Severity::Hint,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: NumericStatusLiteral::DOCS,
    since: "next",
    default_enabled: false,
    method_codes: &[],
};

/// How often the file writes a status with one constant family, and how it writes the part
/// before the name.
struct FamilyUse<'a> {
    family: &'a str,
    uses: usize,
    /// The file's own text before a constant's name (`StatusCodes.`, `axum::http::StatusCode::`)
    /// when that text is a plain path whose first segment the file imports (or, in Rust, a path
    /// of several segments), so writing it again names the same thing.
    prefix: Option<&'a str>,
}

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let families = family_uses(ctx);
    if families.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for response in &ctx.facts.responses {
        let site = &response.status;
        if response.role != SiteRole::Sets || site.spelling != Spelling::Number {
            continue;
        }
        // A retired or unlisted code is another rule's finding; its constant is no better.
        let Some(code) = site.code.filter(|code| {
            status_codes::lookup(*code)
                .is_some_and(|entry| entry.is_registered() && !entry.is_retired())
        }) else {
            continue;
        };
        // A Rust status outside any function is an attribute on a response type, which only
        // takes a number.
        let in_response_type = response
            .handler
            .and_then(|id| ctx.facts.handlers.get(id))
            .is_some_and(|handler| handler.response_type);
        if (in_response_type || response.handler.is_none())
            && !fixes::is_js_framework(&site.framework)
        {
            continue;
        }
        let mut naming: Vec<&FamilyUse<'_>> = families
            .iter()
            .filter(|usage| fixes::constant_name(usage.family, code).is_some())
            .collect();
        naming.sort_by_key(|usage| std::cmp::Reverse(usage.uses));
        let chosen = match naming.as_slice() {
            [only] => *only,
            [first, second, ..] if first.uses > second.uses => *first,
            _ => continue,
        };
        let Some(name) = fixes::constant_name(chosen.family, code) else {
            continue;
        };
        let spelled = match chosen.prefix {
            Some(prefix) => format!("{prefix}{name}"),
            None => match fixes::spell_in_family(chosen.family, code) {
                Some(spelled) => spelled,
                None => continue,
            },
        };
        let fixes = chosen
            .prefix
            .and_then(|prefix| fixes::number_to_constant(site, chosen.family, prefix, code))
            .map(|edit| Fix::safe(format!("Use `{spelled}`"), vec![edit]))
            .into_iter()
            .collect();
        findings.push(Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: site.range.clone(),
            message: format!(
                "`{code}` is a bare number in a file that names statuses with constants: use `{spelled}`"
            ),
            fixes,
            related: Vec::new(),
        });
    }
    findings
}

/// The constant families the file writes statuses with, in order of first use.
fn family_uses<'a>(ctx: &RuleContext<'a>) -> Vec<FamilyUse<'a>> {
    let mut uses: Vec<FamilyUse<'a>> = Vec::new();
    for response in &ctx.facts.responses {
        let Spelling::Constant {
            family, name_range, ..
        } = &response.status.spelling
        else {
            continue;
        };
        let prefix = ctx
            .text
            .get(response.status.range.start..name_range.start)
            .filter(|prefix| usable_prefix(ctx, prefix));
        match uses.iter_mut().find(|usage| usage.family == family) {
            Some(usage) => {
                usage.uses += 1;
                usage.prefix = usage.prefix.or(prefix);
            }
            None => uses.push(FamilyUse {
                family,
                uses: 1,
                prefix,
            }),
        }
    }
    uses
}

/// Whether the text before a constant's name can be written again elsewhere in the file: a
/// plain path (`StatusCodes.`, `http::StatusCode::`) whose first segment is imported, or in Rust
/// a path of several segments (`axum::http::StatusCode::`, resolved from the crate root).
fn usable_prefix(ctx: &RuleContext<'_>, prefix: &str) -> bool {
    let plain = !prefix.is_empty()
        && prefix
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '$' | '.' | ':'));
    if !plain {
        return false;
    }
    let (first, segments) = if prefix.contains("::") {
        let parts: Vec<&str> = prefix.split("::").filter(|s| !s.is_empty()).collect();
        (parts.first().copied().unwrap_or(""), parts.len())
    } else {
        (prefix.split('.').next().unwrap_or(""), 1)
    };
    segments > 1 || ctx.facts.imports.iter().any(|import| import.local == first)
}
