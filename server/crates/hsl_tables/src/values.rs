//! The closed vocabularies of the framework tables, parsed when a table is loaded: a value
//! outside its vocabulary (`body = "nonw"`, `language = "ts"`, a misspelled insertion form or
//! placeholder) fails the load with the table's file and line, instead of silently matching
//! nothing at run time.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use hsl_facts::{Family, Method};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// The body a call always sends, whatever its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixedBody {
    /// `"none"`: the call finishes the response without content of the handler's choosing
    /// (`res.sendStatus(204)`, `res.redirect(url)`).
    None,
    /// `"opaque"`: content the syntax cannot read (`res.render(view)`, `res.sendFile(path)`).
    Opaque,
}

/// Which status set earlier on the same response a redirect helper keeps instead of its
/// default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeepsStatus {
    /// `"any"`: every earlier status (Fastify `reply.code(303).redirect(url)`).
    Any,
    /// `"redirect"`: an earlier redirect code only (Koa `ctx.status = 301; ctx.redirect(url)`).
    Redirect,
}

/// Where the status stands in a Rust responder tuple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TupleStatus {
    /// `"first"`: `(StatusCode, R)` (axum, Rocket, poem).
    First,
    /// `"last"`: `(R, StatusCode)`, body first (actix-web).
    Last,
}

/// Whose fixtures cover a table, which decides the frameworks a rule claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fixtures {
    /// `"every-rule"` (the default): a framework of its own; every rule that applies to every
    /// framework has positive and negative fixtures for it.
    #[default]
    EveryRule,
    /// `"some-rules"`: a library that shows only some problems (http-errors builds 4xx and
    /// 5xx errors only); the rules it applies to name it.
    SomeRules,
    /// `"other-tables"`: read through other frameworks' code (the `http` crate's types through
    /// axum or hyper, Next.js's Pages Router beside its App Router), whose fixtures cover it.
    OtherTables,
}

/// An inclusive range of status codes (`[100, 599]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "[u16; 2]")]
pub struct CodeRange {
    pub first: u16,
    pub last: u16,
}

impl TryFrom<[u16; 2]> for CodeRange {
    type Error = String;

    fn try_from([first, last]: [u16; 2]) -> Result<CodeRange, String> {
        if first > last || !(100..=999).contains(&first) || !(100..=999).contains(&last) {
            return Err(format!(
                "`[{first}, {last}]` is not a range of three-digit codes, lowest first"
            ));
        }
        Ok(CodeRange { first, last })
    }
}

impl CodeRange {
    /// Whether `code` is in the range, ends included.
    pub fn contains(self, code: u16) -> bool {
        (self.first..=self.last).contains(&code)
    }
}

/// The placeholders a template may hold, and what fills each in.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("name", "the header's name, from the rule"),
    ("value", "the header's value, from the rule"),
    ("code", "the status code, from the rule"),
    ("q", "the file's quote character"),
    ("receiver", "the response object's name"),
    ("indent", "the statement's indentation"),
];

/// Code text a fix writes, with `{name}`-style placeholders filled in later; only the
/// placeholders of [`PLACEHOLDERS`] are allowed, so a misspelled one cannot reach a file.
/// Other braces are text (`{ status: {code} }`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Template(String);

impl TryFrom<String> for Template {
    type Error = String;

    fn try_from(text: String) -> Result<Template, String> {
        for placeholder in placeholders(&text) {
            if !PLACEHOLDERS.iter().any(|(known, _)| *known == placeholder) {
                let known: Vec<String> = PLACEHOLDERS
                    .iter()
                    .map(|(known, meaning)| format!("{{{known}}} ({meaning})"))
                    .collect();
                return Err(format!(
                    "unknown placeholder `{{{placeholder}}}` in `{text}`; expected one of: {}",
                    known.join(", ")
                ));
            }
        }
        Ok(Template(text))
    }
}

impl Template {
    /// The template's text, placeholders unfilled.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the template holds `{placeholder}`.
    pub fn has(&self, placeholder: &str) -> bool {
        placeholders(&self.0).any(|found| found == placeholder)
    }
}

impl Deref for Template {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The names of the `{word}` placeholders of a text (a lower-case word between braces).
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|after| {
        let (word, _) = after.split_once('}')?;
        (!word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .then_some(word)
    })
}

/// Where a fix writes text at a JS call, in the framework's idiom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InsertionForm {
    /// `before-first-arg`: the code as a new first argument (`res.redirect(303, url)`).
    BeforeFirstArg,
    /// `after-last-arg`: the code as a new last argument (`c.redirect(url, 303)`).
    AfterLastArg,
    /// `after-call:<text>`: after the call (Express `.set(..)` after `status(..)`).
    AfterCall(Template),
    /// `before-method:<text>`: before the method name (`status(201).` before `json`).
    BeforeMethod(Template),
    /// `before-statement:<text>`: a statement of its own before the call's (or before the
    /// decorator); `{indent}` is its indentation, `{receiver}` the response object.
    BeforeStatement(Template),
    /// `init-headers`: a key in the init object's `headers`, or a `headers` entry.
    InitHeaders,
    /// `headers-arg`: a key in the header object argument, or a new one.
    HeadersArg,
    /// `init-arg:<text>`: a `status` entry in the init object, or `<text>` after the last
    /// argument.
    InitArg(Template),
}

impl InsertionForm {
    /// The form's name in the tables.
    pub fn kind(&self) -> &'static str {
        match self {
            InsertionForm::BeforeFirstArg => "before-first-arg",
            InsertionForm::AfterLastArg => "after-last-arg",
            InsertionForm::AfterCall(_) => "after-call",
            InsertionForm::BeforeMethod(_) => "before-method",
            InsertionForm::BeforeStatement(_) => "before-statement",
            InsertionForm::InitHeaders => "init-headers",
            InsertionForm::HeadersArg => "headers-arg",
            InsertionForm::InitArg(_) => "init-arg",
        }
    }

    /// Parses one form: `kind` or `kind:<template>`.
    fn parse(text: &str) -> Result<InsertionForm, String> {
        let (kind, template) = match text.split_once(':') {
            Some((kind, template)) => (kind, Some(Template::try_from(template.to_string())?)),
            None => (text, None),
        };
        let form = match (kind, template) {
            ("before-first-arg", None) => InsertionForm::BeforeFirstArg,
            ("after-last-arg", None) => InsertionForm::AfterLastArg,
            ("init-headers", None) => InsertionForm::InitHeaders,
            ("headers-arg", None) => InsertionForm::HeadersArg,
            ("after-call", Some(template)) => InsertionForm::AfterCall(template),
            ("before-method", Some(template)) => InsertionForm::BeforeMethod(template),
            ("before-statement", Some(template)) => InsertionForm::BeforeStatement(template),
            ("init-arg", Some(template)) => InsertionForm::InitArg(template),
            _ => {
                return Err(format!(
                    "unknown insertion form `{text}`; expected `before-first-arg`, \
                     `after-last-arg`, `init-headers`, `headers-arg`, or `after-call:`, \
                     `before-method:`, `before-statement:`, `init-arg:` and a template"
                ));
            }
        };
        Ok(form)
    }
}

/// One or more insertion forms, written `a|b`: the first that applies at a site is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertions(Vec<InsertionForm>);

impl Insertions {
    /// Parses `a|b`, refusing forms not in `allowed` (a header cannot go where a status goes).
    fn parse(text: &str, what: &str, allowed: &[&str]) -> Result<Insertions, String> {
        let mut forms = Vec::new();
        for part in text.split('|') {
            let form = InsertionForm::parse(part)?;
            if !allowed.contains(&form.kind()) {
                return Err(format!(
                    "`{}` cannot place {what}; expected one of: {}",
                    form.kind(),
                    allowed.join(", ")
                ));
            }
            forms.push(form);
        }
        Ok(Insertions(forms))
    }

    /// The forms, in the order they are tried.
    pub fn forms(&self) -> &[InsertionForm] {
        &self.0
    }
}

/// Deserialises an optional string with `parse`, naming nothing itself: the TOML error points
/// at the key.
fn optional_with<'de, D, T>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize(deserializer)?;
    parse(&text).map(Some).map_err(D::Error::custom)
}

/// A call's `header_insert`: where a header goes on the response whose status it sets.
pub(crate) fn header_insertions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Insertions>, D::Error> {
    optional_with(deserializer, |text| {
        Insertions::parse(
            text,
            "a header",
            &[
                "after-call",
                "before-method",
                "before-statement",
                "init-headers",
                "headers-arg",
            ],
        )
    })
}

/// A call's `implicit_insert`: where an explicit status goes when the call sends its default.
pub(crate) fn status_insertions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Insertions>, D::Error> {
    optional_with(deserializer, |text| {
        Insertions::parse(
            text,
            "a status",
            &[
                "after-call",
                "before-method",
                "before-statement",
                "init-arg",
            ],
        )
    })
}

/// A redirect helper's `insert`: where an explicit code goes.
pub(crate) fn redirect_insertions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Insertions>, D::Error> {
    optional_with(deserializer, |text| {
        Insertions::parse(
            text,
            "a redirect code",
            &[
                "before-first-arg",
                "after-last-arg",
                "before-method",
                "before-statement",
            ],
        )
    })
}

/// An assignment's insertions: a statement of its own before the assignment, the only place
/// next to a statement.
pub(crate) fn statement_insertions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Insertions>, D::Error> {
    optional_with(deserializer, |text| {
        Insertions::parse(text, "text beside an assignment", &["before-statement"])
    })
}

/// A table's `language`: `"js"` or `"rust"`, the names [`Family::table_name`] gives.
pub(crate) fn family<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Family, D::Error> {
    let name = String::deserialize(deserializer)?;
    Family::of_table_name(&name).ok_or_else(|| {
        let known: Vec<String> = Family::ALL
            .iter()
            .map(|family| format!("`{}`", family.table_name()))
            .collect();
        D::Error::custom(format!(
            "unknown language `{name}`; expected one of: {}",
            known.join(", ")
        ))
    })
}

/// A map of names to HTTP methods (`post = "POST"`), each method checked.
pub(crate) fn methods<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Method>, D::Error> {
    let raw = BTreeMap::<String, String>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|(name, method)| match Method::parse(&method) {
            Some(parsed) => Ok((name, parsed)),
            None => Err(D::Error::custom(format!(
                "`{name} = \"{method}\"`: `{method}` is not an HTTP method"
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_allow_known_placeholders_and_other_braces() {
        assert!(Template::try_from(", { status: {code} }".to_string()).is_ok());
        assert!(Template::try_from(".set({q}{name}{q}, {q}{value}{q})".to_string()).is_ok());
        let err = Template::try_from(".set({nmae})".to_string()).unwrap_err();
        assert!(err.contains("`{nmae}`"), "{err}");
    }

    #[test]
    fn insertion_forms_parse_alternatives_and_refuse_misplaced_ones() {
        let forms = Insertions::parse(
            "before-statement:{receiver}.x();\n{indent}|headers-arg",
            "a header",
            &["before-statement", "headers-arg"],
        )
        .expect("forms");
        assert_eq!(forms.forms().len(), 2);
        assert_eq!(forms.forms()[1], InsertionForm::HeadersArg);
        assert!(Insertions::parse("init-arg:, {code}", "a header", &["headers-arg"]).is_err());
        assert!(Insertions::parse("after-call", "a header", &["after-call"]).is_err());
        assert!(Insertions::parse("afer-call:x", "a header", &["after-call"]).is_err());
    }

    #[test]
    fn code_ranges_are_ordered_three_digit_codes() {
        assert!(CodeRange::try_from([100, 599]).is_ok());
        assert!(CodeRange::try_from([599, 100]).is_err());
        assert!(CodeRange::try_from([0, 599]).is_err());
    }
}
