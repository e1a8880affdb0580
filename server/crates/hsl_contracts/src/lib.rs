//! Contracts: what an API promises each operation answers, so that rules can compare it with
//! what the handlers send (`undeclared-status`, `declared-status-unsent`).
//!
//! A contract is plain, language-neutral data ([`Contract`], [`Operation`], [`DeclaredStatus`]),
//! whatever it was read from: an OpenAPI document today ([`load`], [`read_document`]), in-code
//! declarations later. Routes meet operations through [`PathTemplate`], one comparable form
//! for `/users/:id`, `/users/{userId}` and `/users/<id>`. The questions the rules ask are
//! [`operation_for`], [`covers`] and [`declared_unsent`]. [`openapi_yaml`] and [`openapi_json`]
//! go the other way and write an OpenAPI 3.1 skeleton from the routes the code has.
//!
//! Everything here is pure except [`load`], which reads one file with a size limit. Nothing
//! panics on input and nothing stops at the first problem: a bad document or a bad part of
//! one is a [`Problem`] with a line and column, and the rest still loads.
//!
//! A status is a number, a string key or a range in either case (`4XX`, `'4xx'`) here; a named
//! constant (`NOT_FOUND`, `HttpStatus.ACCEPTED`) is resolved to its code by whoever reads it
//! from code, with the status-code registry, before it becomes a [`StatusKey`].
//!
//! # The YAML parser
//!
//! Documents are parsed with `saphyr-parser` (0.3, MIT or Apache-2.0, Rust 1.85 or later), the
//! event-level parser of the saphyr project, which is where the maintainers of `yaml-rust2`
//! now develop: a YAML 1.2 parser in safe Rust that gives every event its line and column and
//! every error its position, and reads JSON too (JSON is YAML 1.2). On its events this crate
//! builds its own compact tree (the private `tree` module): aliases are pointers, never
//! copies, so no document grows past the size of its text in memory, and only what OpenAPI
//! needs is ever looked at. A generated 10 MB document is a test.
//!
//! Alternatives weighed:
//! - `serde_yaml`: archived by its author, no longer maintained.
//! - `serde_yaml_ng` (0.10): a maintained fork of `serde_yaml` on `unsafe-libyaml` (libyaml
//!   translated to Rust). Positions exist only in errors; deserialised values carry none, so
//!   an operation or a status could not say where it is written, and one bad value fails the
//!   whole document.
//! - `yaml-rust2` (0.13): the same parser lineage with the same positioned events; its README
//!   says it now receives only basic maintenance and new work goes to saphyr.
//! - `saphyr` (0.3): saphyr's document loader on top of `saphyr-parser`, with spanned nodes;
//!   more than this crate needs, since the tree here is built from the events directly.
//! - `serde-saphyr` (2.2, Rust 1.89): serde on a fork of saphyr's parser, with spanned values
//!   and resource budgets; serde-shaped reading makes "skip this operation, keep the rest"
//!   awkward, and it brings more dependencies for no gain here.

mod load;
mod matching;
pub mod model;
pub mod openapi;
pub mod path;
mod refs;
mod tree;
mod writer;

pub use load::{
    CONVENTIONAL_NAMES, MAX_DOCUMENT_BYTES, PROJECT_MARKERS, discover, is_project_root, load,
};
pub use matching::{Contracts, Coverage, covers, declared_unsent, operation_for};
pub use model::{
    Contract, DeclaredStatus, Format, Operation, Place, Position, Problem, Source, StatusKey,
};
pub use openapi::{Loaded, read_document};
pub use path::{Part, PathTemplate, Segment};
pub use writer::{
    SKELETON_OPENAPI_VERSION, SkeletonInfo, SkeletonResponse, SkeletonRoute, openapi_json,
    openapi_yaml,
};
