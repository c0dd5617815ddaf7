//! Reports and maps: insta snapshots of each format for the demo engagement, the CSV parsed
//! back, the DOT rendered by Graphviz, and hostile names that must break nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{lossy as text, run};

/// The demo written into a fresh home; returns the home and the file.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("demo.toml");
    let out = run(
        home.path(),
        &["demo", "--out", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    (home, file)
}

fn report(home: &Path, file: &Path, args: &[&str]) -> String {
    let mut all = vec![args[0], file.to_str().expect("utf-8")];
    all.extend_from_slice(&args[1..]);
    let out = run(home, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[test]
fn the_demo_report_in_every_format() {
    let (home, file) = demo();
    let md = report(home.path(), &file, &["report", "--format", "md"]);
    for section in [
        "## Executive summary",
        "## Target architecture",
        "## Source of truth",
        "## Vendor fit",
        "## Overlap",
        "## Flow health",
        "## Immediate fixes",
        "## Architecture changes",
        "## Roadmap",
        "## Operating model",
        "## Pain points and what addresses them",
        "## Vendor comparison",
        "## What to ask next",
        "## Appendix: answers with notes",
    ] {
        assert!(md.contains(section), "missing {section}");
    }
    insta::assert_snapshot!("demo_report_md", md);
    insta::assert_snapshot!(
        "demo_report_csv",
        report(home.path(), &file, &["report", "--format", "csv"])
    );
    insta::assert_snapshot!(
        "demo_map_mermaid",
        report(home.path(), &file, &["map", "--format", "mermaid"])
    );
    insta::assert_snapshot!(
        "demo_map_dot",
        report(home.path(), &file, &["map", "--format", "dot"])
    );
    let json: serde_json::Value =
        serde_json::from_str(&report(home.path(), &file, &["report", "--format", "json"]))
            .expect("json");
    assert!(json["decisions"].as_array().expect("decisions").len() >= 10);
    // What to ask next is in every format: the JSON list, a row per entry in the CSV (lane
    // `ask-next`), a bullet per entry in Markdown (and so in HTML), in the same order.
    let open = json["open_questions"].as_array().expect("open_questions");
    assert!(!open.is_empty(), "the demo leaves questions open");
    let csv = report(home.path(), &file, &["report", "--format", "csv"]);
    assert_eq!(
        csv.lines().filter(|l| l.contains(",ask-next,")).count(),
        open.len()
    );
    let section = md
        .split("## What to ask next")
        .nth(1)
        .and_then(|x| x.split("\n## ").next())
        .expect("the section");
    assert_eq!(
        section.lines().filter(|l| l.starts_with("- ")).count(),
        open.len()
    );
    // The owner decision names only the flows whose lack of an owner is stated (`none`); a
    // flow whose owner is blank is a question, not a decision.
    let stated: Vec<&str> = vec!["web-orders-to-router", "web-stock-to-channeladvisor"];
    for d in json["decisions"].as_array().expect("decisions") {
        if d["id"] == "flow-missing-owner" {
            for s in d["subjects"].as_array().expect("subjects") {
                let id = s["id"].as_str().expect("id");
                assert!(
                    stated.contains(&id),
                    "{id}: a blank owner is a question, not a decision"
                );
            }
        }
    }
    assert!(
        json["pain_points"]
            .as_array()
            .expect("pain points")
            .iter()
            .any(|p| !p["addressed_by"].as_array().expect("list").is_empty())
    );
}

#[test]
fn the_html_report_is_one_self_contained_file() {
    let (home, file) = demo();
    let html = report(home.path(), &file, &["report", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    let lower = html.to_lowercase();
    for external in [
        "<script", "<link", "<img", "<iframe", "<object", "src=", "href=", "@import", "xmlns",
    ] {
        assert!(!lower.contains(external), "found {external}");
    }
    // `url(` only for the SVG's own markers (`url(#arrow)`), never a resource.
    for (i, _) in lower.match_indices("url(") {
        assert_eq!(&lower[i + 4..i + 5], "#", "external url( at {i}");
    }
    assert!(
        html.contains("<style>") && html.contains("page-break-before"),
        "printable"
    );
    assert!(
        html.contains("<svg") && html.contains("</svg>"),
        "the map is inline SVG"
    );
    assert_eq!(
        html.matches("<table>").count(),
        html.matches("</table>").count()
    );
    // Byte for byte the same on every run.
    assert_eq!(
        html,
        report(home.path(), &file, &["report", "--format", "html"])
    );
    insta::assert_snapshot!("demo_report_html", html);
}

#[test]
fn client_reports_leave_out_private_notes_and_override_reasons() {
    let (home, file) = demo();
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let a = stackmap::workspace::load_assessment(&file, &content).expect("loads");
    let private = a
        .answers
        .iter()
        .find(|x| x.private && !x.note.is_empty())
        .expect("the demo has a private note");
    let reason = a
        .decisions
        .iter()
        .find(|d| !d.priority_reason.is_empty())
        .expect("an override with a reason");
    // The last words: the opening of a reason may be quoted in an answer's note too.
    let snippet = |s: &str| {
        let words: Vec<&str> = s.split_whitespace().collect();
        words[words.len().saturating_sub(6)..].join(" ")
    };
    let client = report(home.path(), &file, &["report"]);
    let internal = report(home.path(), &file, &["report", "--audience", "internal"]);
    let clean = |s: &str| s.replace('\\', "");
    assert!(
        !clean(&client).contains(&snippet(&private.note)),
        "private note leaked"
    );
    assert!(clean(&internal).contains(&snippet(&private.note)));
    assert!(
        !clean(&client).contains(&snippet(&reason.priority_reason)),
        "override reason leaked"
    );
    assert!(clean(&internal).contains(&snippet(&reason.priority_reason)));
}

#[test]
fn the_csv_opens_as_a_table_with_a_rank_column() {
    let (home, file) = demo();
    let csv_text = report(home.path(), &file, &["report", "--format", "csv"]);
    assert!(
        csv_text.starts_with('\u{feff}'),
        "UTF-8 byte-order mark for spreadsheets"
    );
    let mut r = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let headers = r.headers().expect("header").clone();
    assert_eq!(&headers[0], "rank");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a valid row")).collect();
    assert!(rows.len() >= 10);
    assert!(rows.iter().all(|row| row.len() == headers.len()));
    assert!(
        rows.iter().any(|row| &row[1] == "immediate")
            && rows.iter().any(|row| &row[1] == "architecture")
    );
}

#[test]
fn the_dot_map_renders_with_graphviz() {
    let has_dot = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_dot {
        // CI installs Graphviz (.ci/run); a developer machine may not have it.
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz must be installed in CI"
        );
        return;
    }
    let (home, file) = demo();
    let dot_text = report(home.path(), &file, &["map", "--format", "dot"]);
    let svg = render_dot(&dot_text);
    assert!(svg.contains("<svg"), "{svg}");
}

fn has_dot() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn render_dot(dot_text: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot_text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("dot exits");
    assert!(out.status.success(), "dot failed: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn hostile_names_and_notes_break_no_format() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("hostile.toml");
    let hostile = "A|B \"C\" <D> *E* `F` =1+2 \\ \u{1b}]0;pwned\u{7} \u{202e}x \u{9b}";
    let text_in = std::fs::read_to_string("tests/fixtures/valid/assessment.toml")
        .expect("fixture")
        .replace(
            "name = \"Shopify Plus\"",
            &format!("name = {}", toml::Value::String(hostile.into())),
        )
        .replace(
            "client = \"Northwind Outfitters\"",
            &format!("client = {}", toml::Value::String(hostile.into())),
        );
    std::fs::write(&file, text_in).expect("write");
    let out = run(
        home.path(),
        &[
            "answer",
            file.to_str().expect("utf-8"),
            "--questionnaire",
            "flow-contract",
            "--subject",
            "orders-to-erp",
            "--question",
            "runbook",
            "--value",
            "no",
            "--note",
            hostile,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (args, name) in [
        (vec!["report", "--format", "md"], "md"),
        (
            vec!["report", "--format", "md", "--audience", "internal"],
            "md internal",
        ),
        (vec!["report", "--format", "csv"], "csv"),
        (vec!["report", "--format", "html"], "html"),
        (vec!["report", "--format", "json"], "json"),
        (vec!["map", "--format", "mermaid"], "mermaid"),
        (vec!["map", "--format", "dot"], "dot"),
    ] {
        let s = report(home.path(), &file, &args);
        for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
            assert!(!s.contains(raw), "{name}: raw {raw:?} survived");
        }
        match name {
            "md" | "md internal" => {
                assert!(s.contains("A\\|B"), "{name}: | escaped");
                assert!(s.contains("\\<D\\>"), "{name}: <> escaped");
                assert!(s.contains("␛\\]0;pwned␇"), "{name}: controls visible");
            }
            "csv" => {
                let mut r = csv::Reader::from_reader(s.trim_start_matches('\u{feff}').as_bytes());
                assert!(r.records().all(|x| x.is_ok()));
            }
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&s).expect("valid json");
                assert!(
                    v["client"].as_str().expect("client").contains("A|B"),
                    "exact text kept in JSON"
                );
            }
            "html" => {
                assert!(
                    s.contains("A\\|B") || s.contains("A|B"),
                    "the name is there"
                );
                assert!(!s.contains("<D>"), "<D> is text, not a tag");
            }
            "mermaid" => {
                assert!(s.starts_with("flowchart"));
                assert!(s.contains("A#124;B #quot;C#quot; #lt;D#gt;"));
            }
            "dot" if has_dot() => {
                render_dot(&s);
            }
            _ => {}
        }
    }
}

#[test]
fn a_report_never_overwrites_the_work_it_reads() {
    let (home, file) = demo();
    let f = file.to_str().expect("utf-8");
    let before = std::fs::read(&file).expect("read");
    // Onto its own input: refused, even with --force.
    for args in [
        vec!["report", f, "-o", f],
        vec!["report", f, "-o", f, "--force"],
        vec!["map", f, "-o", f, "--force"],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    // Onto another assessment: refused unless --force.
    let other = home.path().join("other.toml");
    std::fs::write(&other, &before).expect("write");
    let o = other.to_str().expect("utf-8");
    let refused = run(home.path(), &["report", f, "-o", o]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read(&other).expect("read"), before);
    assert_eq!(std::fs::read(&file).expect("read"), before);
    let forced = run(home.path(), &["report", f, "-o", o, "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert!(
        std::fs::read_to_string(&other)
            .expect("read")
            .starts_with('#')
    );
    // An ordinary report file is replaced without ceremony.
    let md = home.path().join("report.md");
    std::fs::write(&md, "old report").expect("write");
    let plain = run(
        home.path(),
        &["report", f, "-o", md.to_str().expect("utf-8")],
    );
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
}

/// Issue 20: a flow through a hub is drawn through it (from → hub → to) in Mermaid and DOT,
/// for every hub flow of the demo.
#[test]
fn every_hub_flow_of_the_demo_is_drawn_through_its_hub() {
    let (home, file) = demo();
    let a: toml::Value = toml::from_str(&std::fs::read_to_string(&file).expect("read"))
        .expect("the demo reads as TOML");
    let systems: Vec<String> = a["system"]
        .as_array()
        .expect("systems")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect();
    let node = |id: &str| format!("s{}", systems.iter().position(|s| s == id).expect("system"));
    let hub_flows: Vec<(String, String, String)> = a["flow"]
        .as_array()
        .expect("flows")
        .iter()
        .filter_map(|f| {
            Some((
                node(f["from"].as_str()?),
                node(f.get("via")?.as_str()?),
                node(f["to"].as_str()?),
            ))
        })
        .collect();
    assert!(hub_flows.len() >= 2, "the demo has hub flows");
    let mermaid = report(home.path(), &file, &["map", "--format", "mermaid"]);
    let dot = report(home.path(), &file, &["map", "--format", "dot"]);
    let mermaid_edges: Vec<(String, String)> = mermaid
        .lines()
        .filter_map(|l| {
            let (from, rest) = l.trim().split_once(" -->|")?;
            Some((from.to_string(), rest.rsplit_once("| ")?.1.to_string()))
        })
        .collect();
    let dot_edges: Vec<(String, String)> = dot
        .lines()
        .filter_map(|l| {
            let (from, rest) = l.trim().split_once(" -> ")?;
            Some((from.to_string(), rest.split_once(' ')?.0.to_string()))
        })
        .collect();
    for (from, hub, to) in &hub_flows {
        for edges in [&mermaid_edges, &dot_edges] {
            assert!(
                edges.contains(&(from.clone(), hub.clone())),
                "{from} → {hub}"
            );
            assert!(edges.contains(&(hub.clone(), to.clone())), "{hub} → {to}");
        }
    }
    // Data objects by their names, not their ids.
    assert!(mermaid.contains("Product (catalog)"), "{mermaid}");
}
