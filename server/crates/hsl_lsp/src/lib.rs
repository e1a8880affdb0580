//! The language server: LSP 3.17 over stdio with tower-lsp-server.
//!
//! The only module that names LSP types. It keeps the open documents (rope + version + latest
//! analysis) in the `session`, converts byte ranges to positions in the negotiated encoding
//! (`convert`), and maps the engine's findings, fixes, hovers, hints and completions onto the
//! protocol: one module per request family in `handlers`, routed to by `server`. The
//! cross-file index of the workspace lives in `index`, filled in the background by `indexing`.

mod config;
mod contract_problems;
mod convert;
mod document;
mod handlers;
mod index;
mod indexing;
mod later;
mod publish;
mod server;
mod session;
mod settings;
mod to_proto;
mod transport;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::{LspService, Server};

/// Serves LSP on stdin/stdout until `exit` (or the end of input). Exit code 0 when `shutdown`
/// came first, 1 otherwise (LSP §exit).
pub fn run_stdio() -> ExitCode {
    // Few threads: each thread that allocates gets its own malloc arena, and arenas that have
    // held a parse of a large file keep their pages (about 4x the RSS with the default pool).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("http-status-ls: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let shutdown = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let handle = runtime.handle().clone();
    runtime.block_on(serve(
        transport::stdin_reader(handle.clone()),
        transport::stdout_writer(handle),
        shutdown.clone(),
    ));
    // Background indexing may still run; it holds nothing that needs flushing.
    runtime.shutdown_background();
    if shutdown.load(Ordering::Acquire) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Serves one LSP session over `input` and `output` until `exit` or the end of input, with the
/// same guard in front of the framing as on stdio (see `transport`); `shutdown` is set when a
/// `shutdown` request came. `run_stdio` serves stdin and stdout with it; the fuzz target feeds it
/// arbitrary bytes, so that whatever a client sends can neither end nor hang the session.
pub async fn serve<R, W>(input: R, output: W, shutdown: Arc<std::sync::atomic::AtomicBool>)
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
    W: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (service, socket) = LspService::new(move |client| server::Backend::new(client, shutdown));
    // input → guard → server; server → guard → output (see `transport`).
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 20);
    let (replies_tx, replies_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(transport::pump_input(input, to_server, replies_tx.clone()));
    let output = tokio::spawn(transport::pump_output(
        from_server,
        output,
        replies_tx,
        replies_rx,
    ));
    Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // The server's side of the output pipe is closed now: let the last frames out.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), output).await;
}
