//! `http-status-ls codes [CODE]`: the registry table, or one code's documentation.

use std::process::ExitCode;

use crate::status_codes::{self, Class, Registration};

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
            println!("{}  {}{mark}", entry.code, entry.name);
        }
        return ExitCode::SUCCESS;
    };
    let Ok(number) = code.trim().parse::<u16>() else {
        eprintln!("error: `{code}` is not a number; try `http-status-ls codes 422`");
        return ExitCode::from(2);
    };
    let Some(entry) = status_codes::lookup(number) else {
        match Class::of(number) {
            Some(class) => println!(
                "{number} is not in the IANA registry. Clients treat an unknown code as {} ({}).",
                status_codes::label(number / 100 * 100),
                class.label()
            ),
            None => println!("{number} is not an HTTP status code: codes are 100–599."),
        }
        return ExitCode::from(1);
    };
    println!("{} {}", entry.code, entry.name);
    if let Some(class) = Class::of(entry.code) {
        println!("{}", class.label());
    }
    let Some(docs) = &entry.docs else {
        return ExitCode::SUCCESS;
    };
    println!("\n{}\n", docs.meaning);
    println!(
        "Cacheable by default: {}",
        if docs.cacheable { "yes" } else { "no" }
    );
    println!(
        "Retried by clients:   {}",
        if docs.retried { "yes" } else { "no" }
    );
    if !docs.headers.is_empty() {
        println!("Headers:              {}", docs.headers.join(", "));
    }
    if !docs.misuses.is_empty() {
        println!("\nCommon misuses:");
        for misuse in &docs.misuses {
            println!("  - {misuse}");
        }
    }
    if !docs.instead.is_empty() {
        println!("Instead: {}", docs.instead);
    }
    println!();
    if !docs.rfc.is_empty() {
        println!("{}: {}", docs.rfc, docs.rfc_url);
    }
    if !docs.mdn.is_empty() {
        println!("MDN: {}", docs.mdn);
    }
    ExitCode::SUCCESS
}
