//! The `http-status-ls` binary: the CLI (`check`, `explain`, `codes`), and the language server
//! on stdio without a subcommand (or with `--stdio`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = hsl_cli::Cli::parse();
    match cli.command {
        Some(command) => hsl_cli::run(command),
        None => hsl_lsp::run_stdio(),
    }
}

/// glibc gives every thread that allocates a malloc arena of its own (up to 8 per core), and an
/// arena keeps the pages of what it once held: after the workspace index (parsed on rayon's
/// threads) and a session on a large file (tokio's workers, the blocking pool, the freeing
/// thread), the server held 80 MiB, 55 MiB with two arenas, and latencies were steadier too.
/// `MALLOC_ARENA_MAX` set by the user wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(
    unsafe_code,
    reason = "the one FFI call of the product: glibc's mallopt"
)]
fn limit_malloc_arenas() {
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` only sets an allocator parameter; called first thing in `main`,
        // before any other thread exists. A refusal (0) leaves glibc's default.
        unsafe {
            mallopt(M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
