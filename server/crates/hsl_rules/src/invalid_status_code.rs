use crate::{Finding, FixAvailability, Frameworks, RuleContext, RuleMeta, Severity, declare_rule};
use hsl_facts::{Response, SiteRole, Spelling};
use hsl_fixes::{self as fixes, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A status code outside 100–599, or one the IANA registry does not list.
    ///
    /// ## What it does
    /// Flags a numeric status that is not an HTTP status code: outside 100–599 it is an error;
    /// inside that range but unregistered (`209`, `430`, `509`) it is a warning.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15 defines status codes as three digits from 100 to 599. What happens to
    /// another depends on the framework: Fastify throws `FST_ERR_BAD_STATUS_CODE` outside
    /// 100–599 and the Web `Response` constructor a `RangeError` outside 200–599, while Express
    /// 5, node's `writeHead`, Koa and the `http` crate only refuse codes outside 100–999. A code
    /// from 600 to 999 that gets through reaches clients, which must treat it as a `5xx` server
    /// error (§15); a code outside 100–999 cannot be written as a status at all. The message
    /// says which of these applies to the line, from the framework's table. An unregistered
    /// code in range is legal, but clients that do not know it treat it as the class's `x00`
    /// (§15), so it says less than a registered one.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/health", (req, res) => {
    ///   res.status(2000).send("ok");
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/health", (req, res) => {
    ///   res.status(200).send("ok");
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// fn teapot() -> StatusCode {
    ///     StatusCode::from_u16(1000).unwrap()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// fn teapot() -> StatusCode {
    ///     StatusCode::from_u16(100).unwrap()
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// When exactly one registered code is one typo away (a doubled digit, as in `2000` or
    /// `4044`), it is suggested; the rule cannot know the intent, so it is never applied
    /// automatically.
    ///
    /// ## When it stays silent
    /// For codes computed at run time (a variable, an expression), for named constants, which
    /// the framework already validates, and for codes that are only named, not sent (a test
    /// asserting that `StatusCode::from_u16(10000)` fails). Codes the registry lists but retires
    /// (`305`, `306`, `418`, `510`) are registered, so this rule leaves them to
    /// `deprecated-status-code`; the two never report the same site. `499` (nginx's "Client
    /// Closed Request") is unregistered but accepted: a server sets it for a request whose
    /// client has already gone, so no client reads it; it is there for logs and metrics.
    /// For a `Response` built by code that runs in a browser: its JavaScript file reads a
    /// member of a global only a browser has (`window.__TAURI__`, `navigator.userAgent`;
    /// listed under `[browser]` in `grammars-config/conditions.toml`) and never tests such a
    /// global with `typeof`. A fetch wrapper's `new Response("", {
    /// status: 599 })` for a failed request is a value for the page's own code; code that
    /// checks `typeof window` may run on a server and is judged as before.
    ///
    /// ## References
    /// - RFC 9110 §15 (status codes), IANA HTTP Status Code Registry
    pub struct InvalidStatusCode;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "invalid-status-code",
    summary: "status code outside 100–599 or not in the IANA registry",
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    // `http-status-codes` names registered codes only, so no invalid one can be spelled with
    // it; `createError(600)` from http-errors can.
    frameworks: Frameworks {
        except: &["http-status-codes"],
        also: &["http-errors"],
    },
    docs: InvalidStatusCode::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for response in &ctx.facts.responses {
        // A code only named (`from_u16(10000).is_err()` in a test) is not sent.
        if response.status.spelling != Spelling::Number || response.role != SiteRole::Sets {
            continue;
        }
        let Some(code) = response.status.code else {
            continue;
        };
        if runs_in_browser(ctx, response) {
            continue;
        }
        let registered = status_codes::lookup(code).is_some_and(|entry| entry.is_registered())
            || DE_FACTO.contains(&code);
        let (severity, message) = if !(100..=599).contains(&code) {
            (
                meta.default_severity,
                format!(
                    "`{code}` is not an HTTP status code: codes are 100–599, and {}",
                    out_of_range_consequence(&response.status.framework, code)
                ),
            )
        } else if !registered {
            (
                Severity::Warning,
                format!(
                    "`{code}` is not in the IANA registry: clients that do not know it treat it as `{}`",
                    status_codes::label(code / 100 * 100)
                ),
            )
        } else {
            continue;
        };
        let mut fixes = Vec::new();
        if let Some(nearest) = nearest_registered(code)
            && let Some(edit) = fixes::respell(&response.status, nearest)
        {
            fixes.push(Fix::suggested(
                format!("Use `{}`", status_codes::label(nearest)),
                vec![edit],
            ));
        }
        findings.push(Finding {
            rule: meta.id,
            severity,
            range: response.status.range.clone(),
            message,
            fixes,
            related: Vec::new(),
        });
    }
    findings
}

/// What happens to a response with a code outside 100–599: the framework refuses the codes
/// outside what its table says it accepts; a code it lets through (600–999 in node or the
/// `http` crate) reaches clients, which treat it as a server error (RFC 9110 §15); outside
/// 100–999 no status line can carry it.
fn out_of_range_consequence(framework: &str, code: u16) -> String {
    let tables = hsl_tables::Tables::get();
    let accepted = tables
        .framework(framework)
        .and_then(|table| table.accepted_statuses);
    match accepted {
        Some(range) if !range.contains(code) => {
            let (low, high) = (range.first, range.last);
            let display = tables.display_name(framework);
            // A library named as a crate reads as a noun: "the http crate".
            let article = if display.ends_with(" crate") {
                "the "
            } else {
                ""
            };
            format!("{article}{display} refuses it at run time (it accepts {low}–{high})")
        }
        _ if (600..=999).contains(&code) => {
            "clients treat a response with it as a `5xx` server error".to_string()
        }
        _ => "it is not a three-digit status a response can carry".to_string(),
    }
}

/// Unregistered codes in such wide use that clients never see them as unknown: `499`
/// (nginx's "Client Closed Request", also used by Envoy and gRPC gateways) is set by a server
/// for a request whose client already went away, so no client reads it; it exists for logs
/// and metrics.
const DE_FACTO: &[u16] = &[499];

/// The one registered code reached by dropping a doubled digit (`2000` → `200`, `4044` → `404`);
/// `None` when there is no such code or more than one.
fn nearest_registered(code: u16) -> Option<u16> {
    let digits: Vec<char> = code.to_string().chars().collect();
    if digits.len() != 4 {
        return None;
    }
    let mut candidates: Vec<u16> = Vec::new();
    for index in 1..digits.len() {
        if digits[index] != digits[index - 1] {
            continue;
        }
        let mut shorter = digits.clone();
        shorter.remove(index);
        let Ok(value) = shorter.iter().collect::<String>().parse::<u16>() else {
            continue;
        };
        let known = status_codes::lookup(value).is_some_and(|e| e.is_registered());
        if known && !candidates.contains(&value) {
            candidates.push(value);
        }
    }
    match candidates.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Whether the response is built by code that runs in a browser (its file reads `window.…`
/// or another browser-only global): it answers the page's own code, and no client
/// of an HTTP server ever reads its status.
fn runs_in_browser(ctx: &RuleContext<'_>, response: &Response) -> bool {
    response
        .handler
        .and_then(|id| ctx.facts.handlers.get(id))
        .is_some_and(|handler| handler.in_browser)
}

#[cfg(test)]
mod tests {
    use super::nearest_registered;

    #[test]
    fn doubled_digit_typos_have_one_answer() {
        assert_eq!(nearest_registered(2000), Some(200));
        assert_eq!(nearest_registered(4044), Some(404));
        assert_eq!(nearest_registered(4004), Some(404));
        assert_eq!(nearest_registered(1234), None);
        assert_eq!(nearest_registered(999), None);
    }
}
