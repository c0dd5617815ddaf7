//! The demo engagement, embedded in the binary: a mid-market outdoor retailer in the middle of
//! a replatform, with a full inventory, ownership map and interview, so a newcomer sees every
//! screen and report with real content in a minute. `stackmap demo` writes it out.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The demo assessment's text, as shipped.
pub const TEXT: &str = include_str!("demo/northwind-outdoor.toml");

/// The file name the demo is written under in the data dir.
pub const FILE_NAME: &str = "northwind-outdoor-demo.toml";

/// Whether a regular file at `path` differs from the shipped demo (someone edited it).
pub fn edited(path: &Path) -> bool {
    // At most one byte more than the demo is read, as `write` does.
    crate::save::read_head(path, TEXT.len() + 1).is_some_and(|head| head != TEXT.as_bytes())
}

/// Writes the demo to `path` unless a file is there already. An existing file with the
/// shipped text is fine (it is simply reused); one with other content is left alone, since it
/// may hold the user's own answers: `force` replaces it anyway.
///
/// A character device or FIFO (`--out /dev/stdout`) is written to as a stream, never replaced;
/// a directory, socket or read-only file is refused (`save::write_output`).
pub fn write(path: &Path, force: bool) -> Result<PathBuf> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    // A stream holds no earlier changes (and reading a FIFO would wait for a writer).
    if crate::save::is_stream(path) {
        crate::save::write_output(path, TEXT).map_err(io)?;
        return Ok(path.to_path_buf());
    }
    // At most one byte more than the demo is read: enough to tell whether the file is the
    // demo, and a large file costs no more than a small one.
    match crate::save::read_head(path, TEXT.len() + 1) {
        Some(existing) if existing == TEXT.as_bytes() => return Ok(path.to_path_buf()),
        Some(_) if !force => {
            return Err(Error::Usage(format!(
                "{} exists and differs from the shipped demo (it may hold your changes); open it as it is, \
                 pass --force to replace it, or --out to write the demo elsewhere",
                path.display()
            )));
        }
        _ => {}
    }
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
    }
    crate::save::write_output(path, TEXT).map_err(io)?;
    Ok(path.to_path_buf())
}
