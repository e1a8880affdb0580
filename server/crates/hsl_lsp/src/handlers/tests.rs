//! The handlers called directly, without a transport: a session is made by the service
//! (which hands it a client) and each handler gets its params as a client would send them.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::json;
use tower_lsp_server::LspService;
use tower_lsp_server::ls_types::*;

use super::{code_action, hover, text_document};
use crate::server::Backend;
use crate::session::Session;

const APP: &str = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";

/// Params as a client sends them, in JSON.
macro_rules! params {
    ($value:expr) => {
        serde_json::from_value($value).expect("valid params")
    };
}

/// A session with one open document (the service keeps the client side alive).
async fn session_with(uri: &str, text: &str) -> (LspService<Backend>, Arc<Session>) {
    let (service, _socket) =
        LspService::new(|client| Backend::new(client, Arc::new(AtomicBool::new(false))));
    let session = service.inner().session().clone();
    text_document::handle_did_open(
        &session,
        params!(json!({"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}})),
    )
    .await;
    (service, session)
}

#[tokio::test]
async fn hover_names_the_code() {
    let uri = "file:///virtual/handlers/hover.js";
    let (_service, session) = session_with(uri, APP).await;
    let hover = hover::handle_hover(
        &session,
        params!(json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 14}})),
    )
    .await
    .expect("hover answers");
    let Some(Hover {
        contents: HoverContents::Markup(markup),
        ..
    }) = hover
    else {
        panic!("no markdown hover: {hover:?}");
    };
    assert!(
        markup.value.starts_with("**302 Found**"),
        "{}",
        markup.value
    );
}

#[tokio::test]
async fn code_actions_offer_the_fix_first() {
    let uri = "file:///virtual/handlers/action.js";
    let (_service, session) = session_with(uri, APP).await;
    let request = json!({
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 16}},
        "context": {"diagnostics": [], "only": ["quickfix"]}
    });
    let actions = code_action::handle_code_action(&session, params!(request))
        .await
        .expect("code actions answer")
        .unwrap_or_default();
    let titles: Vec<&str> = actions
        .iter()
        .filter_map(|action| match action {
            CodeActionOrCommand::CodeAction(action) => Some(action.title.as_str()),
            CodeActionOrCommand::Command(_) => None,
        })
        .collect();
    assert_eq!(titles.first(), Some(&"Use 303 See Other"), "{titles:?}");
}
