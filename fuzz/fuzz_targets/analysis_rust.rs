//! Whole-file analysis of arbitrary Rust text: no panic, no hang, every range valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    hsl_fuzz::whole_file(hsl_facts::Language::Rust, text);
});
