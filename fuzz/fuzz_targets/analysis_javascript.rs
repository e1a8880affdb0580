//! Whole-file analysis of arbitrary JavaScript text: no panic, no hang, every range valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    hsl_fuzz::whole_file(hsl_facts::Language::JavaScript, text);
});
