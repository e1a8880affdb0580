//! `http-status-ls check`: walk, prefilter, analyse in parallel, resolve methods across files,
//! report, and optionally fix.

mod load;
pub(crate) mod named;
pub(crate) mod registrations;
mod rule_options;
mod session;
mod views;

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use super::output::{self, text::Summary};
use super::{CheckArgs, ColorChoice, Format};
use hsl_analysis::walk;
use hsl_config::{ConfigFile, Mode, ProblemSeverity, Resolver, absolute};
use named::display_path;
use rule_options::RuleOptions;
use session::{Options, Session};

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let rules = match RuleOptions::new(&args.select, &args.ignore) {
        Ok(rules) => rules,
        Err(message) => return stop(&message),
    };
    for path in &paths {
        if let Err(message) = named::check(path) {
            return stop(&message);
        }
    }
    let mode = if args.isolated {
        Mode::Isolated
    } else if let Some(path) = &args.config {
        if !path.is_file() {
            return stop(&format!("{}: no such config file", path.display()));
        }
        Mode::Explicit(Arc::new(ConfigFile::load(&absolute(path))))
    } else {
        Mode::Discover
    };
    let configs = Arc::new(Resolver::new(mode));
    let walked = walk::walk(&paths, &configs, args.force_exclude);
    // A config error (an invalid glob, an unknown rule in `select`) means the run would check
    // other files or rules than the config says: stop before analysing, as ruff does.
    if config_errors(&configs) {
        print_config_problems(&configs);
        return ExitCode::from(2);
    }
    for path in &walked.unknown {
        eprintln!(
            "note: {}: skipped, not a Rust, TypeScript or JavaScript file",
            display_path(path)
        );
    }
    for skipped in &walked.skipped {
        match &skipped.path {
            Some(path) => eprintln!("note: {}: {}", display_path(path), skipped.reason),
            None => eprintln!("note: {}", skipped.reason),
        }
    }
    let options = Options {
        rules,
        fail_level: args.fail_level.map(|level| level.severity()),
        force_exclude: args.force_exclude,
        keep_analyses: args.fix,
    };
    let mut session = Session::analyse(&paths, &walked.files, configs.clone(), options);
    print_config_problems(&configs);
    let fixed = args.fix.then(|| session.fix());
    report(&args, &session, fixed);
    if session.checked == 0 {
        eprintln!(
            "warning: no Rust, TypeScript or JavaScript file was checked under {}",
            paths
                .iter()
                .map(|path| format!("`{}`", path.display()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if session.internal_errors > 0 || config_errors(&configs) {
        ExitCode::from(2)
    } else if session.failing() > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints an error that ends the run before anything is checked; exit code 2.
fn stop(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Renders the findings in the chosen format, then the notes and what `--fix` did.
fn report(args: &CheckArgs, session: &Session, fixed: Option<usize>) {
    let views = session.views();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let summary = Summary {
        checked: session.checked,
        fixed,
    };
    let rendered = match args.format {
        Format::Text => output::text::render(&views, &summary, color),
        Format::Json => output::json::render(&views),
        Format::Sarif => output::sarif::render(&views, &session.root_uri()),
        Format::Github => output::github::render(&views),
    };
    out!("{rendered}");
    for note in &session.notes {
        eprintln!("{note}");
    }
    for fixed in &session.fixed {
        eprintln!("fixed: {fixed}");
    }
    if let Some(fixed) = fixed
        && args.format != Format::Text
    {
        let remaining = views.iter().map(|file| file.findings.len()).sum();
        eprintln!("{}", output::text::fix_tally(fixed, remaining));
    }
    let lossy = views.iter().any(|file| {
        file.name_is_lossy() || {
            let mut related = file.findings.iter().flat_map(|f| &f.related);
            related.any(|related| related.name.to_str().is_none())
        }
    });
    if lossy && matches!(args.format, Format::Text | Format::Github) {
        eprintln!(
            "note: file names that are not valid UTF-8 are shown with U+FFFD for each bad byte; `--format json` (`file_percent_encoded`) and `--format sarif` give their exact bytes"
        );
    }
}

/// Whether a config file read so far has a problem that stops the run.
fn config_errors(configs: &Resolver) -> bool {
    configs.loaded().iter().any(|config| {
        config
            .problems
            .iter()
            .any(|problem| problem.severity == ProblemSeverity::Error)
    })
}

/// The problems of every config file the run read, once each, as `path:line:col: level: …`.
/// Warnings never fail the run; JSON, SARIF and GitHub output stay reserved for findings.
fn print_config_problems(configs: &Resolver) {
    for config in configs.loaded() {
        let Some(first) = config.problems.first() else {
            continue;
        };
        let shown = display_path(&first.path);
        // Buffered: a hostile config can have hundreds of thousands of problems.
        let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
        for problem in &config.problems {
            let _ = writeln!(
                stderr,
                "{shown}:{}:{}: {}: {}",
                problem.line,
                problem.column,
                problem.severity.as_str(),
                problem.message
            );
        }
        let _ = stderr.flush();
    }
}
