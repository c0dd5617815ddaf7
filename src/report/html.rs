//! The HTML report: the Markdown report's content as one self-contained file — inline CSS,
//! no scripts, fonts or external links — readable on screen and printable to PDF with a page
//! break before each major section, and the ecosystem map drawn as inline SVG.
//!
//! The Markdown report is the single source of the content; pulldown-cmark turns it into
//! HTML. The SVG is inline and needs no namespace attribute in HTML, so the file holds no URL
//! at all. User text reaches the Markdown already escaped (`markdown::md`), so it arrives in
//! the HTML as text, never as markup. The SVG is laid out here, deterministically: systems in
//! category columns, flows as edges, so the output is the same byte for byte everywhere.

use std::fmt::Write as _;

use pulldown_cmark::{Options, Parser, html};

use super::Input;
use crate::engine::SubjectKind;
use crate::text::safe;
use crate::vocab::{Category, SystemStatus};

const CSS: &str = "
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1.5em;color:#1b1f23;line-height:1.5}
h1{font-size:1.8em;border-bottom:2px solid #1b1f23;padding-bottom:.3em}
h2{font-size:1.35em;margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1.1em;margin-top:1.4em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em;width:100%}
th,td{border:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
tr:nth-child(even) td{background:#fbfcfd}
blockquote{margin:1em 0;padding:.5em 1em;border-left:4px solid #d0d7de;color:#57606a}
.map{margin:1em 0;overflow-x:auto}
.map svg{max-width:100%;height:auto}
td.hm{font-variant-numeric:tabular-nums;white-space:nowrap}
tr:nth-child(even) td.hm-critical,td.hm-critical{background:#f8c4c4}
tr:nth-child(even) td.hm-weak,td.hm-weak{background:#fbdcb5}
tr:nth-child(even) td.hm-fair,td.hm-fair{background:#fbf0b5}
tr:nth-child(even) td.hm-good,td.hm-good{background:#cdebc9}
tr:nth-child(even) td.hm-short,td.hm-short{background:repeating-linear-gradient(45deg,#f6f8fa,#f6f8fa 6px,#e6e9ed 6px,#e6e9ed 12px);color:#57606a}
@media print{
  body{max-width:none;margin:0;font-size:10.5pt}
  h2{page-break-before:always}
  h2:first-of-type{page-break-before:avoid}
  table,tr,.map{page-break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
";

/// Text for SVG and HTML: controls made visible, markup characters as entities.
fn esc(s: &str) -> String {
    safe(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub fn render(r: &Input) -> String {
    let md = super::markdown::render(r);
    let mut body = String::new();
    html::push_html(
        &mut body,
        Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH),
    );
    // The heat map's cells, coloured by band: the Markdown marks each with its square.
    for (mark, class) in [
        ("🟥", "hm-critical"),
        ("🟧", "hm-weak"),
        ("🟨", "hm-fair"),
        ("🟩", "hm-good"),
        ("⬜", "hm-short"),
    ] {
        body = body.replace(
            &format!("<td>{mark} "),
            &format!("<td class=\"hm {class}\">{mark} "),
        );
    }
    // The map goes right after the target architecture.
    let svg = format!(
        "<h2>Ecosystem map</h2>\n<div class=\"map\">{}</div>\n<p><small>Thick border: source of truth for a data object · dashed box: candidate · grey box: retiring · red line: a finding was raised for the flow · dashed line: the flow runs through the hub.</small></p>\n",
        svg_map(r)
    );
    let body = match body.find("<h2>Source of truth</h2>") {
        Some(i) => format!("{}{svg}{}", &body[..i], &body[i..]),
        None => format!("{body}{svg}"),
    };
    let g = &r.assessment.engagement;
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}<footer><p><small>Written by stackmap {}.</small></p></footer>\n</body>\n</html>\n",
        esc(&g.client),
        esc(&g.title),
        env!("CARGO_PKG_VERSION")
    )
}

const BOX_W: i64 = 190;
const BOX_H: i64 = 46;
const COL_GAP: i64 = 80;
const ROW_GAP: i64 = 22;
const TOP: i64 = 40;
const COLUMNS: usize = 4;

/// The ecosystem map as SVG: one column per category that has systems, systems stacked in
/// it; flows as curved edges, red where a finding was raised for the flow; sources of truth
/// with a thick border, candidates dashed, retiring systems grey.
pub fn svg_map(r: &Input) -> String {
    let a = r.assessment;
    let cats: Vec<Category> = Category::ALL
        .iter()
        .copied()
        .filter(|c| a.systems.iter().any(|s| s.category == *c))
        .collect();
    // Category blocks in a grid of at most COLUMNS columns, row by row; each block stacks its
    // systems. Row heights follow the tallest block in the row.
    let columns = cats.len().clamp(1, COLUMNS);
    let mut pos = std::collections::HashMap::new();
    let mut labels = Vec::new();
    let mut y0 = 0;
    for row in cats.chunks(columns) {
        let mut tallest = 0;
        for (ci, c) in row.iter().enumerate() {
            let x = 20 + ci as i64 * (BOX_W + COL_GAP);
            labels.push((x, y0 + 22, *c));
            let members: Vec<&crate::model::System> =
                a.systems.iter().filter(|s| s.category == *c).collect();
            for (ri, s) in members.iter().enumerate() {
                pos.insert(s.id.as_str(), (x, y0 + TOP + ri as i64 * (BOX_H + ROW_GAP)));
            }
            tallest = tallest.max(members.len() as i64);
        }
        y0 += TOP + tallest * (BOX_H + ROW_GAP) + 20;
    }
    let height = y0;
    let width = 40 + columns as i64 * (BOX_W + COL_GAP) - COL_GAP;
    let problems: std::collections::BTreeSet<&str> = r
        .evaluation
        .findings
        .iter()
        .flat_map(|f| f.subjects.iter())
        .filter(|s| s.kind == SubjectKind::Flow)
        .map(|s| s.id.as_str())
        .collect();
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"Ecosystem map\">"
    );
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker><marker id=\"arrow-bad\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>");
    for (x, y, c) in &labels {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#57606a\">{}</text>",
            x + BOX_W / 2,
            esc(&c.as_str().to_uppercase())
        );
    }
    for f in &a.flows {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(f.from.as_str()), pos.get(f.to.as_str()))
        else {
            continue;
        };
        let bad = problems.contains(f.id.as_str());
        let (sx, ex) = if x2 > x1 {
            (x1 + BOX_W, x2)
        } else if x2 < x1 {
            (x1, x2 + BOX_W)
        } else {
            (x1 + BOX_W, x2 + BOX_W)
        };
        let (sy, ey) = (y1 + BOX_H / 2, y2 + BOX_H / 2);
        let bend = if x1 == x2 { 60 } else { 0 };
        let (c1x, c2x) = if x2 >= x1 {
            (sx + 40 + bend, ex - 40 + bend)
        } else {
            (sx - 40, ex + 40)
        };
        let color = if bad { "#c62828" } else { "#8c959f" };
        let marker = if bad { "arrow-bad" } else { "arrow" };
        let dash = if f.via.is_some() {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = write!(
            o,
            "<path d=\"M{sx},{sy} C{c1x},{sy} {c2x},{ey} {ex},{ey}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{dash} marker-end=\"url(#{marker})\"><title>{}</title></path>",
            if bad { 2 } else { 1 },
            esc(&format!(
                "{}: {} → {} ({})",
                r.flow_name(&f.id),
                r.system_name(&f.from),
                r.system_name(&f.to),
                f.mechanism
            ))
        );
    }
    for s in &a.systems {
        let Some(&(x, y)) = pos.get(s.id.as_str()) else {
            continue;
        };
        let owns = a
            .ownership
            .values()
            .flat_map(|own| own.views())
            .any(|(_, w)| w.owner.as_deref() == Some(s.id.as_str()));
        let (stroke, fill, dash) = match s.status {
            SystemStatus::Candidate => ("#0969da", "#ffffff", " stroke-dasharray=\"5 4\""),
            SystemStatus::Retiring => ("#8c959f", "#f6f8fa", ""),
            SystemStatus::Existing => ("#1b1f23", "#ffffff", ""),
        };
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/>",
            if owns { 3 } else { 1 }
        );
        let name: String = safe(&s.name).chars().take(28).collect();
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
            x + BOX_W / 2,
            y + 19,
            esc(&name)
        );
        let sub = match (s.status, owns) {
            (SystemStatus::Existing, true) => "source of truth".to_string(),
            (SystemStatus::Existing, false) => String::new(),
            (st, true) => format!("{st} · source of truth"),
            (st, false) => st.to_string(),
        };
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#57606a\" font-size=\"10\">{}</text>",
            x + BOX_W / 2,
            y + 35,
            esc(&sub)
        );
    }
    o.push_str("</svg>");
    o
}
