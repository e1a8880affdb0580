//! The `http-status-ls` binary: the CLI (`check`, `explain`, `codes`), and the language server
//! on stdio without a subcommand (or with `--stdio`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = http_status_ls::cli::Cli::parse();
    http_status_ls::cli::run(cli)
}
