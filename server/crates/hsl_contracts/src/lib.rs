//! Contracts: what an API promises each operation answers.
pub mod model;
pub mod openapi;
pub mod path;
mod refs;
mod tree;

pub use model::{
    Contract, DeclaredStatus, Format, Operation, Place, Position, Problem, Source, StatusKey,
};
pub use openapi::{Loaded, read_document};
pub use path::{Part, PathTemplate, Segment};

/// Stand-in until the matching module exists.
pub fn covers() {}
