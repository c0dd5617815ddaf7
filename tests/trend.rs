//! Progress across workshops: `stackmap trend` on the demo with three snapshots and a live
//! file that moved on after each, and the "progress since" section of the reports.

mod common;

use std::path::{Path, PathBuf};

use common::{lossy as text, path_str, run};

fn ok(home: &Path, args: &[&str]) -> String {
    let out = run(home, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Marks an engagement-scope answer unknown: the decision it alone raised is resolved (an
/// unknown is an open question, not a fact).
/// `question` may be `SUBJECT/QUESTION` for a system's or flow's question.
fn unknown(home: &Path, f: &str, questionnaire: &str, question: &str) {
    let mut args = vec!["answer", f, "--questionnaire", questionnaire, "--unknown"];
    match question.split_once('/') {
        Some((subject, q)) => args.extend(["--subject", subject, "--question", q]),
        None => args.extend(["--question", question]),
    }
    ok(home, &args);
}

/// The demo with three snapshots; between each two (and after the last) one decision is
/// resolved by an answer changing.
fn three_workshops() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("demo.toml");
    let f = path_str(&file).to_string();
    ok(home.path(), &["demo", "--out", &f]);
    ok(home.path(), &["snapshot", &f, "--label", "1 kickoff"]);
    unknown(home.path(), &f, "source-of-truth", "consent-sync");
    ok(home.path(), &["snapshot", &f, "--label", "2 workshop"]);
    unknown(home.path(), &f, "coupling", "dual-writes");
    ok(home.path(), &["snapshot", &f, "--label", "3 review"]);
    unknown(home.path(), &f, "vendor-fit", "akeneo/pim-completeness");
    (home, file)
}

#[test]
fn trend_shows_every_snapshot_and_the_changes_between_them() {
    let (home, file) = three_workshops();
    let f = path_str(&file);
    let j: serde_json::Value =
        serde_json::from_str(&ok(home.path(), &["trend", f, "--format", "json"])).expect("json");
    let points = j["points"].as_array().expect("points");
    let labels: Vec<&str> = points
        .iter()
        .map(|p| p["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["1 kickoff", "2 workshop", "3 review", "live"]);
    assert_eq!(points[3]["live"], true);
    for p in points {
        for k in [
            "overall",
            "coverage",
            "dimensions",
            "decisions",
            "open_questions",
        ] {
            assert!(p.get(k).is_some(), "{k}");
        }
        for k in ["open", "accepted", "deferred", "rejected", "resolved"] {
            assert!(p["decisions"][k].is_u64(), "{k}");
        }
    }
    let steps = j["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 3);
    let resolved = |i: usize| -> Vec<(String, Vec<String>)> {
        steps[i]["resolved"]
            .as_array()
            .expect("resolved")
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().expect("id").to_string(),
                    r["answers"]
                        .as_array()
                        .expect("answers")
                        .iter()
                        .map(|a| a.as_str().expect("a").to_string())
                        .collect(),
                )
            })
            .collect()
    };
    for (i, (id, question)) in [
        ("consent-out-of-sync", "source-of-truth/consent-sync"),
        ("unguarded-dual-writes", "coupling/dual-writes"),
        (
            "channel-completeness-not-gated",
            "vendor-fit/akeneo/pim-completeness",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let r = resolved(i);
        let hit = r
            .iter()
            .find(|(x, _)| x == id)
            .unwrap_or_else(|| panic!("step {i}: {r:?}"));
        assert!(
            hit.1
                .iter()
                .any(|a| a.starts_with(&format!("{question}: "))),
            "step {i}: what resolved {id}: {:?}",
            hit.1
        );
        assert_eq!(points[i + 1]["decisions"]["resolved"], r.len());
    }
    // Text and Markdown say the same.
    let t = ok(home.path(), &["trend", f]);
    for s in [
        "1 kickoff",
        "2 workshop",
        "3 review",
        "live",
        "resolved: ",
        "source-of-truth/consent-sync",
    ] {
        assert!(t.contains(s), "text lacks {s}:\n{t}");
    }
    let md = ok(home.path(), &["trend", f, "--format", "md"]);
    assert!(md.contains("## 2 workshop → 3 review"), "{md}");
    assert_eq!(
        md,
        ok(home.path(), &["trend", f, "--format", "md"]),
        "deterministic"
    );
}

#[test]
fn reports_show_progress_since_the_last_snapshot() {
    let (home, file) = three_workshops();
    let f = path_str(&file);
    let md = ok(home.path(), &["report", f]);
    assert!(md.contains("## Progress since 3 review"), "{md}");
    let section = &md[md.find("## Progress since").expect("section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for s in [
        "**Improved:**",
        "**Regressed:**",
        "**New:**",
        "**Resolved:**",
        "vendor-fit/akeneo/pim-completeness",
    ] {
        assert!(section.contains(s), "{s}:\n{section}");
    }
    let html = ok(home.path(), &["report", f, "--format", "html"]);
    assert!(html.contains("<h2>Progress since 3 review</h2>"));
    // Without snapshots there is no such section.
    let other = home.path().join("other.toml");
    ok(home.path(), &["demo", "--out", path_str(&other)]);
    assert!(!ok(home.path(), &["report", path_str(&other)]).contains("Progress since"));
    // Trend with no snapshots: the live file alone.
    let j: serde_json::Value = serde_json::from_str(&ok(
        home.path(),
        &["trend", path_str(&other), "--format", "json"],
    ))
    .expect("json");
    assert_eq!(j["points"].as_array().map(Vec::len), Some(1));
}
