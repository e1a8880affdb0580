//! The `http-status-ls` binary: the CLI (`check`, `explain`, `codes`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = http_status_ls::cli::Cli::parse();
    http_status_ls::cli::run(cli)
}
