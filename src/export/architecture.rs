//! The map into architecture tools: a Structurizr DSL workspace and a Backstage catalog
//! (one multi-document `catalog-info.yaml`), as-is by default, to-be with `target`.
//!
//! As-is: the systems running today (existing and retiring) and the flows among them. To-be:
//! the systems that stay or come (existing and candidate; retiring ones go) and the flows
//! among them. Ownership (the data objects a system is the source of truth for, today or in
//! the target) travels as properties and annotations.
//!
//! Both writers quote every string from a file: the DSL's strings lose `"` and `\` (which the
//! DSL has no escape for) and `${` (its substitution); YAML strings are always double-quoted
//! JSON strings, which are valid YAML 1.2 scalars whatever they hold.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::slug;
use crate::model::{Flow, System, is_absence_word};
use crate::report::Input;
use crate::text::safe;
use crate::vocab::FlowPart;
use crate::vocab::{Category, SystemStatus};

/// What the map shows: the estate as it is, or as it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    AsIs,
    ToBe,
}

/// The systems of a view, in the file's order.
pub fn systems<'a>(r: &Input<'a>, v: View) -> Vec<&'a System> {
    r.assessment
        .systems
        .iter()
        .filter(|s| match v {
            View::AsIs => s.status != SystemStatus::Candidate,
            View::ToBe => s.status != SystemStatus::Retiring,
        })
        .collect()
}

/// The flows of a view: those whose ends (and hub) are all in it.
pub fn flows<'a>(r: &Input<'a>, v: View) -> Vec<&'a Flow> {
    let ids: BTreeSet<&str> = systems(r, v).iter().map(|s| s.id.as_str()).collect();
    r.assessment
        .flows
        .iter()
        .filter(|f| {
            ids.contains(f.from.as_str())
                && ids.contains(f.to.as_str())
                && f.via.as_deref().is_none_or(|h| ids.contains(h))
        })
        .collect()
}

/// The data objects a system is the source of truth for, today or in the target (scoped
/// entries as `object (scope)`).
pub fn owns(r: &Input, system: &str, v: View) -> Vec<String> {
    let mut out = Vec::new();
    for (k, own) in &r.assessment.ownership {
        for (label, w) in own.views() {
            let who = match v {
                View::AsIs => w.owner.as_deref(),
                View::ToBe => w.target.as_deref().or(w.owner.as_deref()),
            };
            if who == Some(system) {
                out.push(match label {
                    None => k.to_string(),
                    Some(l) => format!("{k} ({})", safe(l)),
                });
            }
        }
    }
    out
}

fn view_word(v: View) -> &'static str {
    match v {
        View::AsIs => "as-is",
        View::ToBe => "to-be",
    }
}

// ---------------------------------------------------------------------------------------
// Structurizr DSL

/// A DSL string: controls visible, `"` and `\` replaced (the DSL has no escape for them),
/// `${` broken so it is not read as a constant.
pub fn dsl(s: &str) -> String {
    format!(
        "\"{}\"",
        safe(s)
            .replace('"', "'")
            .replace('\\', "/")
            .replace("${", "$ {")
    )
}

/// Unique DSL identifiers for the systems: `s_` and the id's letters and digits.
fn identifiers<'a>(systems: &[&'a System]) -> BTreeMap<&'a str, String> {
    let mut used = BTreeSet::new();
    let mut out = BTreeMap::new();
    for s in systems {
        let base = format!("s_{}", slug(&s.id, '_', "system"));
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        out.insert(s.id.as_str(), id);
    }
    out
}

pub fn structurizr(r: &Input, v: View) -> String {
    let a = r.assessment;
    let g = &a.engagement;
    let sys = systems(r, v);
    let ids = identifiers(&sys);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "workspace {} {} {{",
        dsl(&format!("{} — {}", g.client, g.title)),
        dsl(&format!(
            "The {} integration landscape, from the stackmap assessment.",
            view_word(v)
        ))
    );
    let _ = writeln!(
        o,
        "\n    properties {{\n        \"stackmap.view\" {}\n    }}",
        dsl(view_word(v))
    );
    o.push_str("\n    model {\n");
    for s in &sys {
        let _ = writeln!(
            o,
            "\n        {} = softwareSystem {} {} {{",
            ids[s.id.as_str()],
            dsl(&s.name),
            dsl(&format!("{} · {}", s.vendor, s.category.description()))
        );
        let mut tags = vec![
            format!("category:{}", s.category),
            format!("status:{}", s.status),
        ];
        if let Some(t) = s.time {
            tags.push(format!("time:{t}"));
        }
        let _ = writeln!(
            o,
            "            tags {}",
            tags.iter().map(|t| dsl(t)).collect::<Vec<_>>().join(" ")
        );
        o.push_str("            properties {\n");
        let mut props: Vec<(&str, String)> = vec![("stackmap.id", s.id.clone())];
        if !s.team.trim().is_empty() {
            props.push(("team", s.team.clone()));
        }
        if !s.vendor.trim().is_empty() {
            props.push(("vendor", s.vendor.clone()));
        }
        let owned = owns(r, &s.id, v);
        if !owned.is_empty() {
            props.push(("owns", owned.join(", ")));
        }
        for (k, val) in props {
            let _ = writeln!(o, "                {} {}", dsl(k), dsl(&val));
        }
        o.push_str("            }\n        }\n");
    }
    let fl = flows(r, v);
    if !fl.is_empty() {
        o.push('\n');
    }
    for f in fl {
        let name = a.flow_name(&f.id);
        let objects: Vec<&str> = f.objects.iter().map(|x| x.as_str()).collect();
        let _ = writeln!(
            o,
            "        {} -> {} {} {} {} {{",
            ids[f.from.as_str()],
            ids[f.to.as_str()],
            // The flow's id keeps two flows between the same systems apart.
            dsl(&format!("{name} [{}]", f.id)),
            dsl(&format!("{} ({}, {})", f.mechanism, f.mode, f.direction)),
            dsl(&format!("mechanism:{}", f.mechanism))
        );
        o.push_str("            properties {\n");
        let mut props: Vec<(&str, String)> = vec![
            ("stackmap.id", f.id.clone()),
            ("objects", objects.join(", ")),
        ];
        if let Some(h) = &f.via {
            props.push(("via", a.system_name(h)));
        }
        if f.is_stated(FlowPart::Owner) {
            props.push(("owner", f.owner.clone()));
        }
        if f.is_stated(FlowPart::Contract) {
            props.push(("contract", f.contract.clone()));
        }
        for (k, val) in props {
            let _ = writeln!(o, "                {} {}", dsl(k), dsl(&val));
        }
        o.push_str("            }\n        }\n");
    }
    o.push_str("    }\n\n    views {\n");
    let _ = writeln!(
        o,
        "        systemLandscape {} {} {{\n            include *\n            autoLayout lr\n        }}",
        dsl(&format!("landscape-{}", view_word(v))),
        dsl(&format!("The {} landscape", view_word(v)))
    );
    o.push_str("\n        styles {\n");
    o.push_str("            element \"status:candidate\" {\n                border dashed\n            }\n");
    o.push_str(
        "            element \"status:retiring\" {\n                opacity 50\n            }\n",
    );
    o.push_str("        }\n    }\n}\n");
    o
}

// ---------------------------------------------------------------------------------------
// Backstage

/// A YAML value, written in block style with every string double-quoted.
enum Y {
    S(String),
    L(Vec<Y>),
    M(Vec<(&'static str, Y)>),
}

fn s(x: impl AsRef<str>) -> Y {
    Y::S(safe(x.as_ref()))
}

fn write_y(o: &mut String, y: &Y, indent: usize) {
    let pad = " ".repeat(indent);
    match y {
        Y::S(_) => {}
        Y::L(items) => {
            for it in items {
                match it {
                    Y::S(x) => {
                        let _ = writeln!(o, "{pad}- {}", quote(x));
                    }
                    _ => {
                        let _ = writeln!(o, "{pad}-");
                        write_y(o, it, indent + 2);
                    }
                }
            }
        }
        Y::M(entries) => {
            for (k, v) in entries {
                match v {
                    Y::S(x) => {
                        let _ = writeln!(o, "{pad}{k}: {}", quote(x));
                    }
                    Y::L(items) if items.is_empty() => {
                        let _ = writeln!(o, "{pad}{k}: []");
                    }
                    Y::M(items) if items.is_empty() => {
                        let _ = writeln!(o, "{pad}{k}: {{}}");
                    }
                    _ => {
                        let _ = writeln!(o, "{pad}{k}:");
                        write_y(o, v, indent + 2);
                    }
                }
            }
        }
    }
}

/// A YAML double-quoted scalar: a JSON string (YAML 1.2 reads it the same).
fn quote(x: &str) -> String {
    serde_json::to_string(x).unwrap_or_else(|_| "\"\"".into())
}

/// Backstage entity names: letters, digits and single `-`, at most 63 characters, unique
/// within a kind.
struct Names(BTreeSet<String>);

impl Names {
    fn take(&mut self, text: &str, fallback: &str) -> String {
        let mut base = slug(text, '-', fallback);
        base.truncate(56);
        let base = base.trim_end_matches('-').to_string();
        let mut name = base.clone();
        let mut n = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}

fn lifecycle(st: SystemStatus) -> &'static str {
    match st {
        SystemStatus::Existing => "production",
        SystemStatus::Candidate => "experimental",
        SystemStatus::Retiring => "deprecated",
    }
}

/// The annotation keys stackmap writes.
pub const ANNOTATION_SYSTEM: &str = "stackmap/system-id";
pub const ANNOTATION_FLOW: &str = "stackmap/flow-id";
/// On a component: the flows it starts that have no contract (so no API entity), by id.
pub const ANNOTATION_FLOWS: &str = "stackmap/flows";

pub fn backstage(r: &Input, v: View) -> String {
    let a = r.assessment;
    let sys = systems(r, v);
    let fl = flows(r, v);
    // Groups: the teams of the systems and the owners of the flows.
    let mut teams: BTreeMap<String, String> = BTreeMap::new(); // text → name
    let mut group_names = Names(BTreeSet::new());
    let mut all_teams: BTreeSet<String> = sys
        .iter()
        .map(|s| s.team.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    all_teams.extend(
        fl.iter()
            .filter(|f| f.is_stated(FlowPart::Owner))
            .map(|f| f.owner.trim().to_string()),
    );
    let unassigned = sys
        .iter()
        .any(|s| s.team.trim().is_empty() || is_absence_word(&s.team));
    for t in &all_teams {
        if is_absence_word(t) {
            continue;
        }
        let n = group_names.take(t, "team");
        teams.insert(t.clone(), n);
    }
    let unassigned_name = if unassigned {
        Some(group_names.take("unassigned", "unassigned"))
    } else {
        None
    };
    let owner_of = |team: &str| -> String {
        teams
            .get(team.trim())
            .or(unassigned_name.as_ref())
            .map_or_else(|| "group:unassigned".into(), |n| format!("group:{n}"))
    };
    let mut system_names = Names(BTreeSet::new());
    let sname: BTreeMap<&str, String> = sys
        .iter()
        .map(|s| (s.id.as_str(), system_names.take(&s.id, "system")))
        .collect();
    let mut api_names = Names(BTreeSet::new());
    let with_contract: Vec<(&Flow, String)> = fl
        .iter()
        .filter(|f| f.is_stated(FlowPart::Contract))
        .map(|f| (*f, api_names.take(&f.id, "flow")))
        .collect();

    let mut docs: Vec<Y> = Vec::new();
    let meta = |name: &str,
                title: &str,
                description: String,
                ann: Vec<(&'static str, Y)>,
                tags: Vec<String>| {
        let mut m: Vec<(&'static str, Y)> =
            vec![("name", Y::S(name.to_string())), ("title", s(title))];
        if !description.is_empty() {
            m.push(("description", s(description)));
        }
        if !ann.is_empty() {
            m.push(("annotations", Y::M(ann)));
        }
        if !tags.is_empty() {
            m.push(("tags", Y::L(tags.into_iter().map(Y::S).collect())));
        }
        Y::M(m)
    };
    let entity = |kind: &str, metadata: Y, spec: Vec<(&'static str, Y)>| {
        Y::M(vec![
            ("apiVersion", Y::S("backstage.io/v1alpha1".into())),
            ("kind", Y::S(kind.into())),
            ("metadata", metadata),
            ("spec", Y::M(spec)),
        ])
    };
    let mut groups: Vec<(&String, &String)> = teams.iter().collect();
    groups.sort_by(|x, y| x.1.cmp(y.1));
    for (text, name) in groups {
        docs.push(entity(
            "Group",
            meta(name, text, String::new(), vec![], vec![]),
            vec![("type", Y::S("team".into())), ("children", Y::L(vec![]))],
        ));
    }
    if let Some(n) = &unassigned_name {
        docs.push(entity(
            "Group",
            meta(
                n,
                "Unassigned",
                "Systems with no team named in the assessment".into(),
                vec![],
                vec![],
            ),
            vec![("type", Y::S("team".into())), ("children", Y::L(vec![]))],
        ));
    }
    for sy in &sys {
        let owned = owns(r, &sy.id, v);
        let mut ann = vec![(ANNOTATION_SYSTEM, s(&sy.id))];
        if !owned.is_empty() {
            ann.push(("stackmap/owns", s(owned.join(", "))));
        }
        let tags = vec![sy.category.to_string(), sy.status.to_string()];
        docs.push(entity(
            "System",
            meta(
                &sname[sy.id.as_str()],
                &sy.name,
                format!("{} · {}", sy.vendor, sy.category.description()),
                ann,
                tags,
            ),
            vec![("owner", Y::S(owner_of(&sy.team)))],
        ));
    }
    for sy in &sys {
        let name = &sname[sy.id.as_str()];
        let mut ann = vec![(ANNOTATION_SYSTEM, s(&sy.id))];
        let started: Vec<&str> = fl
            .iter()
            .filter(|f| f.caller() == sy.id && !f.is_stated(FlowPart::Contract))
            .map(|f| f.id.as_str())
            .collect();
        if !started.is_empty() {
            ann.push((ANNOTATION_FLOWS, s(started.join(" "))));
        }
        let mut spec = vec![
            (
                "type",
                Y::S(if sy.category == Category::Ipaas {
                    "integration-platform".into()
                } else {
                    "service".into()
                }),
            ),
            ("owner", Y::S(owner_of(&sy.team))),
            ("system", Y::S(name.clone())),
        ];
        if sy.category == Category::Ipaas {
            docs.push(entity(
                "Resource",
                meta(name, &sy.name, String::new(), ann, vec![]),
                spec,
            ));
            continue;
        }
        spec.insert(1, ("lifecycle", Y::S(lifecycle(sy.status).into())));
        let provides: Vec<Y> = with_contract
            .iter()
            .filter(|(f, _)| f.callee() == sy.id)
            .map(|(_, n)| Y::S(format!("api:{n}")))
            .collect();
        let consumes: Vec<Y> = with_contract
            .iter()
            .filter(|(f, _)| f.caller() == sy.id)
            .map(|(_, n)| Y::S(format!("api:{n}")))
            .collect();
        let mut depends: BTreeSet<String> = BTreeSet::new();
        for f in fl.iter().filter(|f| f.caller() == sy.id) {
            let callee = a.system(f.callee());
            let kind = |x: Option<&System>| {
                if x.is_some_and(|x| x.category == Category::Ipaas) {
                    "resource"
                } else {
                    "component"
                }
            };
            if !f.is_stated(FlowPart::Contract) {
                depends.insert(format!("{}:{}", kind(callee), sname[f.callee()]));
            }
            if let Some(h) = &f.via {
                depends.insert(format!("{}:{}", kind(a.system(h)), sname[h.as_str()]));
            }
        }
        if !provides.is_empty() {
            spec.push(("providesApis", Y::L(provides)));
        }
        if !consumes.is_empty() {
            spec.push(("consumesApis", Y::L(consumes)));
        }
        if !depends.is_empty() {
            spec.push(("dependsOn", Y::L(depends.into_iter().map(Y::S).collect())));
        }
        docs.push(entity(
            "Component",
            meta(name, &sy.name, String::new(), ann, vec![]),
            spec,
        ));
    }
    for (f, name) in &with_contract {
        let callee = a.system(f.callee());
        let owner = if f.is_stated(FlowPart::Owner) {
            owner_of(&f.owner)
        } else {
            owner_of(callee.map_or("", |c| c.team.as_str()))
        };
        let st = [a.system(&f.from), a.system(&f.to)]
            .into_iter()
            .flatten()
            .map(|x| x.status)
            .max_by_key(|x| match x {
                SystemStatus::Existing => 0,
                SystemStatus::Candidate => 1,
                SystemStatus::Retiring => 2,
            })
            .unwrap_or(SystemStatus::Existing);
        let objects: Vec<&str> = f.objects.iter().map(|x| x.as_str()).collect();
        let mut ann = vec![
            (ANNOTATION_FLOW, s(&f.id)),
            ("stackmap/mechanism", s(f.mechanism.as_str())),
            ("stackmap/objects", s(objects.join(", "))),
        ];
        if let Some(h) = &f.via {
            ann.push(("stackmap/via", s(a.system_name(h))));
        }
        let mut spec = vec![
            ("type", Y::S(f.mechanism.to_string())),
            ("lifecycle", Y::S(lifecycle(st).into())),
            ("owner", Y::S(owner)),
            ("definition", s(&f.contract)),
        ];
        if let Some(sn) = callee.and_then(|c| sname.get(c.id.as_str())) {
            spec.insert(3, ("system", Y::S(sn.clone())));
        }
        docs.push(entity(
            "API",
            meta(
                name,
                &a.flow_name(&f.id),
                format!("{} flow, {} {}", f.mechanism, f.mode, f.direction),
                ann,
                vec![],
            ),
            spec,
        ));
    }
    let mut o = String::new();
    for d in &docs {
        o.push_str("---\n");
        write_y(&mut o, d, 0);
    }
    o
}
