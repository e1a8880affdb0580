//! The framework tables of `grammars-config/frameworks/`, embedded at build time.
//!
//! Framework knowledge lives in those TOML files so that supporting a framework is a table and
//! fixtures, not new Rust. This module only gives them types; the syntax layer reads them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Each embedded table with its file name, so a broken table names itself.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "express.toml",
        include_str!("../../../grammars-config/frameworks/express.toml"),
    ),
    (
        "http.toml",
        include_str!("../../../grammars-config/frameworks/http.toml"),
    ),
    (
        "axum.toml",
        include_str!("../../../grammars-config/frameworks/axum.toml"),
    ),
];

/// One framework's table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub display: String,
    /// `"js"` (JavaScript, TypeScript, TSX) or `"rust"`.
    pub language: String,
    #[serde(default)]
    pub detect: Detect,
    #[serde(default)]
    pub response: Option<ResponseNames>,
    #[serde(default)]
    pub calls: Vec<ResponseCall>,
    #[serde(default)]
    pub assignments: Vec<StatusAssignment>,
    #[serde(default)]
    pub routes: Option<Routes>,
    #[serde(default)]
    pub constant_families: Vec<ConstantFamily>,
    #[serde(default)]
    pub helper_families: Vec<HelperFamily>,
    #[serde(default)]
    pub status_ctors: Vec<StatusCtor>,
    #[serde(default)]
    pub status_methods: Vec<ArgMethod>,
    #[serde(default)]
    pub header_methods: Vec<HeaderMethod>,
    #[serde(default)]
    pub body_methods: Vec<ArgMethod>,
    #[serde(default)]
    pub header_constants: BTreeMap<String, String>,
    #[serde(default)]
    pub empty_bodies: Vec<String>,
    #[serde(default)]
    pub body_wrappers: Vec<String>,
    #[serde(default)]
    pub fixed_responses: BTreeMap<String, u16>,
}

/// How a file shows it uses the framework.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    #[serde(default)]
    pub imports: Vec<String>,
}

/// Names of the response object in JS handlers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseNames {
    pub names: Vec<String>,
    /// The call that finishes a response without a body (`end()`), for "drop the body" fixes.
    pub finish: Option<String>,
}

/// A call on a JS response chain and what it does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseCall {
    pub method: String,
    /// The argument that sets the status.
    pub status_arg: Option<usize>,
    /// The argument that is the body.
    pub body_arg: Option<usize>,
    /// A fixed body kind: `"none"` or `"opaque"`.
    pub body: Option<String>,
    /// The status this call sends when none was set (`res.json` → 200).
    pub implicit_status: Option<u16>,
    /// Whether the call finishes the response.
    #[serde(default)]
    pub ends: bool,
    /// The argument that names a header (`res.set('Allow', ..)`).
    pub header_name_arg: Option<usize>,
    /// A header this call always sets (`res.location` → `location`).
    pub sets_header: Option<String>,
    pub redirect: Option<RedirectHelper>,
}

/// A redirect helper with an implicit default code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectHelper {
    pub default: u16,
    /// Which argument is the status when it is given.
    pub status_arg: usize,
    /// With fewer arguments the default applies.
    pub min_args_for_status: usize,
    /// Where a fix writes the explicit code: `"before-first-arg"` or `"after-last-arg"`.
    pub insert: String,
}

/// `res.statusCode = n`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAssignment {
    pub property: String,
}

/// How routes and their methods are declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    /// JS: registration method names → HTTP method (`post` → `POST`).
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// JS: the call that starts a per-path chain (`app.route(path)`).
    pub chain_start: Option<String>,
    #[serde(default)]
    pub exclude_receivers: Vec<String>,
    /// Rust: the router method taking `(path, method_router)`.
    pub register_method: Option<String>,
    /// Rust: method-router functions (`post(h)`) → HTTP method.
    #[serde(default)]
    pub router_fns: BTreeMap<String, String>,
    pub filter_fn: Option<String>,
    pub filter_type: Option<String>,
    /// Rust: typed routing methods (`typed_post(h)`) → HTTP method.
    #[serde(default)]
    pub typed_methods: BTreeMap<String, String>,
}

/// A family of named status constants (`StatusCode::FOUND`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstantFamily {
    pub id: String,
    /// The type or namespace before the name (`StatusCode`).
    pub type_name: String,
    /// The registry column holding each code's name in this family.
    pub registry_column: Option<String>,
    /// Extra or overriding names (name → code).
    #[serde(default)]
    pub names: BTreeMap<String, u16>,
    /// How a code is written in this family, `{name}` replaced.
    pub spelling: String,
}

/// Helpers whose name implies a code (`Redirect::to` = 303).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelperFamily {
    pub id: String,
    pub type_name: String,
    pub sets_header: Option<String>,
    pub codes: BTreeMap<String, u16>,
}

/// A constructor whose argument is a numeric status (`StatusCode::from_u16(n)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCtor {
    pub path: String,
    pub arg: usize,
}

/// A method whose argument plays a role (`.status(x)`, `.body(b)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgMethod {
    pub method: String,
    pub arg: usize,
}

/// A method that sets a header named by an argument (`.header(LOCATION, v)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMethod {
    pub method: String,
    pub name_arg: usize,
}

/// All tables, parsed once.
#[derive(Debug)]
pub struct Tables {
    pub frameworks: Vec<Framework>,
}

impl Tables {
    /// The embedded tables. They are checked by tests at build time, so a parse failure here is
    /// a build defect; it is reported and the table skipped rather than taking the process down.
    pub fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut frameworks = Vec::new();
            for (file, text) in EMBEDDED {
                match toml::from_str::<Framework>(text) {
                    Ok(framework) => frameworks.push(framework),
                    Err(err) => eprintln!("http-status-ls: bad embedded table {file}: {err}"),
                }
            }
            Tables { frameworks }
        })
    }

    /// The tables for one language family (`"js"` or `"rust"`).
    pub fn for_language<'a>(&'a self, language: &'a str) -> impl Iterator<Item = &'a Framework> {
        self.frameworks
            .iter()
            .filter(move |framework| framework.language == language)
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

    /// A framework's display name, for messages ("302 Found (Express default)").
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.frameworks
            .iter()
            .find(|framework| framework.id == id)
            .map_or(id, |framework| framework.display.as_str())
    }
}

/// Literals of which a file must contain at least one to hold a status site: the names of
/// status-setting calls, properties, constant types and helpers across every table. The CLI
/// parses no file without one (ripgrep-fast skipping of the rest).
pub fn status_literals() -> Vec<String> {
    let tables = Tables::get();
    let mut literals = Vec::new();
    for framework in &tables.frameworks {
        for call in &framework.calls {
            if call.status_arg.is_some() || call.redirect.is_some() {
                literals.push(format!(".{}(", call.method));
            }
        }
        literals.extend(
            framework
                .assignments
                .iter()
                .map(|a| format!(".{}", a.property)),
        );
        literals.extend(
            framework
                .constant_families
                .iter()
                .map(|f| format!("{}::", f.type_name)),
        );
        literals.extend(
            framework
                .helper_families
                .iter()
                .map(|f| format!("{}::", f.type_name)),
        );
        literals.extend(
            framework
                .status_ctors
                .iter()
                .filter_map(|c| c.path.rsplit("::").next().map(str::to_string)),
        );
        literals.extend(
            framework
                .status_methods
                .iter()
                .map(|m| format!(".{}(", m.method)),
        );
    }
    literals.sort();
    literals.dedup();
    literals
}

/// Literals of which a file must contain at least one to register a route (`.post(`,
/// `.route(`, `post(`): with a handler's name, what makes a file worth parsing for the
/// cross-file index.
pub fn route_literals() -> Vec<String> {
    let mut literals = Vec::new();
    for framework in &Tables::get().frameworks {
        let Some(routes) = &framework.routes else {
            continue;
        };
        literals.extend(routes.methods.keys().map(|name| format!(".{name}(")));
        literals.extend(routes.chain_start.iter().map(|name| format!(".{name}(")));
        literals.extend(
            routes
                .register_method
                .iter()
                .map(|name| format!(".{name}(")),
        );
        literals.extend(routes.typed_methods.keys().map(|name| format!(".{name}(")));
    }
    literals.sort();
    literals.dedup();
    literals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_table_parses() {
        for (file, text) in EMBEDDED {
            if let Err(err) = toml::from_str::<Framework>(text) {
                panic!("{file}: {err}");
            }
        }
    }

    #[test]
    fn every_table_file_is_embedded() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../grammars-config/frameworks");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("frameworks dir")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(f, _)| f.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
