//! The standard the decision list is held to: the three engagements of CASES.md, each encoded
//! from the architect's notes only (tests/judgement/*.toml: what the facts say is answered or
//! stated, the rest left blank), against the decisions a senior architect puts first.
//!
//! For each case: at least four of the expert's top five in stackmap's top five of the right
//! lane, each its own decision; none of the "must not appear"; the roadmap order respected; the
//! list within twice the expected size. Decisions are matched by what they are (their decision
//! id before `@`, and the subject after it where it matters), never by the case's names: the
//! engine knows nothing of these systems.

use std::path::Path;

use stackmap::engine::{self, Decision, Evaluation};
use stackmap::vocab::Horizon;
use stackmap::workspace::{Sources, load_assessment};

/// One of the expert's decisions: the lane it belongs in and the decisions that make it (any
/// of them, `ID` or `ID@SUBJECT`; `ID@` matches any subject of `ID`).
struct Expected {
    what: &'static str,
    lane: Horizon,
    any_of: &'static [&'static str],
}

struct Case {
    file: &'static str,
    top: &'static [Expected],
    /// Decisions (`ID` or `ID@SUBJECT`) that must not be raised; or an `ID` with a subject
    /// that must not be among its subjects, written `ID~SUBJECT`.
    must_not: &'static [&'static str],
    /// (first, then): every decision matching `first` comes before any matching `then` in
    /// the roadmap (an earlier slice).
    order: &'static [(&'static str, &'static str)],
    size: usize,
}

const IM: Horizon = Horizon::Immediate;
const AR: Horizon = Horizon::Architecture;

const CASES: &[Case] = &[
    Case {
        file: "alder-finch.toml",
        top: &[
            Expected {
                what: "marketplace stock from the owner, with a per-channel buffer",
                lane: IM,
                any_of: &["oversell"],
            },
            Expected {
                what: "match marketplace returns to refunds",
                lane: IM,
                any_of: &["settlement-gap"],
            },
            Expected {
                what: "an owner for the unowned stock function, with alerting",
                lane: IM,
                any_of: &["flow-owner"],
            },
            Expected {
                what: "one owner for promotions across regions",
                lane: AR,
                any_of: &["one-writer@promotion"],
            },
            Expected {
                what: "one owner of availability across regions and channels",
                lane: AR,
                any_of: &["one-writer@inventory"],
            },
        ],
        must_not: &[
            "order-duplicate-risk",
            "flow-owner~eu-orders",
            "flow-owner~us-orders",
            "failed-messages~eu-orders",
            "failed-messages~us-orders",
            "keep-one@search",
            "search-rules-duplicated",
        ],
        order: &[("flow-owner", "flow-contract")],
        size: 15,
    },
    Case {
        file: "corvid-tools.toml",
        top: &[
            Expected {
                what: "one customer master with matching",
                lane: AR,
                any_of: &["one-writer@customer"],
            },
            Expected {
                what: "the ERP cutover proven by rehearsals and a parallel run",
                lane: AR,
                any_of: &["cutover-unproven"],
            },
            Expected {
                what: "alerting and a fallback for the contract-price import",
                lane: IM,
                any_of: &["failed-messages"],
            },
            Expected {
                what: "an owner for product data before the migration maps products",
                lane: AR,
                any_of: &["one-writer@catalog"],
            },
            Expected {
                what: "migrate off the retiring carrier API; track vendor API versions",
                lane: IM,
                any_of: &["flow-contract"],
            },
        ],
        must_not: &[
            "order-duplicate-risk",
            "failed-messages~orders-to-sage",
            "flow-contract~orders-to-sage",
            "flow-owner~orders-to-sage",
        ],
        order: &[
            ("one-writer@customer", "cutover-unproven"),
            ("one-writer@catalog", "cutover-unproven"),
        ],
        size: 12,
    },
    Case {
        file: "pebble-co.toml",
        top: &[
            Expected {
                what: "one sync path per marketplace: turn off one of the two apps",
                lane: IM,
                any_of: &["marketplace-double-sync"],
            },
            Expected {
                what: "stock has one writer: lock hand edits",
                lane: IM,
                any_of: &["one-writer@inventory"],
            },
            Expected {
                what: "an alert when the stock sync fails",
                lane: IM,
                any_of: &["failed-messages"],
            },
            Expected {
                what: "know which apps use the API limit",
                lane: IM,
                any_of: &["api-limits"],
            },
            Expected {
                what: "a per-channel buffer for the marketplace",
                lane: IM,
                any_of: &["oversell"],
            },
        ],
        must_not: &["settlement-gap"],
        order: &[],
        size: 8,
    },
];

fn evaluate(file: &str) -> Evaluation {
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    let a = load_assessment(&Path::new("tests/judgement").join(file), &content)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let profile = content
        .profile(&a.engagement.profile)
        .expect("profile exists");
    engine::evaluate(&content, profile, &a, None)
}

/// Whether decision `d` is `pattern`: `ID` (any subject), `ID@` (any subject), `ID@SUBJECT`.
fn is(d: &Decision, pattern: &str) -> bool {
    let (base, subject) = d.id.split_once('@').unwrap_or((d.id.as_str(), ""));
    match pattern.split_once('@') {
        None => base == pattern,
        Some((p, "")) => base == p,
        Some((p, s)) => base == p && subject == s,
    }
}

/// Where the expert's decisions landed, and what went wrong: (hits in the top five, problems).
fn judge(case: &Case) -> (usize, Vec<String>, String) {
    let e = evaluate(case.file);
    let mut log = format!("== {}\n", case.file);
    for lane in [IM, AR] {
        for d in e.ranked(lane) {
            log.push_str(&format!(
                "  {:?} #{} {} ({}): {}\n",
                lane, d.rank, d.id, d.priority, d.title
            ));
        }
    }
    let mut bad = Vec::new();
    let mut hits = 0;
    let mut used: Vec<&str> = Vec::new();
    for x in case.top {
        let top5: Vec<&Decision> = e.ranked(x.lane).into_iter().take(5).collect();
        let found = top5
            .iter()
            .find(|d| x.any_of.iter().any(|p| is(d, p)) && !used.contains(&d.id.as_str()));
        match found {
            Some(d) => {
                hits += 1;
                used.push(&d.id);
                log.push_str(&format!("  HIT  {} -> {}\n", x.what, d.id));
            }
            None => {
                log.push_str(&format!("  MISS {}\n", x.what));
            }
        }
    }
    if hits < 4 {
        bad.push(format!(
            "{}: {hits} of the expert's top five in stackmap's top five",
            case.file
        ));
    }
    for m in case.must_not {
        if let Some((id, subject)) = m.split_once('~') {
            for d in e.decisions.iter().filter(|d| is(d, id)) {
                if d.subjects.iter().any(|s| s.id == subject)
                    || d.id.ends_with(&format!("@{subject}"))
                {
                    bad.push(format!("{}: {} is about {subject}", case.file, d.id));
                }
            }
        } else if let Some(d) = e.decisions.iter().find(|d| is(d, m)) {
            bad.push(format!("{}: {} must not appear", case.file, d.id));
        }
    }
    for (first, then) in case.order {
        for a in e.decisions.iter().filter(|d| is(d, first)) {
            for b in e.decisions.iter().filter(|d| is(d, then)) {
                if a.slice >= b.slice {
                    bad.push(format!(
                        "{}: {} (slice {:?}) must come before {} (slice {:?})",
                        case.file, a.id, a.slice, b.id, b.slice
                    ));
                }
            }
        }
    }
    if e.decisions.len() > 2 * case.size {
        bad.push(format!(
            "{}: {} decisions, more than twice the expected {}",
            case.file,
            e.decisions.len(),
            case.size
        ));
    }
    log.push_str(&format!(
        "  {hits}/5 in the top five; {} decisions (expected about {})\n",
        e.decisions.len(),
        case.size
    ));
    (hits, bad, log)
}

#[test]
fn the_list_agrees_with_the_expert_on_the_three_cases() {
    let mut bad = Vec::new();
    for case in CASES {
        let (_, b, log) = judge(case);
        eprintln!("{log}");
        bad.extend(b);
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A prerequisite that is still an open question stays visible: nobody is named for the stock
/// sync (not captured yet), so its alerting may have to wait for an owner.
#[test]
fn a_prerequisite_that_is_an_open_question_stays_visible() {
    let e = evaluate("pebble-co.toml");
    let alerting = e.decision("failed-messages").expect("raised");
    assert_eq!(alerting.waits_on_open, vec!["flow-owner".to_string()]);
    assert!(
        e.decision("flow-owner").is_none(),
        "a blank is not a decision"
    );
    assert!(
        e.open_questions
            .iter()
            .any(|q| q.could_raise.iter().any(|c| c == "flow-owner")),
        "the owner is an open question"
    );
}

/// Content regrouped since a file was written: an override naming the group a finding used to
/// be in (`flow-alerting`, now part of `failed-messages`) follows the group, with no warning.
#[test]
fn an_override_naming_a_former_group_follows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("pebble.toml");
    let mut text = std::fs::read_to_string("tests/judgement/pebble-co.toml").expect("fixture");
    text.push_str(
        "\n[[decision]]\nid = \"flow-alerting\"\nstatus = \"accepted\"\nowner = \"Ops\"\n",
    );
    std::fs::write(&file, text).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["score", &file.display().to_string(), "--format", "json"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("unknown decision"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = json["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["id"] == "failed-messages")
        .expect("failed-messages raised");
    assert_eq!(d["status"], "accepted");
    assert_eq!(d["owner"], "Ops");
}

/// A decision about an object names the systems that write it, from the ownership map; one
/// about a capability, the systems that hold it.
#[test]
fn per_subject_titles_name_who_writes_or_holds() {
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    for case in CASES {
        let a = load_assessment(&Path::new("tests/judgement").join(case.file), &content)
            .expect("loads");
        let e = evaluate(case.file);
        let name = |id: &str| {
            a.systems
                .iter()
                .find(|s| s.id == id)
                .map_or(id.to_string(), |s| s.name.clone())
        };
        for d in &e.decisions {
            let Some((base, subject)) = d.id.split_once('@') else {
                continue;
            };
            if base != "one-writer" {
                continue;
            }
            let Some((_, w)) = a.ownership.iter().find(|(o, _)| o.as_str() == subject) else {
                continue;
            };
            let others: Vec<&String> = w
                .writers
                .iter()
                .filter(|x| w.owner.as_deref() != Some(x.as_str()))
                .collect();
            // One writer and no owner: nothing to set against it.
            if w.owner.is_none() && others.len() < 2 {
                continue;
            }
            for x in others {
                assert!(
                    d.title.contains(&name(x)),
                    "{}: {} does not name writer {}",
                    case.file,
                    d.title,
                    name(x)
                );
            }
        }
    }
}

/// A priority the assessor sets by hand is their judgement of the consequence: a hygiene
/// decision raised to the top ranks there, above consequential ones of lower priority.
#[test]
fn a_manual_priority_ranks_above_the_stake() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.toml");
    let mut text = stackmap::demo::TEXT.to_string();
    text.push_str("\n[[decision]]\nid = \"keep-one@search\"\npriority = 99\npriority_reason = \"The board wants one search engine before peak.\"\n");
    std::fs::write(&file, text).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["score", &file.display().to_string(), "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = json["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["id"] == "keep-one@search")
        .expect("raised in the demo");
    assert_eq!(d["terms"]["stake"], "operations");
    assert_eq!(d["rank"], 1, "{d}");
}

/// The demo, evaluated with the shipped content.
fn evaluate_demo() -> (stackmap::model::Assessment, Evaluation) {
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.toml");
    std::fs::write(&file, stackmap::demo::TEXT).expect("write");
    let a = load_assessment(&file, &content).expect("the demo loads");
    let profile = content
        .profile(&a.engagement.profile)
        .expect("profile exists");
    let e = engine::evaluate(&content, profile, &a, None);
    (a, e)
}

/// One remedy reached by two routes is one decision: keeping one system for authoring content
/// (the capability overlap) and one writer of content (the ownership map) are the same work,
/// so the demo lists `one-writer@content` once, with what each route contributes among its
/// findings and reasons, and nothing waits on the decision folded into it.
#[test]
fn keeping_one_content_system_and_one_content_writer_are_one_decision() {
    let (_, e) = evaluate_demo();
    assert!(
        e.decision("keep-one@content").is_none(),
        "keep-one@content is folded into one-writer@content"
    );
    let d = e
        .decision("one-writer@content")
        .expect("raised in the demo");
    for f in [
        "capability-overlap",
        "content-authoring-split",
        "writers-beside-owner",
    ] {
        assert!(d.findings.iter().any(|x| x == f), "{f} in {:?}", d.findings);
    }
    for r in [
        "capability.content",
        "ownership.content",
        "overlap/content-overlap",
    ] {
        assert!(
            d.because.iter().any(|b| &*b.reference == r),
            "reason {r} kept in {:?}",
            d.because
        );
    }
    assert!(d.depends_on.is_empty(), "{:?}", d.depends_on);
    assert_eq!(
        d.terms.reach, 1,
        "the capability and the object are one subject"
    );
    // A capability no object is authored by stays a decision of its own.
    assert!(e.decision("keep-one@search").is_some());
    // Whatever waited on the folded decision waits on the one it went into.
    for x in &e.decisions {
        assert!(
            !x.depends_on.iter().any(|y| y == "keep-one@content"),
            "{} depends on a decision that is not on the list",
            x.id
        );
    }
    let cutover = e.decision("cutover-unproven").expect("raised");
    assert!(cutover.depends_on.iter().any(|y| y == "one-writer@content"));
}

/// An override written for the folded decision follows the decision it went into.
#[test]
fn an_override_naming_a_folded_decision_follows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.toml");
    let mut text = stackmap::demo::TEXT.to_string();
    text.push_str(
        "\n[[decision]]\nid = \"keep-one@content\"\nstatus = \"accepted\"\nowner = \"Digital\"\n",
    );
    std::fs::write(&file, text).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["score", &file.display().to_string(), "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = json["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["id"] == "one-writer@content")
        .expect("raised");
    assert_eq!(d["status"], "accepted");
    assert_eq!(d["owner"], "Digital");
}

/// A decision about many flows stays readable: its title names two subjects, the flows most at
/// risk first (checkout, then money), then "and N more flows"; `about` keeps every flow, the
/// same set as its subjects, most at risk first; the report's detail names them all.
#[test]
fn decisions_about_many_flows_name_the_riskiest_first_and_count_the_rest() {
    let (a, e) = evaluate_demo();
    let checkout = |id: &str| a.flows.iter().any(|f| f.id == id && f.checkout);
    for id in ["reconciliation", "failed-messages"] {
        let d = e.decision(id).expect("raised in the demo");
        let flows: Vec<&str> = d
            .subjects
            .iter()
            .filter(|s| s.kind == engine::SubjectKind::Flow)
            .map(|s| s.id.as_str())
            .collect();
        assert!(flows.len() > 15, "{id}: {} flows", flows.len());
        let mut about = d.about.flows.clone();
        assert!(
            checkout(&about[0]),
            "{id}: {} is not a checkout flow",
            about[0]
        );
        let first = a.flow_name(&about[0]);
        assert!(
            d.title.contains(&first),
            "{id}: {} does not name {first}",
            d.title
        );
        let named = a
            .flows
            .iter()
            .filter(|f| d.title.contains(&a.flow_name(&f.id)))
            .count();
        assert!(
            named <= 2,
            "{id}: the title names {named} flows: {}",
            d.title
        );
        assert!(d.title.ends_with(" more flows"), "{}", d.title);
        // Checkout flows first, then the rest.
        let at = about
            .iter()
            .position(|f| !checkout(f))
            .unwrap_or(about.len());
        assert!(about[at..].iter().all(|f| !checkout(f)), "{about:?}");
        about.sort();
        let mut want: Vec<String> = flows.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(about, want, "{id}: about.flows is every flow it is about");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.toml");
    std::fs::write(&file, stackmap::demo::TEXT).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["report", &file.display().to_string()])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    let d = e.decision("reconciliation").expect("raised");
    let about = md
        .lines()
        .skip_while(|l| !l.contains(&d.title.replace('|', "\\|")))
        .find(|l| l.starts_with("**About:**"))
        .expect("the report's detail says what the decision is about");
    for f in &d.about.flows {
        assert!(about.contains(&a.flow_name(f)), "{f} missing from {about}");
    }
}

/// A blank is not a fact: an object the ownership map says nothing about is asked next
/// (which system owns it?), not decided; an entry that names writers and no owner still is.
#[test]
fn an_object_missing_from_the_ownership_map_is_asked_not_decided() {
    let e = evaluate("pebble-co.toml");
    for o in ["catalog", "order", "payment"] {
        assert!(
            e.decision(&format!("one-writer@{o}")).is_none(),
            "pebble-co's map says nothing of {o}"
        );
        assert!(
            e.open_questions
                .iter()
                .any(|q| q.field.as_deref() == Some("ownership")
                    && q.subject.as_ref().is_some_and(|s| s.id == o)),
            "who owns {o} is asked next"
        );
    }
    assert!(
        (5..=8).contains(&e.decisions.len()),
        "pebble-co: {} decisions, the expert lists 5–8",
        e.decisions.len()
    );
    // Alder & Finch's map lists the order's writers and no owner: that is stated.
    let alder = evaluate("alder-finch.toml");
    let order = alder.decision("one-writer@order").expect("raised");
    assert!(order.findings.iter().any(|f| f == "no-source-of-truth"));
}

/// A reason belongs to the decisions it is about. An answer raised for the whole engagement
/// whose question asks about one capability or object (what is decided for the search engine
/// that loses; who may change product attributes) is a reason for that subject's decision
/// only, not for every decision its finding joins: the demo's content decision does not give
/// a search answer as its reason, nor the promotion decision a product-attribute answer.
#[test]
fn a_reason_is_given_only_for_the_subjects_it_is_about() {
    let (_, demo) = evaluate_demo();
    let alder = evaluate("alder-finch.toml");
    let corvid = evaluate("corvid-tools.toml");
    let has = |e: &Evaluation, id: &str, r: &str| {
        e.decision(id)
            .unwrap_or_else(|| panic!("{id} raised"))
            .because
            .iter()
            .any(|b| &*b.reference == r)
    };
    // Where the reason belongs, it stays.
    assert!(has(&demo, "keep-one@search", "overlap/search-decision"));
    assert!(has(
        &demo,
        "one-writer@catalog",
        "source-of-truth/product-attribute-writers"
    ));
    assert!(has(
        &demo,
        "one-writer@price",
        "source-of-truth/marketplace-listing-source"
    ));
    assert!(has(
        &demo,
        "one-writer@promotion",
        "source-of-truth/promotion-outside-owner"
    ));
    assert!(has(&demo, "one-writer@content", "overlap/content-overlap"));
    assert!(has(
        &alder,
        "one-writer@promotion",
        "overlap/promotions-overlap"
    ));
    // Where it is about another subject, it goes.
    for (e, id, r) in [
        (&demo, "one-writer@content", "overlap/search-decision"),
        (&demo, "one-writer@content", "overlap/enrichment-overlap"),
        (
            &demo,
            "one-writer@promotion",
            "source-of-truth/product-attribute-writers",
        ),
        (
            &demo,
            "one-writer@promotion",
            "source-of-truth/marketplace-listing-source",
        ),
        (
            &demo,
            "one-writer@price",
            "source-of-truth/product-attribute-writers",
        ),
        (
            &demo,
            "one-writer@catalog",
            "source-of-truth/promotion-outside-owner",
        ),
        (&alder, "one-writer@order", "overlap/promotions-overlap"),
        (
            &corvid,
            "one-writer@price",
            "source-of-truth/product-attribute-writers",
        ),
    ] {
        assert!(!has(e, id, r), "{id} gives {r} as a reason");
    }
    // A question about every overlap or every object is a reason for each of them.
    for id in ["keep-one@search", "one-writer@content"] {
        assert!(has(&demo, id, "overlap/time-decisions"), "{id}");
    }
    // And in general: an answer whose question names what it asks about is a reason only on
    // a decision about one of those subjects (a capability standing for the object it
    // authors).
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    for e in [&demo, &alder, &corvid, &evaluate("pebble-co.toml")] {
        for d in &e.decisions {
            let Some((_, subject)) = d.id.split_once('@') else {
                continue;
            };
            for b in &d.because {
                let mut path = b.reference.split('/');
                let (Some(file), Some(question)) = (path.next(), path.next_back()) else {
                    continue;
                };
                let Some(q) = content
                    .questionnaire(file)
                    .and_then(|x| x.question(question))
                else {
                    continue;
                };
                let mut about: Vec<&str> = q.objects.iter().map(|o| o.as_str()).collect();
                for c in &q.capabilities {
                    about.push(c.as_str());
                    about.extend(c.authors().map(|o| o.as_str()));
                }
                assert!(
                    about.is_empty() || about.contains(&subject),
                    "{} gives {} as a reason; it asks about {about:?}",
                    d.id,
                    b.reference
                );
            }
        }
    }
}

/// A system being retired is not a holder to keep or choose between: a decision about a
/// capability names the running systems that hold it, as the overlap analysis counts them.
#[test]
fn a_retiring_system_is_not_named_as_a_holder_to_keep() {
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.toml");
    // The retiring storefront has its own site search too.
    let text = stackmap::demo::TEXT.replace(
        "capabilities = [\"order-capture\", \"promotions\",",
        "capabilities = [\"search\", \"order-capture\", \"promotions\",",
    );
    assert_ne!(text, stackmap::demo::TEXT, "the demo's retiring storefront");
    std::fs::write(&file, text).expect("write");
    let a = load_assessment(&file, &content).expect("loads");
    let profile = content
        .profile(&a.engagement.profile)
        .expect("profile exists");
    let e = engine::evaluate(&content, profile, &a, None);
    let d = e.decision("keep-one@search").expect("raised");
    assert!(!d.title.contains("Northwind Web"), "{}", d.title);
    assert!(
        d.title.ends_with("Algolia and Shopify Plus both hold it"),
        "{}",
        d.title
    );
    let overlap = e
        .findings
        .iter()
        .find(|f| f.id == "capability-overlap")
        .expect("raised");
    assert!(
        overlap
            .because
            .iter()
            .any(|b| &*b.text == "2 running systems hold search: Algolia, Shopify Plus."),
        "{:?}",
        overlap.because
    );
}

/// The decision about moving off an old system names the move first — the systems leaving
/// (status `retiring`, or TIME `eliminate`) and what takes over from them (the targets the
/// ownership map names for what they own, else a candidate holding their capabilities) — and
/// the objects it was raised for after it; JSON `about.moves` says the same by id.
#[test]
fn a_cutover_names_what_leaves_and_what_takes_over() {
    let corvid = evaluate("corvid-tools.toml");
    let d = corvid.decision("cutover-unproven").expect("raised");
    assert!(
        d.title.ends_with("— Sage X3 → SAP S/4HANA; inventory"),
        "{}",
        d.title
    );
    assert_eq!(d.about.moves.len(), 1, "{:?}", d.about);
    assert_eq!(d.about.moves[0].from, "sage");
    assert_eq!(d.about.moves[0].to, ["s4"]);
    assert_eq!(d.about.objects, ["inventory"], "objects stay subjects");

    let (_, demo) = evaluate_demo();
    let d = demo.decision("cutover-unproven").expect("raised");
    assert!(
        d.title
            .ends_with("— Northwind Web → Shopify Plus; customer, order and 2 more"),
        "{}",
        d.title
    );

    // The same facts said another way: the old ERP is to be eliminated (TIME) rather than
    // marked retiring, and the map names no target: the candidate holding its capabilities
    // takes over. Renamed, so nothing here rests on the case's names.
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    let text = std::fs::read_to_string("tests/judgement/corvid-tools.toml").expect("fixture");
    let text = text
        .replace("status = \"retiring\"", "time = \"eliminate\"")
        .replace("target = \"s4\"\n", "")
        .replace("name = \"Sage X3\"", "name = \"Old ERP\"")
        .replace("name = \"SAP S/4HANA\"", "name = \"New ERP\"");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("corvid.toml");
    std::fs::write(&file, text).expect("write");
    let a = load_assessment(&file, &content).expect("loads");
    let profile = content
        .profile(&a.engagement.profile)
        .expect("profile exists");
    let e = engine::evaluate(&content, profile, &a, None);
    let d = e.decision("cutover-unproven").expect("raised");
    assert!(d.title.contains("— Old ERP → New ERP"), "{}", d.title);
    // Decisions that are not about the move keep their titles' form.
    for d in e.decisions.iter().filter(|d| d.id != "cutover-unproven") {
        assert!(d.about.moves.is_empty(), "{}: {:?}", d.id, d.about.moves);
    }
}

/// A decision about one object names who is involved: the writers the map lists, or its owner
/// and the flows the decision was raised for, or that no owner is named and who writes it.
/// "One writer for return" alone named nobody.
#[test]
fn a_one_writer_decision_names_the_systems_or_flows_it_is_about() {
    let (_, demo) = evaluate_demo();
    let mut all = vec![("demo".to_string(), demo)];
    for file in ["alder-finch.toml", "corvid-tools.toml", "pebble-co.toml"] {
        all.push((file.to_string(), evaluate(file)));
    }
    let mut seen = 0;
    for (name, e) in &all {
        for d in e
            .decisions
            .iter()
            .filter(|d| d.id.starts_with("one-writer@"))
        {
            seen += 1;
            assert!(
                d.title.contains(": ") || d.title.contains(" — "),
                "{name}: `{}` names nobody: {}",
                d.id,
                d.title
            );
        }
    }
    assert!(seen >= 8, "only {seen} one-writer decisions looked at");
    let alder = evaluate("alder-finch.toml");
    let title = &alder.decision("one-writer@return").expect("raised").title;
    assert!(
        title.ends_with("no owner named; Tradebyte (Zalando connector) writes it"),
        "{title}"
    );
}
