//! Where the application is built (Rocket `rocket::build()`, `#[launch]`): a Rocket route
//! function is served only where a `.mount(base, routes![f])` lists it, and a project whose
//! application is built in sight has its mounts in sight too, so the workspace index can tell
//! a route function no mount lists from one mounted in a file it did not read. The calls and
//! attributes are table data (`routes.app_root`).

use tree_sitter::Node;

use super::Extractor;
use super::nodes::path_segments;
use crate::node_util::named_children;
use hsl_facts::{HandlerRef, RegistrationKind, RouteRegistration};
use hsl_tables::AppRoot;

impl<'t> Extractor<'_, 't> {
    /// The application roots of the frameworks this file uses.
    fn app_roots(&self) -> impl Iterator<Item = &'static AppRoot> + '_ {
        self.tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .filter_map(|table| table.routes.as_ref()?.app_root.as_ref())
    }

    /// Whether a route attribute named `name` belongs to a framework of this file whose route
    /// functions are served only through a mount.
    pub(super) fn route_needs_mount(&self, name: &str) -> bool {
        self.tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .filter_map(|table| table.routes.as_ref())
            .any(|routes| {
                routes.app_root.is_some()
                    && (routes.attributes.contains_key(name)
                        || routes.method_attributes.iter().any(|m| m.attribute == name))
            })
    }

    /// `rocket::build()`, `rocket::custom(config)`: the application is built here.
    pub(super) fn app_root_call(&mut self, call: Node<'t>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let segments = path_segments(function, self.source);
        let tail = segments
            .get(segments.len().saturating_sub(2)..)
            .map(|tail| tail.join("::"));
        let builds =
            tail.is_some_and(|tail| self.app_roots().any(|root| root.calls.contains(&tail)));
        if builds {
            self.push_app_root(call);
        }
    }

    /// `#[launch] fn rocket() -> _ { .. }`: the function returns the application.
    pub(super) fn app_root_attribute(&mut self, attribute: Node<'t>) {
        let name = named_children(attribute)
            .first()
            .and_then(|path| path_segments(*path, self.source).pop());
        let marks =
            name.is_some_and(|name| self.app_roots().any(|root| root.attributes.contains(&name)));
        if marks {
            self.push_app_root(attribute);
        }
    }

    fn push_app_root(&mut self, node: Node<'t>) {
        self.facts.registrations.push(RouteRegistration {
            methods: Vec::new(),
            path: None,
            handler: HandlerRef::Named(Vec::new()),
            range: node.byte_range(),
            scope: None,
            kind: RegistrationKind::AppRoot,
            declared: None,
        });
    }
}
