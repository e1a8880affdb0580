//! Hover on a status site: what the code means, as markdown, with byte ranges only.

use hsl_facts::{ByteRange, Method, Response, Spelling};
use hsl_status_codes::{self as status_codes, Class};
use hsl_tables::Tables;

use super::SourceFile;

/// What a hover shows and the range it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverInfo {
    pub range: ByteRange,
    pub markdown: String,
}

/// The hover at a byte offset: `None` unless the offset is on a status site with a known code.
pub fn hover(file: &SourceFile, offset: usize) -> Option<HoverInfo> {
    let response = site_at(&file.facts.responses, offset)?;
    let code = response.status.code?;
    let default_of = match &response.status.spelling {
        Spelling::ImplicitDefault { helper, .. } => Some(format!(
            "{} default of `{}`",
            Tables::get().display_name(&response.status.framework),
            call_text(&file.text, &response.status.range, helper)
        )),
        // A member of a family of fixed-status calls (NestJS `UnauthorizedException`) sends
        // its code by being called at all; say whose it is.
        Spelling::Helper { family, name, .. } if Tables::get().helper_family(family).is_none() => {
            Some(format!(
                "what {} `{name}` sends",
                Tables::get().display_name(&response.status.framework)
            ))
        }
        _ => None,
    };
    let mut markdown = code_markdown(code, default_of.as_deref());
    if let Some(warning) = retry_warning(&file.facts, response, code) {
        append_before_links(&mut markdown, &warning);
    }
    if let Some(spelled) = idiom_of(&file.facts, code) {
        append_before_links(
            &mut markdown,
            &format!("\n- In this file's idiom: `{spelled}`"),
        );
    }
    Some(HoverInfo {
        range: response.status.range.clone(),
        markdown,
    })
}

/// Statuses clients and their libraries retry by themselves (timeouts, `429`, the transient
/// `5xx`): a retried `POST` or `PATCH` runs again.
const RETRIED: [u16; 7] = [408, 425, 429, 500, 502, 503, 504];

/// For a status clients retry, sent by a handler this file proves answers `POST` or `PATCH`
/// and that reads no `Idempotency-Key`: the warning that a retry can do the work twice.
fn retry_warning(facts: &hsl_facts::FileFacts, response: &Response, code: u16) -> Option<String> {
    if !RETRIED.contains(&code) {
        return None;
    }
    let handler = facts.handlers.get(response.handler?)?;
    let method = handler
        .methods
        .iter()
        .map(|evidence| evidence.method)
        .find(|method| matches!(method, Method::Post | Method::Patch))?;
    let reads_key = |word: &String| {
        let lower = word.to_ascii_lowercase().replace(['-', '_'], "");
        lower.contains("idempotencykey")
    };
    let words = &handler.words;
    if words.names.iter().chain(&words.strings).any(reads_key) {
        return None;
    }
    Some(format!(
        "\n- Clients and their HTTP libraries retry `{code}` on their own. `{}` is not idempotent: a retried request can do the work twice (charge twice, create twice) unless the handler accepts an `Idempotency-Key` header and answers a repeat with the first result.",
        method.as_str()
    ))
}

/// How the file's own constant family writes `code` (`StatusCode::UNAUTHORIZED` in a file that
/// uses the `http` crate, `HttpStatus.UNAUTHORIZED` in a NestJS file): the first family of the
/// frameworks the file uses that names the code. A file with no such family gets none, so a
/// JavaScript hover never shows a Rust spelling.
fn idiom_of(facts: &hsl_facts::FileFacts, code: u16) -> Option<String> {
    let tables = Tables::get();
    facts
        .frameworks
        .iter()
        .filter_map(|id| tables.frameworks.iter().find(|table| &table.id == id))
        .flat_map(|table| &table.constant_families)
        .find_map(|family| hsl_fixes::spell_in_family(&family.id, code))
}

/// Inserts `line` before the links that end a code's documentation (or at the end).
fn append_before_links(markdown: &mut String, line: &str) {
    match markdown.rfind("\n\n[") {
        Some(at) => markdown.insert_str(at, line),
        None => markdown.push_str(line),
    }
}

/// The innermost status site containing the offset (a site's end counts, so a cursor right
/// after `302` still hovers it).
fn site_at(responses: &[Response], offset: usize) -> Option<&Response> {
    responses
        .iter()
        .filter(|r| r.status.range.start <= offset && offset <= r.status.range.end)
        .min_by_key(|r| r.status.range.end - r.status.range.start)
}

/// `res.redirect` from the helper's name and the receiver written before it, when there is one.
fn call_text(text: &str, range: &ByteRange, helper: &str) -> String {
    let before = text.get(..range.start).unwrap_or("");
    let Some(before_dot) = before.strip_suffix('.') else {
        return helper.to_string();
    };
    let receiver: String = before_dot
        .chars()
        .rev()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == '$')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if receiver.is_empty() {
        helper.to_string()
    } else {
        format!("{receiver}.{helper}")
    }
}

/// The markdown documentation of a code: shared by hover and completion.
pub fn code_markdown(code: u16, default_of: Option<&str>) -> String {
    let Some(class) = Class::of(code).map(Class::label) else {
        return format!(
            "**{code}** — not an HTTP status code\n\nStatus codes are three digits from 100 to 599 (RFC 9110 §15). Depending on the server, a response with this code is refused at run time, or reaches clients, which treat a code from 600 to 999 as a `5xx` server error."
        );
    };
    let Some(entry) = status_codes::lookup(code) else {
        return format!(
            "**{code}** — {class}\n\nNot in the IANA registry: clients that do not know it treat it as `{}`.",
            status_codes::label(code / 100 * 100)
        );
    };
    let name = &entry.name;
    let mut out = match default_of {
        Some(default_of) => format!("**{code} {name}** ({default_of}) — {class}"),
        None => format!("**{code} {name}** — {class}"),
    };
    let registration = match entry.registration {
        status_codes::Registration::Assigned => None,
        status_codes::Registration::Temporary => Some("temporary registration"),
        status_codes::Registration::Deprecated => Some("deprecated"),
        status_codes::Registration::ReservedUnused => Some("reserved, unused"),
        status_codes::Registration::Obsoleted => Some("obsoleted"),
        status_codes::Registration::NotRegistered => Some("not registered with IANA"),
    };
    if let Some(registration) = registration {
        out.push_str(&format!(" · *{registration}*"));
    }
    let Some(docs) = &entry.docs else {
        return out;
    };
    out.push_str("\n\n");
    out.push_str(&docs.meaning);
    out.push_str(&format!(
        "\n\n- Cacheable by default: {} · Retried by clients: {}",
        yes_no(docs.cacheable),
        yes_no(docs.retried)
    ));
    if !docs.headers.is_empty() {
        let headers: Vec<String> = docs.headers.iter().map(|h| format!("`{h}`")).collect();
        out.push_str(&format!("\n- Headers: {}", headers.join(", ")));
    }
    if !docs.misuses.is_empty() {
        out.push_str("\n- Common misuses:");
        for misuse in &docs.misuses {
            out.push_str(&format!("\n  - {misuse}"));
        }
    }
    if !docs.instead.is_empty() {
        out.push_str(&format!("\n- Instead: {}", docs.instead));
    }
    out.push_str(&format!(
        "\n\n[{}]({}) · [MDN]({})",
        docs.rfc, docs.rfc_url, docs.mdn
    ));
    out
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_text;
    use hsl_facts::Language;
    use std::path::PathBuf;

    fn file(language: Language, text: &str) -> SourceFile {
        from_text(PathBuf::from("x"), language, text.to_string())
    }

    #[test]
    fn number_hover() {
        let text = "app.post('/a', (req, res) => { res.status(302).send('x'); });";
        let f = file(Language::JavaScript, text);
        let at = text.find("302").expect("302") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(info.markdown.starts_with("**302 Found** — 3xx Redirection"));
        assert!(info.markdown.contains("rfc9110#section-15.4.3"));
        assert!(hover(&f, 2).is_none());
    }

    #[test]
    fn a_retried_status_in_a_post_handler_warns_of_doing_the_work_twice() {
        let warned = "retried request can do the work twice";
        let post = "app.post('/pay', async (req, res) => { res.status(503).send('later'); });";
        let f = file(Language::JavaScript, post);
        let at = post.find("503").expect("503") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(info.markdown.contains(warned), "{}", info.markdown);
        assert!(info.markdown.contains("`POST` is not idempotent"));
        // A handler that reads the key, a GET, and a status clients do not retry: no warning.
        for text in [
            "app.post('/pay', async (req, res) => { const key = req.get('Idempotency-Key'); res.status(503).send('later'); });",
            "app.get('/pay', async (req, res) => { res.status(503).send('later'); });",
            "app.post('/pay', async (req, res) => { res.status(409).send('no'); });",
        ] {
            let f = file(Language::JavaScript, text);
            let at = text.find(".status(").expect("status") + 9;
            let info = hover(&f, at).expect("hover");
            assert!(!info.markdown.contains(warned), "{text}\n{}", info.markdown);
        }
    }

    #[test]
    fn codes_outside_the_range_have_no_class() {
        let text = "app.get('/a', (req, res) => { res.status(4004).send('x'); });";
        let f = file(Language::JavaScript, text);
        let at = text.find("4004").expect("4004") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(
            info.markdown
                .starts_with("**4004** — not an HTTP status code"),
            "{}",
            info.markdown
        );
        assert!(!info.markdown.contains("class"), "{}", info.markdown);
    }

    #[test]
    fn javascript_hovers_show_no_rust_spelling() {
        let text = "const app = require('express')();\napp.get('/a', (req, res) => { res.status(401).send('x'); });";
        let f = file(Language::JavaScript, text);
        let at = text.find("401").expect("401") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(!info.markdown.contains("StatusCode::"), "{}", info.markdown);
        let nest = "import { HttpStatus, HttpCode, Post } from '@nestjs/common';\nexport class C {\n  @Post()\n  @HttpCode(401)\n  create() {}\n}\n";
        let f = file(Language::TypeScript, nest);
        let at = nest.find("401").expect("401") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(
            info.markdown.contains("`HttpStatus.UNAUTHORIZED`"),
            "{}",
            info.markdown
        );
        let rust = "use axum::http::StatusCode;\nasync fn h() -> StatusCode { StatusCode::UNAUTHORIZED }\n";
        let f = file(Language::Rust, rust);
        let at = rust.rfind("UNAUTHORIZED").expect("the site") + 1;
        let info = hover(&f, at).expect("hover");
        assert!(
            info.markdown.contains("`StatusCode::UNAUTHORIZED`"),
            "{}",
            info.markdown
        );
    }

    #[test]
    fn default_hover_names_the_helper() {
        let text = "app.post('/a', (req, res) => { res.redirect('/b'); });";
        let f = file(Language::JavaScript, text);
        let at = text.find("redirect").expect("redirect") + 2;
        let info = hover(&f, at).expect("hover");
        assert!(
            info.markdown
                .contains("**302 Found** (Express default of `res.redirect`)"),
            "{}",
            info.markdown
        );
    }

    #[test]
    fn exception_class_hover_names_the_class() {
        let text = "import { UnauthorizedException } from '@nestjs/common';\nexport class C {\n  find() {\n    throw new UnauthorizedException();\n  }\n}\n";
        let f = file(Language::TypeScript, text);
        let at = text.rfind("UnauthorizedException").expect("the throw") + 2;
        let info = hover(&f, at).expect("hover");
        assert!(
            info.markdown
                .contains("**401 Unauthorized** (what NestJS `UnauthorizedException` sends)"),
            "{}",
            info.markdown
        );
    }
}
