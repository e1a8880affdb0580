//! `textDocument/completion`: status codes, constants and helpers at a status position,
//! recognised from the text before the cursor on its line (no analysis needed).

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, Position, TextEdit,
};

use crate::convert::{self, Encoding};
use crate::session::{Session, guarded};
use hsl_analysis::completion;
use hsl_facts::Language;

/// The completions at the cursor, else `null` when it is not at a status position.
pub async fn handle_completion(
    session: &Arc<Session>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let position = params.text_document_position;
    let (rope, language) = {
        let Some(doc) = session.docs.get(&position.text_document.uri) else {
            return Ok(None);
        };
        let Some(language) = doc.language else {
            return Ok(None);
        };
        (doc.rope.clone(), language)
    };
    let encoding = session.encoding();
    let result = guarded("completion", || {
        complete_at(&rope, language, position.position, encoding)
    });
    Ok(result.flatten())
}

fn complete_at(
    rope: &Rope,
    language: Language,
    position: Position,
    encoding: Encoding,
) -> Option<CompletionResponse> {
    let offset = convert::offset(rope, position, encoding);
    // Only the current line matters; slice it instead of copying the whole text.
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let text = rope.byte_slice(line_start..offset).to_string();
    let found = completion::complete(language, &text, text.len())?;
    let replace = line_start + found.replace.start..line_start + found.replace.end;
    let range = convert::range(rope, &replace, encoding);
    let kind = match found.kind {
        completion::CompletionKind::Number => CompletionItemKind::VALUE,
        completion::CompletionKind::Constant => CompletionItemKind::CONSTANT,
        completion::CompletionKind::Helper => CompletionItemKind::FUNCTION,
    };
    let items = found
        .items
        .into_iter()
        .map(|item| CompletionItem {
            label: item.label.clone(),
            kind: Some(kind),
            detail: Some(item.detail.clone()),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: item.documentation,
            })),
            sort_text: Some(item.sort_key),
            filter_text: Some(format!("{} {}", item.label, item.detail)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: item.label,
            })),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}
