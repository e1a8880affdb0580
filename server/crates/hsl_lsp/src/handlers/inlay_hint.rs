//! `textDocument/inlayHint`: the reason phrase after each bare status number.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip};

use crate::convert;
use crate::session::{Session, guarded};
use hsl_analysis::inlay;

/// The hints inside the requested range; none when the settings turn them off.
pub async fn handle_inlay_hint(
    session: &Arc<Session>,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    let uri = &params.text_document.uri;
    let Some(analysed) = session.parsed_async(uri).await else {
        return Ok(None);
    };
    let worker = session.clone();
    let path = analysed.file.path.clone();
    let enabled = tokio::task::spawn_blocking(move || worker.effective(&path).inlay_hints)
        .await
        .unwrap_or(true);
    if !enabled {
        return Ok(Some(Vec::new()));
    }
    let encoding = session.encoding();
    let hints = guarded("inlay hints", || {
        let range = convert::byte_range(&analysed.rope, params.range, encoding);
        inlay::inlay_hints(&analysed.file, range)
            .into_iter()
            .map(|hint| InlayHint {
                position: convert::position(&analysed.rope, hint.offset, encoding),
                label: InlayHintLabel::String(hint.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(hsl_status_codes::label(hint.code))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect()
    });
    // Hints about text that changed meanwhile would sit in the wrong places.
    Ok(hints.filter(|_| session.is_current(uri, analysed.generation)))
}
