//! Incremental against fresh analysis over edit sequences: a language selector byte, a text, a
//! `0` byte, then the edits (see `hsl_fuzz::edits`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((language, text, steps)) = hsl_fuzz::edits::parse(data) else {
        return;
    };
    hsl_fuzz::incremental(language, &text, &steps[..steps.len().min(16)]);
});
