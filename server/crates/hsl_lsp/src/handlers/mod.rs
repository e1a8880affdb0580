//! One module per request or notification family, each with `handle_<method>` functions that
//! take the session and the params and return the reply: the `LanguageServer` impl in
//! `server` only routes to them, so each can be called without a transport.

pub mod code_action;
pub mod completion;
pub mod diagnostic;
pub mod hover;
pub mod inlay_hint;
pub mod lifecycle;
pub mod text_document;
pub mod workspace;

#[cfg(test)]
mod tests;
