//! Whole-file analysis of arbitrary TypeScript and TSX text (the first byte picks which): no
//! panic, no hang, every range valid.
#![no_main]

use hsl_facts::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let language = if selector % 2 == 0 {
        Language::TypeScript
    } else {
        Language::Tsx
    };
    hsl_fuzz::whole_file(language, text);
});
