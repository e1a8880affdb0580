//! StepIndex: what one statement does to one response object (a call chain, an assignment, a
//! constructor, an imported helper, a decorator), before statements are grouped into responses.

use tree_sitter::Node;

use super::file_traits::is_directive;
use super::handlers::takes_decorated_param;
use super::nodes::member_path;
use super::places::{statement_place, value_escapes};
use super::{
    CallChain, ChainCall, Effect, Extractor, FUNCTION_KINDS, HandlerAnchor, InsertionSite,
    ResponseStep,
};
use crate::handlers::prove_route;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{Body, MethodSource, Spelling};
use hsl_tables::{Framework, ResponseCall, StatusAssignment};

/// The value the first `return <value>` directly in a function's body returns.
pub(super) fn returned_value(function: Node<'_>) -> Option<Node<'_>> {
    let body = function.child_by_field_name("body")?;
    let mut stack = named_children(body);
    stack.reverse();
    while let Some(node) = stack.pop() {
        if FUNCTION_KINDS.contains(&node.kind()) || node.kind() == "class_declaration" {
            continue;
        }
        if node.kind() == "return_statement" {
            if let Some(value) = named_children(node).into_iter().next() {
                return Some(value);
            }
            continue;
        }
        let mut children = named_children(node);
        children.reverse();
        stack.extend(children);
    }
    None
}

impl<'t> Extractor<'_, 't> {
    /// The step a member-call chain takes on a response object (`res.status(201).json(x)`), or
    /// a constructor of a framework's module (`createError.NotFound()`).
    pub(super) fn step_of_chain(&mut self, chain: CallChain<'t>) -> Option<ResponseStep<'t>> {
        if let Some(step) = self.module_constructor_call(&chain) {
            return Some(step);
        }
        let root = self.response_root(chain.root)?;
        let (table, anchor) = match self.static_table(&root) {
            Some(table) => (table, HandlerAnchor::Enclosing),
            None => {
                let methods: Vec<&str> = chain.links.iter().map(|l| l.method.as_str()).collect();
                let knows = |table: &Framework| {
                    table
                        .calls
                        .iter()
                        .any(|call| methods.contains(&call.method.as_str()))
                };
                (self.response_table(&root, knows)?, HandlerAnchor::Param)
            }
        };
        let mut effects = Vec::new();
        for link in &chain.links {
            let Some(call) = table.calls.iter().find(|call| call.method == link.method) else {
                continue;
            };
            let finish = table.response.as_ref().and_then(|r| r.finish.as_deref());
            self.effects_of_call(call, finish, link, &mut effects);
        }
        if effects.is_empty() {
            return None;
        }
        Some(self.step_at(chain.top, root, &table.id, effects, anchor))
    }

    /// Whether `node` runs under `directive`: the file, or a function around it, starts with
    /// it (`"use server"` makes a Server Action).
    pub(super) fn under_directive(&self, node: Node<'t>, directive: &str) -> bool {
        self.file_directive == Some(directive)
            || self.parents.ancestors(node).any(|ancestor| {
                FUNCTION_KINDS.contains(&ancestor.kind())
                    && ancestor
                        .child_by_field_name("body")
                        .filter(|body| body.kind() == "statement_block")
                        .and_then(|body| named_children(body).into_iter().next())
                        .is_some_and(|first| is_directive(first, directive, self.source))
            })
    }

    /// `createError.NotFound(msg)`: a constructor the framework's module exports, called on the
    /// name its import binds (http-errors' classes build the error with or without `new`).
    pub(super) fn module_constructor_call(
        &mut self,
        chain: &CallChain<'t>,
    ) -> Option<ResponseStep<'t>> {
        let [link] = chain.links.as_slice() else {
            return None;
        };
        if chain.root.kind() != "identifier" {
            return None;
        }
        let local = text(chain.root, self.source);
        let import = self.facts.imports.iter().find(|import| {
            import.local == local && import.item.as_deref().is_none_or(|item| item == "default")
        })?;
        let table = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .find(|table| {
                table.detect.imports.contains(&import.module)
                    && table.constructors.iter().any(|c| c.method == link.method)
            })
            .copied()?;
        let call = table
            .constructors
            .iter()
            .find(|c| c.method == link.method)?;
        self.standalone_step(
            call,
            link,
            format!("{}@{}", link.method, link.call.start_byte()),
            &table.id,
        )
    }

    /// `new Response(body, init)`, `new HttpException(body, status)`.
    pub(super) fn constructor_step(&mut self, construction: Node<'t>) -> Option<ResponseStep<'t>> {
        let constructor = construction.child_by_field_name("constructor")?;
        let name = member_path(constructor, self.source)?.last()?.clone();
        let args = construction
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        let table = self
            .tables
            .iter()
            .filter(|t| t.detect.imports.is_empty() || self.facts.frameworks.contains(&t.id))
            .find(|t| t.constructors.iter().any(|c| c.method == name))
            .copied()?;
        let call = table.constructors.iter().find(|c| c.method == name)?;
        if self.stored_by_call(construction, &call.stored_by) {
            return None;
        }
        // `new createError.NotFound()`: the class name is what a fix respells.
        let method_node = match constructor.kind() {
            "member_expression" => constructor
                .child_by_field_name("property")
                .unwrap_or(constructor),
            _ => constructor,
        };
        let link = ChainCall {
            method: name.clone(),
            method_node,
            args,
            call: construction,
        };
        self.standalone_step(
            call,
            &link,
            format!("new {name}@{}", construction.start_byte()),
            &table.id,
        )
    }

    /// Whether `value` is an argument of a call to one of `methods` (`cache.put(req, value)`),
    /// through parentheses and `await`.
    pub(super) fn stored_by_call(&self, value: Node<'t>, methods: &[String]) -> bool {
        if methods.is_empty() {
            return false;
        }
        let mut node = value;
        while let Some(parent) = self.parents.parent(node) {
            match parent.kind() {
                "parenthesized_expression" | "await_expression" | "as_expression" => node = parent,
                "arguments" => {
                    let callee = self
                        .parents
                        .parent(parent)
                        .and_then(|call| call.child_by_field_name("function"))
                        .filter(|callee| callee.kind() == "member_expression")
                        .and_then(|callee| callee.child_by_field_name("property"));
                    return callee
                        .is_some_and(|p| methods.iter().any(|m| m == text(p, self.source)));
                }
                _ => return false,
            }
        }
        false
    }

    /// What assigning `value` to a response property does (`ctx.status = 201`, `ctx.body = x`).
    fn assignment_effects(
        &self,
        assignment: &StatusAssignment,
        left: Node<'t>,
        value: Node<'t>,
        site: &InsertionSite<'_, 't>,
    ) -> Vec<Effect<'t>> {
        if !assignment.body {
            let mut effect = self.status_effect(value);
            if let Effect::Status { header_insert, .. } = &mut effect {
                *header_insert = assignment
                    .header_insert
                    .as_ref()
                    .and_then(|forms| self.insertion(forms, site));
            }
            return vec![effect];
        }
        let mut effects = Vec::new();
        if let Some(code) = assignment.implicit_status {
            effects.push(Effect::Implicit {
                code,
                spelling: Spelling::ImplicitDefault {
                    helper: assignment.property.clone(),
                    insert: assignment
                        .implicit_insert
                        .as_ref()
                        .and_then(|forms| self.insertion(forms, site)),
                },
                node: left,
                range: left.byte_range(),
            });
        }
        effects.push(Effect::Body(self.body_of(Some(value)), None));
        effects
    }

    /// A step of `node`'s statement on the response object `root`.
    fn step_at(
        &self,
        node: Node<'t>,
        root: String,
        framework: &str,
        effects: Vec<Effect<'t>>,
        anchor: HandlerAnchor<'t>,
    ) -> ResponseStep<'t> {
        let place = statement_place(&self.parents, node);
        ResponseStep {
            block: place.block,
            start: place.start,
            root,
            framework: framework.to_string(),
            effects,
            anchor,
            node,
            end: place.end,
            statement: place.statement,
            escapes: value_escapes(&self.parents, node),
        }
    }

    /// The step of a call that is a response on its own (`new Response(..)`, `redirect(..)`),
    /// grouped with nothing else.
    pub(super) fn standalone_step(
        &self,
        entry: &'static ResponseCall,
        link: &ChainCall<'t>,
        root: String,
        framework: &str,
    ) -> Option<ResponseStep<'t>> {
        let mut effects = Vec::new();
        self.effects_of_call(entry, None, link, &mut effects);
        if effects.is_empty() {
            return None;
        }
        let anchor = HandlerAnchor::Enclosing;
        Some(self.step_at(link.call, root, framework, effects, anchor))
    }

    /// `redirect('/x')` where `redirect` is imported from a framework that lists it.
    pub(super) fn function_step(&mut self, call: Node<'t>) -> Option<ResponseStep<'t>> {
        let function = call.child_by_field_name("function")?;
        let local = text(function, self.source);
        let import = self.facts.imports.iter().find(|i| i.local == local)?;
        // A whole module called as a function (`require('http-errors')(404)`) is its default
        // export.
        let item = import.item.clone().unwrap_or_else(|| "default".to_string());
        let module = import.module.clone();
        let table = self
            .tables
            .iter()
            .filter(|t| {
                t.detect
                    .imports
                    .iter()
                    .any(|spec| module == *spec || module.starts_with(&format!("{spec}/")))
            })
            .find(|t| t.functions.iter().any(|f| f.method == item))
            .copied()?;
        let entry = table.functions.iter().find(|f| f.method == item)?;
        let link = ChainCall {
            method: item.clone(),
            method_node: function,
            args: call
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default(),
            call,
        };
        self.standalone_step(
            entry,
            &link,
            format!("{item}()@{}", call.start_byte()),
            &table.id,
        )
    }

    /// The method a decorator sits on: its parent (JavaScript) or the next method of the class
    /// body (TypeScript puts decorators beside the method).
    pub(super) fn decorated_method(&self, decorator: Node<'t>) -> Option<Node<'t>> {
        let parent = self.parents.parent(decorator)?;
        if parent.kind() == "method_definition" {
            return Some(parent);
        }
        if parent.kind() != "class_body" {
            return None;
        }
        let mut next = decorator.next_named_sibling();
        while let Some(node) = next {
            match node.kind() {
                "method_definition" => return Some(node),
                "decorator" | "comment" => next = node.next_named_sibling(),
                _ => return None,
            }
        }
        None
    }

    /// `@Post()` gives the method; `@HttpCode(204)`, `@Redirect(url)`, `@Header(..)` act on the
    /// method's response, whose body is what it returns.
    pub(super) fn decorator_step(&mut self, decorator: Node<'t>) -> Option<ResponseStep<'t>> {
        let method = self.decorated_method(decorator)?;
        let call = named_children(decorator)
            .into_iter()
            .find(|n| n.kind() == "call_expression")?;
        let function = call.child_by_field_name("function")?;
        let name = member_path(function, self.source)?.last()?.clone();
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in self.tables.clone() {
            if !self.facts.frameworks.contains(&table.id) {
                continue;
            }
            if let Some(verb) = table
                .routes
                .as_ref()
                .and_then(|routes| routes.decorators.get(&name))
                .copied()
            {
                let id = self.handler_id(method, false);
                let (source, range) = (MethodSource::Attribute, decorator.byte_range());
                let path = self.decorated_route_path(table, method, &args);
                prove_route(&mut self.facts.handlers, id, verb, (source, range), path);
                self.declare_responses(table, id, method, &name);
                return self.implicit_decorator_step(table, method, decorator, function, &name);
            }
            let Some(entry) = table.decorator_calls.iter().find(|c| c.method == name) else {
                continue;
            };
            let link = ChainCall {
                method: name.clone(),
                method_node: function,
                args,
                call,
            };
            return self.decorated_response(table, entry, method, decorator, &link);
        }
        None
    }

    /// `@HttpCode(204)`, `@Redirect(url)`, `@Header(..)` on `method`: a step on the method's
    /// response, whose body is what the method returns.
    fn decorated_response(
        &self,
        table: &Framework,
        entry: &'static ResponseCall,
        method: Node<'t>,
        decorator: Node<'t>,
        link: &ChainCall<'t>,
    ) -> Option<ResponseStep<'t>> {
        let returned = returned_value(method);
        // A returned `{ url, statusCode }` overrides `@Redirect`: only a method that returns
        // nothing proves the decorator's code.
        if entry.redirect.is_some() && returned.is_some() {
            return None;
        }
        let mut effects = Vec::new();
        self.effects_of_call(entry, None, link, &mut effects);
        let takes_response = table.routes.as_ref().is_some_and(|routes| {
            takes_decorated_param(method, &routes.response_param_decorators, self.source)
        });
        if entry.status_arg.is_some() && !takes_response {
            effects.push(Effect::Body(self.body_of_return(returned), None));
        }
        Some(decorator_step(
            table,
            method,
            decorator,
            effects,
            takes_response,
        ))
    }

    /// The body a method returns; unknown when it returns nothing the syntax sees.
    pub(super) fn body_of_return(&self, returned: Option<Node<'t>>) -> Body {
        match returned {
            Some(value) => self.body_of(Some(value)),
            None => Body::Unknown,
        }
    }

    /// The step an assignment to a response property takes (`ctx.status = 201`,
    /// `ctx.body = x`).
    pub(super) fn step_of_assignment(&mut self, assign: Node<'t>) -> Option<ResponseStep<'t>> {
        let left = assign.child_by_field_name("left")?;
        let receiver = left.child_by_field_name("object")?;
        let property = left.child_by_field_name("property")?;
        let value = assign.child_by_field_name("right")?;
        let root = self.response_root(receiver)?;
        let property = text(property, self.source);
        let knows = |table: &Framework| table.assignments.iter().any(|a| a.property == property);
        let table = self.response_table(&root, knows)?;
        let assignment = table
            .assignments
            .iter()
            .find(|assignment| assignment.property == property)?;
        let site = InsertionSite {
            call: assign,
            method: None,
            args: &[],
            receiver: Some(root.as_str()),
            init_arg: None,
            headers_arg: None,
        };
        let effects = self.assignment_effects(assignment, left, value, &site);
        let anchor = HandlerAnchor::Param;
        Some(self.step_at(assign, root, &table.id, effects, anchor))
    }
}

impl<'t> Extractor<'_, 't> {
    /// The path a method decorator names (`@Get(':id')`, `@Post()` is the controller's own
    /// path), under its class's controller decorator (`@Controller('orders')`); `None` when a
    /// path is not a literal.
    fn decorated_route_path(
        &self,
        table: &hsl_tables::Framework,
        method: Node<'t>,
        args: &[Node<'t>],
    ) -> Option<String> {
        let own = match args.first() {
            Some(arg) => string_value(*arg, self.source)?,
            None => String::new(),
        };
        let controller = table
            .routes
            .as_ref()
            .and_then(|routes| routes.controller_decorator.as_deref());
        let prefix = match controller {
            Some(name) => self.controller_path(method, name)?,
            None => String::new(),
        };
        Some(format!(
            "/{}/{}",
            prefix.trim_matches('/'),
            own.trim_matches('/')
        ))
    }

    /// The path of the controller decorator named `name` on the class of `method` (empty when
    /// the decorator has no argument or the class none); `None` when it is not a literal.
    fn controller_path(&self, method: Node<'t>, name: &str) -> Option<String> {
        let body = self.parents.parent(method)?;
        let class = self.parents.parent(body)?;
        let mut holders = vec![class];
        holders.extend(
            self.parents
                .parent(class)
                .filter(|parent| parent.kind() == "export_statement"),
        );
        let decorator = holders
            .into_iter()
            .flat_map(named_children)
            .filter(|child| child.kind() == "decorator")
            .find_map(|decorator| {
                let call = named_children(decorator)
                    .into_iter()
                    .find(|n| n.kind() == "call_expression")?;
                let function = call.child_by_field_name("function")?;
                (member_path(function, self.source)?.last()? == name).then_some(call)
            });
        let Some(call) = decorator else {
            return Some(String::new());
        };
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        match args.first() {
            Some(arg) => controller_path_argument(*arg, self.source),
            None => Some(String::new()),
        }
    }
}

/// The path a controller decorator's argument names: a string (`@Controller('orders')`), or
/// the `path` of an options object (`@Controller({ path: 'orders', version: '1' })`, empty
/// when it has none); `None` when it is not a literal. The `version` is left out: whether it
/// shows in the URL depends on the versioning the application turns on elsewhere, and leaving
/// it out can only make two controllers' routes look alike, never hide one.
fn controller_path_argument(arg: Node<'_>, source: &str) -> Option<String> {
    if arg.kind() != "object" {
        return string_value(arg, source);
    }
    match super::declared_responses::property_value(arg, "path", source) {
        Some(path) => string_value(path, source),
        None => Some(String::new()),
    }
}

/// The response step a method decorator makes (`@HttpCode(204)`, NestJS's implicit `@Post()`
/// 201): it belongs to the decorated method's block and sits on the decorator; `escapes` when
/// the method answers through the platform response instead.
pub(super) fn decorator_step<'t>(
    table: &Framework,
    method: Node<'t>,
    decorator: Node<'t>,
    effects: Vec<Effect<'t>>,
    escapes: bool,
) -> ResponseStep<'t> {
    ResponseStep {
        block: Some(method.id()),
        start: decorator.start_byte(),
        root: "@".to_string(),
        framework: table.id.clone(),
        effects,
        anchor: HandlerAnchor::Function(method),
        node: decorator,
        end: decorator.end_byte(),
        statement: None,
        escapes,
    }
}
