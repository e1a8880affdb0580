//! One language-server session over bytes in memory.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Whether the input could point the server at folders to index. Indexing walks the disk in the
/// background, outside the session the fuzzer waits for, so such inputs are left out: what a
/// client may send is fuzzed, not the file system.
pub fn walks_the_disk(data: &[u8]) -> bool {
    const KEYS: &[&[u8]] = &[b"rootUri", b"rootPath", b"orkspaceFolders", b"\\u"];
    KEYS.iter()
        .any(|key| data.windows(key.len()).any(|window| window == *key))
}

/// Serves `data` as a client's whole output, then the end of input; the server's output is
/// dropped. Returns when the session has ended.
pub fn session(data: &[u8]) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => panic!("cannot start a runtime: {err}"),
    };
    let input = std::io::Cursor::new(data.to_vec());
    let shutdown = Arc::new(AtomicBool::new(false));
    runtime.block_on(hsl_lsp::serve(input, tokio::io::sink(), shutdown));
    runtime.shutdown_background();
}
