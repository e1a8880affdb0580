//! The `http-status-ls.toml` parser on arbitrary text: problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    hsl_fuzz::config(text);
});
