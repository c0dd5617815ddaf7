//! The screens, one module each: its state, its keys (`update`) and its drawing together, so
//! a screen can be read in one file. They follow the rules of the whole UI: drawing reads the
//! `App` and changes nothing; `update` changes it and returns effects, no I/O. Screens call
//! downward only — the state, the checked edit path (`tui::edit`), the widgets — and now and
//! then a sibling to open something there (a question, a decision); never the dispatcher
//! (`tui::update`) or the frame (`tui::view`).

pub mod decisions;
pub mod home;
pub mod interview;
pub mod inventory;
pub mod map;
pub mod ownership;
pub mod results;
pub mod snapshots;
pub mod vendors;

/// Where each screen of an open assessment stands. Opening a file starts them all afresh:
/// `Screens::default()`.
#[derive(Debug, Clone, Default)]
pub struct Screens {
    pub decisions: decisions::DecisionsState,
    pub snapshots: snapshots::SnapshotsState,
    pub results: results::ResultsState,
    pub vendors: vendors::VendorsState,
    pub ownership: ownership::OwnershipState,
    pub map: map::MapState,
    pub inventory: inventory::InventoryState,
}
