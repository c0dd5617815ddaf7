//! The library's error type. Problems in files are `Invalid` with every diagnostic found;
//! the binary maps every variant to exit code 2 (bad input or usage).

use std::path::PathBuf;

use crate::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more files are invalid; each diagnostic has its path, line and column.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The command line asked for something that cannot be done.
    #[error("{0}")]
    Usage(String),
}

fn render(d: &[Diagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
