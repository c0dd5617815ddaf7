//! stackmap: a terminal workbench for commerce-integration architects.
//!
//! The library holds the pure core — vocabularies, file formats, loading with validation,
//! content in force, the engine, edits, diffs, reports, saving — and the two shells that
//! call it: the command line in `cli` and the terminal UI in `tui`. The core never imports
//! ratatui or crossterm and does I/O only on paths handed to it.
//!
//! Loading is two-phase: `load` parses TOML into the `raw` structs that mirror the files,
//! `validate` turns them into the `model`, collecting every problem as a `diag::Diagnostic`
//! with path, line and column.

pub mod cli;
pub mod content;
pub mod demo;
pub mod diag;
pub mod diff;
pub mod draft;
pub mod edit;
pub mod engine;
pub mod error;
pub mod export;
pub mod import;
pub mod infer;
pub mod load;
pub mod merge;
pub mod model;
pub mod paths;
pub mod preread;
pub mod raw;
pub mod report;
pub mod save;
pub mod snapshot;
pub mod tables;
pub mod text;
pub mod tui;
pub mod validate;
pub mod vocab;
pub mod workspace;

pub use error::{Error, Result};
