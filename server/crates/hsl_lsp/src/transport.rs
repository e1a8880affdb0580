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

/// Copies the server's frames and the guard's own replies to `output`, a whole frame at a time.
/// The server's frames are read by a task of their own and queued with the replies, so that no
/// partly read frame is ever dropped (a `select!` over a frame read would lose one).
pub async fn pump_output<W: AsyncWrite + Unpin>(
    server: DuplexStream,
    mut output: W,
    replies: mpsc::UnboundedSender<Vec<u8>>,
    mut queue: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    let forward = tokio::spawn(async move {
        let mut reader = BufReader::new(server);
        while let Some(read) = read_frame(&mut reader).await {
            if let Some(body) = read
                && !body.is_empty()
                && replies.send(body).is_err()
            {
                return;
            }
        }
        // The server closed its output: an empty body tells the writer to finish.
        let _ = replies.send(Vec::new());
    });
    while let Some(body) = queue.recv().await {
        if body.is_empty() {
            break;
        }
        if output.write_all(&frame(&body)).await.is_err() || output.flush().await.is_err() {
            forward.abort();
            return;
        }
    }
    let _ = output.flush().await;
}

/// Standard input as an async reader, read by a thread of its own: tokio's `stdin()` would hold
/// one of the few blocking-pool threads (kept for analyses) in a read for the whole session.
pub fn stdin_reader(runtime: tokio::runtime::Handle) -> DuplexStream {
    let (reader, mut feed) = tokio::io::duplex(1 << 16);
    io_thread("lsp-stdin", move || {
        use std::io::Read;
        let mut stdin = std::io::stdin().lock();
        let mut buffer = vec![0; 1 << 16];
        loop {
            let read = match stdin.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            if runtime.block_on(feed.write_all(&buffer[..read])).is_err() {
                break;
            }
        }
        let _ = runtime.block_on(feed.shutdown());
    });
    reader
}

/// Standard output as an async writer, written by a thread of its own (see [`stdin_reader`]);
/// each chunk is flushed as soon as it is written.
pub fn stdout_writer(runtime: tokio::runtime::Handle) -> DuplexStream {
    let (writer, mut drain) = tokio::io::duplex(1 << 20);
    io_thread("lsp-stdout", move || {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let mut buffer = vec![0; 1 << 20];
        loop {
            let read = match runtime.block_on(drain.read(&mut buffer)) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            if stdout.write_all(&buffer[..read]).is_err() || stdout.flush().is_err() {
                break;
            }
        }
    });
    writer
}

/// Starts one of the stdio threads; without it the session cannot run, which stderr says.
fn io_thread(name: &str, work: impl FnOnce() + Send + 'static) {
    if let Err(err) = std::thread::Builder::new().name(name.into()).spawn(work) {
        eprintln!("http-status-ls: cannot start the {name} thread: {err}");
    }
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
