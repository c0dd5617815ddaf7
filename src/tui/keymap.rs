//! Every key binding, in one table. Keys become `Action`s here and nowhere else, and the `?`
//! help overlay is generated from the same table, so it never lies.
//!
//! Only key presses count (`KeyEventKind::Press`): terminals that report releases and repeats
//! would otherwise answer a question twice.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, Resolution};
use super::state::{App, Overlay, Screen};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Every screen (when no editor is open).
    Global,
    /// One screen's own keys.
    On(Screen),
    /// A one-line field, a form or the note editor is open.
    Editor,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// The digits 1 to 9: choose the Nth option.
    Digits,
}

impl Key {
    fn label(self) -> String {
        match self {
            Key::Char(' ') => "space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Digits => "1–9".into(),
            Key::Code(KeyCode::Up) => "↑".into(),
            Key::Code(KeyCode::Down) => "↓".into(),
            Key::Code(KeyCode::Left) => "←".into(),
            Key::Code(KeyCode::Right) => "→".into(),
            Key::Code(KeyCode::Enter) => "Enter".into(),
            Key::Code(KeyCode::Esc) => "Esc".into(),
            Key::Code(KeyCode::Tab) => "Tab".into(),
            Key::Code(KeyCode::BackTab) => "Shift-Tab".into(),
            Key::Code(KeyCode::Backspace) => "Backspace".into(),
            Key::Code(KeyCode::Home) => "Home".into(),
            Key::Code(KeyCode::End) => "End".into(),
            Key::Code(c) => format!("{c:?}"),
        }
    }
}

/// What a binding does, without data (digits carry theirs at match time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    Quit,
    Help,
    Palette,
    Up,
    Down,
    Select,
    Home,
    Choose,
    Toggle,
    Next,
    Previous,
    NextUnanswered,
    Unknown,
    NotApplicable,
    Confidence,
    Note,
    Value,
    Undo,
    Snapshot,
    Cancel,
    Filter,
    NextScreen,
    PreviousScreen,
    Roadmap,
    DetailDown,
    DetailUp,
    Accept,
    Defer,
    Reject,
    Owner,
    Priority,
    Target,
    Writer,
    Reader,
    View,
    Left,
    Right,
    Add,
    Delete,
    Import,
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub does: Do,
    pub help: &'static str,
}

use Key::*;

/// The default bindings. Order is the order `?` shows them in.
pub const BINDINGS: &[Binding] = &[
    Binding {
        context: Context::Global,
        keys: &[Char('?')],
        does: Do::Help,
        help: "show or hide this help",
    },
    Binding {
        context: Context::Global,
        keys: &[Ctrl('p')],
        does: Do::Palette,
        help: "find a question, system, flow or command",
    },
    Binding {
        context: Context::Global,
        keys: &[Code(KeyCode::Tab)],
        does: Do::NextScreen,
        help: "next screen",
    },
    Binding {
        context: Context::Global,
        keys: &[Code(KeyCode::BackTab)],
        does: Do::PreviousScreen,
        help: "previous screen",
    },
    Binding {
        context: Context::Global,
        keys: &[Char('/')],
        does: Do::Filter,
        help: "find: a question, system, flow, decision or screen (home: filter the list)",
    },
    Binding {
        context: Context::Global,
        keys: &[Ctrl('z')],
        does: Do::Undo,
        help: "undo the last change (an answer, the inventory, ownership, a decision)",
    },
    Binding {
        context: Context::Global,
        keys: &[Char('S')],
        does: Do::Snapshot,
        help: "take a labelled snapshot (compare on the Snapshots screen)",
    },
    Binding {
        context: Context::Global,
        keys: &[Char('q'), Ctrl('c')],
        does: Do::Quit,
        help: "quit (everything is already saved)",
    },
    Binding {
        context: Context::On(Screen::Home),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "previous entry",
    },
    Binding {
        context: Context::On(Screen::Home),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "next entry",
    },
    Binding {
        context: Context::On(Screen::Home),
        keys: &[Code(KeyCode::Enter)],
        does: Do::Select,
        help: "open the selected entry",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Digits],
        does: Do::Choose,
        help: "choose option N (multi: toggle it) and save",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "highlight the previous option",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "highlight the next option",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Code(KeyCode::Enter), Char(' ')],
        does: Do::Toggle,
        help: "choose (multi: toggle) the highlighted option; type a number or text",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "next question",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "previous question",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('n')],
        does: Do::NextUnanswered,
        help: "next unanswered question",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('u')],
        does: Do::Unknown,
        help: "mark as unknown",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('x')],
        does: Do::NotApplicable,
        help: "mark as not applicable",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('c')],
        does: Do::Confidence,
        help: "cycle confidence: verified, stated, assumed",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('e')],
        does: Do::Note,
        help: "edit the note",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('v')],
        does: Do::Value,
        help: "type the value (number, scale, text)",
    },
    Binding {
        context: Context::On(Screen::Interview),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "the decision above",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "the decision below",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[
            Code(KeyCode::Left),
            Char('h'),
            Code(KeyCode::Right),
            Char('l'),
        ],
        does: Do::Next,
        help: "the other lane: immediate fixes / architecture changes",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Code(KeyCode::Enter)],
        does: Do::Select,
        help: "the reasons behind it; on an answer, open its question",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "scroll the detail down",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "scroll the detail up",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('s')],
        does: Do::Roadmap,
        help: "show the roadmap slices / the two lanes",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('a')],
        does: Do::Accept,
        help: "accept the decision (again: back to open)",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('d')],
        does: Do::Defer,
        help: "defer it (again: back to open)",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('r')],
        does: Do::Reject,
        help: "reject it: out of the roadmap (again: back to open)",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('o')],
        does: Do::Owner,
        help: "name its owner",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('p')],
        does: Do::Priority,
        help: "set the priority by hand, with a reason (empty: computed)",
    },
    Binding {
        context: Context::On(Screen::Decisions),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "leave the reasons; from the list, the home screen",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "the row above",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "the row below",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "the next part: systems, flows, pain points, initiatives, summary",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "the previous part",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Char('a')],
        does: Do::Add,
        help: "add one (a system, a flow, a pain point, an initiative)",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Char('e'), Code(KeyCode::Enter)],
        does: Do::Select,
        help: "edit the selected one (the summary: write it)",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Char('d')],
        does: Do::Delete,
        help: "delete it, after showing what goes with it",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Char('i')],
        does: Do::Import,
        help: "import the client's systems and flows from CSV files",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "scroll the detail down",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "scroll the detail up",
    },
    Binding {
        context: Context::On(Screen::Inventory),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "the data object above",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "the data object below",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "the system to the left",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "the system to the right",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('o')],
        does: Do::Owner,
        help: "make this system the source of truth today (again: none)",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('t')],
        does: Do::Target,
        help: "make it the target source of truth (again: none)",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('w')],
        does: Do::Writer,
        help: "it writes this object / no longer does",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('r')],
        does: Do::Reader,
        help: "it reads this object / no longer does",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('v')],
        does: Do::View,
        help: "show the stack as-is / to-be (target owners, chosen systems)",
    },
    Binding {
        context: Context::On(Screen::Ownership),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "scroll up a line",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "scroll down a line",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "a page down",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "a page up",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "the next section: systems, flows, overlap, hot spots",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "the previous section",
    },
    Binding {
        context: Context::On(Screen::Results),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "the next category",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "the previous category",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Char(']')],
        does: Do::Right,
        help: "more systems to the right, when they do not all fit",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Char('[')],
        does: Do::Left,
        help: "back to the systems on the left",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "scroll up a line",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "scroll down a line",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "ten lines down",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "ten lines up",
    },
    Binding {
        context: Context::On(Screen::Vendors),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "the system above",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "the system below",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::Right), Char('l')],
        does: Do::Next,
        help: "the next category",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::Left), Char('h')],
        does: Do::Previous,
        help: "the previous category",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Char('v')],
        does: Do::View,
        help: "the drawing with every flow / the systems as boxes",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::Enter)],
        does: Do::Select,
        help: "open the system's questions in the interview",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "scroll the system's detail down",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "scroll the system's detail up",
    },
    Binding {
        context: Context::On(Screen::Map),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "back to the home screen",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Code(KeyCode::Up), Char('k')],
        does: Do::Up,
        help: "the row above (in the diff: the line above)",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Code(KeyCode::Down), Char('j')],
        does: Do::Down,
        help: "the row below (in the diff: the line below)",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Char(' ')],
        does: Do::Toggle,
        help: "mark this row as the other side of the comparison (again: unmark)",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[
            Code(KeyCode::Left),
            Char('h'),
            Code(KeyCode::Right),
            Char('l'),
        ],
        does: Do::Next,
        help: "move between the list and the diff",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Code(KeyCode::Enter)],
        does: Do::Select,
        help: "into the diff; on a line, open its question or decision",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Code(KeyCode::PageDown), Char('J')],
        does: Do::DetailDown,
        help: "ten lines down the diff",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Code(KeyCode::PageUp), Char('K')],
        does: Do::DetailUp,
        help: "ten lines up the diff",
    },
    Binding {
        context: Context::On(Screen::Snapshots),
        keys: &[Char('H'), Code(KeyCode::Esc)],
        does: Do::Home,
        help: "from the diff, back to the list; from the list, the home screen",
    },
    Binding {
        context: Context::Editor,
        keys: &[Code(KeyCode::Enter)],
        does: Do::Select,
        help: "save (in a note: new line)",
    },
    Binding {
        context: Context::Editor,
        keys: &[Code(KeyCode::Esc)],
        does: Do::Cancel,
        help: "one line: cancel · note: save and close",
    },
    Binding {
        context: Context::Editor,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        does: Do::Next,
        help: "a form: next / previous field",
    },
];

fn matches(key: Key, ev: &KeyEvent) -> Option<Option<usize>> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match (key, ev.code) {
        (Char(c), KeyCode::Char(x)) if !ctrl && c == x => Some(None),
        (Ctrl(c), KeyCode::Char(x)) if ctrl && c == x.to_ascii_lowercase() => Some(None),
        (Digits, KeyCode::Char(d @ '1'..='9')) if !ctrl => Some(Some(d as usize - '1' as usize)),
        (Code(c), code) if c == code => Some(None),
        _ => None,
    }
}

/// The context a key is read in.
pub fn context(app: &App) -> Context {
    match (&app.overlay, app.screen) {
        (
            Some(
                Overlay::Input(..)
                | Overlay::Note(_)
                | Overlay::New(_)
                | Overlay::Palette(_)
                | Overlay::Form(_)
                | Overlay::Summary(_),
            ),
            _,
        ) => Context::Editor,
        (_, screen) => screen_context(screen),
    }
}

/// The context of a screen's own keys.
pub fn screen_context(screen: Screen) -> Context {
    Context::On(screen)
}

/// The bindings that apply in a context, for `?`.
pub fn help(ctx: Context) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.context == ctx || (b.context == Context::Global && ctx != Context::Editor))
        .map(|b| {
            (
                b.keys
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(" / "),
                b.help,
            )
        })
        .collect()
}

/// Turns a key event into an action, or nothing.
pub fn action(app: &App, ev: KeyEvent) -> Option<Action> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    let ctx = context(app);
    if matches!(app.overlay, Some(Overlay::Help)) {
        // Arrows scroll a help taller than the terminal; any other key closes it and does
        // nothing else.
        return Some(match ev.code {
            KeyCode::Down | KeyCode::Char('j') => Action::Cursor(0, 1),
            KeyCode::Up | KeyCode::Char('k') => Action::Cursor(0, -1),
            KeyCode::PageDown => Action::Cursor(0, 10),
            KeyCode::PageUp => Action::Cursor(0, -10),
            _ => Action::Do(Do::Help, None),
        });
    }
    if matches!(app.overlay, Some(Overlay::Conflict)) {
        // Only the answers the dialog offers.
        return match ev.code {
            KeyCode::Char('o') => Some(Action::Resolve(Resolution::Overwrite)),
            KeyCode::Char('r') => Some(Action::Resolve(Resolution::Reload)),
            KeyCode::Esc | KeyCode::Char('k') => Some(Action::Resolve(Resolution::Keep)),
            KeyCode::Char('q') => Some(Action::Resolve(Resolution::Discard)),
            _ => None,
        };
    }
    if matches!(app.overlay, Some(Overlay::Confirm(_))) {
        return match ev.code {
            KeyCode::Char('y') | KeyCode::Enter => Some(Action::Confirm(true)),
            _ => Some(Action::Confirm(false)),
        };
    }
    if matches!(app.overlay, Some(Overlay::Message(_))) {
        // The arrows scroll a message taller than the terminal; any other key closes it.
        return Some(match ev.code {
            KeyCode::Down | KeyCode::Char('j') => Action::Cursor(0, 1),
            KeyCode::Up | KeyCode::Char('k') => Action::Cursor(0, -1),
            KeyCode::PageDown => Action::Cursor(0, 10),
            KeyCode::PageUp => Action::Cursor(0, -10),
            _ => Action::Do(Do::Cancel, None),
        });
    }
    if ctx == Context::Editor {
        return Some(editor_action(app, ev));
    }
    for b in BINDINGS
        .iter()
        .filter(|b| b.context == ctx || b.context == Context::Global)
    {
        for k in b.keys {
            if let Some(n) = matches(*k, &ev) {
                return Some(Action::Do(b.does, n));
            }
        }
    }
    None
}

/// The mouse: the wheel moves through the list (home entries, interview questions), a left
/// click on a home entry opens it and on an option chooses it. Ignored while an overlay is
/// open.
pub fn mouse(app: &App, ev: MouseEvent) -> Option<Action> {
    if app.overlay.is_some() {
        return None;
    }
    match (app.screen, ev.kind) {
        (Screen::Home, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Home, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Interview, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Previous, None)),
        (Screen::Interview, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Next, None)),
        (Screen::Decisions, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Decisions, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Inventory, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Inventory, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Ownership, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Ownership, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Results, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Results, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Vendors, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Vendors, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Map, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Map, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Snapshots, MouseEventKind::ScrollUp) => Some(Action::Do(Do::Up, None)),
        (Screen::Snapshots, MouseEventKind::ScrollDown) => Some(Action::Do(Do::Down, None)),
        (Screen::Snapshots, MouseEventKind::Down(MouseButton::Left)) => {
            super::view::snapshot_row_at(app, ev.column, ev.row).map(Action::ClickSnapshot)
        }
        (Screen::Inventory, MouseEventKind::Down(MouseButton::Left)) => {
            super::screens::inventory::row_at(app, ev.column, ev.row).map(|r| Action::ClickAt(r, 0))
        }
        (Screen::Ownership, MouseEventKind::Down(MouseButton::Left)) => {
            super::screens::ownership::cell_at(app, ev.column, ev.row)
                .map(|(r, c)| Action::ClickAt(r, c))
        }
        (Screen::Interview, MouseEventKind::Down(MouseButton::Left)) => {
            super::view::option_rects(app)
                .iter()
                .position(|r| {
                    r.contains(ratatui::layout::Position {
                        x: ev.column,
                        y: ev.row,
                    })
                })
                .map(|i| Action::Do(Do::Choose, Some(i)))
        }
        (Screen::Decisions, MouseEventKind::Down(MouseButton::Left)) => {
            super::view::decision_at(app, ev.column, ev.row)
                .map(|(lane, i)| Action::ClickDecision(lane, i))
        }
        (Screen::Home, MouseEventKind::Down(MouseButton::Left)) => super::view::home_rows(app)
            .iter()
            .position(|(_, row)| *row == ev.row)
            .map(Action::Click),
        _ => None,
    }
}

fn editor_action(app: &App, ev: KeyEvent) -> Action {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let note = matches!(app.overlay, Some(Overlay::Note(_) | Overlay::Summary(_)));
    match ev.code {
        KeyCode::Esc => Action::Do(Do::Cancel, None),
        KeyCode::Enter if note => Action::Newline,
        KeyCode::Enter => Action::Do(Do::Select, None),
        KeyCode::Char('s') if ctrl => Action::Do(Do::Select, None),
        KeyCode::Char('c') if ctrl => Action::Do(Do::Cancel, None),
        KeyCode::Char(c) if !ctrl => Action::Insert(c),
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left => Action::Cursor(-1, 0),
        KeyCode::Right => Action::Cursor(1, 0),
        KeyCode::Up => Action::Cursor(0, -1),
        KeyCode::Down => Action::Cursor(0, 1),
        KeyCode::Tab => Action::Field(1),
        KeyCode::BackTab => Action::Field(-1),
        KeyCode::Home => Action::LineEdge(false),
        KeyCode::End => Action::LineEdge(true),
        KeyCode::Char('a') if ctrl => Action::LineEdge(false),
        KeyCode::Char('e') if ctrl => Action::LineEdge(true),
        _ => Action::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_bindings_share_a_key_in_one_context() {
        let every = std::iter::once(Screen::Home)
            .chain(Screen::TABS.iter().copied())
            .map(Context::On)
            .chain(std::iter::once(Context::Editor));
        for ctx in every {
            let mut seen: Vec<Key> = Vec::new();
            for b in BINDINGS.iter().filter(|b| {
                b.context == ctx || (b.context == Context::Global && ctx != Context::Editor)
            }) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {ctx:?}");
                    seen.push(*k);
                }
            }
        }
    }
}
