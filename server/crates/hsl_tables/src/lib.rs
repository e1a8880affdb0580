//! The framework tables of `grammars-config/frameworks/`, embedded at build time.
//!
//! Framework knowledge lives in those TOML files so that supporting a framework is a table and
//! fixtures, not new Rust. This crate gives them types, checked when a table is loaded (a value
//! outside its vocabulary fails with the table's file and key), and derives from them what the
//! rest of the product would otherwise keep by hand (the prefilter's literals); the syntax layer
//! reads them.

use std::sync::OnceLock;

use hsl_facts::Family;

mod calls;
mod conditions;
mod framework;
mod overrides;
mod prefilter;
mod routes;
mod values;

pub use calls::{DirectiveDefault, RedirectHelper, ResponseCall, ResponseNames, StatusAssignment};
pub use conditions::*;
pub use framework::{
    ArgMethod, ConstantFamily, Detect, Framework, HeaderFn, HeaderMethod, HelperFamily,
    ResponseEnumContract, StatusAttribute, StatusCtor, StatusFn,
};
pub use overrides::FrameworkOverrides;
pub use prefilter::{
    ERROR_CODE_PROPERTIES, ERROR_STATUS_PROPERTIES, StatusLiterals, credential_literals,
    route_literals, route_literals_for, status_literals, status_literals_for,
};
pub use routes::{
    ApiImpl, AppRoot, MethodAttribute, MethodBranches, MountOption, PathFilters, ResponseAttribute,
    ResponseDecorators, ResponseSchema, RouteDefinition, RouteObject, Routes,
};
pub use values::{
    CodeRange, FixedBody, Fixtures, InsertionForm, Insertions, KeepsStatus, Template, TupleStatus,
};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// All tables, parsed once.
#[derive(Debug)]
pub struct Tables {
    /// JavaScript's tables, then Rust's, each by priority.
    pub frameworks: Vec<Framework>,
}

impl Tables {
    /// The embedded tables. They are checked by tests at build time, so a load failure here is
    /// a build defect; it is reported and the table skipped rather than taking the process down.
    pub fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut frameworks = Vec::new();
            for (file, text) in EMBEDDED {
                match load(file, text) {
                    Ok(framework) => frameworks.push(framework),
                    Err(err) => eprintln!("http-status-ls: bad embedded table {err}"),
                }
            }
            frameworks.sort_by_key(|framework| {
                let family = Family::ALL.iter().position(|f| *f == framework.language);
                (family, framework.priority)
            });
            Tables { frameworks }
        })
    }

    /// The tables for one language family, by priority.
    pub fn for_language(&self, family: Family) -> impl Iterator<Item = &Framework> {
        self.frameworks
            .iter()
            .filter(move |framework| framework.language == family)
    }

    /// A table by id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|framework| framework.id == id)
    }

    /// A constant family by id, from any table.
    pub fn constant_family(&self, id: &str) -> Option<&ConstantFamily> {
        self.frameworks
            .iter()
            .flat_map(|framework| &framework.constant_families)
            .find(|family| family.id == id)
    }

    /// A helper family by id, from any table.
    pub fn helper_family(&self, id: &str) -> Option<&HelperFamily> {
        self.frameworks
            .iter()
            .flat_map(|framework| &framework.helper_families)
            .find(|family| family.id == id)
    }

    /// The member of a helper family, or of a family of calls with fixed statuses, that sends
    /// `code` (`SeeOther` for actix's 303, `ForbiddenException` for NestJS's 403).
    pub fn family_member(&self, id: &str, code: u16) -> Option<&str> {
        if let Some(family) = self.helper_family(id) {
            return family
                .codes
                .iter()
                .find(|(_, value)| **value == code)
                .map(|(name, _)| name.as_str());
        }
        self.frameworks
            .iter()
            .flat_map(|framework| framework.calls.iter().chain(&framework.constructors))
            .find(|call| call.family.as_deref() == Some(id) && call.implicit_status == Some(code))
            .map(|call| call.method.as_str())
    }

    /// A framework's display name, for messages ("302 Found (Express default)").
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.framework(id)
            .map_or(id, |framework| framework.display.as_str())
    }

    /// Every directive a JS table's helper defaults depend on (`"use server"`): whether a file
    /// starts with one is part of what its statements are read with.
    pub fn js_directives(&self) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .for_language(Family::JavaScript)
            .flat_map(|framework| framework.calls.iter().chain(&framework.functions))
            .filter_map(|call| call.redirect.as_ref()?.under_directive.as_ref())
            .map(|under| under.directive.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Parses one table and checks what its types cannot say; the error starts with `file`, and
/// names the key (TOML's own errors quote the line).
pub fn load(file: &str, text: &str) -> Result<Framework, String> {
    let framework: Framework = toml::from_str(text).map_err(|err| format!("{file}: {err}"))?;
    let problems = problems(&framework);
    if problems.is_empty() {
        Ok(framework)
    } else {
        Err(format!("{file}: {}", problems.join("; ")))
    }
}

/// What a parsed table gets wrong that serde cannot see: a redirect whose status argument
/// lacks its argument count (or the reverse), a constant family's spelling without its name.
fn problems(framework: &Framework) -> Vec<String> {
    let mut problems = Vec::new();
    let keyed = [
        ("calls", &framework.calls),
        ("constructors", &framework.constructors),
        ("functions", &framework.functions),
        ("decorator_calls", &framework.decorator_calls),
    ];
    for (key, calls) in keyed {
        for call in calls {
            if let Some(redirect) = &call.redirect
                && redirect.status_arg.is_some() != redirect.min_args_for_status.is_some()
            {
                problems.push(format!(
                    "{key} `{}`: redirect.status_arg and redirect.min_args_for_status go together",
                    call.method
                ));
            }
        }
    }
    for family in &framework.constant_families {
        if !family.spelling.has("name") {
            problems.push(format!(
                "constant_families `{}`: spelling `{}` has no {{name}}",
                family.id, family.spelling
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests;
