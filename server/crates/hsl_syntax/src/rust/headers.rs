//! The headers a response shows (tuples, builder chains, header maps) and whether they are all
//! of them: nothing can add one out of the syntax's sight.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{last_two, method_name, path_segments, strip_refs};
use crate::node_util::{named_children, string_value};
use hsl_facts::{Body, HeaderFact};
use hsl_tables::Framework;

impl<'t> Extractor<'_, 't> {
    /// The headers an element of a responder tuple names (`[(LOCATION, url)]`,
    /// `AppendHeaders([..])`); any other element is a header the syntax cannot name (`*`).
    pub(super) fn headers_of(&self, element: Node<'t>, headers: &mut Vec<HeaderFact>) {
        match element.kind() {
            "array_expression" => {
                for pair in named_children(element) {
                    let name = if pair.kind() == "tuple_expression" {
                        named_children(pair)
                            .first()
                            .map_or("*".to_string(), |name| self.header_name(*name))
                    } else {
                        "*".to_string()
                    };
                    headers.push(HeaderFact {
                        name,
                        range: pair.byte_range(),
                    });
                }
            }
            "call_expression" => {
                // `AppendHeaders([...])` and typed headers.
                let inner = element
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                match inner.first() {
                    Some(array) if array.kind() == "array_expression" => {
                        self.headers_of(*array, headers)
                    }
                    _ => headers.push(HeaderFact {
                        name: "*".to_string(),
                        range: element.byte_range(),
                    }),
                }
            }
            _ => headers.push(HeaderFact {
                name: "*".to_string(),
                range: element.byte_range(),
            }),
        }
    }

    /// The lower-case name a header expression names (`"Location"`, `header::LOCATION`, a table's
    /// constant); `*` when the syntax cannot tell.
    pub(super) fn header_name(&self, node: Node<'t>) -> String {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return "*".to_string();
        };
        // actix `.insert_header((LOCATION, "/x"))`: a `(name, value)` pair.
        if node.kind() == "tuple_expression"
            && let Some(name) = named_children(node).first()
        {
            return self.header_name(*name);
        }
        if let Some(value) = string_value(node, self.source) {
            return value.to_ascii_lowercase();
        }
        let segments = path_segments(node, self.source);
        if let Some(last) = segments.last() {
            for table in &self.tables {
                if let Some(name) = table.header_constants.get(last) {
                    return name.clone();
                }
            }
            // `ContentType::JSON`: a value of a type that is one header.
            if let Some((_, ty)) = last_two(&segments)
                && let Some(name) = self
                    .tables
                    .iter()
                    .find_map(|table| table.typed_headers.get(ty))
            {
                return name.clone();
            }
            // `header::CACHE_CONTROL`: the http crate names each constant after its header.
            let in_header_module = segments.len() >= 2
                && segments
                    .get(segments.len() - 2)
                    .is_some_and(|module| module == "header");
            if in_header_module
                && last
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return last.to_ascii_lowercase().replace('_', "-");
            }
        }
        "*".to_string()
    }

    /// The header `table`'s header method `name` sets with these arguments, if it is one.
    pub(super) fn headers_set_by(
        &self,
        table: &Framework,
        name: &str,
        args: &[Node<'t>],
        headers: &mut Vec<HeaderFact>,
    ) {
        for method in &table.header_methods {
            if method.method == name
                && let Some(arg) = args.get(method.name_arg)
            {
                headers.push(HeaderFact {
                    name: self.header_name(*arg),
                    range: arg.byte_range(),
                });
            }
        }
    }

    /// The header a header method call on a construction sets (`.insert_header((LOCATION, u))`);
    /// an unknown method named for headers (`.typed_header(..)`) sets one the syntax cannot
    /// name.
    pub(super) fn method_headers(&self, call: Node<'t>, headers: &mut Vec<HeaderFact>) {
        let Some(name) = method_name(call, self.source) else {
            return;
        };
        if name.to_ascii_lowercase().contains("header") && !self.is_header_method(name) {
            headers.push(HeaderFact {
                name: "*".to_string(),
                range: call.byte_range(),
            });
            return;
        }
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in &self.tables {
            self.headers_set_by(table, name, &args, headers);
        }
    }

    /// Whether an element of a responder tuple (or the reply a status wraps) carries only the
    /// headers the syntax shows: a header array, `AppendHeaders([..])`, a body (`Json(x)`, a
    /// literal), warp `reply::with_header(..)` around one of those. A variable may be a whole
    /// response with headers of its own.
    pub(super) fn responder_headers(
        &self,
        element: Node<'t>,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return false;
        };
        let element = strip_refs(element);
        match element.kind() {
            "array_expression" => {
                self.headers_of(element, headers);
                true
            }
            "call_expression" => {
                if let Some(header_fn) = self.header_fn(element) {
                    self.header_fn_header(element, header_fn, headers);
                    let args = element
                        .child_by_field_name("arguments")
                        .map(named_children)
                        .unwrap_or_default();
                    return args
                        .get(header_fn.reply_arg)
                        .is_some_and(|reply| self.responder_headers(*reply, headers));
                }
                let is_append = element
                    .child_by_field_name("function")
                    .map(|f| path_segments(f, self.source))
                    .is_some_and(|segments| {
                        segments.last().is_some_and(|last| last == "AppendHeaders")
                    });
                if is_append {
                    self.headers_of(element, headers);
                    return true;
                }
                self.body_of(element) != Body::Unknown
            }
            // `let json = warp::reply::json(&x);` … `with_status(json, code)`.
            "identifier" => self
                .bound_value(element)
                .is_some_and(|value| self.responder_headers(value, headers)),
            _ => self.body_of(element) != Body::Unknown,
        }
    }

    /// The table entry of a call that adds a header to a reply (warp `reply::with_header`).
    pub(super) fn header_fn(&self, call: Node<'t>) -> Option<&'static hsl_tables::HeaderFn> {
        let function = call.child_by_field_name("function")?;
        if !matches!(function.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        self.tables.iter().find_map(|table| {
            table.header_fns.iter().find(|header_fn| {
                let mut parts = header_fn.path.rsplit("::");
                parts.next() == Some(name) && parts.next() == Some(ty)
            })
        })
    }

    /// The header a header function sets (warp `reply::with_header(r, name, value)`).
    pub(super) fn header_fn_header(
        &self,
        call: Node<'t>,
        header_fn: &hsl_tables::HeaderFn,
        headers: &mut Vec<HeaderFact>,
    ) {
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        if let Some(name) = args.get(header_fn.name_arg) {
            headers.push(HeaderFact {
                name: self.header_name(*name),
                range: name.byte_range(),
            });
        }
    }
}
