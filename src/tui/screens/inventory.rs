//! The inventory: the systems, the flows between them, the client's pain points and planned
//! initiatives, and the engagement summary. `a` adds, `e` or `Enter` edits (a form), `d`
//! deletes — after showing what would be orphaned with it (a system's flows, the answers
//! given about it and about those flows, its places in the ownership map) — and `i` imports
//! the client's spreadsheets (CSV, the same import as `stackmap import`). Ids are suggested
//! from names. Every change goes through the one checked edit path: saved at once, undone
//! with Ctrl-z.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::{Assessment, Flow, Note, Owners, System, is_absence_word};
use crate::text::{fit, safe};
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::edit::edit_assessment;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Overlay, Screen, Session};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form, FormPurpose, Outcome};
use crate::tui::widgets::hanging;
use crate::validate::{is_valid_id, suggest_id};
use crate::vocab::{
    Capability, Category, DataObject, FlowDirection, FlowMode, FlowPart, Mechanism, SystemStatus,
    TimeDecision,
};

/// The parts of the inventory, in the order `←`/`→` walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    #[default]
    Systems,
    Flows,
    PainPoints,
    Initiatives,
    Summary,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Systems,
        Part::Flows,
        Part::PainPoints,
        Part::Initiatives,
        Part::Summary,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Part::Systems => "Systems",
            Part::Flows => "Flows",
            Part::PainPoints => "Pain points",
            Part::Initiatives => "Initiatives",
            Part::Summary => "Summary",
        }
    }

    fn len(self, a: &Assessment) -> usize {
        match self {
            Part::Systems => a.systems.len(),
            Part::Flows => a.flows.len(),
            Part::PainPoints => a.engagement.pain_points.len(),
            Part::Initiatives => a.engagement.initiatives.len(),
            Part::Summary => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InventoryState {
    pub part: Part,
    /// The selected row of each part.
    pub selected: [usize; 5],
    /// Lines the selected row's detail is scrolled down by.
    pub detail: u16,
}

impl InventoryState {
    fn index(&self) -> usize {
        Part::ALL.iter().position(|p| *p == self.part).unwrap_or(0)
    }
}

/// A deletion waiting for the user's yes, with what it would take along.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub what: Deletion,
    /// What the deletion orphans, one line each, shown before the user decides.
    pub lines: Vec<String>,
    /// For a hub: the flows that pass through it, which can be kept, made direct.
    pub through: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deletion {
    System(String),
    Flow(String),
    Note { initiative: bool, id: String },
}

/// The label of the inventory's key for `d`, for hints.
fn key(d: Do) -> String {
    keymap::key(Context::On(Screen::Inventory), d)
}

fn vocab_options<T: Copy>(all: &[T], id: impl Fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (id(v).to_string(), id(v).to_string()))
        .collect()
}

fn system_options(a: &Assessment) -> Vec<(String, String)> {
    a.systems
        .iter()
        .map(|s| (s.id.clone(), format!("{} ({})", s.name, s.id)))
        .collect()
}

/// The form for a new system, or for editing `s`.
pub fn system_form(s: Option<&System>) -> Form {
    let blank = System {
        id: String::new(),
        name: String::new(),
        vendor: String::new(),
        category: Category::Platform,
        status: SystemStatus::Existing,
        team: String::new(),
        capabilities: Vec::new(),
        time: None,
        notes: String::new(),
        scopes: Vec::new(),
    };
    let x = s.unwrap_or(&blank);
    let mut fields = vec![Field::text(
        "name",
        "name",
        &x.name,
        "what the client calls it, e.g. \"NetSuite\"",
    )];
    if s.is_none() {
        fields.push(Field::text(
            "id",
            "id",
            "",
            "left empty: made from the name (lowercase letters, digits, hyphens)",
        ));
    }
    let mut time = vec![("".to_string(), "none yet".to_string())];
    time.extend(vocab_options(TimeDecision::ALL, TimeDecision::as_str));
    fields.extend([
        Field::text("vendor", "vendor", &x.vendor, "the vendor or who built it"),
        Field::choice(
            "category",
            "category",
            vocab_options(Category::ALL, Category::as_str),
            x.category.as_str(),
            "←→ choose; `stackmap list categories` explains each",
        ),
        Field::choice(
            "status",
            "status",
            vocab_options(SystemStatus::ALL, SystemStatus::as_str),
            x.status.as_str(),
            "existing: running today · candidate: on a shortlist · retiring: planned to go",
        ),
        Field::choice(
            "time",
            "TIME",
            time,
            x.time.map_or("", TimeDecision::as_str),
            "Gartner TIME: tolerate, invest, migrate, eliminate",
        ),
        Field::text("team", "team", &x.team, "the team that runs it"),
        Field::text(
            "scopes",
            "scopes",
            &x.scopes.join(", "),
            "brands, regions or channels it serves, separated by commas; empty: the whole estate",
        ),
        Field::multi(
            "capabilities",
            "capabilities",
            vocab_options(Capability::ALL, Capability::as_str),
            &x.capabilities
                .iter()
                .map(|c| c.as_str().to_string())
                .collect::<Vec<_>>(),
            "←→ move · space toggles: what the system does for the business",
        ),
        Field::text("notes", "notes", &x.notes, "anything worth keeping"),
    ]);
    let title = match s {
        Some(x) => format!("Edit system {}", x.id),
        None => "Add a system".into(),
    };
    let purpose = match s {
        Some(x) => FormPurpose::EditSystem(x.id.clone()),
        None => FormPurpose::AddSystem,
    };
    Form::new(purpose, title, fields)
}

/// The form for a new flow, or for editing `f`.
pub fn flow_form(a: &Assessment, fl: Option<&Flow>) -> Form {
    let systems = system_options(a);
    let first = systems.first().map(|x| x.0.clone()).unwrap_or_default();
    let second = systems.get(1).map_or(first.clone(), |x| x.0.clone());
    let blank = Flow {
        id: String::new(),
        name: String::new(),
        from: first,
        to: second,
        via: None,
        objects: Vec::new(),
        mechanism: Mechanism::Api,
        // As a file that states no mode reads it (FORMATS.md `[[flow]] mode`).
        mode: FlowMode::default_for(Mechanism::Api),
        direction: FlowDirection::Push,
        checkout: false,
        source: String::new(),
        contract: String::new(),
        failure: String::new(),
        owner: String::new(),
        owners: Owners::default(),
        none: Vec::new(),
        notes: String::new(),
    };
    let x = fl.unwrap_or(&blank);
    // A hub is an integration platform or glue code; a flow already through another kind of
    // system keeps it on offer, so editing the flow does not drop it.
    let mut via = vec![(String::new(), "direct (no hub)".to_string())];
    via.extend(
        a.systems
            .iter()
            .filter(|s| {
                matches!(s.category, Category::Ipaas | Category::Glue)
                    || fl.is_some_and(|f| f.via.as_deref() == Some(s.id.as_str()))
            })
            .map(|s| (s.id.clone(), format!("{} ({})", s.name, s.id))),
    );
    let mut fields = vec![Field::text(
        "name",
        "name",
        &x.name,
        "e.g. \"Web orders into NetSuite\"; empty: shown as from → to",
    )];
    if fl.is_none() {
        fields.push(Field::text(
            "id",
            "id",
            "",
            "left empty: made from the name, or from its two systems",
        ));
    }
    fields.extend([
        Field::choice(
            "from",
            "from",
            systems.clone(),
            &x.from,
            "the system the data comes from (whoever starts the exchange)",
        ),
        Field::choice(
            "to",
            "to",
            systems,
            &x.to,
            "the system the data goes to (for a lookup: the one that asks)",
        ),
        Field::choice(
            "via",
            "via",
            via,
            x.via.as_deref().unwrap_or(""),
            "the hub it runs through, if any",
        ),
        Field::multi(
            "objects",
            "objects",
            vocab_options(DataObject::ALL, DataObject::as_str),
            &x.objects
                .iter()
                .map(|o| o.as_str().to_string())
                .collect::<Vec<_>>(),
            "←→ move · space toggles: the data objects it carries",
        ),
        Field::choice(
            "mechanism",
            "mechanism",
            vocab_options(Mechanism::ALL, Mechanism::as_str),
            x.mechanism.as_str(),
            "api, webhook, event, batch, file, ipaas, manual",
        ),
        Field::choice(
            "mode",
            "sync/async",
            vocab_options(FlowMode::ALL, FlowMode::as_str),
            x.mode.as_str(),
            if fl.is_none() {
                "sync: the caller waits for the answer; follows the mechanism (api: sync, else async) until chosen"
            } else {
                "sync: the caller waits for the answer"
            },
        ),
        Field::choice(
            "direction",
            "push/pull",
            vocab_options(FlowDirection::ALL, FlowDirection::as_str),
            x.direction.as_str(),
            "push: `from` sends · pull: `to` asks, as in a lookup (price check: ERP → shop, pull)",
        ),
        Field::boolean(
            "checkout",
            "on checkout",
            x.checkout,
            "space: on the checkout path (a shopper waits on it)",
        ),
        Field::text(
            "source",
            "1 source",
            &x.source,
            "step 1: which system is the source of truth for what it carries",
        ),
        Field::text(
            "contract",
            "2 contract",
            &x.contract,
            "step 2: the written contract (schema, version, idempotency key)",
        ),
        Field::text(
            "failure",
            "3 failure",
            &x.failure,
            "step 3: what happens when it fails (retries, dead letters, replay)",
        ),
        Field::text(
            "owner",
            "4 owner",
            &x.owner,
            "step 4: the team accountable for the flow end to end",
        ),
        Field::text(
            "failures",
            "failures owner",
            &x.owners.failures,
            "who is paged when it fails",
        ),
        Field::text(
            "retries",
            "retries owner",
            &x.owners.retries,
            "who replays or retries what failed",
        ),
        Field::text(
            "dashboards",
            "dashboards owner",
            &x.owners.dashboards,
            "who owns its dashboards and alerts",
        ),
        Field::text(
            "runbook",
            "runbook owner",
            &x.owners.runbook,
            "who keeps its runbook",
        ),
        Field::text(
            "release_handoff",
            "release owner",
            &x.owners.release_handoff,
            "who signs off a change to either end before release",
        ),
        Field::multi(
            "none",
            "stated none",
            vocab_options(FlowPart::ALL, FlowPart::as_str),
            &x.none
                .iter()
                .map(|p| p.as_str().to_string())
                .collect::<Vec<_>>(),
            "space toggles what the client says there is none of (\"nobody owns it\"); a blank step is only not captured yet. Typing none, nobody, n/a or - in a step says the same",
        ),
        Field::text("notes", "notes", &x.notes, "anything worth keeping"),
    ]);
    let (purpose, title) = match fl {
        Some(x) => (
            FormPurpose::EditFlow(x.id.clone()),
            format!("Edit flow {}", x.id),
        ),
        None => (FormPurpose::AddFlow, "Add a flow".to_string()),
    };
    Form::new(purpose, title, fields)
}

/// The form for a pain point or an initiative.
pub fn note_form(a: &Assessment, initiative: bool, n: Option<&Note>) -> Form {
    let what = if initiative {
        "initiative"
    } else {
        "pain point"
    };
    let mut fields = vec![Field::text(
        "text",
        "text",
        n.map_or("", |x| x.text.as_str()),
        if initiative {
            "a planned initiative, e.g. \"Move order routing to Fluent by Q3\""
        } else {
            "what hurts, in the client's words, e.g. \"Oversells every Black Friday\""
        },
    )];
    if n.is_none() {
        fields.push(Field::text(
            "id",
            "id",
            "",
            "left empty: made from the text",
        ));
    }
    fields.extend([
        Field::multi(
            "systems",
            "systems",
            system_options(a),
            n.map_or(&[][..], |x| x.systems.as_slice()),
            "←→ move · space toggles: the systems it is about",
        ),
        Field::multi(
            "flows",
            "flows",
            a.flows
                .iter()
                .map(|f| (f.id.clone(), a.flow_name(&f.id)))
                .collect(),
            n.map_or(&[][..], |x| x.flows.as_slice()),
            "the flows it is about",
        ),
        Field::multi(
            "objects",
            "objects",
            vocab_options(DataObject::ALL, DataObject::as_str),
            &n.map(|x| {
                x.objects
                    .iter()
                    .map(|o| o.as_str().to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
            "the data objects it is about",
        ),
    ]);
    let title = match n {
        Some(x) => format!("Edit {what} {}", x.id),
        None => format!("Add a {what}"),
    };
    Form::new(
        FormPurpose::Note {
            initiative,
            id: n.map(|x| x.id.clone()),
        },
        title,
        fields,
    )
}

pub fn import_form() -> Form {
    Form::new(
        FormPurpose::Import,
        "Import the client's spreadsheets (CSV)",
        vec![
            Field::text(
                "systems",
                "systems CSV",
                "",
                "a path; header: name, category, and optionally id, vendor, status, team, capabilities, time, notes",
            ),
            Field::text(
                "flows",
                "flows CSV",
                "",
                "a path; header: from, to, mechanism, and optionally name, objects, mode, checkout, source, contract, failure, owner…",
            ),
        ],
    )
}

/// An id for a new item: the one typed, or one made from `name`, that no item of `taken`
/// has yet (`-2`, `-3`, … appended when the name's id is taken).
fn new_id(typed: &str, name: &str, taken: &[&str]) -> Result<String, String> {
    if !typed.is_empty() {
        if !is_valid_id(typed) {
            return Err(format!(
                "`{typed}` is not an id: lowercase letters, digits and hyphens, starting with a letter"
            ));
        }
        if taken.contains(&typed) {
            return Err(format!("`{typed}` is taken; choose another id"));
        }
        return Ok(typed.to_string());
    }
    crate::validate::free_id(&suggest_id(name), |id| taken.contains(&id))
        .ok_or_else(|| "give it a name (or an id) first".into())
}

/// Scope labels typed separated by commas (or `;`, `|`), each checked; repeats count once.
fn scopes(typed: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for l in typed
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        crate::validate::assessment::scope_label(l).map_err(|why| format!("scope `{l}` {why}"))?;
        if !out.iter().any(|x| x == l) {
            out.push(l.to_string());
        }
    }
    Ok(out)
}

fn parse_all<T: Copy>(ids: &[String], parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    ids.iter().filter_map(|x| parse(x)).collect()
}

/// Reads a submitted form into the assessment. `Err` keeps the form open with the reason.
fn apply(form: &Form, a: &mut Assessment) -> Result<String, String> {
    match &form.purpose {
        FormPurpose::AddSystem | FormPurpose::EditSystem(_) => {
            let name = form.text("name");
            if name.is_empty() {
                return Err("a system needs a name".into());
            }
            let id = match &form.purpose {
                FormPurpose::EditSystem(id) => id.clone(),
                _ => {
                    let taken: Vec<&str> = a.systems.iter().map(|s| s.id.as_str()).collect();
                    new_id(&form.text("id"), &name, &taken)?
                }
            };
            let system = System {
                id: id.clone(),
                name,
                vendor: form.text("vendor"),
                category: Category::parse(&form.choice("category")).unwrap_or(Category::Other),
                status: SystemStatus::parse(&form.choice("status"))
                    .unwrap_or(SystemStatus::Existing),
                team: form.text("team"),
                capabilities: parse_all(&form.chosen("capabilities"), Capability::parse),
                time: TimeDecision::parse(&form.choice("time")),
                notes: form.text("notes"),
                scopes: scopes(&form.text("scopes"))?,
            };
            match a.systems.iter_mut().find(|s| s.id == id) {
                Some(s) => *s = system,
                None => a.systems.push(system),
            }
            Ok(format!("system `{id}` saved"))
        }
        FormPurpose::AddFlow | FormPurpose::EditFlow(_) => {
            let (from, to) = (form.choice("from"), form.choice("to"));
            if from.is_empty() || to.is_empty() {
                return Err("a flow runs between two systems: add the systems first".into());
            }
            if from == to {
                return Err("a flow runs between two different systems".into());
            }
            let name = form.text("name");
            let id = match &form.purpose {
                FormPurpose::EditFlow(id) => id.clone(),
                _ => {
                    let taken: Vec<&str> = a.flows.iter().map(|f| f.id.as_str()).collect();
                    let basis = if name.is_empty() {
                        format!("{from} to {to}")
                    } else {
                        name.clone()
                    };
                    new_id(&form.text("id"), &basis, &taken)?
                }
            };
            let via = Some(form.choice("via")).filter(|x| !x.is_empty());
            if via.as_deref().is_some_and(|v| v == from || v == to) {
                return Err(
                    "a hub is a third system between the two ends; choose another, or none".into(),
                );
            }
            // Stated absence: the parts toggled under "stated none", and every step or duty
            // typed as none, nobody, n/a or `-` (never a team called "nobody").
            let mut none = parse_all(&form.chosen("none"), FlowPart::parse);
            let mut part = |key: &str, p: FlowPart| -> Result<String, String> {
                let text = form.text(key);
                if is_absence_word(&text) {
                    if !none.contains(&p) {
                        none.push(p);
                    }
                    Ok(String::new())
                } else if !text.is_empty() && none.contains(&p) {
                    Err(format!(
                        "{p} is marked as stated none but names `{text}`: clear one of them"
                    ))
                } else {
                    Ok(text)
                }
            };
            let source = part("source", FlowPart::Source)?;
            let contract = part("contract", FlowPart::Contract)?;
            let failure = part("failure", FlowPart::Failure)?;
            let owner = part("owner", FlowPart::Owner)?;
            let owners = Owners {
                failures: part("failures", FlowPart::Failures)?,
                retries: part("retries", FlowPart::Retries)?,
                dashboards: part("dashboards", FlowPart::Dashboards)?,
                runbook: part("runbook", FlowPart::Runbook)?,
                release_handoff: part("release_handoff", FlowPart::ReleaseHandoff)?,
            };
            none.sort();
            let mechanism = Mechanism::parse(&form.choice("mechanism")).unwrap_or(Mechanism::Api);
            let flow = Flow {
                id: id.clone(),
                name,
                from,
                to,
                via,
                objects: parse_all(&form.chosen("objects"), DataObject::parse),
                mechanism,
                mode: FlowMode::parse(&form.choice("mode"))
                    .unwrap_or(FlowMode::default_for(mechanism)),
                direction: FlowDirection::parse(&form.choice("direction"))
                    .unwrap_or(FlowDirection::Push),
                checkout: form.flag("checkout"),
                source,
                contract,
                failure,
                owner,
                owners,
                none,
                notes: form.text("notes"),
            };
            match a.flows.iter_mut().find(|f| f.id == id) {
                Some(f) => *f = flow,
                None => a.flows.push(flow),
            }
            Ok(format!("flow `{id}` saved"))
        }
        FormPurpose::Note { initiative, id } => {
            let text = form.text("text");
            if text.is_empty() {
                return Err("say what it is".into());
            }
            let list = if *initiative {
                &mut a.engagement.initiatives
            } else {
                &mut a.engagement.pain_points
            };
            let id = match id {
                Some(id) => id.clone(),
                None => {
                    let taken: Vec<&str> = list.iter().map(|n| n.id.as_str()).collect();
                    // Ids from long sentences stay short: the first few words.
                    let words: Vec<&str> = text.split_whitespace().take(5).collect();
                    new_id(&form.text("id"), &words.join(" "), &taken)?
                }
            };
            let note = Note {
                id: id.clone(),
                text,
                systems: form.chosen("systems"),
                flows: form.chosen("flows"),
                objects: parse_all(&form.chosen("objects"), DataObject::parse),
            };
            match list.iter_mut().find(|n| n.id == id) {
                Some(n) => *n = note,
                None => list.push(note),
            }
            Ok(format!("`{id}` saved"))
        }
        FormPurpose::Import | FormPurpose::Speaker => Err("not an edit".into()),
    }
}

/// Edits an open form; on submit, applies it (or asks the loop to read the CSV files).
pub fn form_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = app.overlay.as_mut() else {
        return Vec::new();
    };
    let outcome = crate::tui::widgets::form::edit(form, action);
    follow_mechanism(form);
    suggest(form, app.session.as_ref().map(|s| &s.assessment));
    match outcome {
        Outcome::Open => Vec::new(),
        Outcome::Cancel => {
            app.overlay = None;
            Vec::new()
        }
        Outcome::Submit => {
            let form = form.as_ref().clone();
            if form.purpose == FormPurpose::Speaker {
                return crate::tui::voices::submit(app, &form);
            }
            if form.purpose == FormPurpose::Import {
                let path = |k: &str| Some(form.text(k)).filter(|p| !p.is_empty()).map(Into::into);
                let (systems, flows) = (path("systems"), path("flows"));
                if systems.is_none() && flows.is_none() {
                    set_error(app, "name a systems file, a flows file, or both");
                    return Vec::new();
                }
                app.overlay = None;
                return vec![Effect::ReadImport { systems, flows }];
            }
            let ids_before = app
                .session
                .as_ref()
                .map(|s| ids(&s.assessment, app.screens.inventory.part))
                .unwrap_or_default();
            let mut said = String::new();
            let result = crate::tui::edit::try_edit_assessment(app, "", |a| {
                said = apply(&form, a)?;
                Ok(())
            });
            let effects = match result {
                Ok(effects) => effects,
                Err(e) => {
                    set_error(app, &e);
                    return Vec::new();
                }
            };
            app.overlay = None;
            if !said.is_empty() {
                app.status = safe(&said);
            }
            // A new row is selected, wherever the canonical order put it.
            if let Some(s) = app.session.as_ref() {
                let now = ids(&s.assessment, app.screens.inventory.part);
                if let Some(i) = now.iter().position(|x| !ids_before.contains(x)) {
                    app.screens.inventory.selected[app.screens.inventory.index()] = i;
                }
            }
            effects
        }
    }
}

/// The ids of a part's rows, in order.
fn ids(a: &Assessment, part: Part) -> Vec<String> {
    match part {
        Part::Systems => a.systems.iter().map(|x| x.id.clone()).collect(),
        Part::Flows => a.flows.iter().map(|x| x.id.clone()).collect(),
        Part::PainPoints => a
            .engagement
            .pain_points
            .iter()
            .map(|x| x.id.clone())
            .collect(),
        Part::Initiatives => a
            .engagement
            .initiatives
            .iter()
            .map(|x| x.id.clone())
            .collect(),
        Part::Summary => Vec::new(),
    }
}

/// A new flow's mode follows its mechanism as a file's default does (`sync` for `api`, else
/// `async`) until the user chooses a mode; an existing flow's mode is never changed for them.
fn follow_mechanism(form: &mut Form) {
    if form.purpose != FormPurpose::AddFlow || form.touched("mode") {
        return;
    }
    if let Some(m) = Mechanism::parse(&form.choice("mechanism")) {
        form.set_choice("mode", FlowMode::default_for(m).as_str());
    }
}

/// Shows in an empty id field the id the form would make, as it is typed.
fn suggest(form: &mut Form, a: Option<&Assessment>) {
    let Some(a) = a else { return };
    let suggestion = match &form.purpose {
        FormPurpose::AddSystem => {
            let taken: Vec<&str> = a.systems.iter().map(|s| s.id.as_str()).collect();
            new_id("", &form.text("name"), &taken).ok()
        }
        FormPurpose::AddFlow => {
            let taken: Vec<&str> = a.flows.iter().map(|f| f.id.as_str()).collect();
            let name = form.text("name");
            let basis = if name.is_empty() {
                format!("{} to {}", form.choice("from"), form.choice("to"))
            } else {
                name
            };
            new_id("", &basis, &taken).ok()
        }
        FormPurpose::Speaker => crate::tui::voices::suggested_id(a, &form.text("name")),
        _ => None,
    };
    form.set_placeholder(
        "id",
        suggestion.map_or_else(String::new, |s| format!("{s} (suggested)")),
    );
}

fn set_error(app: &mut App, msg: &str) {
    if let Some(Overlay::Form(f)) = app.overlay.as_mut() {
        f.error = msg.to_string();
    }
}

/// `1 flow`, `2 flows`.
fn count(k: usize, one: &str, many: &str) -> String {
    format!("{k} {}", if k == 1 { one } else { many })
}

/// What the status line says after an import. What `stackmap import` says — what was added,
/// what the map now answers (for a person to confirm), which inferred answers no longer hold —
/// in words short enough to read whole at 80 columns beside the file's name: "inferred" as the
/// status line's own count says it, the answers to confirm before those removed.
fn import_said(report: &crate::import::ImportReport) -> String {
    let mut said = format!(
        "imported {}, {}",
        count(report.systems.len(), "system", "systems"),
        count(report.flows.len(), "flow", "flows")
    );
    if report.inferred > 0 {
        said.push_str(&format!("; {} inferred to confirm", report.inferred));
    }
    if report.inferred_removed > 0 {
        said.push_str(&format!("; {} inferred removed", report.inferred_removed));
    }
    said
}

/// The CSV files were read: import them (all or nothing) into the open assessment.
pub fn imported(app: &mut App, files: Vec<(bool, String, String)>) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let csv = |flows: bool| {
        files
            .iter()
            .find(|(f, _, _)| *f == flows)
            .map(|(_, path, text)| crate::import::CsvText { path, text })
    };
    match crate::import::import(&app.content, &s.assessment, csv(false), csv(true)) {
        Ok((next, report)) => {
            let said = import_said(&report);
            edit_assessment(app, &said, |a| {
                *a = next;
                Ok(())
            })
        }
        Err(problems) => {
            let mut lines: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
            lines.insert(
                0,
                format!(
                    "Nothing was imported: {} problems. Fix the files and import again.",
                    problems.len()
                ),
            );
            app.overlay = Some(Overlay::Message(Box::new(crate::tui::overlays::Message {
                title: "Import refused".into(),
                lines,
                scroll: 0,
            })));
            Vec::new()
        }
    }
}

/// Deletes a hub, keeping the flows that pass through it, made direct. Any other deletion
/// is kept, as for any key but yes.
pub fn confirm_direct(app: &mut App) -> Vec<Effect> {
    let hub = match &app.overlay {
        Some(Overlay::Confirm(c)) if !c.through.is_empty() => match &c.what {
            Deletion::System(id) => Some(id.clone()),
            _ => None,
        },
        _ => None,
    };
    let Some(id) = hub else {
        return confirm(app, false);
    };
    app.overlay = None;
    edit_assessment(
        app,
        &format!("system `{id}` deleted; the flows through it are direct"),
        |a| {
            crate::edit::make_direct(a, &id);
            crate::edit::remove_system(a, &id);
            Ok(())
        },
    )
}

/// Answers the delete dialog: `y`/`Enter` deletes, anything else keeps.
pub fn confirm(app: &mut App, yes: bool) -> Vec<Effect> {
    let Some(Overlay::Confirm(c)) = app.overlay.take() else {
        return Vec::new();
    };
    if !yes {
        app.status = "kept".into();
        return Vec::new();
    }
    match c.what {
        Deletion::System(id) => edit_assessment(app, &format!("system `{id}` deleted"), |a| {
            crate::edit::remove_system(a, &id);
            Ok(())
        }),
        Deletion::Flow(id) => edit_assessment(app, &format!("flow `{id}` deleted"), |a| {
            crate::edit::remove_flow(a, &id);
            Ok(())
        }),
        Deletion::Note { initiative, id } => {
            edit_assessment(app, &format!("`{id}` deleted"), |a| {
                let list = if initiative {
                    &mut a.engagement.initiatives
                } else {
                    &mut a.engagement.pain_points
                };
                list.retain(|n| n.id != id);
                Ok(())
            })
        }
    }
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let a = &s.assessment;
    let st = app.screens.inventory;
    let part = st.part;
    let k = st.index();
    let len = part.len(a);
    let sel = st.selected[k].min(len.saturating_sub(1));
    let mut overlay = None;
    if !matches!(action, Action::Do(Do::DetailDown | Do::DetailUp, _)) {
        app.screens.inventory.detail = 0;
    }
    match action {
        Action::ClickAt(row, _) => {
            app.screens.inventory.selected[k] = row.min(len.saturating_sub(1))
        }
        Action::Do(Do::DetailDown, _) => {
            app.screens.inventory.detail = app.screens.inventory.detail.saturating_add(5).min(500);
        }
        Action::Do(Do::DetailUp, _) => {
            app.screens.inventory.detail = app.screens.inventory.detail.saturating_sub(5);
        }
        Action::Do(Do::Next, _) => {
            app.screens.inventory.part = Part::ALL[(k + 1) % Part::ALL.len()];
        }
        Action::Do(Do::Previous, _) => {
            app.screens.inventory.part = Part::ALL[(k + Part::ALL.len() - 1) % Part::ALL.len()];
        }
        Action::Do(Do::Up, _) => app.screens.inventory.selected[k] = sel.saturating_sub(1),
        Action::Do(Do::Down, _) => {
            app.screens.inventory.selected[k] = (sel + 1).min(len.saturating_sub(1));
        }
        Action::Do(Do::Home, _) => app.screen = Screen::Home,
        Action::Do(Do::Add, _) => {
            overlay = match part {
                Part::Systems => Some(Overlay::Form(Box::new(system_form(None)))),
                Part::Flows if a.systems.len() < 2 => {
                    app.status = "a flow runs between two systems: add them first".into();
                    None
                }
                Part::Flows => Some(Overlay::Form(Box::new(flow_form(a, None)))),
                Part::PainPoints => Some(Overlay::Form(Box::new(note_form(a, false, None)))),
                Part::Initiatives => Some(Overlay::Form(Box::new(note_form(a, true, None)))),
                Part::Summary => Some(summary_editor(a)),
            };
        }
        Action::Do(Do::Note | Do::Select, _) => {
            overlay = match part {
                Part::Systems => a
                    .systems
                    .get(sel)
                    .map(|x| Overlay::Form(Box::new(system_form(Some(x))))),
                Part::Flows => a
                    .flows
                    .get(sel)
                    .map(|x| Overlay::Form(Box::new(flow_form(a, Some(x))))),
                Part::PainPoints => a
                    .engagement
                    .pain_points
                    .get(sel)
                    .map(|x| Overlay::Form(Box::new(note_form(a, false, Some(x))))),
                Part::Initiatives => a
                    .engagement
                    .initiatives
                    .get(sel)
                    .map(|x| Overlay::Form(Box::new(note_form(a, true, Some(x))))),
                Part::Summary => Some(summary_editor(a)),
            };
        }
        Action::Do(Do::Delete, _) => overlay = deletion(a, part, sel),
        Action::Do(Do::Import, _) => overlay = Some(Overlay::Form(Box::new(import_form()))),
        _ => {}
    }
    if overlay.is_some() {
        if s.read_only {
            app.status = s.read_only_reason();
        } else {
            app.overlay = overlay;
        }
    }
    Vec::new()
}

fn summary_editor(a: &Assessment) -> Overlay {
    Overlay::Summary(crate::tui::widgets::line::TextArea::with(
        &a.engagement.summary,
    ))
}

/// The delete dialog for the selected row, naming what goes with it.
fn deletion(a: &Assessment, part: Part, sel: usize) -> Option<Overlay> {
    let (what, lines) = match part {
        Part::Systems => {
            let s = a.systems.get(sel)?;
            let crate::edit::Removal {
                flows,
                answers,
                places,
                ..
            } = crate::edit::system_removal(a, &s.id);
            let mut lines = vec![format!("Delete {} ({})?", s.name, s.id)];
            if flows.is_empty() && answers == 0 && places == 0 {
                lines.push("Nothing else refers to it.".into());
            } else {
                lines.push(format!(
                    "It takes along {}, {} and {} in the ownership map:",
                    count(flows.len(), "flow", "flows"),
                    count(answers, "answer", "answers"),
                    count(places, "place", "places")
                ));
                lines.extend(flows.iter().map(|f| format!("  flow {}", a.flow_name(f))));
            }
            (Deletion::System(s.id.clone()), lines)
        }
        Part::Flows => {
            let f = a.flows.get(sel)?;
            let answers = crate::edit::flow_removal(a, &f.id).answers;
            (
                Deletion::Flow(f.id.clone()),
                vec![
                    format!("Delete the flow {} ({})?", a.flow_name(&f.id), f.id),
                    if answers == 0 {
                        "No answer is about it.".to_string()
                    } else {
                        format!(
                            "It takes along the {} given about it.",
                            count(answers, "answer", "answers")
                        )
                    },
                ],
            )
        }
        Part::PainPoints | Part::Initiatives => {
            let initiative = part == Part::Initiatives;
            let list = if initiative {
                &a.engagement.initiatives
            } else {
                &a.engagement.pain_points
            };
            let n = list.get(sel)?;
            (
                Deletion::Note {
                    initiative,
                    id: n.id.clone(),
                },
                vec![format!("Delete `{}`: {}?", n.id, n.text)],
            )
        }
        Part::Summary => return None,
    };
    let through = match &what {
        Deletion::System(id) => crate::edit::through(a, id),
        _ => Vec::new(),
    };
    let mut lines = lines;
    if !through.is_empty() {
        lines.push(format!(
            "{} of them only pass through it: {} keeps those, made direct.",
            through.len(),
            crate::tui::keymap::key(crate::tui::keymap::Context::Confirm, Do::KeepDirect)
        ));
    }
    Some(Overlay::Confirm(Box::new(Confirm {
        what,
        lines,
        through,
    })))
}

/// The width of a list's name column: the longest name, between `least` and what the other
/// columns (`rest` wide) leave of the list's `width`, so a name is cut only when the list has
/// no room for it.
fn name_width<'a>(
    names: impl Iterator<Item = &'a str>,
    least: usize,
    rest: usize,
    width: usize,
) -> usize {
    use unicode_width::UnicodeWidthStr;
    let room = width.saturating_sub(rest);
    let longest = names.map(UnicodeWidthStr::width).max().unwrap_or(0);
    longest.min(room).max(least.min(room))
}

/// The rows of a part, one line each, for a list `width` columns wide.
fn rows(a: &Assessment, part: Part, width: usize) -> Vec<String> {
    match part {
        Part::Systems => {
            // category (11), status (9), TIME (9), a space before each
            let w = name_width(a.systems.iter().map(|s| s.name.as_str()), 24, 32, width);
            a.systems
                .iter()
                .map(|s| {
                    format!(
                        "{} {:<11} {:<9} {}",
                        fit(&s.name, w),
                        s.category.as_str(),
                        s.status.as_str(),
                        s.time.map_or("", TimeDecision::as_str)
                    )
                })
                .collect()
        }
        Part::Flows => {
            let names: Vec<String> = a.flows.iter().map(|f| a.flow_name(&f.id)).collect();
            // mechanism (8), mode (5), "4/4 steps" (9), a space before each
            let w = name_width(names.iter().map(String::as_str), 34, 25, width);
            a.flows
                .iter()
                .zip(&names)
                .map(|(f, name)| {
                    let steps = [&f.source, &f.contract, &f.failure, &f.owner]
                        .iter()
                        .filter(|x| !x.trim().is_empty())
                        .count();
                    format!(
                        "{} {:<8} {:<5} {steps}/4 steps",
                        fit(name, w),
                        f.mechanism.as_str(),
                        f.mode.as_str()
                    )
                })
                .collect()
        }
        // A sentence longer than the list ends in "…" (the detail shows it whole).
        Part::PainPoints => a
            .engagement
            .pain_points
            .iter()
            .map(|n| fit(&n.text, width).trim_end().to_string())
            .collect(),
        Part::Initiatives => a
            .engagement
            .initiatives
            .iter()
            .map(|n| fit(&n.text, width).trim_end().to_string())
            .collect(),
        Part::Summary => Vec::new(),
    }
}

/// The selected row in full, for a pane `width` columns wide: each value beside its label,
/// its wrapped rows under the value, not under the labels.
fn detail(s: &Session, part: Part, sel: usize, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let a = &s.assessment;
    let labelled = |title: Line<'static>, pairs: Vec<(&str, String)>| {
        let mut out = vec![title];
        for (k, v) in pairs {
            out.extend(hanging(
                Span::styled(format!("{k:<16}"), t.dim()),
                Span::raw(if v.is_empty() { "—".into() } else { safe(&v) }),
                width,
            ));
        }
        out
    };
    match part {
        Part::Systems => {
            let Some(x) = a.systems.get(sel) else {
                return vec![Line::styled(
                    format!(
                        "No systems yet: {} adds one, {} imports a spreadsheet.",
                        key(Do::Add),
                        key(Do::Import)
                    ),
                    t.dim(),
                )];
            };
            let crate::edit::Removal { flows, answers, .. } = crate::edit::system_removal(a, &x.id);
            labelled(
                Line::styled(safe(&x.name), t.title()),
                vec![
                    ("id", x.id.clone()),
                    ("vendor", x.vendor.clone()),
                    ("category", x.category.to_string()),
                    ("status", x.status.to_string()),
                    ("TIME", x.time.map(|t| t.to_string()).unwrap_or_default()),
                    ("team", x.team.clone()),
                    (
                        "capabilities",
                        x.capabilities
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    ("flows", flows.len().to_string()),
                    ("answers", answers.to_string()),
                    ("notes", x.notes.clone()),
                ],
            )
        }
        Part::Flows => {
            let Some(f) = a.flows.get(sel) else {
                return vec![Line::styled(
                    format!("No flows yet: {} adds one.", key(Do::Add)),
                    t.dim(),
                )];
            };
            labelled(
                Line::styled(safe(&a.flow_name(&f.id)), t.title()),
                vec![
                    ("id", f.id.clone()),
                    (
                        "from → to",
                        format!("{} → {}", a.system_name(&f.from), a.system_name(&f.to)),
                    ),
                    (
                        "via",
                        f.via
                            .as_deref()
                            .map(|v| a.system_name(v))
                            .unwrap_or_default(),
                    ),
                    (
                        "objects",
                        f.objects
                            .iter()
                            .map(|o| o.words())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    (
                        "mechanism",
                        format!(
                            "{} · {}{}",
                            f.mechanism,
                            f.mode,
                            if f.checkout { " · on checkout" } else { "" }
                        ),
                    ),
                    ("1 source", f.source.clone()),
                    ("2 contract", f.contract.clone()),
                    ("3 failure", f.failure.clone()),
                    ("4 owner", f.owner.clone()),
                    ("failures", f.owners.failures.clone()),
                    ("retries", f.owners.retries.clone()),
                    ("dashboards", f.owners.dashboards.clone()),
                    ("runbook", f.owners.runbook.clone()),
                    ("release", f.owners.release_handoff.clone()),
                ],
            )
        }
        Part::PainPoints | Part::Initiatives => {
            let list = if part == Part::Initiatives {
                &a.engagement.initiatives
            } else {
                &a.engagement.pain_points
            };
            let Some(n) = list.get(sel) else {
                return vec![Line::styled(
                    format!("None yet: {} adds one.", key(Do::Add)),
                    t.dim(),
                )];
            };
            labelled(
                Line::styled(safe(&n.text), t.title()),
                vec![
                    ("id", n.id.clone()),
                    (
                        "systems",
                        n.systems
                            .iter()
                            .map(|x| a.system_name(x))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    (
                        "flows",
                        n.flows
                            .iter()
                            .map(|x| a.flow_name(x))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    (
                        "objects",
                        n.objects
                            .iter()
                            .map(|o| o.words())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            )
        }
        Part::Summary => {
            let mut out = vec![Line::styled(
                format!(
                    "{} — {}",
                    safe(&a.engagement.client),
                    safe(&a.engagement.title)
                ),
                t.title(),
            )];
            if a.engagement.summary.trim().is_empty() {
                out.push(Line::styled(
                    format!(
                        "No summary yet: {} writes one (the situation, the goal, the deadline).",
                        key(Do::Select)
                    ),
                    t.dim(),
                ));
            }
            // Shown as paragraphs wrapped to the pane, not at the line ends it was written
            // with; a list item keeps its line, its wrapped rows under its text.
            for l in crate::text::paragraphs(&a.engagement.summary) {
                match crate::text::list_marker(&l) {
                    Some(m) => out.extend(hanging(
                        Span::raw(safe(&l[..m])),
                        Span::raw(safe(&l[m..])),
                        width,
                    )),
                    None => out.push(Line::raw(safe(&l))),
                }
            }
            out
        }
    }
}

/// The list and the detail inside the body: side by side when there is room, else stacked.
fn split(body: Rect) -> (Rect, Rect) {
    if body.width >= 120 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (l, r)
    } else {
        let rows = (body.height / 2).max(3);
        let [l, r] = Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(body);
        (l, r)
    }
}

/// The parts header, the body and the key line inside the frame.
fn areas(inner: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner)
}

/// Which row of the list a click at (column, row) lands on, from the layout the frame is
/// drawn with.
pub fn row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let s = app.session.as_ref()?;
    let st = &app.screens.inventory;
    if st.part == Part::Summary {
        return None;
    }
    let [_, body, _] = areas(crate::tui::widgets::frame_inner(app));
    let (list, _) = split(body);
    if !list.contains(ratatui::layout::Position { x: column, y: row }) {
        return None;
    }
    let len = st.part.len(&s.assessment);
    let sel = st.selected[st.index()].min(len.saturating_sub(1));
    let first = crate::tui::widgets::lane_first(sel, usize::from(list.height));
    let r = first + usize::from(row - list.y);
    (r < len).then_some(r)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let a = &s.assessment;
    let st = &app.screens.inventory;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Inventory ", t.title()))
        .title_bottom(crate::tui::widgets::tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [head, body, keys] = areas(inner);
    let mut spans = Vec::new();
    for (i, p) in Part::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim()));
        }
        let n = match p {
            Part::Summary => String::new(),
            _ => format!(" ({})", p.len(a)),
        };
        let style = if *p == st.part { t.selected() } else { t.dim() };
        spans.push(Span::styled(format!("{}{n}", p.label()), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), head);
    f.render_widget(
        Paragraph::new(Line::styled(
            {
                let ctx = Context::On(Screen::Inventory);
                let k = |d| keymap::key(ctx, d);
                format!(
                    "{}{} part · {} add · {} edit · {} delete · {} import CSV · {}/{} detail · {} undo",
                    k(Do::Previous),
                    k(Do::Next),
                    k(Do::Add),
                    k(Do::Select),
                    k(Do::Delete),
                    k(Do::Import),
                    keymap::letter(ctx, Do::DetailDown),
                    keymap::letter(ctx, Do::DetailUp),
                    k(Do::Undo)
                )
            },
            t.dim(),
        )),
        keys,
    );
    let k = st.index();
    let sel = st.selected[k].min(st.part.len(a).saturating_sub(1));
    // The detail scrolls (J/K) when it is taller than its pane; never past its end.
    let scrolled = |lines: Vec<Line<'static>>, area: Rect| {
        let para = Paragraph::new(lines).wrap(Wrap { trim: false });
        let most = (para.line_count(area.width) as u16).saturating_sub(area.height);
        para.scroll((st.detail.min(most), 0))
    };
    if st.part == Part::Summary {
        let lines = detail(s, st.part, sel, usize::from(body.width), t);
        f.render_widget(scrolled(lines, body), body);
        return;
    }
    let (list, side) = split(body);
    // Beside the detail, a row cut with "…" keeps a column clear of the pane's rule.
    let gap = u16::from(side.x > list.x);
    let texts = rows(a, st.part, usize::from(list.width.saturating_sub(gap)));
    let room = usize::from(list.height);
    let first = crate::tui::widgets::lane_first(sel, room);
    let lines: Vec<Line> = texts
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
        .map(|(i, x)| {
            Line::styled(
                safe(x),
                if i == sel {
                    t.selected()
                } else {
                    Style::default()
                },
            )
        })
        .collect();
    f.render_widget(Paragraph::new(lines), list);
    let inside = crate::tui::widgets::side_pane(f, list, side, t);
    let lines = detail(s, st.part, sel, usize::from(inside.width), t);
    f.render_widget(scrolled(lines, inside), inside);
}

/// Shows row `i` of part `part` (an index into `Part::ALL`) on the inventory screen.
pub fn show(app: &mut App, part: usize, i: usize) {
    let k = part.min(Part::ALL.len() - 1);
    app.screens.inventory.part = Part::ALL[k];
    app.screens.inventory.selected[k] = i;
    app.screen = Screen::Inventory;
}

/// The summary editor closed: keep what was written (undo takes it back).
pub fn summary_closed(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Summary(area)) = app.overlay.take() else {
        return Vec::new();
    };
    let text = area.text();
    edit_assessment(app, "summary saved", |a| {
        a.engagement.summary = text.trim_end().to_string();
        Ok(())
    })
}
