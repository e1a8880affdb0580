//! Judging what the framing read: well-formed JSON-RPC goes on to the server; the rest is
//! answered here (`-32700 Parse error`, `-32600 Invalid Request`, `-32601 Method not found`),
//! echoing the request's id whenever it can be read (JSON-RPC 2.0 §5: `null` only when it
//! cannot).

use serde_json::{Value, json};

use super::framing::{MAX_FRAME, Read, Repair};

/// What to do with one read: forward a body to the server, and send replies to the client.
pub struct Judged {
    pub forward: Option<Vec<u8>>,
    pub replies: Vec<Value>,
}

impl Judged {
    fn reply(reply: Value) -> Judged {
        Judged {
            forward: None,
            replies: vec![reply],
        }
    }
}

/// Judges one read of the framing.
pub fn judge(read: Read) -> Judged {
    match read {
        Read::Message {
            body,
            value,
            repaired,
        } => {
            let mut judged = classify(body, &value);
            if let Some(repair) = repaired {
                note_repair(repair, &mut judged);
            }
            judged
        }
        Read::Broken { bytes, reason } => {
            eprintln!(
                "http-status-ls: skipped {} bytes that are not a JSON-RPC message ({reason})",
                bytes.len()
            );
            let id = id_of_broken(&bytes).unwrap_or(Value::Null);
            Judged::reply(error(id, -32700, "Parse error"))
        }
        Read::Oversized(length) => {
            let message = format!(
                "Invalid Request: a frame of {length} bytes is over the limit of {} MiB; it was skipped unread",
                MAX_FRAME / (1024 * 1024)
            );
            eprintln!("http-status-ls: {message}");
            Judged::reply(error(Value::Null, -32600, &message))
        }
    }
}

/// A repaired message is served; the log says what was wrong with it.
fn note_repair(repair: Repair, judged: &mut Judged) {
    match repair {
        Repair::Length => {
            eprintln!(
                "http-status-ls: a frame's Content-Length did not match its body (it must count bytes); the message was read from around it"
            );
        }
        Repair::Unicode => judged.replies.push(json!({
            "jsonrpc": "2.0",
            "method": "window/logMessage",
            "params": {
                "type": 2,
                "message": "http-status-ls: a message held text that is not Unicode (a lone UTF-16 surrogate or bytes that are not UTF-8); each such character was read as U+FFFD"
            }
        })),
    }
}

/// A message's id when it is one the server can answer with: an integer, a string or `null`.
fn answerable_id(id: &Value) -> bool {
    match id {
        Value::Number(number) => number.is_i64(),
        Value::String(_) | Value::Null => true,
        _ => false,
    }
}

/// The id to put in an error reply: the message's own when it is a JSON-RPC id at all.
fn reply_id(object: &serde_json::Map<String, Value>) -> Value {
    match object.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    }
}

/// Judges a message that is JSON.
fn classify(body: Vec<u8>, value: &Value) -> Judged {
    let Some(object) = value.as_object() else {
        return Judged::reply(error(Value::Null, -32600, "Invalid Request"));
    };
    let id = reply_id(object);
    let has_id = object.contains_key("id");
    let id_ok = object.get("id").is_none_or(answerable_id);
    let params_ok = object
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    if object.get("jsonrpc") != Some(&json!("2.0")) || !params_ok {
        return Judged::reply(error(id, -32600, "Invalid Request"));
    }
    match object.get("method").and_then(Value::as_str) {
        Some(_) if !id_ok => Judged::reply(error(
            id,
            -32600,
            "Invalid Request: an id must be an integer or a string",
        )),
        // Requests the server does not implement; tower-lsp-server would drop a `$/` one
        // unanswered, as if it were a notification.
        Some(method) if has_id && method.starts_with("$/") => {
            Judged::reply(error(id, -32601, "Method not found"))
        }
        Some(_) => forward(body),
        None if has_id && (object.contains_key("result") || object.contains_key("error")) => {
            if id_ok && is_response(object) {
                return forward(body);
            }
            // A malformed answer to one of the server's requests: nothing to reply to.
            eprintln!("http-status-ls: dropped a malformed response from the client");
            Judged {
                forward: None,
                replies: Vec::new(),
            }
        }
        None => Judged::reply(error(id, -32600, "Invalid Request")),
    }
}

fn forward(body: Vec<u8>) -> Judged {
    Judged {
        forward: Some(body),
        replies: Vec::new(),
    }
}

/// A response the server can take: an id and a result, or an error with a code and message.
fn is_response(object: &serde_json::Map<String, Value>) -> bool {
    if !object.contains_key("id") {
        return false;
    }
    if object.contains_key("result") {
        return !object.contains_key("error");
    }
    object.get("error").is_some_and(|error| {
        error.get("code").is_some_and(Value::is_i64)
            && error.get("message").is_some_and(Value::is_string)
    })
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// The id of a message that is not valid JSON (cut short, say), when its top-level `"id"`
/// member can still be read.
fn id_of_broken(bytes: &[u8]) -> Option<Value> {
    let mut depth = 0usize;
    let mut at = 0;
    // Whether the next string at depth 1 is a member name.
    let mut expect_key = false;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'{' | b'[' => {
                depth += 1;
                expect_key = byte == b'{' && depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let end = string_end(bytes, at)?;
                if depth == 1 && expect_key {
                    let key = bytes.get(at..end)?;
                    if key == b"\"id\"" {
                        return id_after_key(bytes.get(end..)?);
                    }
                }
                expect_key = false;
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The offset just past the string that starts at `start` (a `"`), if it closes.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The value after `"id"`: `: <integer or string>`.
fn id_after_key(rest: &[u8]) -> Option<Value> {
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b":")?
        .trim_ascii_start();
    let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
    let id = values.next()?.ok()?;
    answerable_id(&id).then_some(id).filter(|id| !id.is_null())
}

/// The body with each lone UTF-16 surrogate escape (`\ud800` without its pair) replaced by
/// `\ufffd`, and bytes that are not UTF-8 by U+FFFD; `None` when there was none of either.
pub fn repair_unicode(body: &[u8]) -> Option<Vec<u8>> {
    let (text, lossy) = match String::from_utf8_lossy(body) {
        std::borrow::Cow::Borrowed(text) => (text.to_string(), false),
        std::borrow::Cow::Owned(text) => (text, true),
    };
    let mut out = String::with_capacity(text.len());
    let mut changed = lossy;
    let mut rest = text.as_str();
    while let Some(at) = rest.find('\\') {
        let (before, escape) = rest.split_at(at);
        out.push_str(before);
        let (taken, replaced) = escape_at(escape);
        if replaced {
            out.push_str("\\ufffd");
            changed = true;
        } else {
            out.push_str(escape.get(..taken).unwrap_or(escape));
        }
        rest = escape.get(taken..).unwrap_or("");
    }
    out.push_str(rest);
    changed.then(|| out.into_bytes())
}

/// The length of the escape at the front of `escape` (which starts with `\`) and whether it
/// is a lone surrogate to replace. A surrogate pair is taken whole.
fn escape_at(escape: &str) -> (usize, bool) {
    let unit = |at: usize| {
        let hex = escape.get(at..at + 6)?.strip_prefix("\\u")?;
        u16::from_str_radix(hex, 16).ok()
    };
    let Some(first) = unit(0) else {
        // Another escape (`\n`, `\\`…): the backslash and the character after it.
        let next = escape.chars().nth(1).map_or(0, char::len_utf8);
        return (1 + next, false);
    };
    match first {
        0xD800..=0xDBFF => match unit(6) {
            Some(0xDC00..=0xDFFF) => (12, false),
            _ => (6, true),
        },
        0xDC00..=0xDFFF => (6, true),
        _ => (6, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply_of(body: &[u8]) -> Value {
        let value = serde_json::from_slice::<Value>(body).expect("json");
        let judged = classify(body.to_vec(), &value);
        assert!(judged.forward.is_none(), "forwarded {body:?}");
        judged.replies.into_iter().next().expect("a reply")
    }

    #[test]
    fn classification() {
        assert_eq!(reply_of(b"[1,2]")["error"]["code"], -32600);
        let reply = reply_of(br#"{"jsonrpc":"2.0","id":7}"#);
        assert_eq!(
            (reply["error"]["code"].clone(), reply["id"].clone()),
            (json!(-32600), json!(7))
        );
        for body in [
            &br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#[..],
            br#"{"jsonrpc":"2.0","id":1,"result":null}"#,
            br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#,
        ] {
            let value = serde_json::from_slice::<Value>(body).expect("json");
            assert!(
                classify(body.to_vec(), &value).forward.is_some(),
                "{body:?}"
            );
        }
    }

    #[test]
    fn ids_are_echoed_when_readable() {
        let reply = reply_of(br#"{"jsonrpc":"2.0","id":"a","method":"$/unknown"}"#);
        assert_eq!(
            (reply["error"]["code"].clone(), reply["id"].clone()),
            (json!(-32601), json!("a"))
        );
        let reply = reply_of(br#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover"}"#);
        assert_eq!(reply["id"], json!(1.5));
        let reply = reply_of(br#"{"jsonrpc":"2.0","id":{"no":1},"method":"x"}"#);
        assert_eq!(reply["id"], Value::Null);
        let reply = reply_of(br#"{"jsonrpc":"1.0","id":3,"method":"x"}"#);
        assert_eq!(reply["id"], json!(3));
    }

    #[test]
    fn id_of_a_message_cut_short() {
        let cut = br#"{"jsonrpc":"2.0","id":12,"method":"textDocument/hover","params":{"te"#;
        assert_eq!(id_of_broken(cut), Some(json!(12)));
        let nested = br#"{"jsonrpc":"2.0","method":"x","params":{"id":3},"id":"k","#;
        assert_eq!(id_of_broken(nested), Some(json!("k")));
        assert_eq!(id_of_broken(br#"{"params":{"id":3}"#), None);
        assert_eq!(id_of_broken(b"{not json"), None);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let body = r#"{"t":"a\ud800b\udc00c\ud83d\ude80\\ud800"}"#;
        let fixed = repair_unicode(body.as_bytes()).expect("repaired");
        let value: Value = serde_json::from_slice(&fixed).expect("json now");
        assert_eq!(value["t"], "a\u{fffd}b\u{fffd}c🚀\\ud800");
        assert_eq!(repair_unicode(br#"{"t":"fine \n \ud83d\ude80"}"#), None);
        let bytes = b"{\"t\":\"\xff\"}";
        let value: Value =
            serde_json::from_slice(&repair_unicode(bytes).expect("repaired")).expect("json");
        assert_eq!(value["t"], "\u{fffd}");
    }
}
