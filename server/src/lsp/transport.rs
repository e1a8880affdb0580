//! A guard in front of tower-lsp-server's framing: it reads every frame from stdin, forwards
//! only well-formed JSON-RPC to the server, and answers the rest itself (`-32700 Parse error`,
//! `-32600 Invalid Request`).
//!
//! Why: tower-lsp-server decodes stdin with a `FramedRead`, which ends the stream after the first
//! decoding error, so one malformed frame would end the session (DESIGN.md §7: a malformed
//! JSON-RPC frame must get an error response and lose nothing).

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;

/// Frames larger than this are refused (and skipped) rather than buffered.
const MAX_FRAME: usize = 64 * 1024 * 1024;

/// What the input pump made of a frame.
enum Frame {
    Forward(Vec<u8>),
    Reply(Value),
}

/// Reads one frame: `None` at the end of input.
async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).await.ok()?;
        if read == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length.filter(|len| *len <= MAX_FRAME) else {
        // No usable length: the headers are dropped and the reader resynchronises on the next
        // header block.
        return Some(None);
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Some(body))
}

/// Judges a frame's body.
fn classify(body: Vec<u8>) -> Frame {
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return Frame::Reply(error(Value::Null, -32700, "Parse error"));
    };
    let Some(object) = value.as_object() else {
        return Frame::Reply(error(Value::Null, -32600, "Invalid Request"));
    };
    let id = object.get("id").cloned().unwrap_or(Value::Null);
    let id_ok = matches!(id, Value::Null | Value::Number(_) | Value::String(_));
    let is_call = object.get("method").is_some_and(Value::is_string);
    let is_response = object.contains_key("id")
        && (object.contains_key("result") || object.contains_key("error"));
    let params_ok = object
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    if object.get("jsonrpc") != Some(&json!("2.0")) || !id_ok || !params_ok {
        return Frame::Reply(error(id, -32600, "Invalid Request"));
    }
    if is_call || is_response {
        Frame::Forward(body)
    } else {
        Frame::Reply(error(id, -32600, "Invalid Request"))
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Pumps `input` into the server side, filtering; replies go to `replies`.
pub async fn pump_input<R: AsyncRead + Unpin>(
    input: R,
    mut server: DuplexStream,
    replies: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut reader = BufReader::new(input);
    while let Some(read) = read_frame(&mut reader).await {
        let Some(body) = read else {
            let _ = replies.send(
                error(Value::Null, -32700, "Parse error")
                    .to_string()
                    .into_bytes(),
            );
            continue;
        };
        match classify(body) {
            Frame::Forward(body) => {
                if server.write_all(&frame(&body)).await.is_err() {
                    return;
                }
            }
            Frame::Reply(reply) => {
                let _ = replies.send(reply.to_string().into_bytes());
            }
        }
    }
    let _ = server.shutdown().await;
}

/// Copies the server's frames to `output`, interleaving our own replies between whole frames.
/// Ends when the server closes its side.
pub async fn pump_output<W: AsyncWrite + Unpin>(
    server: DuplexStream,
    mut output: W,
    mut replies: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    let mut reader = BufReader::new(server);
    let mut replies_open = true;
    loop {
        tokio::select! {
            read = read_frame(&mut reader) => {
                match read {
                    None => break,
                    Some(None) => continue,
                    Some(Some(body)) => {
                        if output.write_all(&frame(&body)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            reply = replies.recv(), if replies_open => {
                match reply {
                    Some(body) => {
                        if output.write_all(&frame(&body)).await.is_err() {
                            return;
                        }
                    }
                    None => replies_open = false,
                }
            }
        }
        if output.flush().await.is_err() {
            return;
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert!(
            matches!(classify(b"{not json".to_vec()), Frame::Reply(v) if v["error"]["code"] == -32700)
        );
        assert!(
            matches!(classify(b"[1,2]".to_vec()), Frame::Reply(v) if v["error"]["code"] == -32600)
        );
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":7}"#.to_vec()),
            Frame::Reply(v) if v["error"]["code"] == -32600 && v["id"] == 7
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#.to_vec()),
            Frame::Forward(_)
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1,"result":null}"#.to_vec()),
            Frame::Forward(_)
        ));
    }
}
