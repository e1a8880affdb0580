//! The JSON-RPC message loop: a real server instance (the stdio transport's guard in front of
//! tower-lsp-server and our backend) reads arbitrary bytes to their end. It must neither panic
//! nor hang: libFuzzer's `-timeout` reports a session that does not end.
#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    if hsl_fuzz::lsp::walks_the_disk(data) {
        return Corpus::Reject;
    }
    hsl_fuzz::lsp::session(data);
    Corpus::Keep
});
