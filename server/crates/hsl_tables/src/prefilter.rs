//! The literals the CLI and the language server's index look for before parsing a file,
//! derived from the tables. Every table struct is destructured field by field, so a new key is
//! a compile error here until it is decided whether it makes a status site or a route
//! registration (a hand-kept list missed poem-openapi's `#[oai(status = 204)]`, and files whose
//! only statuses were there were never parsed).

use hsl_facts::Family;

use crate::{
    ArgMethod, ConstantFamily, Detect, DirectiveDefault, Framework, HeaderFn, HeaderMethod,
    HelperFamily, MethodAttribute, MethodBranches, MountOption, RedirectHelper, ResponseCall,
    ResponseNames, RouteDefinition, RouteObject, Routes, StatusAssignment, StatusAttribute,
    StatusCtor, StatusFn, Tables,
};

/// The properties an error class sets in its constructor to carry a status
/// (`this.statusCode = status`): the syntax layer records such a class as a helper, and the
/// prefilter parses a file that sets one.
pub const ERROR_STATUS_PROPERTIES: &[&str] = &["status", "statusCode"];

/// The properties an error class sets in its constructor to carry a code name that the
/// project's error handler maps to a status (`this.code = code`, `{ unauthorized: 401 }`): the
/// syntax layer records such a class as a helper keyed by that name, and the prefilter parses
/// a file that sets one.
pub const ERROR_CODE_PROPERTIES: &[&str] = &["code", "errorCode"];

/// The statuses a map of code names is found by (`{ not_found: 404 }`): the registered error
/// codes' span, but for the round `400` and `500`, which interface code writes as sizes
/// (`width: 400`) far more often; a map of codes names more than those two.
const MAPPED_STATUSES: [std::ops::RangeInclusive<u16>; 2] = [401..=451, 501..=511];

/// Literals of which a file must contain at least one to hold a status site: the names of
/// status-setting calls, properties, attributes, constant types and helpers across every
/// table. The language server's index parses no file without one.
pub fn status_literals() -> Vec<String> {
    let mut all: Vec<String> = Family::ALL
        .iter()
        .flat_map(|family| {
            let found = status_literals_for(*family);
            let plain = found.plain.into_iter().chain(found.bare_calls);
            plain.chain(found.members)
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Literals of which a file must contain at least one to register a route (`.post(`,
/// `.route(`, `post(`): with a handler's name, what makes a file worth parsing for the
/// cross-file index.
pub fn route_literals() -> Vec<String> {
    let mut all: Vec<String> = Family::ALL
        .iter()
        .flat_map(|family| route_literals_for(*family))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The literals that can make a file of one language family hold a status site, by what else
/// the file must contain for a match to count: the CLI's byte scanner reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusLiterals {
    /// Enough on their own: a constructor, function, decorator, constant type, helper, status
    /// method or attribute (`NotFoundException(`, `StatusCode::`, `#[oai(`).
    pub plain: Vec<String>,
    /// Calls and properties of a JavaScript response object (`.json(`, `.status`): everyday
    /// words that count only in a file that also starts a chain from one of `roots`.
    pub members: Vec<String>,
    /// The names a JavaScript response object's chain starts from (`res`, `ctx`, `Response`).
    pub roots: Vec<String>,
    /// Enough on their own where they are not called as a method: a Rust body wrapper
    /// returned bare (`Json(item)`, warp's `reply::json(&items)`), never a client's
    /// `response.json()`.
    pub bare_calls: Vec<String>,
}

/// [`StatusLiterals`] of the tables of `family`, each list sorted and without duplicates.
pub fn status_literals_for(family: Family) -> StatusLiterals {
    Literals::of(Tables::get(), family).status
}

/// [`route_literals`] of the tables of `family`.
pub fn route_literals_for(family: Family) -> Vec<String> {
    Literals::of(Tables::get(), family).routes
}

/// Literals of which a file must contain at least one to read an HTTP authentication
/// credential for its callers (`req.headers.get("Authorization")` in a helper module): the
/// vocabulary's names of the `Authorization` header as written, in lower case and capitalised.
/// Such a file is read for the cross-file index even when it holds no status site.
pub fn credential_literals() -> Vec<String> {
    let mut literals: Vec<String> = crate::Conditions::get()
        .http_auth
        .header
        .iter()
        .flat_map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            let capitalised = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default();
            [word.clone(), lower, capitalised]
        })
        .collect();
    literals.sort();
    literals.dedup();
    literals
}

/// Both lists of one family.
#[derive(Default)]
struct Literals {
    status: StatusLiterals,
    routes: Vec<String>,
    /// Whether a table's body wrapper returned on its own sends a status (`Json(x)`).
    wrapper_sends_status: bool,
    /// Macros that make a literal object body (`json!`).
    object_macros: Vec<String>,
}

impl Literals {
    fn of(tables: &Tables, family: Family) -> Literals {
        let mut literals = Literals::default();
        for framework in tables.for_language(family) {
            literals.framework(framework);
        }
        if family == Family::JavaScript {
            let properties = ERROR_STATUS_PROPERTIES.iter();
            let properties = properties.chain(ERROR_CODE_PROPERTIES.iter());
            let assigned = properties.map(|property| format!("this.{property}"));
            literals.status.plain.extend(assigned);
            // A map of code names to error statuses (`unauthorized: 401,`) is read for the
            // index, so that a keyed error class finds its statuses.
            literals.status.plain.extend(
                MAPPED_STATUSES
                    .into_iter()
                    .flatten()
                    .map(|code| format!(": {code}")),
            );
        }
        // A body wrapper sends its implicit status as a site only around a literal object
        // (`Json(json!({..}))`): the object macro is what the file must contain.
        if literals.wrapper_sends_status {
            let macros: Vec<String> = literals
                .object_macros
                .iter()
                .map(|name| format!("{name}!("))
                .collect();
            literals.status.plain.extend(macros);
        }
        let StatusLiterals {
            plain,
            members,
            roots,
            bare_calls,
        } = &mut literals.status;
        for list in [plain, members, roots, bare_calls, &mut literals.routes] {
            list.sort();
            list.dedup();
        }
        literals
    }

    /// One table's keys, each decided.
    fn framework(&mut self, framework: &Framework) {
        let Framework {
            id: _,
            display: _,
            language,
            priority: _,
            fixtures: _,
            detect,
            response,
            calls,
            assignments,
            routes,
            constant_families,
            helper_families,
            status_ctors,
            status_methods,
            header_methods,
            body_methods,
            header_constants: _,
            typed_headers: _,
            empty_bodies: _,
            body_wrappers,
            // Not read by any extractor: no site to find.
            fixed_responses: _,
            constructors,
            functions,
            decorator_calls,
            status_fns,
            empty_body_methods: _,
            responder_tuple_status: _,
            closure_adapters: _,
            error_adapters: _,
            body_macros: _,
            object_macros,
            empty_body_ctors: _,
            transparent_methods: _,
            value_wrappers: _,
            response_conversions: _,
            error_value_methods: _,
            error_preserving_methods: _,
            string_conversions: _,
            status_attributes,
            // The wrapped response type's variants are the sites.
            response_type_wrappers: _,
            catcher_attributes,
            header_fns,
            response_ctors: _,
            header_map_method: _,
            header_map_inserts: _,
            // `*res.status_mut() = X`: the status is `X`, a site of its own.
            status_slot_method: _,
            reading_methods: _,
            reexported: _,
            tuple_header_insert: _,
            body_wrapper_status,
            accepted_statuses: _,
            // An impl's statuses are spelled in its methods, sites of their own.
            error_traits: _,
        } = framework;
        if let Some(response) = response {
            self.status.roots.extend(response_names(response));
        }
        // A JavaScript response's calls and properties are everyday words (`.json(`,
        // `.status`): they count beside a response object's name. Rust's are selective.
        let members = if *language == Family::JavaScript {
            &mut self.status.members
        } else {
            &mut self.status.plain
        };
        for call in calls {
            if call_sets_status(call) {
                members.push(format!(".{}(", call.method));
            }
        }
        members.extend(assignments.iter().map(assignment_literal));
        let plain = &mut self.status.plain;
        // Constructors, functions and decorators each make a response of their own.
        for call in constructors {
            plain.push(format!("{}(", call.method));
        }
        for call in functions {
            plain.push(function_literal(call, detect));
        }
        for call in decorator_calls {
            plain.push(format!("@{}(", call.method));
        }
        let separator = language.member_separator();
        for family in constant_families {
            plain.push(constant_literal(family, separator));
        }
        for family in helper_families {
            plain.push(helper_literal(family, separator));
        }
        plain.extend(status_ctors.iter().map(ctor_literal));
        for method in status_methods {
            plain.push(arg_method_literal(method));
        }
        for method in body_methods {
            arg_method_literal(method);
        }
        header_methods.iter().for_each(header_method);
        plain.extend(status_fns.iter().map(status_fn_literal));
        plain.extend(status_attributes.iter().map(attribute_literal));
        // `#[catch(404)]`: a catcher answers the status it names.
        plain.extend(catcher_attributes.iter().map(|a| format!("#[{a}(")));
        header_fns.iter().for_each(header_fn);
        self.wrapper_sends_status |= *language == Family::Rust && body_wrapper_status.is_some();
        // A Rust body wrapper returned bare (`Json(item)`, `warp::reply::json(&items)`) sends
        // the table's implicit status: the wrapper's name is a site of its own. JavaScript's
        // wrappers are calls on a response, already members.
        if *language == Family::Rust && body_wrapper_status.is_some() {
            let wrappers = body_wrappers.iter().map(|wrapper| format!("{wrapper}("));
            self.status.bare_calls.extend(wrappers);
        }
        self.object_macros.extend(object_macros.iter().cloned());
        if let Some(routes) = routes {
            self.routes.extend(route_registrations(routes));
            // `#[post("/x")]` stands on its handler, which answers at least the implicit status
            // of what it returns, and registers the route the handler's error conversion
            // answers for (`Result<String, UploadFailure>` with a `?`): like NestJS's `@Post(`,
            // a file with one is parsed for its status sites.
            self.status.plain.extend(route_attribute_literals(routes));
            // `@Post()` answers its implicit status where no decorator sets one.
            self.status.plain.extend(
                routes
                    .decorator_statuses
                    .keys()
                    .map(|decorator| format!("@{decorator}(")),
            );
        }
    }
}

/// Whether a call on a response sets its status (`.status(`, `.redirect(`, `.json(` with its
/// implicit 200); its other keys name headers and bodies.
fn call_sets_status(call: &ResponseCall) -> bool {
    let ResponseCall {
        method: _,
        status_arg,
        body_arg: _,
        body: _,
        implicit_status,
        ends: _,
        header_name_arg: _,
        sets_header: _,
        redirect,
        init_arg,
        headers_arg: _,
        options_arg: _,
        header_insert: _,
        implicit_insert: _,
        // A member of a family sends its fixed status: `implicit_status`.
        family: _,
        stored_by: _,
    } = call;
    redirect.iter().for_each(redirect_helper);
    status_arg.is_some() || redirect.is_some() || init_arg.is_some() || implicit_status.is_some()
}

/// A redirect helper only refines its call, which is a status site already.
fn redirect_helper(redirect: &RedirectHelper) {
    let RedirectHelper {
        default: _,
        status_arg: _,
        min_args_for_status: _,
        insert: _,
        keeps_status: _,
        under_directive,
    } = redirect;
    under_directive.iter().for_each(directive_default);
}

/// A directive changes a helper's default, not whether it is a site.
fn directive_default(under: &DirectiveDefault) {
    let DirectiveDefault {
        directive: _,
        status: _,
    } = under;
}

/// The names a response object's chain starts from (`res`, `ctx`, `Response`): everywhere on
/// their own, they make the calls on them count.
fn response_names(response: &ResponseNames) -> Vec<String> {
    let ResponseNames {
        names,
        finish: _,
        static_names,
        only_when_imported: _,
        // `ctx.response.status`: the chain still starts from a name.
        aliases: _,
        opaque_members: _,
        this_in_generators,
    } = response;
    let mut roots: Vec<String> = names.iter().chain(static_names).cloned().collect();
    // Koa 1: `this.status =` in a generator; the assignments' literals count beside `this.`.
    if *this_in_generators {
        roots.push("this".to_string());
    }
    roots
}

/// A function the framework exports (`redirect(`); a module whose export is the function is
/// called under any local name, so the module's own name is what the file must contain.
fn function_literal(call: &ResponseCall, detect: &Detect) -> String {
    let Detect {
        imports,
        manifest: _,
    } = detect;
    if call.method == "default" {
        return imports.first().cloned().unwrap_or_default();
    }
    format!("{}(", call.method)
}

/// `.statusCode`, `.status`, `.body` (a body assignment sends its implicit status).
fn assignment_literal(assignment: &StatusAssignment) -> String {
    let StatusAssignment {
        property,
        body: _,
        implicit_status: _,
        header_insert: _,
        implicit_insert: _,
    } = assignment;
    format!(".{property}")
}

/// `StatusCode::`, `HttpStatus.`: the type before every constant's name.
fn constant_literal(family: &ConstantFamily, separator: &str) -> String {
    let ConstantFamily {
        id: _,
        type_name,
        registry_column: _,
        names: _,
        spelling: _,
        requires_import: _,
        bare_sends: _,
    } = family;
    format!("{type_name}{separator}")
}

/// `Redirect::`: the type before every helper's name (a helper imported by name is used bare,
/// `ErrorNotFound(e)`, and its `use actix_web::error::{..}` holds only the type's path).
fn helper_literal(family: &HelperFamily, separator: &str) -> String {
    let HelperFamily {
        id: _,
        type_name,
        sets_header: _,
        codes: _,
        modifiers: _,
        builder: _,
        requires_import: _,
        header_insert: _,
    } = family;
    format!("{type_name}{separator}")
}

/// `Status::new(`, not `new(`: the type keeps the literal selective.
fn ctor_literal(ctor: &StatusCtor) -> String {
    let StatusCtor { path, arg: _ } = ctor;
    let segments: Vec<&str> = path.rsplit("::").take(2).collect();
    let tail: Vec<&str> = segments.into_iter().rev().collect();
    format!("{}(", tail.join("::"))
}

/// `.status(`: a method whose argument sets the status (or the body, for body methods).
fn arg_method_literal(method: &ArgMethod) -> String {
    let ArgMethod {
        method,
        arg: _,
        receiver_is_body: _,
        header_insert: _,
    } = method;
    format!(".{method}(")
}

/// A header method sets no status.
fn header_method(method: &HeaderMethod) {
    let HeaderMethod {
        method: _,
        name_arg: _,
    } = method;
}

/// `HttpResponse::build(`, `reply::with_status(`.
fn status_fn_literal(status_fn: &StatusFn) -> String {
    let StatusFn {
        path,
        status_arg: _,
        body_arg: _,
    } = status_fn;
    format!("{path}(")
}

/// `#[oai(`, `#[response(`: the attribute whose key sets the status.
fn attribute_literal(attribute: &StatusAttribute) -> String {
    let StatusAttribute {
        attribute,
        key: _,
        header_key: _,
        contract: _,
    } = attribute;
    format!("#[{attribute}(")
}

/// A header function adds a header to a reply built elsewhere: no status of its own.
fn header_fn(header_fn: &HeaderFn) {
    let HeaderFn {
        path: _,
        reply_arg: _,
        name_arg: _,
    } = header_fn;
}

/// The calls that register a handler for a path in a file other than the handler's.
/// Attributes stand on the handler itself and are status literals of their own; method
/// branches stand in the handler, whose file is parsed for its status sites; method routers and
/// filters mean something only inside a registration.
fn route_registrations(routes: &Routes) -> Vec<String> {
    let Routes {
        methods,
        chain_start,
        exclude_receivers: _,
        any_methods,
        register_method,
        router_fns: _,
        filter_fn: _,
        filter_type: _,
        typed_methods,
        // Stands on a struct beside the handler, whose registration (`typed_get`) admits the
        // registering file; the handler's file is parsed for its status sites.
        typed_path_attribute: _,
        router_names: _,
        router_suffixes: _,
        route_object,
        route_definition,
        decorators,
        // Status literals of their own (`framework`).
        decorator_statuses: _,
        exported_names,
        exported_request_types: _,
        response_param_decorators: _,
        // Parameters of a method its route decorator already admits.
        request_param_decorators: _,
        method_arg_call,
        path_methods_call,
        named_routes: _,
        // Changes which arguments are paths, not which calls register.
        prefix_relative_paths: _,
        method_branches,
        // Status literals of their own (`route_attribute_literals`): they stand on the
        // handler, whose answer is a status site.
        attributes: _,
        method_attributes: _,
        handler_methods: _,
        chain_handler_methods: _,
        filter_fns: _,
        filter_crate,
        // Path filters are written with the filter crate's name (`warp::path!`), which
        // `filter_crate` already admits.
        path_filters: _,
        resource_fns,
        mount_calls,
        mount_option,
        scope_fns,
        controller_decorator,
        // A contract decorator declares what a route may send; the route decorators beside it
        // already admit the file, and a contract without a route has nothing to check.
        response_decorators: _,
        // The same holds for a route's response schema: its registration admits the file.
        response_schema: _,
        // A response attribute sits on a handler whose status sites admit the file; with none,
        // there is nothing to compare.
        response_attribute: _,
        // Its endpoints carry method attributes, which admit their file; the service is
        // mounted by a mount call, which admits the mounting file.
        api_impl: _,
        // Marks files that build the application; the mounts beside it admit the file.
        app_root: _,
    } = routes;
    method_branches.iter().for_each(method_branch);
    let members = methods
        .keys()
        .chain(any_methods)
        .chain(chain_start)
        .chain(register_method)
        .chain(typed_methods.keys())
        .chain(route_object.iter().map(route_object_call))
        .chain(route_definition.iter().map(route_definition_call))
        .chain(method_arg_call)
        .chain(mount_calls)
        .chain(mount_option.iter().map(mount_option_call))
        .chain(path_methods_call);
    let mut literals: Vec<String> = members.map(|name| format!(".{name}(")).collect();
    literals.extend(decorators.keys().map(|name| format!("@{name}(")));
    literals.extend(exported_names.keys().cloned());
    // warp chains end in `.map(h)`, too common to mean anything; they need `warp::post()`.
    literals.extend(filter_crate.iter().map(|name| format!("{name}::")));
    literals.extend(resource_fns.iter().map(|name| format!("{name}(")));
    literals.extend(scope_fns.iter().map(|name| format!("{name}(")));
    literals.extend(controller_decorator.iter().map(|name| format!("@{name}(")));
    literals
}

/// `#[post(`, `#[route(`: the attributes that make a function a route handler.
fn route_attribute_literals(routes: &Routes) -> Vec<String> {
    let attributes = routes.attributes.keys();
    let method_attributes = routes.method_attributes.iter().map(method_attribute_name);
    attributes
        .chain(method_attributes)
        .map(|name| format!("#[{name}("))
        .collect()
}

/// `fastify.register(plugin, { prefix })`: the mounting call.
fn mount_option_call(mount_option: &MountOption) -> &String {
    let MountOption { call, key: _ } = mount_option;
    call
}

/// `fastify.route({ .. })`: the registering call.
fn route_object_call(route_object: &RouteObject) -> &String {
    let RouteObject {
        call,
        method_key: _,
        path_key: _,
        handler_key: _,
    } = route_object;
    call
}

/// `app.openapi(route, handler)`: the registering call. A definition alone (`createRoute`)
/// registers nothing.
fn route_definition_call(definition: &RouteDefinition) -> &String {
    let RouteDefinition {
        define: _,
        register,
        method_key: _,
        path_key: _,
        responses_key: _,
    } = definition;
    register
}

/// A branch on the request's method, and the path it tests, are inside the handler.
fn method_branch(branches: &MethodBranches) {
    let MethodBranches {
        request_names: _,
        property: _,
        path_reads: _,
    } = branches;
}

/// `#[route(path = "/x", method = "GET")]`: the attribute's name, on the handler.
fn method_attribute_name(attribute: &MethodAttribute) -> &String {
    let MethodAttribute { attribute, key: _ } = attribute;
    attribute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_attributes_are_literals() {
        let literals = status_literals();
        for wanted in [
            "#[oai(",
            "#[response(",
            "StatusCode::",
            ".status(",
            "json!(",
            "#[post(",
            "#[route(",
        ] {
            assert!(literals.iter().any(|l| l == wanted), "{wanted}");
        }
    }

    #[test]
    fn response_members_need_a_root_in_javascript_only() {
        let js = status_literals_for(Family::JavaScript);
        assert!(js.members.iter().any(|l| l == ".json("));
        assert!(!js.plain.iter().any(|l| l == ".json("));
        assert!(js.roots.iter().any(|l| l == "res"));
        assert!(js.roots.iter().any(|l| l == "Response"));
        assert!(js.plain.iter().any(|l| l == "this.statusCode"));
        let rust = status_literals_for(Family::Rust);
        assert!(rust.members.is_empty() && rust.roots.is_empty());
        assert!(rust.bare_calls.iter().any(|l| l == "Json("));
        assert!(js.bare_calls.is_empty());
        assert!(rust.plain.iter().any(|l| l == "StatusCode::"));
    }

    #[test]
    fn route_registrations_are_literals() {
        let literals = route_literals();
        for wanted in [
            ".post(",
            ".route(",
            "@Post(",
            "POST",
            "warp::",
            "resource(",
            ".all(",
        ] {
            assert!(literals.iter().any(|l| l == wanted), "{wanted}");
        }
    }
}
