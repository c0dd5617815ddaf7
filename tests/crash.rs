//! Crashes and concurrent writers: `stackmap answer` killed with SIGKILL at random moments
//! loses no acknowledged answer and leaves a file that loads; leftovers of an interrupted save
//! are cleaned at the next start; many `answer` processes racing on one file each land or are
//! refused, never silently lost.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::lcg::Lcg;
use common::{content, lossy, run, stackmap};

const QUESTIONS: &[&str] = &[
    "change-detection",
    "single-writer",
    "schema",
    "api-version",
    "rate-limit-headroom",
    "idempotent-create",
    "retries",
    "dead-letter",
    "ordering",
    "reconciliation",
    "alerting",
    "runbook",
    "confidence-in-owner",
];
const FLOWS: &[&str] = &["orders-to-erp", "stock-to-shop"];

fn setup() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("northwind.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    (home, file)
}

/// The `n`-th of the 26 answer slots (flow × question).
fn slot(n: usize) -> (&'static str, &'static str) {
    (
        FLOWS[n % FLOWS.len()],
        QUESTIONS[(n / FLOWS.len()) % QUESTIONS.len()],
    )
}

fn answer_cmd(
    home: &Path,
    file: &Path,
    (flow, question): (&str, &str),
    note: &str,
) -> std::process::Command {
    let mut c = stackmap(home);
    c.args([
        "answer",
        file.to_str().expect("utf-8"),
        "--questionnaire",
        "flow-contract",
        "--subject",
        flow,
        "--question",
        question,
        "--unknown",
        "--note",
        note,
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    c
}

/// The temporary files an interrupted save of `file` can leave: `.NAME.XXXXXX`.
fn leftovers(file: &Path) -> Vec<String> {
    let name = file
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let prefix = format!(".{name}.");
    let mut found: Vec<String> = std::fs::read_dir(file.parent().expect("dir"))
        .expect("read dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.strip_prefix(&prefix)
                .is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_alphanumeric()))
        })
        .collect();
    found.sort();
    found
}

/// The note of each slot's answer in the file, loaded the way every command loads it.
fn notes(file: &Path) -> BTreeMap<(String, String), String> {
    let a = stackmap::workspace::load_assessment(file, content())
        .unwrap_or_else(|e| panic!("the file no longer loads: {e}"));
    a.answers
        .into_iter()
        .filter(|x| x.questionnaire == "flow-contract")
        .filter_map(|x| Some(((x.subject?, x.question), x.note)))
        .collect()
}

#[test]
fn answers_killed_at_random_moments_lose_nothing_acknowledged() {
    let (home, file) = setup();
    let mut rng = Lcg(0x5eed_0010);
    // Per slot: the note the file must hold (the last acknowledged one, or the fixture's when
    // none was), and the notes of attempts killed since (a kill after the rename but before
    // the exit is a save that landed without being acknowledged).
    let mut base: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    let mut pending: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let (mut kills, mut acked, mut cleaned, mut attempt) = (0, 0, 0, 0);
    // How long one answer takes here, start to exit: kills are spread over all of it, so they
    // land in the start-up, the load, the write and the rename alike.
    let mut times: Vec<u128> = (0..5)
        .map(|i| {
            let t = Instant::now();
            let out = answer_cmd(home.path(), &file, slot(i), "calibration")
                .output()
                .expect("runs");
            assert!(out.status.success(), "{}", lossy(&out.stderr));
            t.elapsed().as_micros()
        })
        .collect();
    times.sort_unstable();
    // The fastest run: under load (the rest of the suite) answers only get slower, and kills
    // then land earlier, never later than the save.
    let span = (times[0] * 11 / 10) as usize;
    let initial = notes(&file);
    let started = Instant::now();
    while kills < 200 {
        assert!(
            attempt < 2000,
            "too few kills landed: {kills} in {attempt} attempts"
        );
        let (flow, question) = slot(rng.below(FLOWS.len() * QUESTIONS.len()));
        let note = format!("attempt {attempt}");
        attempt += 1;
        let key = (flow.to_string(), question.to_string());
        base.entry(key.clone())
            .or_insert_with(|| initial.get(&key).cloned());
        let mut child = answer_cmd(home.path(), &file, (flow, question), &note)
            .spawn()
            .expect("spawns");
        // Kill most attempts somewhere between start and exit; let one in five finish.
        if !rng.chance(20) {
            std::thread::sleep(Duration::from_micros(rng.below(span) as u64));
            if child.try_wait().expect("try_wait").is_none() {
                let _ = child.kill(); // SIGKILL
            }
        }
        let status = child.wait().expect("waits");
        if status.success() {
            // Acknowledged: the file must hold this note until a later attempt replaces it.
            acked += 1;
            base.insert(key.clone(), Some(note));
            pending.remove(&key);
            assert!(
                leftovers(&file).is_empty(),
                "a finished answer left temporary files: {:?}",
                leftovers(&file)
            );
        } else if status.signal() == Some(libc::SIGKILL) {
            kills += 1;
            pending.entry(key.clone()).or_default().push(note);
            cleaned += leftovers(&file).len();
        } else {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            panic!("attempt {attempt} failed without a kill: {status:?}: {err}");
        }
        // After every step the file loads and holds every acknowledged answer.
        let now = notes(&file);
        for (k, must) in &base {
            let held = now.get(k);
            let ok = held == must.as_ref()
                || held.is_some_and(|n| pending.get(k).is_some_and(|p| p.contains(n)));
            assert!(
                ok,
                "slot {k:?} holds {held:?}; acknowledged {must:?}, killed since {:?}",
                pending.get(k)
            );
        }
    }
    // The next start cleans what the last kill may have left.
    let out = answer_cmd(home.path(), &file, slot(0), "final")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(leftovers(&file).is_empty(), "{:?}", leftovers(&file));
    assert_eq!(
        run(home.path(), &["check", file.to_str().expect("utf-8")])
            .status
            .code(),
        Some(0)
    );
    eprintln!(
        "crash: {kills} kills survived, {acked} acknowledged answers all kept, \
         {cleaned} leftover temporary files found after kills and cleaned; one answer takes \
         {} ms, kills spread over {} ms; {:.1}s",
        times[0] / 1000,
        span / 1000,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn the_next_start_removes_only_this_files_leftovers() {
    let (home, file) = setup();
    let dir = home.path();
    let stale = [".northwind.toml.a1B2c3", ".northwind.toml.ZZZZZZ"];
    let kept = [
        ".northwind.toml.lock",    // the sidecar lock
        ".northwind.toml.abc",     // not six characters
        ".northwind.toml.abc-12",  // not alphanumeric
        ".other.toml.a1B2c3",      // another file's
        "northwind.toml.a1B2c3",   // not hidden
        ".northwind.toml.a1B2c3d", // seven
    ];
    for n in stale.iter().chain(&kept) {
        std::fs::write(dir.join(n), "half a save").expect("write");
    }
    // A directory and a symlink of the pattern are not regular files: left alone.
    std::fs::create_dir(dir.join(".northwind.toml.dir123")).expect("mkdir");
    std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join(".northwind.toml.link12"))
        .expect("symlink");
    let out = answer_cmd(dir, &file, slot(0), "x").output().expect("runs");
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    for n in stale {
        assert!(!dir.join(n).exists(), "{n} was not cleaned");
    }
    for n in kept {
        assert!(dir.join(n).exists(), "{n} was removed");
    }
    assert!(dir.join(".northwind.toml.dir123").is_dir());
    assert!(
        dir.join(".northwind.toml.link12")
            .symlink_metadata()
            .is_ok()
    );
    // A command that only reads does not clean: it takes no lock.
    std::fs::write(dir.join(stale[0]), "x").expect("write");
    run(dir, &["score", file.to_str().expect("utf-8")]);
    assert!(dir.join(stale[0]).exists());
}

#[test]
fn many_racing_answers_each_land_or_are_refused_never_lost() {
    let (home, file) = setup();
    let n = FLOWS.len() * QUESTIONS.len();
    let children: Vec<_> = (0..n)
        .map(|i| {
            let note = format!("racer {i}");
            let c = answer_cmd(home.path(), &file, slot(i), &note)
                .spawn()
                .expect("spawns");
            (slot(i), note, c)
        })
        .collect();
    let mut landed = 0;
    let mut refused = 0;
    let mut results = Vec::new();
    for ((flow, question), note, c) in children {
        let out = c.wait_with_output().expect("exits");
        results.push(((flow, question), note, out));
    }
    let now = notes(&file);
    for ((flow, question), note, out) in results {
        let held = now.get(&(flow.to_string(), question.to_string()));
        if out.status.success() {
            landed += 1;
            assert_eq!(
                held,
                Some(&note),
                "{flow}/{question}: exited 0 but was lost"
            );
        } else {
            // Refused, and said so; the file is then not required to hold it.
            refused += 1;
            assert_eq!(out.status.code(), Some(2));
            assert!(
                lossy(&out.stderr).contains("another process holds it"),
                "{}",
                lossy(&out.stderr)
            );
        }
    }
    eprintln!("race: {n} concurrent answers, {landed} landed, {refused} refused");
    assert!(landed > 0);
}
