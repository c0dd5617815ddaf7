//! The screens after the interview, one module each: its drawing and its keys together, so a
//! screen can be read in one file. They follow the same rules as the rest of the UI: drawing
//! reads the `App` and changes nothing; `update` changes it and returns effects, no I/O.

pub mod form;
pub mod inventory;
pub mod map;
pub mod ownership;
pub mod results;
pub mod vendors;
