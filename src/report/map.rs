//! The ecosystem map as Mermaid (`flowchart`, renders on GitHub) or Graphviz DOT (renders with
//! `dot -Tsvg`): systems grouped by category, flows as edges labelled with their objects and
//! mechanism (a flow through a hub as two edges, from → hub → to), sources of truth marked,
//! problem flows (any finding raised for them) drawn red.
//!
//! Ids in both languages are generated (`s0`, `s1`, ...) rather than the system ids, so no
//! name can break the syntax; every label is escaped for its language.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::Input;
use crate::engine::SubjectKind;
use crate::text::safe;
use crate::vocab::{Category, SystemStatus};

/// The systems of a category, with their index in the assessment (the node id).
fn members(a: &crate::model::Assessment, cat: Category) -> Vec<(usize, &crate::model::System)> {
    a.systems
        .iter()
        .enumerate()
        .filter(|(_, s)| s.category == cat)
        .collect()
}

fn problem_flows(r: &Input) -> BTreeSet<String> {
    r.evaluation
        .findings
        .iter()
        .flat_map(|f| f.subjects.iter())
        .filter(|s| s.kind == SubjectKind::Flow)
        .map(|s| s.id.clone())
        .collect()
}

/// The legs a flow is drawn as: from → to, or from → hub → to when it runs through a hub.
fn legs(f: &crate::model::Flow) -> Vec<(&str, &str)> {
    match f.via.as_deref() {
        Some(hub) => vec![(f.from.as_str(), hub), (hub, f.to.as_str())],
        None => vec![(f.from.as_str(), f.to.as_str())],
    }
}

fn owned(r: &Input, system: &str) -> Vec<&'static str> {
    r.assessment
        .ownership
        .iter()
        .filter(|(_, own)| {
            own.views()
                .iter()
                .any(|(_, w)| w.owner.as_deref() == Some(system))
        })
        .map(|(k, _)| k.words())
        .collect()
}

fn node_label(r: &Input, s: &crate::model::System) -> (String, Option<String>) {
    let mut second = Vec::new();
    if s.status != SystemStatus::Existing {
        second.push(s.status.to_string());
    }
    let owns = owned(r, &s.id);
    let owns = (!owns.is_empty()).then(|| format!("source of truth: {}", owns.join(", ")));
    (
        safe(&s.name),
        if second.is_empty() {
            owns
        } else {
            Some(match owns {
                Some(o) => format!("{} · {o}", second.join(", ")),
                None => second.join(", "),
            })
        },
    )
}

fn edge_label(f: &crate::model::Flow) -> String {
    let objects: Vec<&str> = f.objects.iter().map(|o| o.words()).collect();
    let mut l = if objects.is_empty() {
        String::new()
    } else {
        objects.join(", ")
    };
    if !l.is_empty() {
        l.push_str(" · ");
    }
    l.push_str(f.mechanism.as_str());
    if f.checkout {
        l.push_str(" · checkout");
    }
    l
}

/// Mermaid label text: quotes and markup characters as HTML entities (Mermaid's escape).
/// `%` becomes `#37;` too, so no `%%` reaches the output: Mermaid reads `%%{init: …}%%`
/// anywhere in the text as a directive (theme, CSS, htmlLabels) and `%%` at a line's start
/// as a comment; `{` and `}` are escaped as well, so no part of a directive survives.
pub(crate) fn mermaid(s: &str) -> String {
    let mut out = String::new();
    for c in safe(s).chars() {
        match c {
            '%' => out.push_str("#37;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

pub fn mermaid_map(r: &Input) -> String {
    let a = r.assessment;
    let index = |id: &str| a.systems.iter().position(|s| s.id == id).unwrap_or(0);
    let problems = problem_flows(r);
    let mut o = String::from("flowchart LR\n");
    for cat in Category::ALL {
        let members = members(a, *cat);
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "  subgraph c_{}[\"{}\"]",
            cat.as_str(),
            mermaid(cat.description())
        );
        for (i, s) in members {
            let (name, second) = node_label(r, s);
            let label = match second {
                Some(x) => format!("{}<br/><small>{}</small>", mermaid(&name), mermaid(&x)),
                None => mermaid(&name),
            };
            let _ = writeln!(o, "    s{i}[\"{label}\"]");
        }
        let _ = writeln!(o, "  end");
    }
    // A flow through a hub is drawn through it: from → hub → to, each leg labelled.
    let mut red = Vec::new();
    let mut n = 0;
    for f in &a.flows {
        for (from, to) in legs(f) {
            let _ = writeln!(
                o,
                "  s{} -->|\"{}\"| s{}",
                index(from),
                mermaid(&edge_label(f)),
                index(to)
            );
            if problems.contains(&f.id) {
                red.push(n.to_string());
            }
            n += 1;
        }
    }
    for (i, s) in a.systems.iter().enumerate() {
        if !owned(r, &s.id).is_empty() {
            let _ = writeln!(o, "  style s{i} stroke-width:3px");
        }
        if s.status == SystemStatus::Candidate {
            let _ = writeln!(o, "  style s{i} stroke-dasharray: 5 5");
        }
    }
    if !red.is_empty() {
        let _ = writeln!(
            o,
            "  linkStyle {} stroke:#c62828,stroke-width:2px",
            red.join(",")
        );
    }
    o
}

/// DOT quoted-string text. Graphviz reads HTML entities in labels (`&amp;` is drawn as `&`),
/// so `&` is written `&amp;`: a name `&amp;` is drawn as typed.
fn dot(s: &str) -> String {
    safe(s)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('&', "&amp;")
}

pub fn dot_map(r: &Input) -> String {
    let a = r.assessment;
    let index = |id: &str| a.systems.iter().position(|s| s.id == id).unwrap_or(0);
    let problems = problem_flows(r);
    let mut o = String::from(
        "digraph stackmap {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for cat in Category::ALL {
        let members = members(a, *cat);
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "  subgraph cluster_{} {{\n    label=\"{}\";\n    style=dashed;",
            cat.as_str(),
            dot(cat.description())
        );
        for (i, s) in members {
            let (name, second) = node_label(r, s);
            let label = match second {
                Some(x) => format!("{}\\n{}", dot(&name), dot(&x)),
                None => dot(&name),
            };
            let mut attrs = format!("label=\"{label}\"");
            if !owned(r, &s.id).is_empty() {
                attrs.push_str(", penwidth=2.5");
            }
            if s.status == SystemStatus::Candidate {
                attrs.push_str(", style=\"rounded,dashed\"");
            }
            if s.status == SystemStatus::Retiring {
                attrs.push_str(", color=gray40, fontcolor=gray40");
            }
            let _ = writeln!(o, "    s{i} [{attrs}];");
        }
        let _ = writeln!(o, "  }}");
    }
    for f in &a.flows {
        let mut attrs = format!("label=\"{}\"", dot(&edge_label(f)));
        if problems.contains(&f.id) {
            attrs.push_str(", color=\"#c62828\", fontcolor=\"#c62828\"");
        }
        for (from, to) in legs(f) {
            let _ = writeln!(o, "  s{} -> s{} [{attrs}];", index(from), index(to));
        }
    }
    o.push_str("}\n");
    o
}

#[cfg(test)]
mod tests {
    use super::{dot, mermaid};

    #[test]
    fn labels_are_escaped_for_each_language() {
        assert_eq!(mermaid("A|B \"C\" <D>"), "A#124;B #quot;C#quot; #lt;D#gt;");
        assert_eq!(dot("A|B \"C\" <D> \\"), "A|B \\\"C\\\" <D> \\\\");
    }

    /// Issue 24, items 4 and 6: no `%%` (a directive or comment) survives in a Mermaid label,
    /// and `&` is written as an entity in DOT so `&amp;` is drawn as typed.
    #[test]
    fn directives_and_entities_are_inert() {
        let m = mermaid("%%{init: {\"theme\":\"dark\"}}%%");
        assert!(
            !m.contains('%') && !m.contains('{') && !m.contains('}'),
            "{m}"
        );
        assert_eq!(mermaid("50%"), "50#37;");
        assert_eq!(dot("&amp; &lt;"), "&amp;amp; &amp;lt;");
    }
}
