//! The content in force: questionnaires and profiles from the binary, the user's config dir
//! and `--questionnaires` / `--profiles` directories, with later sources overriding earlier
//! ones by id, and the checks that need all of it at once.
//!
//! Layers, lowest first: embedded → config dir → directories named on the command line →
//! files named to `check`. A file in a higher layer with the same id replaces the lower one
//! (`stackmap list` shows which is in force); two files with one id in the same layer are an
//! error, since neither can sensibly win.
//!
//! Content-wide checks: finding ids unique across all files, every `raises`, `depends_on`,
//! boost and cross-questionnaire `show_if` resolves, no cycle in `depends_on`, profiles name
//! existing questionnaires, sections and questions, and every finding the engine's built-in
//! analyses raise is defined.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Pos, Sink, error_at, hint, hint_or, warning_at};
use crate::load::{self, Parsed};
use crate::model::*;
use crate::validate::condition::answer_refs;
use crate::validate::questionnaire::test_fits;
use crate::validate::{profile, questionnaire};
use crate::vocab::{FileKind, Scope};

/// Findings the engine's inventory analyses raise without any question being asked. Their
/// wording lives in content (`questionnaires/inventory-analyses.toml`) so it can be edited;
/// their ids are fixed here because the engine raises them by id.
pub const BUILTIN_FINDINGS: &[&str] = &[
    "no-source-of-truth",
    "several-writers",
    "owner-retiring",
    "ownership-move",
    "write-into-source-of-truth",
    "capability-overlap",
    "point-to-point-sprawl",
    "flow-hotspot",
    "flow-cycle",
    "sync-checkout-chain",
    "flow-missing-source",
    "flow-missing-contract",
    "flow-missing-failure",
    "flow-missing-owner",
    "flow-missing-operating-owner",
    "unknown-important-answer",
    "writers-beside-owner",
    "marketplace-double-sync",
    "respondents-disagree",
];

/// Where to look when a name is not close to any known one.
pub const LIST_FINDINGS: &str = "`stackmap list findings` shows the findings in force";
pub const LIST_QUESTIONNAIRES: &str =
    "`stackmap list questionnaires` shows the questionnaires in force";
pub const LIST_PROFILES: &str = "`stackmap list profiles` shows the profiles in force";

static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// One content file's text and where it came from.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub source: Source,
    pub text: String,
    /// Precedence: higher layers override lower ones.
    pub layer: u8,
    /// The kind a file must be, when it comes from a directory of one kind.
    pub expect: Option<FileKind>,
}

/// The shipped questionnaires and profiles.
pub fn embedded() -> Vec<ContentFile> {
    EMBEDDED
        .iter()
        .map(|(path, text)| ContentFile {
            source: Source::Embedded((*path).to_string()),
            text: (*text).to_string(),
            layer: 0,
            expect: None,
        })
        .collect()
}

/// Reads every `*.toml` file in `dir` (not recursive), sorted by name. A missing directory
/// is not an error for the config dir, so the caller decides (`must_exist`).
pub fn read_dir(
    dir: &Path,
    layer: u8,
    expect: FileKind,
    must_exist: bool,
) -> Result<Vec<ContentFile>, Diagnostic> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(error_at(
                &dir.display().to_string(),
                Pos::START,
                None,
                format!("cannot read the directory: {e}"),
            ));
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| read_file(&p, layer, Some(expect)))
        .collect()
}

/// Reads one file as content of the given layer.
pub fn read_file(
    path: &Path,
    layer: u8,
    expect: Option<FileKind>,
) -> Result<ContentFile, Diagnostic> {
    let shown = path.display().to_string();
    let text = read_text(path)?;
    Ok(ContentFile {
        source: Source::File(shown),
        text,
        layer,
        expect,
    })
}

/// Reads a file as UTF-8 text, with a diagnostic a user can act on when it cannot be.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    read_checked(path, false)
}

/// `read_text` for a CSV file: when it is not UTF-8 (a spreadsheet saved as Latin-1 or
/// Windows-1252), the message names the line, the column's header and the cell, and how to
/// save or convert the file.
pub fn read_csv_text(path: &Path) -> Result<String, Diagnostic> {
    read_checked(path, true)
}

fn read_checked(path: &Path, csv: bool) -> Result<String, Diagnostic> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        error_at(
            &shown,
            Pos::START,
            None,
            format!("cannot read the file: {e}"),
        )
    })?;
    if meta.is_dir() {
        return Err(error_at(
            &shown,
            Pos::START,
            None,
            "is a directory, expected a .toml file",
        ));
    }
    let too_large = |len: u64| {
        error_at(
            &shown,
            Pos::START,
            None,
            format!(
                "file is {} bytes, over the limit of {} bytes",
                len,
                load::MAX_FILE_BYTES
            ),
        )
    };
    if meta.len() > load::MAX_FILE_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let cannot = |e: std::io::Error| {
        error_at(
            &shown,
            Pos::START,
            None,
            format!("cannot read the file: {e}"),
        )
    };
    // Read at most one byte over the limit: a device or pipe (`/dev/zero`, a FIFO) reports no
    // size and would otherwise be read until memory runs out.
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        std::fs::File::open(path)
            .map_err(cannot)?
            .take(load::MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    }
    if bytes.len() > load::MAX_FILE_BYTES {
        return Err(error_at(
            &shown,
            Pos::START,
            None,
            format!(
                "file is over the limit of {} bytes (it has no fixed size: a device or a pipe?)",
                load::MAX_FILE_BYTES
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let pos = crate::diag::SourceText::new(&shown, &text).pos(offset);
        let message = if csv {
            csv_not_utf8(e.as_bytes(), offset, &shown)
        } else {
            "the file is not valid UTF-8; save it as UTF-8".to_string()
        };
        error_at(&shown, pos, None, message)
    })
}

/// The message for a CSV file with a byte that is not UTF-8 at `offset`: which byte, in which
/// column (by its header) and cell, and what to do.
fn csv_not_utf8(bytes: &[u8], offset: usize, shown: &str) -> String {
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let text = String::from_utf8_lossy(bytes);
    let header = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let delimiter = if header.contains(',') {
        ','
    } else if header.contains(';') {
        ';'
    } else if header.contains('\t') {
        '\t'
    } else {
        ','
    };
    // The cells of a line, split at delimiters outside quotes (enough to name one cell).
    let cells = |line: &str| -> Vec<String> {
        let mut out = vec![String::new()];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                c if c == delimiter && !quoted => out.push(String::new()),
                c => out.last_mut().map_or((), |s| s.push(c)),
            }
        }
        out.into_iter().map(|s| s.trim().to_string()).collect()
    };
    // The line holding the byte, and how many cells of it come before the byte.
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = cells(&before[line_start..]).len() - 1;
    let line_text: &str = {
        let from = &text[text.len().min(line_start)..];
        from.lines().next().unwrap_or("")
    };
    let cell = cells(line_text).get(column).cloned().unwrap_or_default();
    let head = cells(header).get(column).cloned().unwrap_or_default();
    let column_name = if head.is_empty() {
        format!("column {}", column + 1)
    } else {
        format!("column `{head}`")
    };
    format!(
        "the file is not UTF-8: byte 0x{byte:02X} in {column_name}, cell `{cell}`, is not UTF-8 \
         (the file looks saved as Latin-1 or Windows-1252); save it from the spreadsheet as \
         \"CSV UTF-8\", or convert it with `iconv -f WINDOWS-1252 -t UTF-8 {shown} > converted.csv`, \
         and import that"
    )
}

/// Questionnaires and profiles in force, validated together.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub questionnaires: Vec<Questionnaire>,
    pub profiles: Vec<Profile>,
    /// (kind, id, the source that lost) for every overridden file.
    pub overridden: Vec<(FileKind, String, Source)>,
    finding_index: HashMap<String, (usize, usize)>,
    /// Profiles combined for engagements that name several (`a+b`), made once per combination
    /// and kept for the life of the process (a few hundred bytes each).
    combined: std::sync::Arc<std::sync::Mutex<HashMap<String, &'static Profile>>>,
}

impl Content {
    pub fn questionnaire(&self, id: &str) -> Option<&Questionnaire> {
        self.questionnaires.iter().find(|q| q.id == id)
    }

    /// A profile by id; for several ids joined by `+` (an engagement that is two scenarios at
    /// once), their combination ([`Content::combine`]).
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        if let Some(p) = self.profiles.iter().find(|p| p.id == id) {
            return Some(p);
        }
        if !id.contains(PROFILE_JOIN) {
            return None;
        }
        let mut cache = self.combined.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = cache.get(id) {
            return Some(*p);
        }
        let ids: Vec<&str> = id.split(PROFILE_JOIN).collect();
        let p: &'static Profile = Box::leak(Box::new(self.combine(&ids)?));
        cache.insert(id.to_string(), p);
        Some(p)
    }

    /// Several profiles asked as one (FORMATS.md §3.1): their questions are the union; per
    /// dimension the largest weight, per finding the largest boost; the smallest `slice_budget`
    /// and the largest `min_coverage`; every scenario of each. `None` if an id is not in force.
    pub fn combine(&self, ids: &[&str]) -> Option<Profile> {
        let parts: Vec<&Profile> = ids
            .iter()
            .map(|id| self.profiles.iter().find(|p| p.id == *id))
            .collect::<Option<_>>()?;
        let first = *parts.first()?;
        let mut out = Profile {
            id: join_profiles(ids),
            id_pos: first.id_pos,
            title: parts
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
            description: parts
                .iter()
                .map(|p| p.description.trim())
                .collect::<Vec<_>>()
                .join("\n\n"),
            scenarios: Vec::new(),
            questionnaires: Vec::new(),
            weights: BTreeMap::new(),
            boosts: Vec::new(),
            slice_budget: parts.iter().map(|p| p.slice_budget).min()?,
            min_coverage: parts.iter().map(|p| p.min_coverage).fold(0.0, f64::max),
            source: first.source.clone(),
        };
        for p in &parts {
            for s in &p.scenarios {
                if !out.scenarios.contains(s) {
                    out.scenarios.push(*s);
                }
            }
            for (r, b) in &p.boosts {
                match out.boosts.iter_mut().find(|(x, _)| x.id == r.id) {
                    Some((_, old)) => *old = old.max(*b),
                    None => out.boosts.push((r.clone(), *b)),
                }
            }
        }
        // A dimension one scenario weighs heavily stays heavy; unlisted dimensions weigh 1.
        for d in crate::vocab::Dimension::ALL {
            let w = parts.iter().map(|p| p.weight(*d)).fold(f64::MIN, f64::max);
            if parts.iter().any(|p| p.weights.contains_key(d)) {
                out.weights.insert(*d, w);
            }
        }
        // Questionnaires in the order the first profile asks them, then the others' new ones.
        for p in &parts {
            for inc in &p.questionnaires {
                if out.questionnaires.iter().any(|i| i.id.id == inc.id.id) {
                    continue;
                }
                let all: Vec<&Include> = parts
                    .iter()
                    .filter_map(|p| p.includes(&inc.id.id))
                    .collect();
                out.questionnaires.push(self.union(&all));
            }
        }
        Some(out)
    }

    /// One include asking every question any of `incs` asks of one questionnaire.
    fn union(&self, incs: &[&Include]) -> Include {
        let base = incs[0];
        let whole = |i: &Include| i.sections.is_empty() && i.questions.is_empty();
        if incs.iter().any(|i| whole(i)) {
            return Include {
                id: base.id.clone(),
                sections: Vec::new(),
                questions: Vec::new(),
            };
        }
        let Some(q) = self.questionnaire(&base.id.id) else {
            return base.clone();
        };
        if incs.iter().all(|i| i.questions.is_empty()) {
            // Sections only: the union of the sections, in the questionnaire's order.
            let sections = q
                .sections
                .iter()
                .filter_map(|s| {
                    incs.iter()
                        .flat_map(|i| i.sections.iter())
                        .find(|r| r.id == s.id)
                        .cloned()
                })
                .collect();
            return Include {
                id: base.id.clone(),
                sections,
                questions: Vec::new(),
            };
        }
        // Some name questions: every question any of them asks, in the questionnaire's order.
        let asks = |i: &Include, s: &str, x: &str| {
            if i.questions.is_empty() {
                i.sections.iter().any(|r| r.id == s)
            } else {
                i.questions.iter().any(|r| r.id == x)
            }
        };
        let questions = q
            .questions()
            .filter(|(s, x)| incs.iter().any(|i| asks(i, &s.id, &x.id)))
            .map(|(_, x)| Ref {
                id: x.id.clone(),
                pos: base.id.pos,
            })
            .collect();
        Include {
            id: base.id.clone(),
            sections: Vec::new(),
            questions,
        }
    }

    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.finding_index
            .get(id)
            .map(|&(q, f)| &self.questionnaires[q].findings[f])
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.questionnaires.iter().flat_map(|q| q.findings.iter())
    }

    /// Every decision id the engine can produce: each finding's decision group.
    pub fn decision_ids(&self) -> BTreeSet<&str> {
        self.findings().map(Finding::decision_id).collect()
    }

    /// Builds the content in force from files of any layer, reporting every problem. Files of
    /// a kind other than questionnaire or profile are reported and skipped.
    pub fn build(files: &[ContentFile]) -> (Content, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        // (id) → (layer, index into the kept list)
        let mut qs: BTreeMap<String, (u8, Questionnaire)> = BTreeMap::new();
        let mut ps: BTreeMap<String, (u8, Profile)> = BTreeMap::new();
        let mut overridden = Vec::new();
        for file in files {
            let mut sink = Sink::new(file.source.path(), &file.text);
            match load::parse(&file.text, file.expect, &mut sink) {
                Some(Parsed::Questionnaire(raw)) => {
                    if let Some(q) =
                        questionnaire::questionnaire(&raw, file.source.clone(), &mut sink)
                    {
                        place(
                            &mut qs,
                            q.id.clone(),
                            q.id_pos,
                            file,
                            q,
                            FileKind::Questionnaire,
                            &mut overridden,
                            &mut sink,
                            |q| &q.source,
                        );
                    }
                }
                Some(Parsed::Profile(raw)) => {
                    if let Some(p) = profile::profile(&raw, file.source.clone(), &mut sink) {
                        place(
                            &mut ps,
                            p.id.clone(),
                            p.id_pos,
                            file,
                            p,
                            FileKind::Profile,
                            &mut overridden,
                            &mut sink,
                            |p| &p.source,
                        );
                    }
                }
                Some(other) => sink.error_at(
                    Pos::START,
                    format!(
                        "expected a questionnaire or profile here, found kind `{}`",
                        other.kind()
                    ),
                    None,
                ),
                None => {}
            }
            diags.extend(sink.diagnostics);
        }
        let mut content = Content {
            questionnaires: qs.into_values().map(|(_, q)| q).collect(),
            profiles: ps.into_values().map(|(_, p)| p).collect(),
            overridden,
            finding_index: HashMap::new(),
            combined: Default::default(),
        };
        content.cross_check(&mut diags);
        (content, diags)
    }

    fn cross_check(&mut self, diags: &mut Vec<Diagnostic>) {
        // Finding ids, unique across every questionnaire.
        let mut index: HashMap<String, (usize, usize)> = HashMap::new();
        for (qi, q) in self.questionnaires.iter().enumerate() {
            for (fi, f) in q.findings.iter().enumerate() {
                if let Some(&(oq, _)) = index.get(&f.id) {
                    diags.push(error_at(
                        q.source.path(),
                        f.pos,
                        Some(&f.id),
                        format!(
                            "duplicate finding id `{}`: {} defines it too (finding ids are unique across all questionnaires)",
                            f.id,
                            self.questionnaires[oq].source.path()
                        ),
                    ));
                } else {
                    index.insert(f.id.clone(), (qi, fi));
                }
            }
        }
        let finding_ids: Vec<&str> = index.keys().map(String::as_str).collect();
        let check_finding = |diags: &mut Vec<Diagnostic>, path: &str, r: &Ref, what: &str| {
            if !index.contains_key(&r.id) {
                diags.push(error_at(
                    path,
                    r.pos,
                    Some(&r.id),
                    format!(
                        "{what} unknown finding `{}`{}",
                        r.id,
                        hint_or(&r.id, finding_ids.iter().copied(), LIST_FINDINGS)
                    ),
                ));
            }
        };
        for q in &self.questionnaires {
            let path = q.source.path();
            for (_, question) in q.questions() {
                for o in &question.options {
                    for r in &o.raises {
                        check_finding(diags, path, r, "`raises` names");
                    }
                }
                for t in &question.thresholds {
                    for r in &t.raises {
                        check_finding(diags, path, r, "`raises` names");
                    }
                }
            }
            for rule in &q.rules {
                for r in &rule.raises {
                    check_finding(diags, path, r, "`raises` names");
                }
            }
            for f in &q.findings {
                for r in &f.depends_on {
                    check_finding(diags, path, r, "`depends_on` names");
                }
            }
            // One remedy, one decision: findings raised together (by one option, threshold or
            // rule) that land in different decisions of the same lane need a reason (`apart`).
            let mut together: Vec<&[Ref]> = Vec::new();
            for (_, question) in q.questions() {
                together.extend(question.options.iter().map(|o| o.raises.as_slice()));
                together.extend(question.thresholds.iter().map(|t| t.raises.as_slice()));
            }
            together.extend(q.rules.iter().map(|r| r.raises.as_slice()));
            let lookup = |id: &str| {
                index
                    .get(id)
                    .map(|&(qi, fi)| &self.questionnaires[qi].findings[fi])
            };
            for raises in together {
                for (i, a) in raises.iter().enumerate() {
                    for b in &raises[i + 1..] {
                        let (Some(fa), Some(fb)) = (lookup(&a.id), lookup(&b.id)) else {
                            continue;
                        };
                        if fa.horizon == fb.horizon
                            && fa.decision_id() != fb.decision_id()
                            && fa.apart.trim().is_empty()
                            && fb.apart.trim().is_empty()
                        {
                            diags.push(warning_at(
                                path,
                                b.pos,
                                Some(&b.id),
                                format!(
                                    "`{}` and `{}` are raised together and both are {} but belong to different decisions (`{}`, `{}`): give them one `decision`, or say in `apart` why their remedies differ",
                                    fa.id,
                                    fb.id,
                                    fa.horizon,
                                    fa.decision_id(),
                                    fb.decision_id()
                                ),
                            ));
                        }
                    }
                }
            }
            // Conditions that read another questionnaire's answers.
            let mut conds: Vec<&Condition> = Vec::new();
            for s in &q.sections {
                conds.extend(s.show_if.iter());
                conds.extend(s.questions.iter().filter_map(|x| x.show_if.as_ref()));
            }
            conds.extend(q.rules.iter().map(|r| &r.when));
            for c in conds {
                let mut refs = Vec::new();
                answer_refs(c, &mut refs);
                for (other, question, test) in refs {
                    // References to this questionnaire itself were checked with the file.
                    let Some(other) = other.as_ref().filter(|o| o.id != q.id) else {
                        continue;
                    };
                    self.check_foreign_ref(diags, q, other, question, test);
                }
            }
        }
        for id in BUILTIN_FINDINGS {
            if !index.contains_key(*id) {
                diags.push(error_at(
                    "content",
                    Pos::START,
                    Some(id),
                    format!(
                        "built-in finding `{id}` is not defined: the engine's inventory analyses raise it; \
                         keep it in questionnaires/inventory-analyses.toml or in your override of that file"
                    ),
                ));
            }
        }
        self.finding_index = index;
        self.check_dependency_cycles(diags);
        self.check_condition_cycles(diags);
        for p in &self.profiles {
            self.check_profile(diags, p);
        }
        self.check_moved(diags);
        for pair in crate::validate::similar::pairs(&self.questionnaires) {
            let ((qa, a), (qb, b)) = (pair.a, pair.b);
            diags.push(warning_at(
                qa.source.path(),
                a.pos,
                Some(&a.id),
                format!(
                    "`{}/{}` and `{}/{}` ask for the same fact ({}): keep one home and move the other \
                     with a [[moved]] entry, or name the other in `distinct_from` if they differ",
                    qa.id, a.id, qb.id, b.id, pair.reason
                ),
            ));
        }
    }

    /// `[[moved]]` entries point at a question in force, in a scope an old answer can reach,
    /// and map options onto the home's options.
    fn check_moved(&self, diags: &mut Vec<Diagnostic>) {
        for q in &self.questionnaires {
            let path = q.source.path();
            for m in &q.moved {
                let (hq, hx) = (&m.to.0, &m.to.1);
                let Some(home) = self.questionnaire(hq) else {
                    diags.push(error_at(
                        path,
                        m.to_pos,
                        Some(hq),
                        format!(
                            "`{}` moved to unknown questionnaire `{hq}`{}",
                            m.question,
                            hint_or(
                                hq,
                                self.questionnaires.iter().map(|q| q.id.as_str()),
                                LIST_QUESTIONNAIRES
                            )
                        ),
                    ));
                    continue;
                };
                let Some(target) = home.question(hx) else {
                    diags.push(error_at(
                        path,
                        m.to_pos,
                        Some(hx),
                        format!(
                            "`{}` moved to `{hq}/{hx}`, but `{hq}` has no question `{hx}`{}",
                            m.question,
                            hint(hx, home.index.keys().map(String::as_str))
                        ),
                    ));
                    continue;
                };
                if home.scope != Scope::Engagement && home.scope != q.scope {
                    diags.push(error_at(
                        path,
                        m.to_pos,
                        None,
                        format!(
                            "`{}` is asked per {} here and cannot move to `{hq}/{hx}`, asked per {}: \
                             a question moves to one asked per engagement or in the same scope",
                            m.question, q.scope, home.scope
                        ),
                    ));
                }
                for (old, new) in &m.options {
                    if target.option(new).is_none() {
                        diags.push(error_at(
                            path,
                            m.to_pos,
                            Some(new),
                            format!(
                                "`{}`'s option `{old}` maps to `{new}`, which `{hq}/{hx}` does not offer{}",
                                m.question,
                                hint(new, target.options.iter().map(|o| o.id.as_str()))
                            ),
                        ));
                    }
                }
            }
        }
    }

    fn check_foreign_ref(
        &self,
        diags: &mut Vec<Diagnostic>,
        from: &Questionnaire,
        other: &Ref,
        question: &Ref,
        test: &AnswerTest,
    ) {
        let path = from.source.path();
        let Some(target) = self.questionnaire(&other.id) else {
            diags.push(error_at(
                path,
                other.pos,
                Some(&other.id),
                format!(
                    "condition names unknown questionnaire `{}`{}",
                    other.id,
                    hint_or(
                        &other.id,
                        self.questionnaires.iter().map(|q| q.id.as_str()),
                        LIST_QUESTIONNAIRES
                    )
                ),
            ));
            return;
        };
        if target.scope != Scope::Engagement && target.scope != from.scope {
            diags.push(error_at(
                path,
                other.pos,
                Some(&other.id),
                format!(
                    "{} {}-scope questionnaire cannot read answers of `{}`, which is asked per {}",
                    if from.scope == Scope::Engagement {
                        "an"
                    } else {
                        "a"
                    },
                    from.scope,
                    target.id,
                    target.scope
                ),
            ));
            return;
        }
        let Some(q) = target.question(&question.id) else {
            diags.push(error_at(
                path,
                question.pos,
                Some(&question.id),
                format!(
                    "`{}` has no question `{}`{}",
                    target.id,
                    question.id,
                    hint(&question.id, target.index.keys().map(String::as_str))
                ),
            ));
            return;
        };
        let options: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
        if let Err(msg) = test_fits(&q.id, q.kind, &options, test) {
            diags.push(error_at(path, question.pos, Some(&question.id), msg));
        }
    }

    /// `show_if` conditions that read each other's questions across questionnaires: a question
    /// is asked only once the questions its conditions (its own and its section's) read are
    /// answered, so a cycle means none of its questions is ever asked. Within one file a
    /// condition may only read earlier questions, so every cycle crosses files; each is
    /// reported once, named, at the reference of its smallest question.
    fn check_condition_cycles(&self, diags: &mut Vec<Diagnostic>) {
        type Node<'a> = (&'a str, &'a str);
        // question → (question it reads, where that reference is written, in which file)
        let mut edges: BTreeMap<Node, Vec<(Node, Pos, &str)>> = BTreeMap::new();
        for q in &self.questionnaires {
            for s in &q.sections {
                let mut section_refs = Vec::new();
                if let Some(c) = &s.show_if {
                    answer_refs(c, &mut section_refs);
                }
                for question in &s.questions {
                    let mut refs = section_refs.clone();
                    if let Some(c) = &question.show_if {
                        answer_refs(c, &mut refs);
                    }
                    let from = (q.id.as_str(), question.id.as_str());
                    for (other, target, _) in refs {
                        let qid = other.as_ref().map_or(q.id.as_str(), |o| o.id.as_str());
                        let Some(found) =
                            self.questionnaire(qid).and_then(|x| x.question(&target.id))
                        else {
                            continue; // reported as an unknown reference
                        };
                        edges.entry(from).or_default().push((
                            (qid, found.id.as_str()),
                            target.pos,
                            q.source.path(),
                        ));
                    }
                }
            }
        }
        let mut state: HashMap<Node, u8> = HashMap::new(); // 1 = on the path, 2 = done
        let mut reported: BTreeSet<Vec<Node>> = BTreeSet::new();
        let starts: Vec<Node> = edges.keys().copied().collect();
        for start in starts {
            if state.contains_key(&start) {
                continue;
            }
            let mut stack: Vec<(Node, usize)> = vec![(start, 0)];
            state.insert(start, 1);
            while let Some((node, i)) = stack.pop() {
                let out = edges.get(&node).map_or(&[][..], Vec::as_slice);
                if i >= out.len() {
                    state.insert(node, 2);
                    continue;
                }
                stack.push((node, i + 1));
                let next = out[i].0;
                match state.get(&next) {
                    None => {
                        state.insert(next, 1);
                        stack.push((next, 0));
                    }
                    Some(1) => {
                        let at = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut cycle: Vec<Node> = stack[at..].iter().map(|(n, _)| *n).collect();
                        let crosses = cycle.iter().any(|n| n.0 != cycle[0].0);
                        let min = cycle
                            .iter()
                            .enumerate()
                            .min_by(|a, b| a.1.cmp(b.1))
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(min);
                        if !crosses || !reported.insert(cycle.clone()) {
                            continue;
                        }
                        // Located at the first question's reference to the second.
                        let (first, second) = (cycle[0], cycle[1 % cycle.len()]);
                        let Some(&(_, pos, path)) = edges
                            .get(&first)
                            .and_then(|e| e.iter().find(|(to, _, _)| *to == second))
                        else {
                            continue;
                        };
                        let mut shown: Vec<String> =
                            cycle.iter().map(|(q, x)| format!("{q}/{x}")).collect();
                        shown.push(format!("{}/{}", first.0, first.1));
                        diags.push(error_at(
                            path,
                            pos,
                            Some(first.1),
                            format!(
                                "`show_if` conditions form a cycle across questionnaires: {}; each \
                                 question is asked only after the next is answered, so none of them \
                                 is ever asked: remove one of these conditions",
                                shown.join(" → ")
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }

    fn check_dependency_cycles(&self, diags: &mut Vec<Diagnostic>) {
        // Iterative DFS with colours; each cycle reported once, at its smallest id.
        let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on stack, 2 = done
        let mut ids: Vec<&str> = self.finding_index.keys().map(String::as_str).collect();
        ids.sort_unstable();
        let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
        for start in ids {
            if state.contains_key(start) {
                continue;
            }
            let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
            state.insert(start, 1);
            while let Some((node, i)) = stack.pop() {
                let deps = self
                    .finding(node)
                    .map(|f| f.depends_on.as_slice())
                    .unwrap_or(&[]);
                if i < deps.len() {
                    stack.push((node, i + 1));
                    let next = deps[i].id.as_str();
                    if self.finding(next).is_none() {
                        continue;
                    }
                    match state.get(next) {
                        None => {
                            state.insert(next, 1);
                            stack.push((next, 0));
                        }
                        Some(1) => {
                            let at = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                            let mut cycle: Vec<String> =
                                stack[at..].iter().map(|(n, _)| n.to_string()).collect();
                            let min = cycle
                                .iter()
                                .enumerate()
                                .min_by(|a, b| a.1.cmp(b.1))
                                .map_or(0, |(i, _)| i);
                            cycle.rotate_left(min);
                            if reported.insert(cycle.clone()) {
                                let first = &cycle[0];
                                if let Some(f) = self.finding(first) {
                                    let (qi, _) = self.finding_index[first.as_str()];
                                    let mut shown = cycle.clone();
                                    shown.push(first.clone());
                                    diags.push(error_at(
                                        self.questionnaires[qi].source.path(),
                                        f.pos,
                                        Some(first),
                                        format!(
                                            "`depends_on` forms a cycle: {}; remove one of these dependencies",
                                            shown.join(" → ")
                                        ),
                                    ));
                                }
                            }
                        }
                        _ => {}
                    }
                } else {
                    state.insert(node, 2);
                }
            }
        }
    }

    fn check_profile(&self, diags: &mut Vec<Diagnostic>, p: &Profile) {
        let path = p.source.path();
        for inc in &p.questionnaires {
            let Some(q) = self.questionnaire(&inc.id.id) else {
                diags.push(error_at(
                    path,
                    inc.id.pos,
                    Some(&inc.id.id),
                    format!(
                        "profile names unknown questionnaire `{}`{}",
                        inc.id.id,
                        hint_or(
                            &inc.id.id,
                            self.questionnaires.iter().map(|q| q.id.as_str()),
                            LIST_QUESTIONNAIRES
                        )
                    ),
                ));
                continue;
            };
            for s in &inc.sections {
                if q.section(&s.id).is_none() {
                    diags.push(error_at(
                        path,
                        s.pos,
                        Some(&s.id),
                        format!(
                            "questionnaire `{}` has no section `{}`{}",
                            q.id,
                            s.id,
                            hint(&s.id, q.sections.iter().map(|s| s.id.as_str()))
                        ),
                    ));
                }
            }
            for r in &inc.questions {
                match q.index.get(&r.id) {
                    None => diags.push(error_at(
                        path,
                        r.pos,
                        Some(&r.id),
                        format!(
                            "questionnaire `{}` has no question `{}`{}",
                            q.id,
                            r.id,
                            hint(&r.id, q.index.keys().map(String::as_str))
                        ),
                    )),
                    Some(&(si, _)) => {
                        let sid = &q.sections[si].id;
                        if !inc.sections.is_empty() && !inc.sections.iter().any(|s| &s.id == sid) {
                            diags.push(error_at(
                                path,
                                r.pos,
                                Some(&r.id),
                                format!(
                                    "question `{}` is in section `{sid}`, which this profile does not include",
                                    r.id
                                ),
                            ));
                        }
                    }
                }
            }
        }
        for (r, _) in &p.boosts {
            if self.finding(&r.id).is_none() {
                diags.push(error_at(
                    path,
                    r.pos,
                    Some(&r.id),
                    format!(
                        "boost names unknown finding `{}`{}",
                        r.id,
                        hint_or(
                            &r.id,
                            self.finding_index.keys().map(String::as_str),
                            LIST_FINDINGS
                        )
                    ),
                ));
            }
        }
    }
}

/// Keeps the higher layer's item, records the override, reports a clash within one layer.
#[allow(clippy::too_many_arguments)]
fn place<T>(
    map: &mut BTreeMap<String, (u8, T)>,
    id: String,
    pos: Pos,
    file: &ContentFile,
    item: T,
    kind: FileKind,
    overridden: &mut Vec<(FileKind, String, Source)>,
    sink: &mut Sink,
    source_of: impl Fn(&T) -> &Source,
) {
    match map.get(&id) {
        Some((layer, existing)) if *layer == file.layer => {
            sink.error_at(
                pos,
                format!(
                    "duplicate {kind} id `{id}`: {} defines it too",
                    source_of(existing).path()
                ),
                Some(id),
            );
        }
        Some((layer, _)) if *layer > file.layer => {
            overridden.push((kind, id, file.source.clone()));
        }
        Some(_) => {
            let old = map.insert(id.clone(), (file.layer, item));
            if let Some((_, old)) = old {
                overridden.push((kind, id, source_of(&old).clone()));
            }
        }
        None => {
            map.insert(id, (file.layer, item));
        }
    }
}

impl Profile {
    /// The questions this profile asks, in the order an interview asks them: its
    /// questionnaires in the order listed; within one, the listed `questions` in their order,
    /// or else every question of the selected sections in file order. Which subjects each is
    /// asked of, and whether its condition holds, is the engine's business.
    pub fn interview<'c>(&self, content: &'c Content) -> Vec<Asked<'c>> {
        let mut out = Vec::new();
        for inc in &self.questionnaires {
            let Some(q) = content.questionnaire(&inc.id.id) else {
                continue;
            };
            if inc.questions.is_empty() {
                for section in &q.sections {
                    if inc.sections.is_empty() || inc.sections.iter().any(|s| s.id == section.id) {
                        out.extend(section.questions.iter().map(|question| Asked {
                            questionnaire: q,
                            section,
                            question,
                        }));
                    }
                }
            } else {
                for r in &inc.questions {
                    if let Some(&(si, qi)) = q.index.get(&r.id) {
                        out.push(Asked {
                            questionnaire: q,
                            section: &q.sections[si],
                            question: &q.sections[si].questions[qi],
                        });
                    }
                }
            }
        }
        out
    }
}
