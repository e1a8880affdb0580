//! Test code inside source files: `#[cfg(test)] mod tests { .. }` and `#[test]` functions.
//!
//! What a test builds is a stand-in (a handler registered on a throwaway app to exercise the
//! router, a response to compare with): no client ever receives it, so its statuses are not
//! sites. The JS side leaves test files out by name (`hsl_config`'s default excludes); Rust keeps
//! its unit tests in the file they test, so they are left out here, item by item.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::path_segments;
use crate::node_util::{named_children, text};
use hsl_facts::ByteRange;

/// Last path segments of attributes that make a function a test: std's `#[test]` and the async
/// runtimes' (`#[tokio::test]`, `#[actix_web::test]`, `#[actix_rt::test]`,
/// `#[async_std::test]`, `#[sqlx::test]`, Rocket's `#[rocket::async_test]`).
const TEST_ATTRIBUTES: &[&str] = &["test", "async_test"];

impl<'t> Extractor<'_, 't> {
    /// Drops the status sites and helper calls that lie inside test items.
    pub(super) fn drop_test_code(&mut self) {
        let mut facts = std::mem::take(&mut self.facts);
        facts
            .responses
            .retain(|response| !self.in_test_item(&response.status.range));
        facts
            .helper_calls
            .retain(|call| !self.in_test_item(&call.range));
        // A macro a test module defines answers for no handler.
        facts
            .helpers
            .retain(|helper| !self.in_test_item(&helper.defined.range));
        self.facts = facts;
    }

    /// Whether the code at `range` lies in a function or module marked as test code.
    fn in_test_item(&self, range: &ByteRange) -> bool {
        let Some(node) = self
            .parents
            .root()
            .descendant_for_byte_range(range.start, range.end)
        else {
            return false;
        };
        self.parents
            .nearest("test item", node, |item| self.is_test_item(item))
            .is_some()
    }

    /// A function or module with a test attribute.
    fn is_test_item(&self, item: Node<'t>) -> bool {
        matches!(item.kind(), "function_item" | "mod_item")
            && self
                .attributes_before(item)
                .into_iter()
                .filter_map(|attribute_item| named_children(attribute_item).first().copied())
                .any(|attribute| self.marks_test(attribute))
    }

    /// `#[test]`, `#[tokio::test]`, … or `#[cfg(test)]` exactly (`cfg(all(test, ..))` and
    /// `cfg(not(test))` are conditions of their own).
    fn marks_test(&self, attribute: Node<'t>) -> bool {
        let Some(path) = named_children(attribute).first().copied() else {
            return false;
        };
        let segments = path_segments(path, self.source);
        match segments.last().map(String::as_str) {
            Some("cfg") => attribute
                .child_by_field_name("arguments")
                .is_some_and(|arguments| text(arguments, self.source) == "(test)"),
            Some(name) => TEST_ATTRIBUTES.contains(&name),
            None => false,
        }
    }
}
