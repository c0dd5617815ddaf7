//! `stackmap merge`: two assessment files of one engagement into one.

use std::io::Write;

use crate::error::{Error, Result};
use crate::workspace::Sources;

use super::MergeArgs;

pub fn merge(
    _sources: &Sources,
    _args: &MergeArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<i32> {
    Err(Error::Usage("merge is not built yet".into()))
}
