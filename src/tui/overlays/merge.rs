//! The merge conflicts of the open assessment: the `[[conflict]]` entries `stackmap merge`
//! left (docs/FORMATS.md §4.11), listed over the screen and settled one by one.
//!
//! Each shows what it is about and both sides' text — ours (this file's version) beside
//! theirs (the other file's), stacked on a narrow terminal — with the lines that differ
//! marked `≠`. The titles say which side the file holds (`merge::standing`): ours, as a rule;
//! neither, for a fact the merge took out of the file because it names what the other side
//! removed ("ours · taken out · o puts it back"); theirs, where the first file deleted the
//! fact. One key keeps ours, one keeps theirs: the core's `merge::settle` makes the
//! change (the same function `stackmap settle` calls) and it goes through the checked edit
//! path like every other edit, so it is saved atomically, re-scored and undone with
//! `Ctrl-z`. The list then shows the next conflict, and says so when none is left. A side
//! that cannot be kept (the file would not load) is refused with the reason, nothing
//! changed.
//!
//! The list is read from the session each frame, so an undo, a settle or a reload shows at
//! once; the overlay keeps only where it stands. Not to be confused with `Overlay::Conflict`,
//! the dialog for a file changed on disk.
//!
//! ```text
//! ┌ merge conflicts — 3 to settle ──────────────────────────────────────────┐
//! │ ▸ answer flow-contract/api-version for adyen-notifications-to-web       │  the list
//! │   system algolia                                                        │
//! │─────────────────────────────────────────────────────────────────────────│
//! │ 1/3 answer flow-contract/api-version for adyen-notifications-to-web     │  about
//! │ Is the API version pinned?                                              │
//! │ ours · this file · o keeps it     │ theirs · the other file · t keeps it │  the sides
//! │   [[answer]]                      │   [[answer]]                         │
//! │ ≠ unknown = true                  │ ≠ na = true                          │
//! │ o keep ours · t keep theirs · ↑↓ conflict · J/K scroll · Ctrl-z undo … │  the keys
//! └─────────────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::content::Content;
use crate::merge::{Keep, Standing};
use crate::model::Conflict;
use crate::text::safe;
use crate::tui::action::{Action, Do};
use crate::tui::edit;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Overlay};
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, centered, line};

/// Where the list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeList {
    /// The conflict shown (an index into the assessment's conflicts; clamped when drawn).
    pub selected: usize,
    /// Rows both sides are scrolled down by.
    pub scroll: u16,
    /// Why the last settle was refused; shown until the next settle or move.
    pub error: Option<String>,
    /// How many were settled since the list opened (to say "all settled" rather than "none").
    pub settled: usize,
    /// What the last settle did, said in the box (the status line may cut it).
    pub done: Option<String>,
}

/// The widest the box grows on a large terminal: two sides of about 80 columns.
const MAX_WIDTH: u16 = 164;

/// From this inner width the sides stand side by side; below it, one above the other.
const BESIDE_FROM: u16 = 72;

/// "3 merge conflicts to settle — press M": the status bar and the home screen say it while
/// the open file holds any.
pub fn notice(n: usize) -> String {
    format!(
        "{n} merge conflict{} to settle — press {}",
        if n == 1 { "" } else { "s" },
        keymap::key(Context::Global, Do::MergeConflicts)
    )
}

/// Opens the list when the open assessment holds conflicts (a file just opened).
pub fn show_if_any(app: &mut App) {
    if app
        .session
        .as_ref()
        .is_some_and(|s| !s.assessment.conflicts.is_empty())
    {
        app.overlay = Some(Overlay::Merge(MergeList::default()));
    }
}

/// `M`: the list, on the first conflict (or saying there is none).
pub fn open(app: &mut App) -> Vec<Effect> {
    if app.session.is_none() {
        app.status = "open an assessment first: merge conflicts are in a file".into();
        return Vec::new();
    }
    app.overlay = Some(Overlay::Merge(MergeList::default()));
    Vec::new()
}

fn count(app: &App) -> usize {
    app.session
        .as_ref()
        .map_or(0, |s| s.assessment.conflicts.len())
}

fn list_mut(app: &mut App) -> Option<&mut MergeList> {
    match app.overlay.as_mut() {
        Some(Overlay::Merge(l)) => Some(l),
        _ => None,
    }
}

/// A key while the list is open.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let n = count(app);
    let hidden = hidden(app);
    let Some(list) = list_mut(app) else {
        return Vec::new();
    };
    match action {
        Action::Do(d @ (Do::Up | Do::Down), _) => {
            let at = list.selected.min(n.saturating_sub(1));
            list.selected = if d == Do::Up {
                at.saturating_sub(1)
            } else {
                (at + 1).min(n.saturating_sub(1))
            };
            list.scroll = 0;
            list.error = None;
            list.done = None;
            Vec::new()
        }
        Action::Do(d @ (Do::DetailDown | Do::DetailUp), _) => {
            let by: i32 = if d == Do::DetailDown { 10 } else { -10 };
            list.scroll = (i32::from(list.scroll) + by).clamp(0, i32::from(hidden)) as u16;
            Vec::new()
        }
        Action::Do(Do::KeepOurs, _) => settle(app, Keep::Ours),
        Action::Do(Do::KeepTheirs, _) => settle(app, Keep::Theirs),
        Action::Do(Do::Undo, _) => {
            list.error = None;
            list.done = None;
            list.scroll = 0;
            list.settled = list.settled.saturating_sub(1);
            edit::undo(app)
        }
        Action::Do(Do::Cancel, _) => {
            app.overlay = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Keeps one side of the conflict shown, through the checked edit path (saved, re-scored,
/// undoable); the list stays on the same row, which is now the next conflict.
fn settle(app: &mut App, keep: Keep) -> Vec<Effect> {
    let selected = match app.overlay.as_ref() {
        Some(Overlay::Merge(l)) => l.selected,
        _ => return Vec::new(),
    };
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let n = s.assessment.conflicts.len();
    let Some(c) = s
        .assessment
        .conflicts
        .get(selected.min(n.saturating_sub(1)))
    else {
        app.status = "no merge conflicts left to settle".into();
        return Vec::new();
    };
    let (id, about) = (c.id.clone(), safe(&c.about));
    let side = match (keep, crate::merge::standing(&s.assessment, c)) {
        (Keep::Ours, Standing::Ours) => "ours (this file's)",
        (Keep::Theirs, Standing::Ours) => "theirs (the other file's)",
        (Keep::Ours, Standing::TakenOut) => "ours (put back in the file)",
        (Keep::Theirs, Standing::TakenOut) => "theirs (left out of the file)",
        (Keep::Ours, Standing::Theirs) => "ours (taken out of the file)",
        (Keep::Theirs, Standing::Theirs) => "theirs (this file's)",
    };
    let left = match n - 1 {
        0 => "no merge conflicts left".to_string(),
        1 => "1 merge conflict left".to_string(),
        k => format!("{k} merge conflicts left"),
    };
    let done = format!("settled {about}: kept {side}");
    let content = app.content.clone();
    let result = edit::try_edit_assessment(app, &format!("{done}; {left}"), |a| {
        *a = crate::merge::settle(&content, a, &id, keep)?;
        Ok(())
    });
    let remaining = count(app);
    let Some(list) = list_mut(app) else {
        return Vec::new();
    };
    match result {
        Ok(effects) => {
            list.done = Some(done);
            list.error = None;
            list.scroll = 0;
            list.settled += 1;
            // The row now holds the next conflict; past the last, the first again.
            if list.selected >= remaining {
                list.selected = 0;
            }
            effects
        }
        Err(why) => {
            let why = reason(&why);
            list.done = None;
            app.status = format!(
                "not settled: {}",
                why.lines().next().unwrap_or_default().trim()
            );
            if let Some(list) = list_mut(app) {
                list.error = Some(why);
            }
            Vec::new()
        }
    }
}

/// Why a settle was refused, as the box shows it: the errors of the file that would have
/// been written, without their place in that file (it was never written) and without the
/// warnings every file with conflicts gets.
fn reason(why: &str) -> String {
    const FILE: &str = "the settled file:";
    why.lines()
        .filter(|l| !l.contains(": warning: "))
        .map(|l| match l.find(FILE) {
            Some(at) => match l[at..].find("error: ") {
                Some(e) => format!("{}{}", &l[..at], &l[at + e + "error: ".len()..]),
                None => l.to_string(),
            },
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// For an answer, the question's prompt: what the conflict is about, in the words it was
/// asked in.
fn prompt(content: &Content, c: &Conflict) -> Option<String> {
    if c.what != "answer" {
        return None;
    }
    let side = if c.ours.trim().is_empty() {
        &c.theirs
    } else {
        &c.ours
    };
    let table: toml::Table = toml::from_str(side).ok()?;
    let a = table.get("answer")?.as_array()?.first()?.as_table()?;
    let qn = content.questionnaire(a.get("questionnaire")?.as_str()?)?;
    let q = qn.question(a.get("question")?.as_str()?)?;
    Some(q.prompt.trim().to_string())
}

/// The two sides' lines aligned row by row, as a side-by-side diff shows them: a line both
/// have on one row, and between two such, each side's own lines paired off in order (`None`:
/// that side has nothing on the row).
fn align<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let (n, m) = (a.len(), b.len());
    // The longest common subsequence, from the ends. Fragments are a few dozen lines; past
    // a size where the table would cost, rows are simply paired in order.
    if n.saturating_mul(m) > 250_000 {
        return (0..n.max(m))
            .map(|i| (a.get(i).copied(), b.get(i).copied()))
            .collect();
    }
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<_>, x: &mut Vec<&'a str>, y: &mut Vec<&'a str>| {
        for k in 0..x.len().max(y.len()) {
            out.push((x.get(k).copied(), y.get(k).copied()));
        }
        x.clear();
        y.clear();
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut out, &mut only_a, &mut only_b);
            out.push((Some(a[i]), Some(b[j])));
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            only_a.push(a[i]);
            i += 1;
        } else {
            only_b.push(b[j]);
            j += 1;
        }
    }
    flush(&mut out, &mut only_a, &mut only_b);
    out
}

/// One side's line, wrapped at `width` with a hanging indent: `≠ ` before a line the other
/// side does not have on that row.
fn cells(text: Option<&str>, differs: bool, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let Some(text) = text else {
        return Vec::new();
    };
    let text = safe(text.trim_end());
    let room = usize::from(width.saturating_sub(2)).max(1);
    let starts = line::wrap_starts(&text, room);
    let chars: Vec<char> = text.chars().collect();
    let style = if differs {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    starts
        .iter()
        .enumerate()
        .map(|(k, &from)| {
            let to = starts.get(k + 1).copied().unwrap_or(chars.len());
            let part: String = chars[from..to].iter().collect();
            let lead = if k == 0 && differs { "≠ " } else { "  " };
            Line::from(vec![
                Span::styled(lead, t.warn()),
                Span::styled(part.trim_end().to_string(), style),
            ])
        })
        .collect()
}

/// The titles over the two sides: whose each is, which one the file holds, and what its key
/// does. Short enough to stand beside each other at 80 columns.
fn titles(standing: Standing) -> (String, String) {
    let k = |d| keymap::key(Context::Merge, d);
    let (o, t) = (k(Do::KeepOurs), k(Do::KeepTheirs));
    match standing {
        Standing::Ours => (
            format!("ours · this file · {o} keeps it"),
            format!("theirs · the other file · {t} keeps it"),
        ),
        // Neither side is in the file: the fact was taken out of it.
        Standing::TakenOut => (
            format!("ours · taken out · {o} puts it back"),
            format!("theirs · {t} leaves it out"),
        ),
        Standing::Theirs => (
            format!("ours · deleted · {o} takes it out"),
            format!("theirs · this file · {t} keeps it"),
        ),
    }
}

/// The sides of conflict `c` in columns of `lw` and `rw` (beside each other: as many rows on
/// each side, aligned) or, with `rw` zero, ours above theirs in one column.
fn sides(
    c: &Conflict,
    standing: Standing,
    lw: u16,
    rw: u16,
    t: &Theme,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let title = |s: String, w: u16| {
        Line::styled(
            crate::text::fit(&s, usize::from(w)).trim_end().to_string(),
            t.title(),
        )
    };
    let none = || Line::styled("  (nothing on this side)", t.dim());
    let a: Vec<&str> = c.ours.trim_end().lines().collect();
    let b: Vec<&str> = c.theirs.trim_end().lines().collect();
    let rows = align(&a, &b);
    let (ours_title, theirs_title) = titles(standing);
    let mut ours = vec![title(ours_title, lw)];
    let mut theirs = vec![title(theirs_title, if rw == 0 { lw } else { rw })];
    if rw == 0 {
        for (x, y) in &rows {
            let same = x.is_some() && x == y;
            ours.extend(cells(*x, !same, lw, t));
            theirs.extend(cells(*y, !same, lw, t));
        }
        for (side, lines) in [(&a, &mut ours), (&b, &mut theirs)] {
            if side.is_empty() {
                lines.push(none());
            }
        }
        return (ours, theirs);
    }
    for (x, y) in &rows {
        let same = x.is_some() && x == y;
        let mut l = cells(*x, !same, lw, t);
        let mut r = cells(*y, !same, rw, t);
        let tall = l.len().max(r.len());
        l.resize(tall, Line::raw(""));
        r.resize(tall, Line::raw(""));
        ours.extend(l);
        theirs.extend(r);
    }
    // An empty side: its column is blank beside the other's lines; it says so on the first.
    for (side, lines) in [(&a, &mut ours), (&b, &mut theirs)] {
        if side.is_empty() {
            match lines.get_mut(1) {
                Some(l) => *l = none(),
                None => lines.push(none()),
            }
        }
    }
    (ours, theirs)
}

/// What is drawn where, for a main area: shared by drawing and by scrolling (which needs to
/// know how far the sides reach past their room).
struct Plan {
    rect: Rect,
    title: String,
    list: Vec<Line<'static>>,
    head: Vec<Line<'static>>,
    /// Ours and theirs; each headed by its title line.
    ours: Vec<Line<'static>>,
    theirs: Vec<Line<'static>>,
    beside: bool,
    /// Rows the sides take, wrapped (the taller of the two when beside), and rows they get.
    side_rows: u16,
    room: u16,
    foot: Vec<Line<'static>>,
}

fn rows(lines: &[Line<'static>], width: u16) -> u16 {
    let n = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1));
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn hint(t: &Theme) -> Line<'static> {
    let k = |d| keymap::key(Context::Merge, d);
    let l = |d| keymap::letter(Context::Merge, d);
    Line::styled(
        format!(
            "{} ours · {} theirs · {}{} conflict · {}/{} scroll · {} undo · {} close",
            k(Do::KeepOurs),
            k(Do::KeepTheirs),
            k(Do::Up),
            k(Do::Down),
            l(Do::DetailDown),
            l(Do::DetailUp),
            k(Do::Undo),
            k(Do::Cancel),
        ),
        t.dim(),
    )
}

fn plan(area: Rect, app: &App, list: &MergeList, t: &Theme) -> Option<Plan> {
    let s = app.session.as_ref()?;
    let all = &s.assessment.conflicts;
    let width = area.width.min(MAX_WIDTH);
    // Inside the border, a column of margin on each side.
    let inner = width.saturating_sub(4);
    let w = usize::from(inner);
    if all.is_empty() {
        let said = if list.settled > 0 {
            "Every merge conflict is settled: none is left."
        } else {
            "This file holds no merge conflicts."
        };
        let mut foot: Vec<Line<'static>> = list
            .done
            .iter()
            .map(|d| Line::styled(d.clone(), t.dim()))
            .collect();
        foot.push(Line::styled(
            format!(
                "{} takes the last change back · {} closes",
                keymap::key(Context::Merge, Do::Undo),
                keymap::key(Context::Merge, Do::Cancel)
            ),
            t.dim(),
        ));
        let head = vec![Line::styled(said, t.good())];
        let width = width.min(72);
        let tall = 2 + rows(&head, width.saturating_sub(4)) + rows(&foot, width.saturating_sub(4));
        return Some(Plan {
            rect: centered(area, width, tall),
            title: " merge conflicts — all settled ".into(),
            list: Vec::new(),
            head,
            ours: Vec::new(),
            theirs: Vec::new(),
            beside: false,
            side_rows: 0,
            room: 0,
            foot,
        });
    }
    let n = all.len();
    let at = list.selected.min(n - 1);
    let c = &all[at];
    // The list: at most a quarter of the height, scrolled to the one shown.
    let list_room = n.min(usize::from(area.height / 4).max(2));
    let first = widgets::lane_first(at, list_room);
    let list_lines: Vec<Line<'static>> = all
        .iter()
        .enumerate()
        .skip(first)
        .take(list_room)
        .map(|(i, x)| {
            let mark = if i == at { "▸ " } else { "  " };
            let text = crate::text::fit(&format!("{mark}{}", safe(&x.about)), w);
            if i == at {
                Line::styled(text, t.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let mut head = vec![Line::from(vec![
        Span::styled(format!("{}/{n} ", at + 1), t.key()),
        Span::styled(safe(&c.about), t.title()),
    ])];
    if let Some(p) = prompt(&app.content, c) {
        head.push(Line::raw(safe(&p)));
    }
    let mut foot = Vec::new();
    if let Some(d) = &list.done {
        foot.push(Line::styled(d.clone(), t.good()));
    }
    if let Some(e) = &list.error {
        for l in e.lines() {
            foot.push(Line::styled(safe(l), t.bad()));
        }
    }
    foot.push(hint(t));
    let beside = inner >= BESIDE_FROM;
    let standing = crate::merge::standing(&s.assessment, c);
    let (ours, theirs, side_rows) = if beside {
        let (lw, rw) = halves(inner);
        let (ours, theirs) = sides(c, standing, lw, rw, t);
        let tall = ours.len().max(theirs.len());
        (ours, theirs, tall)
    } else {
        let (ours, theirs) = sides(c, standing, inner, 0, t);
        let tall = ours.len() + 1 + theirs.len();
        (ours, theirs, tall)
    };
    let side_rows = u16::try_from(side_rows).unwrap_or(u16::MAX);
    // Border, list, rule, about, sides, foot.
    let fixed = 2 + list_lines.len() as u16 + 1 + rows(&head, inner) + rows(&foot, inner);
    let tall = fixed.saturating_add(side_rows).min(area.height);
    let room = tall.saturating_sub(fixed);
    let title = format!(
        " merge conflicts — {n} to settle{} ",
        if s.read_only { " (read-only)" } else { "" }
    );
    Some(Plan {
        rect: centered(area, width, tall),
        title,
        list: list_lines,
        head,
        ours,
        theirs,
        beside,
        side_rows,
        room,
        foot,
    })
}

/// The two sides' widths beside each other, with a column for the rule between them.
fn halves(inner: u16) -> (u16, u16) {
    let l = inner.saturating_sub(3) / 2;
    (l, inner.saturating_sub(3 + l))
}

/// How many rows of the sides do not fit: how far they can be scrolled.
fn hidden(app: &App) -> u16 {
    let Some(Overlay::Merge(list)) = &app.overlay else {
        return 0;
    };
    let area = widgets::main_area(app.size);
    plan(area, app, list, &Theme::new(true)).map_or(0, |p| p.side_rows.saturating_sub(p.room))
}

/// Draws the list over the screen's `area`.
pub fn draw(f: &mut Frame, area: Rect, app: &App, list: &MergeList, t: &Theme) {
    let Some(p) = plan(area, app, list, t) else {
        return;
    };
    f.render_widget(Clear, p.rect);
    let scroll = list.scroll.min(p.side_rows.saturating_sub(p.room));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.warn())
        .title(Span::styled(p.title.clone(), t.title()));
    // More of the sides below: the border says so, with the key.
    if scroll + p.room < p.side_rows {
        block = block.title_bottom(
            Line::styled(
                format!(
                    " {} more below ",
                    keymap::letter(Context::Merge, Do::DetailDown)
                ),
                t.key(),
            )
            .right_aligned(),
        );
    }
    let inner = block.inner(p.rect);
    f.render_widget(block, p.rect);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let mut rows_of = crate::tui::widgets::Rows::new(inner);
    let mut take = |h: u16| rows_of.take(h);
    if p.list.is_empty() {
        let r = take(rows(&p.head, inner.width));
        f.render_widget(Paragraph::new(p.head).wrap(Wrap { trim: false }), r);
        let r = take(u16::MAX);
        f.render_widget(Paragraph::new(p.foot).wrap(Wrap { trim: false }), r);
        return;
    }
    let r = take(p.list.len() as u16);
    f.render_widget(Paragraph::new(p.list), r);
    let r = take(1);
    f.render_widget(
        Paragraph::new(Line::styled(
            "─".repeat(usize::from(inner.width)),
            t.border(),
        )),
        r,
    );
    let r = take(rows(&p.head, inner.width));
    f.render_widget(Paragraph::new(p.head).wrap(Wrap { trim: false }), r);
    let sides = take(p.room);
    if p.beside {
        let (lw, rw) = halves(sides.width);
        let left = Rect { width: lw, ..sides };
        let rule = Rect {
            x: sides.x + lw + 1,
            width: 1,
            ..sides
        };
        let right = Rect {
            x: sides.x + lw + 3,
            width: rw,
            ..sides
        };
        f.render_widget(Paragraph::new(p.ours).scroll((scroll, 0)), left);
        f.render_widget(
            Paragraph::new(vec![
                Line::styled("│", t.border());
                usize::from(rule.height)
            ]),
            rule,
        );
        f.render_widget(Paragraph::new(p.theirs).scroll((scroll, 0)), right);
    } else {
        let mut both = p.ours;
        both.push(Line::raw(""));
        both.extend(p.theirs);
        f.render_widget(Paragraph::new(both).scroll((scroll, 0)), sides);
    }
    let r = take(u16::MAX);
    f.render_widget(Paragraph::new(p.foot).wrap(Wrap { trim: false }), r);
}
