//! In-code contracts: the responses a controller method's decorators declare
//! (`@ApiResponse({ status: 201 })`, `@ApiNotFoundResponse()`), on the method itself or on its
//! class, where a class's declarations hold for every method. The contract rules compare them
//! with what the method sends; the decorators' names are table data
//! (`routes.response_decorators`).

use tree_sitter::Node;

use super::Extractor;
use super::nodes::member_path;
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{DeclaredKey, DeclaredResponses, HandlerId};
use hsl_tables::{Framework, ResponseDecorators};

/// What the decorators of a method, or of its class, declare together.
#[derive(Default)]
struct Declared {
    keys: Vec<DeclaredKey>,
    /// The decorator that declares each key, in the order of `keys`.
    ranges: Vec<hsl_facts::ByteRange>,
    first: Option<hsl_facts::ByteRange>,
}

/// What one decorator says about a method's responses.
enum Declaration {
    /// It is no response decorator.
    None,
    /// It declares this key.
    Key(DeclaredKey),
    /// It declares a response whose status the syntax cannot read (a variable): the contract
    /// is not whole, so none is recorded.
    Unreadable,
}

impl<'t> Extractor<'_, 't> {
    /// Records on handler `id` the responses its contract declares, when a response decorator
    /// applies to it and every one of them can be read. As `@nestjs/swagger` builds the
    /// document (lib/explorers/api-response.explorer.ts): the class's declarations, plus the
    /// method's own, or, when the method declares none, the status it answers by default
    /// (`@HttpCode(n)`, else the one its route decorator implies: `@Post()` 201).
    pub(super) fn declare_responses(
        &mut self,
        table: &Framework,
        id: HandlerId,
        method: Node<'t>,
        route_decorator: &str,
    ) {
        let Some(decorators) = table
            .routes
            .as_ref()
            .and_then(|routes| routes.response_decorators.as_ref())
        else {
            return;
        };
        let Some(class) = self.declared_on(decorators, self.class_decorators(method)) else {
            return;
        };
        let Some(own) = self.declared_on(decorators, self.decorators_of(method)) else {
            return;
        };
        // No decorator applies: the route has no contract.
        let Some(range) = own.first.clone().or(class.first.clone()) else {
            return;
        };
        let mut keys = class.keys;
        let mut key_ranges = class.ranges;
        let own_keys = if own.keys.is_empty() {
            let Some(code) = self.default_status(table, method, route_decorator) else {
                return;
            };
            vec![(DeclaredKey::Code(code), range.clone())]
        } else {
            own.keys.into_iter().zip(own.ranges).collect()
        };
        for (key, written) in own_keys {
            if !keys.contains(&key) {
                keys.push(key);
                key_ranges.push(written);
            }
        }
        let anchor = own
            .first
            .clone()
            .or_else(|| self.decorators_of(method).first().map(Node::byte_range));
        let additions = anchor
            .and_then(|anchor| self.decorator_above(decorators, anchor.start))
            .into_iter()
            .collect();
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            handler.declared = Some(DeclaredResponses {
                keys,
                key_ranges,
                range,
                source: format!("@{}", decorators.generic),
                additions,
            });
        }
    }

    /// A new generic response decorator on a line of its own above the one at `at`, with its
    /// indentation and the file's quotes.
    fn decorator_above(
        &self,
        decorators: &ResponseDecorators,
        at: usize,
    ) -> Option<hsl_facts::Replacement> {
        let quote = crate::contract_edits::quote_in(self.source);
        let line = format!(
            "@{}({{ {}: {{code}}, description: {quote}{{description}}{quote} }})",
            decorators.generic, decorators.status_key
        );
        crate::contract_edits::line_above(self.source, at, &line)
    }

    /// What `written` declares together: its keys, each once, and the first declaring
    /// decorator; `None` when one of them declares a status the syntax cannot read.
    fn declared_on(
        &self,
        decorators: &ResponseDecorators,
        written: Vec<Node<'t>>,
    ) -> Option<Declared> {
        let mut declared = Declared::default();
        for decorator in written {
            match self.declaration(decorators, decorator) {
                Declaration::None => {}
                Declaration::Unreadable => return None,
                Declaration::Key(key) => {
                    declared.first.get_or_insert_with(|| decorator.byte_range());
                    if !declared.keys.contains(&key) {
                        declared.keys.push(key);
                        declared.ranges.push(decorator.byte_range());
                    }
                }
            }
        }
        Some(declared)
    }

    /// The status a method answers when it returns: its `@HttpCode(n)` (a decorator call of
    /// the table that sets a status and redirects nowhere), else its route decorator's.
    fn default_status(
        &self,
        table: &Framework,
        method: Node<'t>,
        route_decorator: &str,
    ) -> Option<u16> {
        let setters: Vec<_> = table
            .decorator_calls
            .iter()
            .filter(|call| call.redirect.is_none())
            .filter_map(|call| Some((call.method.as_str(), call.status_arg?)))
            .collect();
        for decorator in self.decorators_of(method) {
            let Some(call) = named_children(decorator)
                .into_iter()
                .find(|n| n.kind() == "call_expression")
            else {
                continue;
            };
            let name = call
                .child_by_field_name("function")
                .and_then(|function| member_path(function, self.source))
                .and_then(|path| path.last().cloned());
            let Some(&(_, at)) = setters
                .iter()
                .find(|(setter, _)| name.as_deref() == Some(*setter))
            else {
                continue;
            };
            let arg = call
                .child_by_field_name("arguments")
                .and_then(|args| named_children(args).into_iter().nth(at))?;
            return match self.declared_key(arg)? {
                DeclaredKey::Code(code) => Some(code),
                DeclaredKey::Class(_) | DeclaredKey::Default => None,
            };
        }
        table
            .routes
            .as_ref()?
            .decorator_statuses
            .get(route_decorator)
            .copied()
    }

    /// The decorators on the class of `method` (and on the `export` that holds the class).
    fn class_decorators(&self, method: Node<'t>) -> Vec<Node<'t>> {
        let class = self
            .parents
            .parent(method)
            .and_then(|body| self.parents.parent(body));
        let mut holders: Vec<Node<'t>> = class.into_iter().collect();
        holders.extend(
            class
                .and_then(|class| self.parents.parent(class))
                .filter(|parent| parent.kind() == "export_statement"),
        );
        holders
            .into_iter()
            .flat_map(named_children)
            .filter(|child| child.kind() == "decorator")
            .collect()
    }

    /// What a decorator declares: a shorthand's own status, `default`, or the status in
    /// the generic decorator's options object.
    fn declaration(&self, decorators: &ResponseDecorators, decorator: Node<'t>) -> Declaration {
        let Some(call) = named_children(decorator)
            .into_iter()
            .find(|n| n.kind() == "call_expression")
        else {
            return Declaration::None;
        };
        let Some(name) = call
            .child_by_field_name("function")
            .and_then(|function| member_path(function, self.source))
            .and_then(|path| path.last().cloned())
        else {
            return Declaration::None;
        };
        if let Some(code) = decorators.shorthands.get(&name) {
            return Declaration::Key(DeclaredKey::Code(*code));
        }
        if decorators.defaults.contains(&name) {
            return Declaration::Key(DeclaredKey::Default);
        }
        if name != decorators.generic {
            return Declaration::None;
        }
        let status = call
            .child_by_field_name("arguments")
            .and_then(|args| named_children(args).into_iter().next())
            .and_then(|options| property_value(options, &decorators.status_key, self.source));
        match status.and_then(|value| self.declared_key(value)) {
            Some(key) => Declaration::Key(key),
            None => Declaration::Unreadable,
        }
    }

    /// A status as the options object writes it: `201`, `HttpStatus.CREATED`, `'default'`,
    /// `'4XX'`.
    fn declared_key(&self, value: Node<'t>) -> Option<DeclaredKey> {
        if let Some(number) = integer_value(value, self.source) {
            return u16::try_from(number).ok().map(DeclaredKey::Code);
        }
        if let Some(written) = string_value(value, self.source) {
            return DeclaredKey::parse(&written);
        }
        let (code, _, _) = self.constant_status(value)?;
        code.map(DeclaredKey::Code)
    }
}

/// The value of the property `key` of an object literal (`{ status: 201 }`).
pub(super) fn property_value<'t>(object: Node<'t>, key: &str, source: &str) -> Option<Node<'t>> {
    property_pair(object, key, source)?.child_by_field_name("value")
}

/// The `key: value` pair of an object literal whose key is `key` (a name or a string).
pub(super) fn property_pair<'t>(object: Node<'t>, key: &str, source: &str) -> Option<Node<'t>> {
    if object.kind() != "object" {
        return None;
    }
    named_children(object)
        .into_iter()
        .filter(|pair| pair.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key").is_some_and(|name| {
                text(name, source) == key || string_value(name, source).as_deref() == Some(key)
            })
        })
}
