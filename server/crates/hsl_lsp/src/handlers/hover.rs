//! `textDocument/hover`: the status code's documentation at a status site, else the statuses a
//! route registered or handled there can send.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::convert;
use crate::session::{Session, guarded};
use hsl_analysis::hover;

/// The hover of a status site (a code, a constant, a helper with a default), else `null`.
pub async fn handle_hover(session: &Arc<Session>, params: HoverParams) -> Result<Option<Hover>> {
    let position = params.text_document_position_params;
    let uri = &position.text_document.uri;
    let Some(analysed) = session.parsed_async(uri).await else {
        return Ok(None);
    };
    let encoding = session.encoding();
    let result = guarded("hover", || {
        let offset = convert::offset(&analysed.rope, position.position, encoding);
        let info = hover::hover(&analysed.file, offset)
            .or_else(|| session.workspace.route_hover(&analysed.file, offset));
        info.map(|info| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: info.markdown,
            }),
            range: Some(convert::range(&analysed.rope, &info.range, encoding)),
        })
    });
    // An answer about text that changed meanwhile would point at the wrong place.
    Ok(result
        .flatten()
        .filter(|_| session.is_current(uri, analysed.generation)))
}
