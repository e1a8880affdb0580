//! http-status-ls: reads server handler code and knows what its HTTP status codes mean.
//!
//! Data flows one way: `syntax` (tree-sitter) → `facts` (language-neutral model) → `rules`
//! (pure functions) → findings with `fixes` → the adapters (`cli`; the language server comes
//! later). See ARCHITECTURE.md for the layers and their invariants.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod facts;
pub mod fixes;
pub mod lsp;
pub mod rules;
pub mod status_codes;
pub mod syntax;
pub mod tables;
pub mod text;
pub mod workspace;
