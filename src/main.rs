//! The `stackmap` binary: parse the command line, run the command, map the outcome to an
//! exit code. 0 ok, 2 bad input or usage; a closed pipe on stdout is not an error.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use stackmap::Error;
use stackmap::cli::{Cli, commands};

fn main() -> ExitCode {
    // An empty STACKMAP_HOME would reach clap as an empty `--home` and be reported as a
    // missing command-line value; say what is wrong where it is.
    if std::env::var_os("STACKMAP_HOME").is_some_and(|v| v.is_empty())
        && !std::env::args_os()
            .skip(1)
            .any(|a| a == "--home" || a.to_string_lossy().starts_with("--home="))
    {
        let _ = writeln!(
            io::stderr(),
            "error: STACKMAP_HOME is set but empty; set it to a folder (export STACKMAP_HOME=~/stackmap) \
             or unset it (unset STACKMAP_HOME) to use the usual config and data folders"
        );
        return ExitCode::from(2);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let result = commands::run(cli, &mut out, &mut err);
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(code), Ok(())) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        (Ok(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Err(Error::Io { source, .. }), _) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        (Ok(_), Err(e)) => {
            let _ = writeln!(err, "error: writing output: {e}");
            ExitCode::from(2)
        }
        (Err(e), _) => {
            let _ = writeln!(err, "{}", render(&e));
            ExitCode::from(2)
        }
    }
}

/// Diagnostics print as they are (`path:line:col: error: ...`); other errors get a prefix.
/// Messages quote what was typed or read (ids, paths, values): made safe to show, line
/// breaks kept.
fn render(e: &Error) -> String {
    let text = match e {
        Error::Invalid(_) => e.to_string(),
        _ => format!("error: {e}"),
    };
    stackmap::text::safe_multiline(&text)
}
