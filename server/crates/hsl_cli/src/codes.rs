//! `http-status-ls codes [CODE]`: the registry table, or one code's documentation.

use std::process::ExitCode;

use hsl_status_codes::{self as status_codes, Class, Registration};

/// Prints the table, or one code's docs.
pub fn run(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        for entry in status_codes::registry() {
            let mark = match entry.registration {
                Registration::Assigned => "",
                Registration::Temporary => " (temporary)",
                Registration::Deprecated => " (deprecated)",
                Registration::ReservedUnused => " (reserved, unused)",
                Registration::Obsoleted => " (obsoleted)",
                Registration::NotRegistered => "",
            };
            outln!("{}  {}{mark}", entry.code, entry.name);
        }
        return ExitCode::SUCCESS;
    };
    let Ok(number) = code.trim().parse::<u16>() else {
        eprintln!("error: `{code}` is not a number; try `http-status-ls codes 422`");
        return ExitCode::from(2);
    };
    let Some(entry) = status_codes::lookup(number) else {
        match Class::of(number) {
            Some(class) => outln!(
                "{number} is not in the IANA registry. Clients treat an unknown code as {} ({}).",
                status_codes::label(number / 100 * 100),
                class.label()
            ),
            None => outln!("{number} is not an HTTP status code: codes are 100–599."),
        }
        return ExitCode::from(1);
    };
    outln!("{} {}", entry.code, entry.name);
    if let Some(class) = Class::of(entry.code) {
        outln!("{}", class.label());
    }
    let Some(docs) = &entry.docs else {
        return ExitCode::SUCCESS;
    };
    outln!("\n{}\n", docs.meaning);
    outln!(
        "Cacheable by default: {}",
        if docs.cacheable { "yes" } else { "no" }
    );
    outln!(
        "Retried by clients:   {}",
        if docs.retried { "yes" } else { "no" }
    );
    if !docs.headers.is_empty() {
        outln!("Headers:              {}", docs.headers.join(", "));
    }
    if !docs.misuses.is_empty() {
        outln!("\nCommon misuses:");
        for misuse in &docs.misuses {
            outln!("  - {misuse}");
        }
    }
    if !docs.instead.is_empty() {
        outln!("Instead: {}", docs.instead);
    }
    outln!();
    if !docs.rfc.is_empty() {
        outln!("{}: {}", docs.rfc, docs.rfc_url);
    }
    if !docs.mdn.is_empty() {
        outln!("MDN: {}", docs.mdn);
    }
    ExitCode::SUCCESS
}
