//! A guard in front of tower-lsp-server's framing: it reads every frame from stdin, forwards
//! only well-formed JSON-RPC to the server, and answers the rest itself (`framing` finds the
//! frames, also around a wrong `Content-Length`; `judge` decides what to forward and what to
//! answer).
//!
//! Why: tower-lsp-server decodes stdin with a `FramedRead`, which ends the stream after the first
//! decoding error, so one malformed frame would end the session (DESIGN.md §7: a malformed
//! JSON-RPC frame must get an error response and lose nothing).

mod framing;
mod headers;
mod judge;

use std::time::Duration;

use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;

/// How long the rest of a frame whose length was wrong is waited for.
const PATIENCE: Duration = Duration::from_millis(200);

/// Reads one of the server's own frames (always well formed, so its length is trusted): an
/// empty body when it had none, `None` at the end of input.
async fn read_server_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Vec<u8>> {
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().unwrap_or(0));
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    reader.read_exact(&mut body).await.ok()?;
    Some(body)
}

/// A body framed for the wire.
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
    let mut reader = framing::FrameReader::new(input, PATIENCE);
    while let Some(read) = reader.next().await {
        let judged = judge::judge(read);
        for reply in judged.replies {
            let _ = replies.send(reply.to_string().into_bytes());
        }
        if let Some(body) = judged.forward
            && server.write_all(&frame(&body)).await.is_err()
        {
            return;
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
        while let Some(body) = read_server_frame(&mut reader).await {
            if !body.is_empty() && replies.send(body).is_err() {
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
