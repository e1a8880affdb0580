//! Fix validity: every kept fix applies whole and parses no worse, and the safe fixes reach a
//! fixpoint. The first byte picks the language.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    hsl_fuzz::fix_validity(hsl_fuzz::language_from(selector), text);
});
