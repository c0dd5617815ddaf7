//! Rows of a flows file → flows: ends named by id or name, ids given or made up (as every new
//! id is, `validate::free_id`), mechanisms and modes read forgivingly.

use std::collections::{HashMap, HashSet};

use crate::diag::hint;
use crate::model::{Assessment, Flow, Owners, is_absence_word};
use crate::validate::{self, is_valid_id, suggest_id};
use crate::vocab::*;

use super::systems::Known;
use super::table::{Ctx, Table};
use super::words::*;

/// A system named by a flow: an id, a name (any case and spacing) or an id written in
/// another case. `Err` holds the message.
fn resolve(text: &str, known: &[Known]) -> Result<String, String> {
    if let Some(k) = known.iter().find(|k| k.id == text) {
        return Ok(k.id.clone());
    }
    let n = normalise(text);
    for key in [|k: &Known| normalise(&k.name), |k: &Known| normalise(&k.id)] {
        let mut ids: Vec<&str> = known
            .iter()
            .filter(|k| key(k) == n)
            .map(|k| k.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [] => {}
            [one] => return Ok((*one).to_string()),
            many => {
                return Err(format!(
                    "`{text}` names several systems ({}); write the id",
                    many.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    Err(format!(
        "`{text}` is not a system of the assessment or of the systems file{}",
        hint(
            &suggest_id(text),
            known.iter().map(|k| k.id.as_str()).collect::<Vec<_>>()
        )
    ))
}

pub(super) fn flows(
    table: &Table,
    assessment: &Assessment,
    ctx: &mut Ctx,
    known: &[Known],
) -> Vec<Flow> {
    let mut out = Vec::new();
    let existing: HashSet<&str> = assessment.flows.iter().map(|f| f.id.as_str()).collect();
    let mut first: HashMap<String, u32> = HashMap::new();
    let mut made: HashSet<String> = HashSet::new();
    // Ids written in the file, so that ids made up for other rows never take one of them.
    let written: HashSet<&str> = table
        .rows
        .iter()
        .filter_map(|r| table.cell(r, Field::Id))
        .map(|(v, _)| v)
        .collect();
    for row in &table.rows {
        let mut ok = true;
        let end = |f: Field, ctx: &mut Ctx, ok: &mut bool| -> Option<(String, usize)> {
            let Some(&i) = table.at.get(&f) else {
                *ok = false;
                return None;
            };
            let Some((v, _)) = table.cell(row, f) else {
                if f != Field::Via {
                    ctx.error(table, row, i, "a flow needs both ends: name a system");
                    *ok = false;
                }
                return None;
            };
            match resolve(v, known) {
                Ok(id) => {
                    ctx.mapped("system", v, &id);
                    Some((id, i))
                }
                Err(m) => {
                    ctx.error(table, row, i, m);
                    *ok = false;
                    None
                }
            }
        };
        let from = end(Field::From, ctx, &mut ok);
        let to = end(Field::To, ctx, &mut ok);
        let via = if table.has(Field::Via) {
            end(Field::Via, ctx, &mut ok)
        } else {
            None
        };
        if let (Some((a, _)), Some((b, i))) = (&from, &to)
            && a == b
        {
            ctx.error(
                table,
                row,
                *i,
                format!("the flow goes from `{a}` to itself; a flow connects two systems"),
            );
            ok = false;
        }
        if let Some((hub, i)) = &via
            && (from.as_ref().is_some_and(|(a, _)| a == hub)
                || to.as_ref().is_some_and(|(b, _)| b == hub))
        {
            ctx.error(
                table,
                row,
                *i,
                format!("`via` names `{hub}`, an end of the flow; `via` is the hub between them"),
            );
            ok = false;
        }
        let name = table.text(row, Field::Name);
        let id = match table.cell(row, Field::Id) {
            Some((v, i)) => {
                if !is_valid_id(v) {
                    let s = suggest_id(v);
                    let tip = if s.is_empty() {
                        String::new()
                    } else {
                        format!(" (for example `{s}`)")
                    };
                    ctx.error(
                        table,
                        row,
                        i,
                        format!("flow id `{v}` is not valid: use lowercase letters, digits, `-` and `_`, at most 64 characters{tip}; or leave it empty to make one"),
                    );
                    ok = false;
                    None
                } else if existing.contains(v) {
                    ctx.error(
                        table,
                        row,
                        i,
                        format!("flow `{v}` is already in the assessment; an import only adds flows: leave the row out, or give it another id"),
                    );
                    ok = false;
                    None
                } else if let Some(line) = first.get(v) {
                    ctx.error(
                        table,
                        row,
                        i,
                        format!("duplicate flow id `{v}` (first at line {line}); give each flow its own id"),
                    );
                    ok = false;
                    None
                } else {
                    first.insert(v.to_string(), row.line);
                    Some(v.to_string())
                }
            }
            None => None,
        };
        let objects = ctx.list(table, row, Field::Objects, OBJECT_WORDS, "data object");
        let mechanism = match ctx.one(table, row, Field::Mechanism, MECHANISM_WORDS, "mechanism") {
            Some(m) => m,
            None => {
                if let Some(&i) = table.at.get(&Field::Mechanism) {
                    ctx.error(
                        table,
                        row,
                        i,
                        format!("a flow needs a mechanism{}", hint("", Mechanism::names())),
                    );
                }
                Err(())
            }
        };
        let mode = ctx
            .one(table, row, Field::Mode, MODE_WORDS, "flow mode")
            .transpose();
        let direction = ctx
            .one(
                table,
                row,
                Field::Direction,
                DIRECTION_WORDS,
                "flow direction",
            )
            .unwrap_or(Ok(FlowDirection::Push));
        let checkout = match table.cell(row, Field::Checkout) {
            None => Ok(false),
            Some((v, i)) => {
                let l = v.to_lowercase();
                if TRUE_WORDS.contains(&l.as_str()) {
                    Ok(true)
                } else if FALSE_WORDS.contains(&l.as_str()) {
                    Ok(false)
                } else {
                    ctx.error(
                        table,
                        row,
                        i,
                        format!(
                            "`{v}` is not yes or no; write one of: {} (empty means no)",
                            TRUE_WORDS
                                .iter()
                                .chain(FALSE_WORDS)
                                .map(|w| format!("`{w}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    Err(())
                }
            }
        };
        let (
            Some((from, _)),
            Some((to, _)),
            Ok(objects),
            Ok(mechanism),
            Ok(mode),
            Ok(direction),
            Ok(checkout),
        ) = (from, to, objects, mechanism, mode, direction, checkout)
        else {
            continue;
        };
        if !ok {
            continue;
        }
        let id = match id {
            Some(id) => id,
            None if table.cell(row, Field::Id).is_some() => continue,
            None => {
                // Made up: from the name, else from the ends; `-2`, `-3` when several rows
                // make the same one (flows often share a name like "Orders"). Made as every
                // new id is (`validate::free_id`): a long name is cut to leave room for the
                // suffix, so two rows of one long name get two valid ids.
                let stem = Some(suggest_id(&name))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("{from}-to-{to}"));
                // The id the row makes when nothing has it yet.
                let Some(base) = validate::free_id(&stem, |_| false) else {
                    continue;
                };
                if existing.contains(base.as_str()) {
                    let i = table.at.get(&Field::Name).copied().unwrap_or(0);
                    ctx.error(
                        table,
                        row,
                        i,
                        format!("flow `{base}` (the id made for this row) is already in the assessment; an import only adds flows: leave the row out, or give it an `id`"),
                    );
                    continue;
                }
                validate::free_id(&stem, |id| {
                    made.contains(id) || written.contains(id) || existing.contains(id)
                })
                .unwrap_or(base)
            }
        };
        made.insert(id.clone());
        // A step or duty cell: text names it; `none`, `nobody`, `n/a` or `-` states that there
        // is none (a fact the analyses act on); an empty cell says nothing was captured.
        let mut none = Vec::new();
        let mut step = |field: Field, part: FlowPart| -> String {
            let text = table.text(row, field);
            if is_absence_word(&text) {
                none.push(part);
                String::new()
            } else {
                text
            }
        };
        let source = step(Field::Source, FlowPart::Source);
        let contract = step(Field::Contract, FlowPart::Contract);
        let failure = step(Field::Failure, FlowPart::Failure);
        let owner = step(Field::Owner, FlowPart::Owner);
        let owners = Owners {
            failures: step(Field::Failures, FlowPart::Failures),
            retries: step(Field::Retries, FlowPart::Retries),
            dashboards: step(Field::Dashboards, FlowPart::Dashboards),
            runbook: step(Field::Runbook, FlowPart::Runbook),
            release_handoff: step(Field::ReleaseHandoff, FlowPart::ReleaseHandoff),
        };
        none.sort();
        out.push(Flow {
            id,
            name,
            from,
            to,
            via: via.map(|(v, _)| v),
            objects,
            mechanism,
            mode: mode.unwrap_or(FlowMode::default_for(mechanism)),
            direction,
            checkout,
            source,
            contract,
            failure,
            owner,
            owners,
            none,
            notes: table.text(row, Field::Notes),
        });
    }
    out
}
