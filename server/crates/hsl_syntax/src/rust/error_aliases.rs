//! The file's aliases of `Result` for an error type (`type PageResult<T> = Result<T,
//! PageError>`): a handler that returns the alias returns the error type, so the conversion
//! of that type answers what the handler's `?` lets out.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::path_segments;
use crate::node_util::{named_children, text};

impl<'t> Extractor<'_, 't> {
    /// The names of the file's top-level aliases `type X<..> = Result<.., error_type>`.
    pub(super) fn result_aliases_of(&self, error_type: &str) -> Vec<String> {
        // The answer depends on other items of the file: the conversion's facts may not be
        // reused after an edit elsewhere.
        self.questions.borrow_mut().look_outside();
        named_children(self.parents.root())
            .into_iter()
            .filter(|item| item.kind() == "type_item")
            .filter(|item| {
                item.child_by_field_name("type")
                    .is_some_and(|aliased| self.result_error_is(aliased, error_type))
            })
            .filter_map(|item| item.child_by_field_name("name"))
            .map(|name| text(name, self.source).to_string())
            .collect()
    }

    /// Whether `aliased` is `Result<T, error_type>` (the result type under any path).
    fn result_error_is(&self, aliased: Node<'t>, error_type: &str) -> bool {
        if aliased.kind() != "generic_type" {
            return false;
        }
        let is_result = aliased
            .child_by_field_name("type")
            .and_then(|base| path_segments(base, self.source).pop())
            .is_some_and(|last| last == "Result");
        let error = aliased
            .child_by_field_name("type_arguments")
            .and_then(|arguments| named_children(arguments).pop())
            .map(|last| match last.child_by_field_name("type") {
                Some(base) if last.kind() == "generic_type" => base,
                _ => last,
            })
            .filter(|ty| matches!(ty.kind(), "type_identifier" | "scoped_type_identifier"))
            .and_then(|ty| path_segments(ty, self.source).pop());
        is_result && error.is_some_and(|error| error == error_type)
    }
}
