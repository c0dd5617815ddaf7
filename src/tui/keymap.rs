//! Every key binding, in one table. Keys become `Action`s here and nowhere else; the `?`
//! help, the palette's commands and every hint on screen ("Enter open · Esc cancel") are
//! made from the same table, so none of them can disagree with what a key does.
//!
//! Only key presses count (`KeyEventKind::Press`): terminals that report releases and repeats
//! would otherwise answer a question twice.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, Do, Resolution};
use super::screens;
use super::state::{App, Overlay, Screen};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Every screen (when no overlay takes the keys).
    Global,
    /// One screen's own keys.
    On(Screen),
    /// A one-line field, a form, the palette or the note editor is open.
    Editor,
    /// The help is open.
    Help,
    /// A message is open (why an import was refused).
    Message,
    /// A deletion waits for yes or no.
    Confirm,
    /// The file changed on disk: the user decides what wins.
    Conflict,
    /// A change could not be saved and the user asked to quit: what becomes of it.
    Unsaved,
    /// The list of merge conflicts (`[[conflict]]` entries a `stackmap merge` left) is open.
    /// Not `Conflict`, which is the file changed on disk.
    Merge,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    /// Alt (Option, Meta) and a letter.
    Alt(char),
    Code(KeyCode),
    /// The digits 1 to 9: choose the Nth option.
    Digits,
    /// Any key no other binding of the context takes (a dialog's "any other key").
    Any,
}

impl Key {
    /// How the key is written on screen: in the help, the hints, the dialogs.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Alt(c) => format!("Alt-{c}"),
            Key::Digits => "1–9".into(),
            Key::Any => "any other key".into(),
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

/// One line of the table: in `context`, `keys` do `does`; `help` says what, for `?`.
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub does: Do,
    pub help: &'static str,
}

const fn bind(context: Context, keys: &'static [Key], does: Do, help: &'static str) -> Binding {
    Binding {
        context,
        keys,
        does,
        help,
    }
}

use Key::*;

const GLOBAL: Context = Context::Global;
const EDITOR: Context = Context::Editor;
const HELP: Context = Context::Help;
const MESSAGE: Context = Context::Message;
const CONFIRM: Context = Context::Confirm;
const CONFLICT: Context = Context::Conflict;
const UNSAVED: Context = Context::Unsaved;
const MERGE: Context = Context::Merge;
const HOME: Context = Context::On(Screen::Home);
const INTERVIEW: Context = Context::On(Screen::Interview);
const INVENTORY: Context = Context::On(Screen::Inventory);
const OWNERSHIP: Context = Context::On(Screen::Ownership);
const RESULTS: Context = Context::On(Screen::Results);
const DECISIONS: Context = Context::On(Screen::Decisions);
const VENDORS: Context = Context::On(Screen::Vendors);
const MAP: Context = Context::On(Screen::Map);
const SNAPSHOTS: Context = Context::On(Screen::Snapshots);

const UP: Key = Code(KeyCode::Up);
const DOWN: Key = Code(KeyCode::Down);
const LEFT: Key = Code(KeyCode::Left);
const RIGHT: Key = Code(KeyCode::Right);
const ENTER: Key = Code(KeyCode::Enter);
const ESC: Key = Code(KeyCode::Esc);
const TAB: Key = Code(KeyCode::Tab);
const BACKTAB: Key = Code(KeyCode::BackTab);
const PGUP: Key = Code(KeyCode::PageUp);
const PGDN: Key = Code(KeyCode::PageDown);
const HOME_KEY: Key = Code(KeyCode::Home);
const END: Key = Code(KeyCode::End);

/// The default bindings. Order is the order `?` shows them in.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(GLOBAL, &[Char('?')], Do::Help, "show or hide this help"),
    bind(GLOBAL, &[Ctrl('p')], Do::Palette, "find a question, system, flow or command"),
    bind(GLOBAL, &[TAB], Do::NextScreen, "next screen"),
    bind(GLOBAL, &[BACKTAB], Do::PreviousScreen, "previous screen"),
    bind(GLOBAL, &[Char('/')], Do::Filter, "find: a question, system, flow, decision or screen (home, decisions: filter the list)"),
    bind(GLOBAL, &[Ctrl('o')], Do::JumpBack, "back to where you were before the last jump (a search hit, a question opened from elsewhere, { } n)"),
    bind(GLOBAL, &[Ctrl('n')], Do::JumpForward, "forward again, after going back (Ctrl-i would be Tab)"),
    bind(GLOBAL, &[Ctrl('z')], Do::Undo, "undo the last change (an answer, the inventory, ownership, a decision)"),
    bind(GLOBAL, &[Char('S')], Do::Snapshot, "take a labelled snapshot (compare on the Snapshots screen)"),
    bind(GLOBAL, &[Char('M')], Do::MergeConflicts, "the merge conflicts to settle, one by one: keep ours or theirs"),
    bind(GLOBAL, &[Char('q'), Ctrl('c')], Do::Quit, "quit (everything is already saved)"),
    bind(HOME, &[UP, Char('k')], Do::Up, "previous entry"),
    bind(HOME, &[DOWN, Char('j')], Do::Down, "next entry"),
    bind(HOME, &[ENTER], Do::Select, "open the selected entry"),
    bind(INTERVIEW, &[Digits], Do::Choose, "choose option N (multi: toggle it) and save"),
    bind(INTERVIEW, &[UP, Char('k')], Do::Up, "highlight the previous option"),
    bind(INTERVIEW, &[DOWN, Char('j')], Do::Down, "highlight the next option"),
    bind(INTERVIEW, &[ENTER, Char(' ')], Do::Toggle, "choose (multi: toggle) the highlighted option; type a number or text"),
    bind(INTERVIEW, &[RIGHT, Char('l')], Do::Next, "next question"),
    bind(INTERVIEW, &[LEFT, Char('h')], Do::Previous, "previous question"),
    bind(INTERVIEW, &[Char('n')], Do::NextUnanswered, "next unanswered question"),
    bind(INTERVIEW, &[Char('y')], Do::ConfirmInferred, "confirm the answer inferred from the map"),
    bind(INTERVIEW, &[Char('I')], Do::ReviewInferred, "review inferred answers: n stops at them (again: off)"),
    bind(INTERVIEW, &[Char('A')], Do::AutoAdvance, "after an answer by number, move on (on) or stay (off)"),
    bind(INTERVIEW, &[Char('}')], Do::NextSection, "the first question of the next section or subject"),
    bind(INTERVIEW, &[Char('{')], Do::PreviousSection, "the first question of this section (again: the one before)"),
    bind(INTERVIEW, &[Char('u')], Do::Unknown, "mark as unknown"),
    bind(INTERVIEW, &[Char('x')], Do::NotApplicable, "mark as not applicable (again: asked again)"),
    bind(INTERVIEW, &[Code(KeyCode::Backspace), Code(KeyCode::Delete)], Do::Clear, "clear the answer (the note stays)"),
    bind(INTERVIEW, &[Char('c')], Do::Confidence, "cycle confidence: verified, stated, assumed"),
    bind(INTERVIEW, &[Char('e')], Do::Note, "edit the note"),
    bind(INTERVIEW, &[Char('w')], Do::Speaker, "who is speaking (a respondent, you, someone new)"),
    bind(INTERVIEW, &[Char('F')], Do::Settle, "settle: the speaker's answer counts (final)"),
    bind(INTERVIEW, &[Char('v')], Do::Value, "type the value (number, scale, text)"),
    bind(INTERVIEW, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(DECISIONS, &[UP, Char('k')], Do::Up, "the decision above"),
    bind(DECISIONS, &[DOWN, Char('j')], Do::Down, "the decision below"),
    bind(DECISIONS, &[LEFT, Char('h'), RIGHT, Char('l')], Do::Next, "the other lane: immediate fixes / architecture changes (side by side from 160 columns)"),
    bind(DECISIONS, &[ENTER], Do::Select, "the reasons behind it; on an answer, open its question"),
    bind(DECISIONS, &[PGDN, Char('J')], Do::DetailDown, "scroll the detail down"),
    bind(DECISIONS, &[PGUP, Char('K')], Do::DetailUp, "scroll the detail up"),
    bind(DECISIONS, &[Char('s')], Do::Roadmap, "show the roadmap slices / the two lanes"),
    bind(DECISIONS, &[Char('w')], Do::Questions, "what to ask next: the open questions / the two lanes"),
    bind(DECISIONS, &[Char('a')], Do::Accept, "accept the decision (again: back to open)"),
    bind(DECISIONS, &[Char('d')], Do::Defer, "defer it (again: back to open)"),
    bind(DECISIONS, &[Char('r')], Do::Reject, "reject it: out of the roadmap (again: back to open)"),
    bind(DECISIONS, &[Char('o')], Do::Owner, "name its owner"),
    bind(DECISIONS, &[Char('x')], Do::Toggle, "hide accepted, deferred and rejected decisions / show them again"),
    bind(DECISIONS, &[Char('p')], Do::Priority, "set the priority by hand, with a reason (empty: computed)"),
    bind(DECISIONS, &[Char('H'), ESC], Do::Home, "leave the reasons; from the list, the home screen"),
    bind(INVENTORY, &[UP, Char('k')], Do::Up, "the row above"),
    bind(INVENTORY, &[DOWN, Char('j')], Do::Down, "the row below"),
    bind(INVENTORY, &[RIGHT, Char('l')], Do::Next, "the next part: systems, flows, pain points, initiatives, summary"),
    bind(INVENTORY, &[LEFT, Char('h')], Do::Previous, "the previous part"),
    bind(INVENTORY, &[Char('a')], Do::Add, "add one (a system, a flow, a pain point, an initiative)"),
    bind(INVENTORY, &[Char('e'), ENTER], Do::Select, "edit the selected one (the summary: write it)"),
    bind(INVENTORY, &[Char('d')], Do::Delete, "delete it, after showing what goes with it"),
    bind(INVENTORY, &[Char('i')], Do::Import, "import the client's systems and flows from CSV files"),
    bind(INVENTORY, &[PGDN, Char('J')], Do::DetailDown, "scroll the detail down"),
    bind(INVENTORY, &[PGUP, Char('K')], Do::DetailUp, "scroll the detail up"),
    bind(INVENTORY, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(OWNERSHIP, &[UP, Char('k')], Do::Up, "the data object above"),
    bind(OWNERSHIP, &[DOWN, Char('j')], Do::Down, "the data object below"),
    bind(OWNERSHIP, &[LEFT, Char('h')], Do::Previous, "the system to the left"),
    bind(OWNERSHIP, &[RIGHT, Char('l')], Do::Next, "the system to the right"),
    bind(OWNERSHIP, &[Char('F')], Do::Settle, "settle who owns it: the owner today is final (again: not)"),
    bind(OWNERSHIP, &[Char('o')], Do::Owner, "make this system the source of truth today (again: none)"),
    bind(OWNERSHIP, &[Char('t')], Do::Target, "make it the target source of truth (again: none)"),
    bind(OWNERSHIP, &[Char('w')], Do::Writer, "it writes this object / no longer does"),
    bind(OWNERSHIP, &[Char('r')], Do::Reader, "it reads this object / no longer does"),
    bind(OWNERSHIP, &[Char('v')], Do::View, "show the stack as-is / to-be (target owners, chosen systems)"),
    bind(OWNERSHIP, &[Char('s')], Do::Scope, "the next scope (brand, region, channel) / the whole estate"),
    bind(OWNERSHIP, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(RESULTS, &[UP, Char('k')], Do::Up, "scroll up a line"),
    bind(RESULTS, &[DOWN, Char('j')], Do::Down, "scroll down a line"),
    bind(RESULTS, &[PGDN, Char('J')], Do::DetailDown, "a page down"),
    bind(RESULTS, &[PGUP, Char('K')], Do::DetailUp, "a page up"),
    bind(RESULTS, &[RIGHT, Char('l')], Do::Next, "the next section: systems, flows, overlap, hot spots"),
    bind(RESULTS, &[LEFT, Char('h')], Do::Previous, "the previous section"),
    bind(RESULTS, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(VENDORS, &[RIGHT, Char('l')], Do::Next, "the next category"),
    bind(VENDORS, &[LEFT, Char('h')], Do::Previous, "the previous category"),
    bind(VENDORS, &[Char(']')], Do::Right, "more systems to the right, when they do not all fit"),
    bind(VENDORS, &[Char('[')], Do::Left, "back to the systems on the left"),
    bind(VENDORS, &[UP, Char('k')], Do::Up, "scroll up a line"),
    bind(VENDORS, &[DOWN, Char('j')], Do::Down, "scroll down a line"),
    bind(VENDORS, &[PGDN, Char('J')], Do::DetailDown, "ten lines down"),
    bind(VENDORS, &[PGUP, Char('K')], Do::DetailUp, "ten lines up"),
    bind(VENDORS, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(MAP, &[UP, Char('k')], Do::Up, "the system above"),
    bind(MAP, &[DOWN, Char('j')], Do::Down, "the system below"),
    bind(MAP, &[RIGHT, Char('l')], Do::Next, "the next category"),
    bind(MAP, &[LEFT, Char('h')], Do::Previous, "the previous category"),
    bind(MAP, &[Char('v')], Do::View, "the layers (channels, platform, integration, back office) / the systems as boxes by category"),
    bind(MAP, &[ENTER], Do::Select, "open the system's questions in the interview"),
    bind(MAP, &[PGDN, Char('J')], Do::DetailDown, "scroll the system's detail down"),
    bind(MAP, &[PGUP, Char('K')], Do::DetailUp, "scroll the system's detail up"),
    bind(MAP, &[Char('H'), ESC], Do::Home, "back to the home screen"),
    bind(SNAPSHOTS, &[UP, Char('k')], Do::Up, "the row above (in the diff: the line above)"),
    bind(SNAPSHOTS, &[DOWN, Char('j')], Do::Down, "the row below (in the diff: the line below)"),
    bind(SNAPSHOTS, &[Char(' ')], Do::Toggle, "mark this row as the other side of the comparison (again: unmark)"),
    bind(SNAPSHOTS, &[LEFT, Char('h'), RIGHT, Char('l')], Do::Next, "move between the list and the diff"),
    bind(SNAPSHOTS, &[ENTER], Do::Select, "into the diff; on a line, open its question or decision"),
    bind(SNAPSHOTS, &[PGDN, Char('J')], Do::DetailDown, "ten lines down the diff"),
    bind(SNAPSHOTS, &[PGUP, Char('K')], Do::DetailUp, "ten lines up the diff"),
    bind(SNAPSHOTS, &[Char('H'), ESC], Do::Home, "from the diff, back to the list; from the list, the home screen"),
    bind(EDITOR, &[ENTER], Do::Select, "save (in a note: new line)"),
    bind(EDITOR, &[Ctrl('s')], Do::Save, "save and close"),
    bind(EDITOR, &[ESC, Ctrl('c')], Do::Cancel, "one line: cancel · note: save and close"),
    bind(EDITOR, &[TAB], Do::NextField, "a form: next field"),
    bind(EDITOR, &[BACKTAB], Do::PreviousField, "a form: previous field"),
    bind(EDITOR, &[UP], Do::Up, "the line, option or hit above"),
    bind(EDITOR, &[DOWN], Do::Down, "the line, option or hit below"),
    bind(EDITOR, &[LEFT], Do::Left, "the cursor one character left"),
    bind(EDITOR, &[RIGHT], Do::Right, "the cursor one character right"),
    bind(EDITOR, &[HOME_KEY, Ctrl('a')], Do::LineStart, "the start of the line"),
    bind(EDITOR, &[END, Ctrl('e')], Do::LineEnd, "the end of the line"),
    bind(EDITOR, &[Alt('b')], Do::WordLeft, "the cursor a word left"),
    bind(EDITOR, &[Alt('f')], Do::WordRight, "the cursor a word right"),
    bind(EDITOR, &[Ctrl('w')], Do::DeleteWord, "delete the word before the cursor"),
    bind(EDITOR, &[Ctrl('u')], Do::DeleteToStart, "delete to the start of the line"),
    bind(HELP, &[UP, Char('k')], Do::Up, "scroll up"),
    bind(HELP, &[DOWN, Char('j')], Do::Down, "scroll down"),
    bind(HELP, &[PGUP], Do::DetailUp, "a page up"),
    bind(HELP, &[PGDN], Do::DetailDown, "a page down"),
    bind(HELP, &[Any], Do::Cancel, "close the help"),
    bind(MESSAGE, &[UP, Char('k')], Do::Up, "scroll up"),
    bind(MESSAGE, &[DOWN, Char('j')], Do::Down, "scroll down"),
    bind(MESSAGE, &[PGUP], Do::DetailUp, "a page up"),
    bind(MESSAGE, &[PGDN], Do::DetailDown, "a page down"),
    bind(MESSAGE, &[Any], Do::Cancel, "close the message"),
    bind(CONFIRM, &[Char('y'), ENTER], Do::Yes, "delete it, with what goes with it"),
    bind(
        CONFIRM,
        &[Char('k')],
        Do::KeepDirect,
        "a hub: delete it, keeping the flows through it, made direct",
    ),
    bind(CONFIRM, &[Any], Do::No, "keep it"),
    bind(CONFLICT, &[Char('o')], Do::Overwrite, "overwrite: write this session's version over theirs"),
    bind(CONFLICT, &[Char('r')], Do::Reload, "reload: open theirs; this session's unsaved change is dropped"),
    bind(CONFLICT, &[Char('k'), ESC], Do::Keep, "keep working; decide at the next change"),
    bind(CONFLICT, &[Char('q')], Do::Discard, "quit without saving this session's change"),
    bind(UNSAVED, &[Char('w')], Do::Retry, "write it again to the same file"),
    bind(UNSAVED, &[Char('a')], Do::SaveElsewhere, "save it under another name, and carry on there"),
    bind(UNSAVED, &[Char('k'), ESC], Do::Keep, "keep working; nothing is lost while stackmap is open"),
    bind(UNSAVED, &[Char('q')], Do::Discard, "quit and lose the changes that are not on disk"),
    bind(MERGE, &[Char('o')], Do::KeepOurs, "keep ours: this file's version stays, the entry goes"),
    bind(MERGE, &[Char('t')], Do::KeepTheirs, "keep theirs: the other file's version takes its place"),
    bind(MERGE, &[UP, Char('k')], Do::Up, "the conflict above"),
    bind(MERGE, &[DOWN, Char('j')], Do::Down, "the conflict below"),
    bind(MERGE, &[PGDN, Char('J')], Do::DetailDown, "scroll both sides down"),
    bind(MERGE, &[PGUP, Char('K')], Do::DetailUp, "scroll both sides up"),
    bind(MERGE, &[Ctrl('z')], Do::Undo, "undo the last settle: its conflict comes back"),
    bind(MERGE, &[ESC, Char('M')], Do::Cancel, "close the list (the status bar keeps counting)"),
];

fn matches(key: Key, ev: &KeyEvent) -> Option<Option<usize>> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match (key, ev.code) {
        (Char(c), KeyCode::Char(x)) if !ctrl && c == x => Some(None),
        (Ctrl(c), KeyCode::Char(x)) if ctrl && c == x.to_ascii_lowercase() => Some(None),
        (Alt(c), KeyCode::Char(x)) if ev.modifiers.contains(KeyModifiers::ALT) && c == x => {
            Some(None)
        }
        (Digits, KeyCode::Char(d @ '1'..='9')) if !ctrl => Some(Some(d as usize - '1' as usize)),
        (Code(c), code) if c == code => Some(None),
        (Any, _) => Some(None),
        _ => None,
    }
}

/// The context a key is read in.
pub fn context(app: &App) -> Context {
    match &app.overlay {
        Some(
            Overlay::Input(..)
            | Overlay::Note(_)
            | Overlay::New(_)
            | Overlay::Palette(_)
            | Overlay::Form(_)
            | Overlay::Summary(_),
        ) => Context::Editor,
        Some(Overlay::Help) => Context::Help,
        Some(Overlay::Message(_)) => Context::Message,
        Some(Overlay::Confirm(_)) => Context::Confirm,
        Some(Overlay::Conflict) => Context::Conflict,
        Some(Overlay::Unsaved) => Context::Unsaved,
        Some(Overlay::Merge(_)) => Context::Merge,
        None => Context::On(app.screen),
    }
}

/// The bindings that apply in a context, its own first: a screen's keys and the global
/// ones; an overlay's own keys alone.
pub fn bindings(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    let global = matches!(ctx, Context::On(_));
    BINDINGS
        .iter()
        .filter(move |b| b.context == ctx || (global && b.context == Context::Global))
}

/// The bindings that apply in a context, for `?`: the keys as written, and what they do —
/// the screen's own keys first (on a small terminal they are what fits), the global ones
/// after.
pub fn help(ctx: Context) -> Vec<(String, &'static str)> {
    let own = BINDINGS.iter().filter(|b| b.context == ctx);
    let global = BINDINGS
        .iter()
        .filter(|b| b.context == Context::Global && matches!(ctx, Context::On(_)));
    own.chain(global)
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

/// Every key bound to `does` in `ctx` (or globally, on a screen), as written on screen.
pub fn keys(ctx: Context, does: Do) -> Vec<String> {
    bindings(ctx)
        .filter(|b| b.does == does)
        .flat_map(|b| b.keys.iter().map(|k| k.label()))
        .collect()
}

/// The first key bound to `does` in `ctx`, as written on screen: what a hint names.
pub fn key(ctx: Context, does: Do) -> String {
    keys(ctx, does).into_iter().next().unwrap_or_default()
}

/// The first letter bound to `does` in `ctx` (else its first key): what a hint names where
/// a letter is easier to read than a named key ("J/K detail" rather than "PageDown/PageUp").
pub fn letter(ctx: Context, does: Do) -> String {
    let bound: Vec<Key> = bindings(ctx)
        .filter(|b| b.does == does)
        .flat_map(|b| b.keys.iter().copied())
        .collect();
    bound
        .iter()
        .find(|k| matches!(k, Char(_)))
        .or(bound.first())
        .map(|k| k.label())
        .unwrap_or_default()
}

/// Turns a key event into an action, or nothing.
pub fn action(app: &App, ev: KeyEvent) -> Option<Action> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    let ctx = context(app);
    // A context's own bindings first, then the global ones; `Any` only when nothing else
    // matched.
    let found = bindings(ctx)
        .filter(|b| b.keys != [Any])
        .chain(bindings(ctx).filter(|b| b.keys == [Any]))
        .find_map(|b| {
            b.keys
                .iter()
                .find_map(|k| matches(*k, &ev))
                .map(|n| (b.does, n))
        });
    match (ctx, found) {
        (Context::Editor, None) => Some(typed(ev)),
        (_, None) => None,
        (_, Some((does, n))) => Some(translate(app, ctx, does, n)),
    }
}

/// What a binding means in its context, where that is not `Action::Do` itself: dialogs
/// answer, scrolling moves by lines, editors move their cursor.
fn translate(app: &App, ctx: Context, does: Do, n: Option<usize>) -> Action {
    let note = matches!(app.overlay, Some(Overlay::Note(_) | Overlay::Summary(_)));
    match (ctx, does) {
        (Context::Conflict, Do::Overwrite) => Action::Resolve(Resolution::Overwrite),
        (Context::Conflict, Do::Reload) => Action::Resolve(Resolution::Reload),
        (Context::Conflict, Do::Keep) => Action::Resolve(Resolution::Keep),
        (Context::Conflict, Do::Discard) => Action::Resolve(Resolution::Discard),
        (Context::Unsaved, Do::Keep) => Action::Resolve(Resolution::Keep),
        (Context::Unsaved, Do::Discard) => Action::Resolve(Resolution::Discard),
        (Context::Confirm, Do::KeepDirect) => Action::ConfirmDirect,
        (Context::Confirm, d) => Action::Confirm(d == Do::Yes),
        (Context::Help | Context::Message, Do::Up) => Action::Cursor(0, -1),
        (Context::Help | Context::Message, Do::Down) => Action::Cursor(0, 1),
        (Context::Help | Context::Message, Do::DetailUp) => Action::Cursor(0, -10),
        (Context::Help | Context::Message, Do::DetailDown) => Action::Cursor(0, 10),
        // Any other key closes the help (and does nothing else).
        (Context::Help, _) => Action::Do(Do::Help, None),
        (Context::Editor, Do::Select) if note => Action::Newline,
        (Context::Editor, Do::Save) => Action::Do(Do::Select, None),
        (Context::Editor, Do::NextField) => Action::Field(1),
        (Context::Editor, Do::PreviousField) => Action::Field(-1),
        (Context::Editor, Do::Up) => Action::Cursor(0, -1),
        (Context::Editor, Do::Down) => Action::Cursor(0, 1),
        (Context::Editor, Do::Left) => Action::Cursor(-1, 0),
        (Context::Editor, Do::Right) => Action::Cursor(1, 0),
        (Context::Editor, Do::LineStart) => Action::LineEdge(false),
        (Context::Editor, Do::LineEnd) => Action::LineEdge(true),
        (Context::Editor, Do::WordLeft) => Action::Word(-1),
        (Context::Editor, Do::WordRight) => Action::Word(1),
        (Context::Editor, Do::DeleteWord) => Action::DeleteWord,
        (Context::Editor, Do::DeleteToStart) => Action::DeleteToStart,
        _ => Action::Do(does, n),
    }
}

/// A key typed into an editor that no binding takes: a character, or a deletion.
fn typed(ev: KeyEvent) -> Action {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match ev.code {
        KeyCode::Char(c) if !ctrl => Action::Insert(c),
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        _ => Action::Nothing,
    }
}

/// The mouse: the wheel moves through the screen's list (the interview: its questions), a
/// left click selects or opens what it lands on. Ignored while an overlay is open.
pub fn mouse(app: &App, ev: MouseEvent) -> Option<Action> {
    if app.overlay.is_some() {
        return None;
    }
    let at = (ev.column, ev.row);
    match (app.screen, ev.kind) {
        (screen, MouseEventKind::ScrollUp | MouseEventKind::ScrollDown) => {
            let up = ev.kind == MouseEventKind::ScrollUp;
            let does = match (screen, up) {
                (Screen::Interview, true) => Do::Previous,
                (Screen::Interview, false) => Do::Next,
                (_, true) => Do::Up,
                (_, false) => Do::Down,
            };
            Some(Action::Do(does, None))
        }
        (Screen::Snapshots, MouseEventKind::Down(MouseButton::Left)) => {
            screens::snapshots::row_at(app, at.0, at.1).map(Action::ClickSnapshot)
        }
        (Screen::Inventory, MouseEventKind::Down(MouseButton::Left)) => {
            screens::inventory::row_at(app, at.0, at.1).map(|r| Action::ClickAt(r, 0))
        }
        (Screen::Ownership, MouseEventKind::Down(MouseButton::Left)) => {
            screens::ownership::cell_at(app, at.0, at.1).map(|(r, c)| Action::ClickAt(r, c))
        }
        (Screen::Interview, MouseEventKind::Down(MouseButton::Left)) => {
            screens::interview::option_rects(app)
                .iter()
                .position(|r| r.contains(ratatui::layout::Position { x: at.0, y: at.1 }))
                .map(|i| Action::Do(Do::Choose, Some(i)))
        }
        (Screen::Decisions, MouseEventKind::Down(MouseButton::Left)) => {
            screens::decisions::decision_at(app, at.0, at.1)
                .map(|(lane, i)| Action::ClickDecision(lane, i))
        }
        (Screen::Home, MouseEventKind::Down(MouseButton::Left)) => screens::home::home_rows(app)
            .iter()
            .position(|(_, row)| *row == at.1)
            .map(Action::Click),
        _ => None,
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
            .chain([
                Context::Editor,
                Context::Help,
                Context::Message,
                Context::Confirm,
                Context::Conflict,
                Context::Unsaved,
                Context::Merge,
            ]);
        for ctx in every {
            let mut seen: Vec<Key> = Vec::new();
            for b in bindings(ctx) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {ctx:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_dialog_says_what_any_other_key_does() {
        for ctx in [Context::Help, Context::Message, Context::Confirm] {
            assert!(
                bindings(ctx).any(|b| b.keys == [Any]),
                "{ctx:?} has no binding for the keys it does not name"
            );
        }
    }
}
