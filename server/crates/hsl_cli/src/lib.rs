//! The command line: `check`, `explain`, `codes`. Reporters share the same findings; no LSP
//! types here.

/// `println!` for the CLI's output: when the reader has gone away (`check | head`), stop
/// quietly with the shell's code for a broken pipe (128 + SIGPIPE) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(141);
        }
    }};
}

/// `print!` with [`outln!`]'s handling of a closed reader.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout();
        if write!(stdout, $($arg)*).and_then(|()| stdout.flush()).is_err() {
            std::process::exit(141);
        }
    }};
}

mod check;
mod codes;
pub mod docs;
mod explain;
mod output;
mod routes;

pub use routes::RoutesFormat;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Knows HTTP status codes the way a senior API engineer does: checks handler code for
/// status-code misuse (Express, axum and more) and explains every code.
#[derive(Debug, Parser)]
#[command(name = "http-status-ls", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serve the Language Server Protocol on stdio (the default without a subcommand).
    #[arg(long)]
    pub stdio: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files or directories (default `.`), respecting .gitignore.
    Check(CheckArgs),
    /// Print a rule's documentation; without a rule, list the rules.
    Explain {
        /// A rule id, e.g. `redirect-changes-method`.
        rule: Option<String>,
        /// Print the documentation of every rule.
        #[arg(long, conflicts_with = "rule")]
        all: bool,
    },
    /// Print the status-code table, or one code's documentation.
    Codes {
        /// A status code, e.g. `422`.
        code: Option<String>,
    },
    /// List every route the code registers, with its whole path and the statuses its handler
    /// can send (default `.`).
    Routes(RoutesArgs),
}

/// Options of `routes`.
#[derive(Debug, clap::Args)]
pub struct RoutesArgs {
    /// Files or directories to read.
    pub paths: Vec<std::path::PathBuf>,
    /// Output format: a table, JSON, or an OpenAPI 3.1 skeleton.
    #[arg(long, value_enum, default_value_t = RoutesFormat::Text)]
    pub format: RoutesFormat,
    /// Use this config file for every path instead of the nearest `http-status-ls.toml`.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<std::path::PathBuf>,
    /// Ignore every `http-status-ls.toml`: defaults only.
    #[arg(long)]
    pub isolated: bool,
}

/// Options of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    pub paths: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Apply safe fixes in place and report what changed.
    #[arg(long)]
    pub fix: bool,
    /// Colour: auto (on a terminal), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Use this config file for every path instead of the nearest `http-status-ls.toml`
    /// (its globs are relative to its directory).
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<std::path::PathBuf>,
    /// Ignore every `http-status-ls.toml`: defaults only.
    #[arg(long)]
    pub isolated: bool,
    /// Apply `include`/`exclude` and the default excludes to files named on the command line
    /// too (by default a file named explicitly is always checked).
    #[arg(long)]
    pub force_exclude: bool,
    /// The lowest severity that makes the run exit 1 [default: the config's `fail-level`, else
    /// warning].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<FailLevel>,
    /// Exit 0 even when findings are reported (problems that stop the run still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these rules (comma-separated ids, or repeat the option); wins over the config.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids, or repeat the option).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
}

/// The severities `--fail-level` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailLevel {
    /// The severity at and above which findings fail the run.
    pub fn severity(self) -> hsl_rules::Severity {
        match self {
            FailLevel::Error => hsl_rules::Severity::Error,
            FailLevel::Warning => hsl_rules::Severity::Warning,
            FailLevel::Info => hsl_rules::Severity::Info,
            FailLevel::Hint => hsl_rules::Severity::Hint,
        }
    }
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Runs one subcommand; exit code 0 = clean, 1 = findings at or above the fail level, 2 = error. The binary serves the
/// language server itself when there is no subcommand, so the CLI knows nothing of LSP.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check(args) => check::run(args),
        Command::Explain { rule, all } => explain::run(rule.as_deref(), all),
        Command::Codes { code } => codes::run(code.as_deref()),
        Command::Routes(args) => routes::run(args),
    }
}
