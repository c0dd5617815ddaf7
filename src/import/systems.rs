//! Rows of a systems file → systems: ids given or made from the name, categories read from
//! the category cell or, when it is empty, from the product the name or vendor names.

use std::collections::{HashMap, HashSet};

use crate::diag::hint;
use crate::model::{Assessment, System};
use crate::validate::{is_valid_id, suggest_id};
use crate::vocab::*;

use super::table::{Ctx, Row, Table};
use super::words::*;

/// A system id the import knows: from the assessment or from a row of the systems file.
pub(super) struct Known {
    pub(super) id: String,
    pub(super) name: String,
}

pub(super) fn systems(
    table: &Table,
    assessment: &Assessment,
    ctx: &mut Ctx,
    known: &mut Vec<Known>,
) -> Vec<System> {
    let mut out = Vec::new();
    let mut first: HashMap<String, u32> = HashMap::new();
    let existing: HashSet<&str> = assessment.systems.iter().map(|s| s.id.as_str()).collect();
    for row in &table.rows {
        let mut ok = true;
        let name = table.text(row, Field::Name);
        if name.is_empty() && table.has(Field::Name) {
            let i = table.at[&Field::Name];
            ctx.error(table, row, i, "a system needs a name (e.g. `Shopify Plus`)");
            ok = false;
        }
        // The id: given, or made from the name.
        let id = match table.cell(row, Field::Id) {
            Some((v, i)) => {
                if is_valid_id(v) {
                    Some((v.to_string(), i, true))
                } else {
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
                        format!("system id `{v}` is not valid: use lowercase letters, digits, `-` and `_`, at most 64 characters{tip}; or leave it empty to make one from the name"),
                    );
                    ok = false;
                    None
                }
            }
            None if !name.is_empty() => {
                let s = suggest_id(&name);
                let i = table.at[&Field::Name];
                if s.is_empty() {
                    ctx.error(
                        table,
                        row,
                        i,
                        format!(
                            "cannot make an id from the name `{name}`: add an `id` column with one"
                        ),
                    );
                    ok = false;
                    None
                } else {
                    Some((s, i, false))
                }
            }
            None => None,
        };
        if let Some((id, i, given)) = &id {
            let how = if *given {
                String::new()
            } else {
                " (made from the name)".to_string()
            };
            if existing.contains(id.as_str()) {
                ctx.error(
                    table,
                    row,
                    *i,
                    format!(
                        "system `{id}`{how} is already in the assessment; an import only adds systems: leave the row out, or give it another id"
                    ),
                );
                ok = false;
            } else if let Some(line) = first.get(id) {
                let message = if *given {
                    format!(
                        "duplicate system id `{id}` (first at line {line}); keep one row, or give them different ids"
                    )
                } else {
                    format!(
                        "duplicate system `{id}`: line {line} has a system of the same name; keep one row, or give them different ids in an `id` column"
                    )
                };
                ctx.error(table, row, *i, message);
                ok = false;
            } else {
                first.insert(id.clone(), row.line);
                known.push(Known {
                    id: id.clone(),
                    name: name.clone(),
                });
            }
        }
        let category = category(table, row, &name, ctx);
        let status = ctx
            .one(table, row, Field::Status, STATUS_WORDS, "status")
            .unwrap_or(Ok(SystemStatus::Existing));
        let time = ctx
            .one(table, row, Field::Time, TIME_WORDS, "TIME decision")
            .transpose();
        let capabilities = ctx.list(
            table,
            row,
            Field::Capabilities,
            CAPABILITY_WORDS,
            "capability",
        );
        let mut scopes: Vec<String> = Vec::new();
        if let Some((v, i)) = table.cell(row, Field::Scopes) {
            for part in v.split([';', ',', '|', '\n']).map(str::trim) {
                if part.is_empty() {
                    continue;
                }
                match crate::validate::assessment::scope_label(part) {
                    Ok(()) if !scopes.iter().any(|x| x == part) => scopes.push(part.to_string()),
                    Ok(()) => {}
                    Err(why) => {
                        ctx.error(table, row, i, format!("scope `{part}` {why}"));
                        ok = false;
                    }
                }
            }
        }
        if let (true, Some((id, _, _)), Some(category), Ok(status), Ok(time), Ok(capabilities)) =
            (ok, id, category, status, time, capabilities)
        {
            out.push(System {
                id,
                name,
                vendor: table.text(row, Field::Vendor),
                category,
                status,
                team: table.text(row, Field::Team),
                capabilities,
                time,
                notes: table.text(row, Field::Notes),
                scopes,
            });
        }
    }
    out
}

/// The category of a row: the category cell as a category or a product, or, when it is
/// empty, the product its name or else its vendor names.
fn category(table: &Table, row: &Row, name: &str, ctx: &mut Ctx) -> Option<Category> {
    let &i = table.at.get(&Field::Category)?;
    match table.cell(row, Field::Category) {
        Some((v, _)) => {
            if let Some(c) = lookup(v, CATEGORY_WORDS) {
                ctx.mapped("category", v, c.as_str());
                return Some(c);
            }
            if let Some((_, c)) = product_category(v) {
                ctx.mapped("category", v, c.as_str());
                return Some(c);
            }
            ctx.error(
                table,
                row,
                i,
                format!(
                    "unknown system category `{v}`{}; a product name stackmap knows (e.g. `NetSuite`) works too",
                    hint(&v.to_lowercase(), Category::names())
                ),
            );
            None
        }
        None => {
            let vendor = table.text(row, Field::Vendor);
            // The name first: it names the product ("SAP Commerce Cloud"), the vendor often
            // only the company ("SAP").
            for text in [name, vendor.as_str()] {
                if let Some((_, c)) = product_category(text) {
                    ctx.mapped("category", text, c.as_str());
                    return Some(c);
                }
            }
            ctx.error(
                table,
                row,
                i,
                format!(
                    "the category is empty and `{name}` is not a product stackmap knows{}",
                    hint("", Category::names())
                ),
            );
            None
        }
    }
}
