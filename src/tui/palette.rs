//! The command palette (`Ctrl-p`, and `/` on the screens of an assessment): one fuzzy search
//! over commands, questions, systems, flows, decisions and screens, drawn over the screen.
//! The items come from the state, the ranking from fuzzy-matcher's skim algorithm, ties
//! broken by id so the same query always lists the same order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::action::{Action, Do};
use super::keymap::{self, Context};
use super::state::{App, Overlay, Screen};
use super::theme::Theme;
use super::widgets::centered;
use super::widgets::line::{self, LineInput};
use crate::text::safe;
use crate::vocab::Scope;

/// What choosing an item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Run a command, as its key would.
    Do(Do),
    /// Go to a question: a position in the interview's `asked` list.
    Goto(usize),
    /// Show a screen of the open assessment.
    Screen(Screen),
    /// Show a decision: (lane, index in the lane).
    Decision(usize, usize),
    /// Show a row of the inventory: (part, row).
    Inventory(usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: &'static str,
    /// Breaks ties between equal scores.
    pub id: String,
    pub label: String,
    pub target: Target,
}

/// A ranked item with the character positions of `label` that matched, for highlighting.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub item: Item,
    pub matched: Vec<usize>,
}

/// At most this many results are kept: more cannot be seen, and ranking stays cheap.
pub const MAX_HITS: usize = 200;

/// Everything the palette can reach from the current state.
pub fn items(app: &App) -> Vec<Item> {
    let ctx = Context::On(app.screen);
    let mut out: Vec<Item> = keymap::BINDINGS
        .iter()
        .filter(|b| {
            (b.context == ctx || b.context == Context::Global)
                && b.does != Do::Choose
                && b.does != Do::Palette
        })
        .map(|b| Item {
            kind: "command",
            id: format!("command:{:?}", b.does),
            label: b.help.to_string(),
            target: Target::Do(b.does),
        })
        .collect();
    let Some(s) = &app.session else { return out };
    out.extend(Screen::TABS.iter().map(|&screen| Item {
        kind: "screen",
        id: format!("screen:{}", screen.label()),
        label: format!("{} screen", screen.label()),
        target: Target::Screen(screen),
    }));
    for (lane, h) in [
        crate::vocab::Horizon::Immediate,
        crate::vocab::Horizon::Architecture,
    ]
    .into_iter()
    .enumerate()
    {
        for (i, d) in s.eval.ranked(h).iter().enumerate() {
            out.push(Item {
                kind: "decision",
                id: format!("decision:{}", d.id),
                label: safe(&format!("#{} {} ({h})", d.rank, d.title)),
                target: Target::Decision(lane, i),
            });
        }
    }
    let mut first_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (k, &i) in s.asked.iter().enumerate() {
        let q = &s.eval.questions[i];
        if let Some(subject) = q.subject.as_deref() {
            first_of.entry(subject).or_insert(k);
        }
        let Some(qn) = app.content.questionnaire(&q.questionnaire) else {
            continue;
        };
        let Some(question) = qn.question(&q.question) else {
            continue;
        };
        let title = qn
            .title
            .split_once(':')
            .map_or(qn.title.as_str(), |(a, _)| a);
        let subject = match (qn.scope, q.subject.as_deref()) {
            (Scope::System, Some(id)) => s
                .assessment
                .system(id)
                .map_or(id.to_string(), |x| x.name.clone()),
            (Scope::Flow, Some(id)) => s.assessment.flow(id).map_or(id.to_string(), |f| {
                if f.name.is_empty() {
                    id.to_string()
                } else {
                    f.name.clone()
                }
            }),
            _ => String::new(),
        };
        // The question first: it is what a row is read for; where it is asked after.
        let label = if subject.is_empty() {
            format!("{} — {title}", question.prompt)
        } else {
            format!("{} — {title} › {subject}", question.prompt)
        };
        out.push(Item {
            kind: "question",
            id: format!(
                "{}/{}/{}",
                q.questionnaire,
                q.subject.as_deref().unwrap_or(""),
                q.question
            ),
            label: safe(&label),
            target: Target::Goto(k),
        });
    }
    if app.screen != Screen::Interview {
        // Systems and flows open in the inventory.
        for (i, sys) in s.assessment.systems.iter().enumerate() {
            out.push(Item {
                kind: "system",
                id: format!("system:{}", sys.id),
                label: safe(&format!("{} ({}, {})", sys.name, sys.category, sys.status)),
                target: Target::Inventory(0, i),
            });
        }
        for (i, f) in s.assessment.flows.iter().enumerate() {
            out.push(Item {
                kind: "flow",
                id: format!("flow:{}", f.id),
                label: safe(&format!(
                    "{} ({} → {})",
                    s.assessment.flow_name(&f.id),
                    f.from,
                    f.to
                )),
                target: Target::Inventory(1, i),
            });
        }
        return out;
    }
    for sys in &s.assessment.systems {
        if let Some(&k) = first_of.get(sys.id.as_str()) {
            out.push(Item {
                kind: "system",
                id: format!("system:{}", sys.id),
                label: safe(&format!("{} ({}, {})", sys.name, sys.category, sys.status)),
                target: Target::Goto(k),
            });
        }
    }
    for f in &s.assessment.flows {
        if let Some(&k) = first_of.get(f.id.as_str()) {
            let name = if f.name.is_empty() {
                f.id.clone()
            } else {
                f.name.clone()
            };
            out.push(Item {
                kind: "flow",
                id: format!("flow:{}", f.id),
                label: safe(&format!("{name} ({} → {})", f.from, f.to)),
                target: Target::Goto(k),
            });
        }
    }
    out
}

/// Ranks `items` for `query`: best score first, then id. Words separated by spaces are
/// matched separately and must all match (as in fzf), so "netsuite rate" finds the rate-limit
/// question about NetSuite rather than letters scattered through one long label. An empty
/// query keeps the order.
pub fn rank(items: Vec<Item>, query: &str) -> Vec<Hit> {
    let terms: Vec<&str> = query.split_whitespace().collect();
    if terms.is_empty() {
        return items
            .into_iter()
            .take(MAX_HITS)
            .map(|item| Hit {
                item,
                matched: Vec::new(),
            })
            .collect();
    }
    let matcher = SkimMatcherV2::default().smart_case();
    let mut scored: Vec<(i64, Hit)> = items
        .into_iter()
        .filter_map(|item| {
            let mut total = 0;
            let mut matched = Vec::new();
            for t in &terms {
                let (score, idx) = matcher.fuzzy_indices(&item.label, t)?;
                total += score;
                matched.extend(idx);
            }
            matched.sort_unstable();
            matched.dedup();
            Some((total, Hit { item, matched }))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.item.id.cmp(&b.1.item.id)));
    scored.into_iter().take(MAX_HITS).map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, label: &str) -> Item {
        Item {
            kind: "question",
            id: id.into(),
            label: label.into(),
            target: Target::Goto(0),
        }
    }

    #[test]
    fn ranking_is_by_score_then_id() {
        let items = vec![
            item("b", "order export"),
            item("a", "order export"),
            item("c", "stock sync"),
        ];
        let hits = rank(items, "ordex");
        let ids: Vec<&str> = hits.iter().map(|h| h.item.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "ties by id; non-matches dropped");
        assert!(!hits[0].matched.is_empty());
    }

    #[test]
    fn words_match_separately() {
        let items = vec![
            item(
                "a",
                "Marketplace orders into NetSuite › Are creates on this flow idempotent?",
            ),
            item(
                "b",
                "NetSuite › How much of the rate limit does this flow use?",
            ),
        ];
        let hits = rank(items, "netsuite rate");
        assert_eq!(hits[0].item.id, "b");
    }
}

/// The command palette: what was typed and what it found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaletteState {
    pub query: LineInput,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

/// A key in the open palette other than Enter (which the dispatcher follows to its target):
/// move through the hits, close, or edit the query and rank again.
pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Palette(p)) = app.overlay.as_mut() else {
        return;
    };
    match action {
        Action::Cursor(0, dy) => {
            p.selected = (p.selected as i64 + i64::from(dy))
                .clamp(0, p.hits.len().saturating_sub(1) as i64) as usize;
        }
        Action::Do(Do::Cancel, _) => app.overlay = None,
        other => {
            let before = p.query.text.clone();
            line::line_edit(&mut p.query, other);
            if p.query.text != before {
                rerank(app);
            }
        }
    }
}

/// Ranks the items again for the query as it now reads, from the first hit.
pub fn rerank(app: &mut App) {
    let Some(Overlay::Palette(p)) = app.overlay.as_ref() else {
        return;
    };
    let hits = rank(items(app), &p.query.text);
    if let Some(Overlay::Palette(p)) = app.overlay.as_mut() {
        p.hits = hits;
        p.selected = 0;
    }
}

/// Opens the palette with every item, in order.
pub fn open(app: &mut App) {
    let hits = rank(items(app), "");
    app.overlay = Some(Overlay::Palette(PaletteState {
        hits,
        ..PaletteState::default()
    }));
}

/// The palette over the screen: the query, and the hits with the matched letters marked.
pub fn draw(f: &mut Frame, area: Rect, p: &PaletteState, t: &Theme) {
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    f.render_widget(Clear, rect);
    let k = |d| keymap::key(Context::Editor, d);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " find — type to search · {}/{} · {} go · {} close ",
            k(Do::Up),
            k(Do::Down),
            k(Do::Select),
            k(Do::Cancel)
        ),
        t.title(),
    ));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let [query, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled("› ", t.key()),
                Span::raw(safe(&p.query.text)),
            ]),
            Line::raw(""),
        ]),
        query,
    );
    let height = list.height as usize;
    let start = p.selected.saturating_sub(height.saturating_sub(1));
    let width = list.width as usize;
    let lines: Vec<Line> = p
        .hits
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, h)| {
            let base = if i == p.selected {
                t.selected()
            } else {
                Style::new()
            };
            let mut spans = vec![Span::styled(format!("{:<9}", h.item.kind), t.dim())];
            for (ci, c) in h
                .item
                .label
                .chars()
                .take(width.saturating_sub(9))
                .enumerate()
            {
                let style = if h.matched.contains(&ci) {
                    base.patch(t.key())
                } else {
                    base
                };
                spans.push(Span::styled(c.to_string(), style));
            }
            Line::from(spans)
        })
        .collect();
    if lines.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled("nothing matches", t.dim())),
            list,
        );
    } else {
        f.render_widget(Paragraph::new(lines), list);
    }
    let x = query.x + 2 + (p.query.cursor as u16).min(query.width.saturating_sub(3));
    f.set_cursor_position((x, query.y));
}
