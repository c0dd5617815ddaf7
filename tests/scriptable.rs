//! Every change the screens make, a script can make (`own`, `engagement`,
//! `answer --rest-unknown`), and the pre-read both ways (`questions`, then
//! `import --answers` on the filled-in spreadsheet), all through the built binary.

mod common;

use std::path::PathBuf;

use common::{load_text, lossy, run};
use stackmap::model::*;
use stackmap::vocab::*;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d =
            std::env::temp_dir().join(format!("stackmap-scriptable-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        Dir(d)
    }
    fn p(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
    fn home(&self) -> PathBuf {
        self.0.join("home")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary; panics with its output unless it exits `code`. Returns stdout, stderr.
fn ok(d: &Dir, args: &[&str], code: i32) -> (String, String) {
    let o = run(&d.home(), args);
    let (out, err) = (lossy(&o.stdout), lossy(&o.stderr));
    assert_eq!(
        o.status.code(),
        Some(code),
        "stackmap {args:?}\nstdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

fn load(path: &str) -> Assessment {
    load_text(&std::fs::read_to_string(path).expect("read")).expect("valid assessment")
}

fn answer<'a>(
    a: &'a Assessment,
    q: &str,
    subject: Option<&str>,
    question: &str,
) -> Option<&'a Answer> {
    a.answers
        .iter()
        .find(|x| x.questionnaire == q && x.subject.as_deref() == subject && x.question == question)
}

/// A new engagement with two systems (Shopify for the EU and US stores, NetSuite) and one
/// flow, made with `new` and `import` alone.
fn engagement(d: &Dir) -> String {
    let file = d.p("acme.toml");
    ok(
        d,
        &[
            "new",
            &file,
            "--client",
            "Acme",
            "--profile",
            "replatforming",
            "--assessor",
            "ana",
        ],
        0,
    );
    std::fs::write(
        d.p("systems.csv"),
        "name,category,scopes\nShopify,ecommerce,eu;us\nNetSuite,erp,\n",
    )
    .expect("write");
    std::fs::write(
        d.p("flows.csv"),
        "from,to,mechanism,objects\nShopify,NetSuite,api,order\n",
    )
    .expect("write");
    ok(
        d,
        &[
            "import",
            &file,
            "--systems",
            &d.p("systems.csv"),
            "--flows",
            &d.p("flows.csv"),
        ],
        0,
    );
    file
}

// ---------------------------------------------------------------------------------------
// Every change a script can make

#[test]
fn a_small_engagement_is_encoded_and_scored_through_the_command_line_alone() {
    let d = Dir::new("e2e");
    let file = engagement(&d);
    // Ownership, estate-wide and for one scope.
    ok(
        &d,
        &[
            "own",
            &file,
            "order",
            "--owner",
            "netsuite",
            "--writers",
            "shopify,netsuite",
            "--readers",
            "shopify",
        ],
        0,
    );
    ok(
        &d,
        &[
            "own", &file, "price", "--owner", "netsuite", "--target", "shopify",
        ],
        0,
    );
    ok(
        &d,
        &[
            "own",
            &file,
            "price",
            "--scope",
            "eu",
            "--owner",
            "shopify",
            "--writers",
            "shopify",
        ],
        0,
    );
    // The summary, a pain point and an initiative.
    ok(
        &d,
        &[
            "engagement",
            &file,
            "--summary",
            "Replatforming the EU store first.",
        ],
        0,
    );
    let (out, _) = ok(
        &d,
        &[
            "engagement",
            &file,
            "--pain-point",
            "Orders are lost when the ERP is down",
            "--about",
            "shopify-to-netsuite,netsuite,order",
        ],
        0,
    );
    assert!(
        out.contains("added pain point `orders-are-lost-when-the-erp-is-down`"),
        "{out}"
    );
    ok(
        &d,
        &[
            "engagement",
            &file,
            "--initiative",
            "Move to an outbox",
            "--about",
            "shopify",
        ],
        0,
    );
    // Answers, then the rest of two questionnaires unknown.
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--value",
            "p2p",
        ],
        0,
    );
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "p2p-count",
            "--value",
            "4",
        ],
        0,
    );
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "shopify-to-netsuite",
            "--question",
            "retries",
            "--value",
            "none",
        ],
        0,
    );
    let (out, _) = ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--rest-unknown",
        ],
        0,
    );
    assert!(out.contains("marked unknown in `coupling`"), "{out}");
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "shopify-to-netsuite",
            "--rest-unknown",
        ],
        0,
    );

    let a = load(&file);
    let own = &a.ownership[&DataObject::Order];
    assert_eq!(own.owner.as_deref(), Some("netsuite"));
    assert_eq!(own.writers, ["shopify", "netsuite"]);
    assert_eq!(own.readers, ["shopify"]);
    let price = &a.ownership[&DataObject::Price];
    assert_eq!(
        (price.owner.as_deref(), price.target.as_deref()),
        (Some("netsuite"), Some("shopify"))
    );
    assert_eq!(price.scopes["eu"].owner.as_deref(), Some("shopify"));
    assert_eq!(price.scopes["eu"].writers, ["shopify"]);
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains("[ownership.price.scope.eu]"), "{text}");
    assert_eq!(a.engagement.summary, "Replatforming the EU store first.");
    let pain = &a.engagement.pain_points[0];
    assert_eq!(pain.systems, ["netsuite"]);
    assert_eq!(pain.flows, ["shopify-to-netsuite"]);
    assert_eq!(pain.objects, [DataObject::Order]);
    assert_eq!(a.engagement.initiatives[0].systems, ["shopify"]);
    // The answers given stay; every other applicable one of the two is unknown.
    assert_eq!(
        answer(&a, "coupling", None, "topology").map(|x| &x.state),
        Some(&AnswerState::Value(Value::Choice("p2p".into())))
    );
    assert_eq!(
        answer(&a, "flow-contract", Some("shopify-to-netsuite"), "retries").map(|x| &x.state),
        Some(&AnswerState::Value(Value::Choice("none".into())))
    );
    let (json, _) = ok(&d, &["score", &file, "--format", "json", "--questions"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let mut seen = 0;
    for q in v["questions"].as_array().expect("questions") {
        let name = q["questionnaire"].as_str().unwrap_or_default();
        if (name == "coupling" || name == "flow-contract") && q["applicable"] == true {
            seen += 1;
            assert!(q["answered"] == true || q["unknown"] == true, "{q}");
        }
    }
    assert!(seen > 10, "{seen} questions checked");
    // It scores, and the pain point's flow carries a decision for it.
    let (out, _) = ok(&d, &["score", &file], 0);
    assert!(out.contains("Overall"), "{out}");
    ok(&d, &["check", &file], 0);
}

#[test]
fn rest_unknown_keeps_answers_and_open_notes_and_checks_its_subject() {
    let d = Dir::new("rest");
    let file = engagement(&d);
    // An open answer (a note, no value yet) comes in through a questions file.
    std::fs::write(
        d.p("note.csv"),
        "questionnaire,subject,question,answer,note\ncoupling,,shared-db,,Ask the DBA\n",
    )
    .expect("write");
    ok(&d, &["import", &file, "--answers", &d.p("note.csv")], 0);
    let a = load(&file);
    let open = answer(&a, "coupling", None, "shared-db").expect("open answer");
    assert_eq!(
        (&open.state, open.note.as_str()),
        (&AnswerState::Open, "Ask the DBA")
    );

    let before = std::fs::read(&file).expect("read");
    let (_, err) = ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--subject",
            "shopify",
            "--rest-unknown",
        ],
        2,
    );
    assert!(err.contains("leave out --subject"), "{err}");
    let (_, err) = ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "flow-contract",
            "--rest-unknown",
        ],
        2,
    );
    assert!(err.contains("--subject"), "{err}");
    let (_, err) = ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "nope",
            "--rest-unknown",
        ],
        2,
    );
    assert!(err.contains("not a flow"), "{err}");
    let o = run(
        &d.home(),
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--rest-unknown",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "--question and --rest-unknown conflict"
    );
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "refused: file unchanged"
    );

    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--rest-unknown",
            "--by",
            "bo",
        ],
        0,
    );
    let a = load(&file);
    let x = answer(&a, "coupling", None, "shared-db").expect("kept");
    assert_eq!(
        (&x.state, x.note.as_str(), x.by.as_str()),
        (&AnswerState::Unknown, "Ask the DBA", "bo")
    );
    // Again: nothing left to mark.
    let (out, _) = ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--rest-unknown",
        ],
        0,
    );
    assert!(out.contains("nothing to mark"), "{out}");
}

#[test]
fn own_and_engagement_refuse_what_the_file_could_not_hold() {
    let d = Dir::new("refuse");
    let file = engagement(&d);
    let before = std::fs::read(&file).expect("read");
    for (args, says) in [
        (
            vec!["own", &file, "widget", "--owner", "netsuite"],
            "not a data object",
        ),
        (
            vec!["own", &file, "order", "--owner", "sap"],
            "not a system",
        ),
        (
            vec!["own", &file, "order", "--writers", "shopify,sap"],
            "not a system",
        ),
        (
            vec![
                "own", &file, "order", "--scope", "apac", "--owner", "shopify",
            ],
            "no system serves",
        ),
        (vec!["own", &file, "order"], "nothing to change"),
        (
            vec!["engagement", &file, "--pain-point", "x", "--about", "nope"],
            "not a system, flow or data object",
        ),
        (
            vec!["engagement", &file, "--summary", "s", "--about", "shopify"],
            "--about",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(|s| &**s).collect();
        let (_, err) = ok(&d, &args, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "file unchanged"
    );
    // An empty value clears; an entry left empty leaves the map.
    ok(&d, &["own", &file, "order", "--owner", "netsuite"], 0);
    ok(&d, &["own", &file, "order", "--owner", "nobody"], 0);
    assert!(!load(&file).ownership.contains_key(&DataObject::Order));
    ok(&d, &["own", &file, "order", "--owner", "netsuite"], 0);
    ok(&d, &["own", &file, "order", "--owner", ""], 0);
    assert!(!load(&file).ownership.contains_key(&DataObject::Order));
}

// ---------------------------------------------------------------------------------------
// The pre-read

/// The questions file as the csv crate reads it: header and rows.
fn questions_csv(d: &Dir, file: &str, extra: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut args = vec!["questions", file, "--format", "csv"];
    args.extend_from_slice(extra);
    let (out, _) = ok(d, &args, 0);
    assert!(out.starts_with('\u{feff}'), "UTF-8 with a byte-order mark");
    assert!(out.contains("\r\n"), "CRLF");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("csv").iter().map(str::to_string).collect())
        .collect();
    let header = rows.remove(0);
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name}"))
}

/// Writes rows as a spreadsheet saves them: `;` between cells, every cell quoted where
/// needed, CRLF, and a byte-order mark (LibreOffice and Excel in many locales).
fn save_like_excel(path: &str, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).expect("write");
    for r in rows {
        w.write_record(r).expect("write");
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(w.into_inner().expect("bytes"));
    std::fs::write(path, bytes).expect("write");
}

fn row_of(
    header: &[String],
    rows: &[Vec<String>],
    q: &str,
    subject: &str,
    question: &str,
) -> usize {
    let (qc, sc, xc) = (
        col(header, "questionnaire"),
        col(header, "subject"),
        col(header, "question"),
    );
    rows.iter()
        .position(|r| r[qc] == q && r[sc] == subject && r[xc] == question)
        .unwrap_or_else(|| panic!("{q}/{subject}/{question} is asked"))
}

#[test]
fn questions_then_filled_csv_then_import_answers_round_trips() {
    let d = Dir::new("roundtrip");
    let file = engagement(&d);
    let (header, mut rows) = questions_csv(&d, &file, &[]);
    for name in [
        "questionnaire",
        "subject",
        "question",
        "prompt",
        "help",
        "options",
        "answer",
        "note",
        "confidence",
        "by",
    ] {
        col(&header, name);
    }
    assert_eq!(
        &header[..10],
        [
            "questionnaire",
            "subject",
            "question",
            "prompt",
            "help",
            "options",
            "answer",
            "note",
            "confidence",
            "by"
        ]
    );
    let (a_, n_, c_, b_) = (
        col(&header, "answer"),
        col(&header, "note"),
        col(&header, "confidence"),
        col(&header, "by"),
    );
    let flow = "shopify-to-netsuite";
    // An option by its label, by its id; several for a multi; a number with a decimal comma;
    // unknown; n/a; a note across lines with no answer; confidence and who answered.
    let i = row_of(&header, &rows, "coupling", "", "topology");
    rows[i][a_] = "Point-to-point scripts and connectors, no hub".into();
    rows[i][c_] = "Verified".into();
    rows[i][b_] = "Chris (IT)".into();
    let i = row_of(&header, &rows, "flow-contract", flow, "retries");
    rows[i][a_] = "none".into();
    let i = row_of(&header, &rows, "resilience", "", "recon-objects");
    rows[i][a_] = "orders; stock".into();
    let i = row_of(&header, &rows, "coupling", "", "p2p-count");
    rows[i][a_] = "4".into();
    let i = row_of(&header, &rows, "resilience", "", "time-to-detect");
    rows[i][a_] = "2,5".into();
    let i = row_of(&header, &rows, "coupling", "", "shared-db");
    rows[i][a_] = "Unknown".into();
    let i = row_of(&header, &rows, "coupling", "", "erp-batch");
    rows[i][a_] = "n/a".into();
    let i = row_of(&header, &rows, "coupling", "", "dual-writes");
    rows[i][n_] = "Ask the ERP team;\nthey know".into();
    let i = row_of(&header, &rows, "coupling", "", "most-critical-system");
    rows[i][a_] = "NetSuite".into();
    save_like_excel(&d.p("filled.csv"), &header, &rows);

    // A dry run says what would happen and writes nothing.
    let before = std::fs::read(&file).expect("read");
    let (out, _) = ok(
        &d,
        &[
            "import",
            &file,
            "--answers",
            &d.p("filled.csv"),
            "--dry-run",
        ],
        0,
    );
    assert!(out.contains("would record 9 answers"), "{out}");
    assert_eq!(std::fs::read(&file).expect("read"), before);

    let (out, _) = ok(&d, &["import", &file, "--answers", &d.p("filled.csv")], 0);
    assert!(out.contains("recorded 9 answers (9 new"), "{out}");
    let a = load(&file);
    let state = |q: &str, s: Option<&str>, x: &str| answer(&a, q, s, x).map(|x| x.state.clone());
    assert_eq!(
        state("coupling", None, "topology"),
        Some(AnswerState::Value(Value::Choice("p2p".into())))
    );
    let t = answer(&a, "coupling", None, "topology").expect("topology");
    assert_eq!(
        (t.confidence, t.by.as_str()),
        (Some(Confidence::Verified), "Chris (IT)")
    );
    assert_eq!(
        answer(&a, "flow-contract", Some(flow), "retries")
            .expect("retries")
            .by,
        "ana"
    );
    assert_eq!(
        state("resilience", None, "recon-objects"),
        Some(AnswerState::Value(Value::Choices(vec![
            "orders".into(),
            "stock".into()
        ])))
    );
    assert_eq!(
        state("coupling", None, "p2p-count"),
        Some(AnswerState::Value(Value::Number(4.0)))
    );
    assert_eq!(
        state("resilience", None, "time-to-detect"),
        Some(AnswerState::Value(Value::Number(2.5)))
    );
    assert_eq!(
        state("coupling", None, "shared-db"),
        Some(AnswerState::Unknown)
    );
    assert_eq!(
        state("coupling", None, "erp-batch"),
        Some(AnswerState::NotApplicable)
    );
    assert_eq!(
        state("coupling", None, "most-critical-system"),
        Some(AnswerState::Value(Value::System("netsuite".into())))
    );
    let open = answer(&a, "coupling", None, "dual-writes").expect("open");
    assert_eq!(
        (&open.state, open.note.as_str()),
        (&AnswerState::Open, "Ask the ERP team;\nthey know")
    );

    // The questions file now carries the answers; read back unchanged, it changes nothing.
    let (header2, rows2) = questions_csv(&d, &file, &[]);
    let i = row_of(&header2, &rows2, "coupling", "", "topology");
    assert_eq!(rows2[i][a_], "p2p");
    assert_eq!(rows2[i][c_], "verified");
    let i = row_of(&header2, &rows2, "coupling", "", "dual-writes");
    assert_eq!(
        (rows2[i][a_].as_str(), rows2[i][n_].as_str()),
        ("", "Ask the ERP team;\nthey know")
    );
    assert!(
        rows2.len() >= rows.len() - 1,
        "n/a stays listed where it was"
    );
    save_like_excel(&d.p("again.csv"), &header2, &rows2);
    let before = std::fs::read(&file).expect("read");
    let (out, err) = ok(&d, &["import", &file, "--answers", &d.p("again.csv")], 0);
    assert!(out.contains("recorded 0 answers"), "{out}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed, nothing written differently"
    );

    // Markdown for the meeting.
    let (md, _) = ok(&d, &["questions", &file, "--format", "md"], 0);
    assert!(md.starts_with("# Questions for Acme"), "{md}");
    assert!(
        md.contains("`coupling/topology`") && md.contains("Answer so far: **p2p**"),
        "{md}"
    );
    ok(
        &d,
        &[
            "questions",
            &file,
            "--format",
            "md",
            "-o",
            &d.p("pre-read.md"),
        ],
        0,
    );
    assert_eq!(
        std::fs::read_to_string(d.p("pre-read.md")).expect("written"),
        md
    );
    let (_, err) = ok(&d, &["questions", &file, "-o", &file], 2);
    assert!(err.contains("assessment itself"), "{err}");
}

#[test]
fn the_client_audience_leaves_out_private_notes() {
    let d = Dir::new("private");
    let file = engagement(&d);
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--value",
            "p2p",
            "--note",
            "The CTO disagrees",
            "--private",
        ],
        0,
    );
    let (client, _) = ok(&d, &["questions", &file], 0);
    assert!(!client.contains("The CTO disagrees"), "{client}");
    let (internal, _) = ok(&d, &["questions", &file, "--audience", "internal"], 0);
    assert!(internal.contains("The CTO disagrees"), "{internal}");
    let (md, _) = ok(&d, &["questions", &file, "--format", "md"], 0);
    assert!(!md.contains("The CTO disagrees"), "{md}");
    // The client's file read back keeps the private note (a blank cell says nothing).
    std::fs::write(d.p("client.csv"), &client).expect("write");
    ok(&d, &["import", &file, "--answers", &d.p("client.csv")], 0);
    let a = load(&file);
    let x = answer(&a, "coupling", None, "topology").expect("kept");
    assert_eq!((x.note.as_str(), x.private), ("The CTO disagrees", true));
}

#[test]
fn bad_rows_are_all_reported_where_they_are_and_nothing_is_applied() {
    let d = Dir::new("bad");
    let file = engagement(&d);
    let csv = "questionnaire,subject,question,answer,note,confidence\r\n\
               coupling,,topology,p2p,,\r\n\
               couplng,,topology,p2p,,\r\n\
               coupling,,topolgy,p2p,,\r\n\
               flow-contract,nope,retries,none,,\r\n\
               coupling,,shared-db,sometimes,,\r\n\
               coupling,,p2p-count,many,,\r\n\
               coupling,,erp-batch,n/a,,sure\r\n\
               \"coupling\",,\"dual-writes\",,\"a note\r\nacross lines\",\r\n\
               coupling,shopify,glue-code-owner,nobody,,\r\n\
               coupling,,topology,hub-bypassed,,\r\n";
    std::fs::write(d.p("bad.csv"), csv).expect("write");
    let before = std::fs::read(&file).expect("read");
    let (_, err) = ok(&d, &["import", &file, "--answers", &d.p("bad.csv")], 2);
    let bad = d.p("bad.csv");
    for (at, says) in [
        ("3:1", "unknown questionnaire `couplng`"),
        ("4:3", "has no question `topolgy`"),
        ("5:2", "`nope` is not a flow"),
        ("6:4", "no option `sometimes`"),
        ("6:4", "expected one of: writes"),
        ("7:4", "expected a number"),
        ("8:6", "expected verified, stated or assumed"),
        ("11:2", "expected an empty subject"),
        ("12:3", "answered again for this subject (first at line 2)"),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("{bad}:{at}: error:")) && l.contains(says))
            .unwrap_or_else(|| panic!("{at} {says} in:\n{err}"));
        assert!(!line.is_empty());
    }
    assert!(err.contains("nothing imported: 8 problems found"), "{err}");
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "file unchanged"
    );
}

#[test]
fn differing_answers_are_skipped_unless_overwrite() {
    let d = Dir::new("overwrite");
    let file = engagement(&d);
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--value",
            "p2p",
            "--note",
            "from the workshop",
        ],
        0,
    );
    ok(
        &d,
        &[
            "answer",
            &file,
            "--questionnaire",
            "coupling",
            "--question",
            "p2p-count",
            "--value",
            "4",
        ],
        0,
    );
    std::fs::write(
        d.p("client.csv"),
        "questionnaire;subject;question;answer;note\n\
         coupling;;topology;hub-bypassed;\n\
         coupling;;p2p-count;4;counted in March\n\
         coupling;;shared-db;reads;\n\
         coupling;;erp-batch;;\n",
    )
    .expect("write");
    let (out, err) = ok(&d, &["import", &file, "--answers", &d.p("client.csv")], 0);
    assert!(
        out.contains("1 new, 0 replaced, 1 completed") && out.contains("1 skipped, 1 blank"),
        "{out}"
    );
    assert!(
        err.contains(&format!(
            "{}:2: coupling/topology: answer differs: the file has p2p, the row says hub-bypassed",
            d.p("client.csv")
        )),
        "{err}"
    );
    assert!(err.contains("--overwrite"), "{err}");
    let a = load(&file);
    let t = answer(&a, "coupling", None, "topology").expect("kept");
    assert_eq!(t.state, AnswerState::Value(Value::Choice("p2p".into())));
    assert_eq!(
        answer(&a, "coupling", None, "p2p-count")
            .expect("noted")
            .note,
        "counted in March"
    );
    assert_eq!(
        answer(&a, "coupling", None, "shared-db").map(|x| x.state.clone()),
        Some(AnswerState::Value(Value::Choice("reads".into())))
    );
    assert!(
        answer(&a, "coupling", None, "erp-batch").is_none(),
        "a blank row changes nothing"
    );

    let (out, err) = ok(
        &d,
        &[
            "import",
            &file,
            "--answers",
            &d.p("client.csv"),
            "--overwrite",
        ],
        0,
    );
    assert!(out.contains("0 new, 1 replaced"), "{out}");
    assert!(err.is_empty(), "{err}");
    let a = load(&file);
    let t = answer(&a, "coupling", None, "topology").expect("replaced");
    assert_eq!(
        t.state,
        AnswerState::Value(Value::Choice("hub-bypassed".into()))
    );
    assert_eq!(
        t.note, "from the workshop",
        "a blank note cell keeps the note"
    );
    // --overwrite goes with --answers only.
    let o = run(
        &d.home(),
        &[
            "import",
            &file,
            "--systems",
            &d.p("systems.csv"),
            "--overwrite",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_questions_column_is_documented() {
    let docs = std::fs::read_to_string("docs/FORMATS.md").expect("docs");
    let section = docs
        .split("### 9.7 Answers (CSV)")
        .nth(1)
        .expect("docs/FORMATS.md documents the questions file");
    for c in stackmap::import::ANSWER_COLUMNS {
        assert!(
            section.contains(&format!("`{}`", c.name)),
            "{} undocumented",
            c.name
        );
        for alias in c.aliases {
            assert!(section.contains(alias), "alias {alias} undocumented");
        }
    }
    assert_eq!(
        stackmap::preread::COLUMNS,
        stackmap::import::ANSWER_COLUMNS
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
    );
}

#[test]
fn csv_problems_are_on_their_line_in_files_with_crlf_line_ends() {
    let d = Dir::new("crlf");
    let file = engagement(&d);
    std::fs::write(d.p("s.csv"), "name,category\r\nWarehouse app,zzz\r\n").expect("write");
    let (_, err) = ok(&d, &["import", &file, "--systems", &d.p("s.csv")], 2);
    assert!(
        err.contains(&format!("{}:2:2: error:", d.p("s.csv"))),
        "{err}"
    );
    // The questions go to a device as a stream, too.
    ok(&d, &["questions", &file, "-o", "/dev/null"], 0);
}
