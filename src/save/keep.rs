//! Saving over a file a person has edited: the text `to_toml` writes, laid out as the file
//! was. Comments, blank lines, the order of tables and keys and the way values were spelled
//! are kept; what the model says is taken from the canonical text, so the canonical writer
//! stays the single source of the values.
//!
//! Both texts are cut into tables by a small scanner (header lines, found outside strings and
//! multi-line values), each table named by what it is about: `[[answer]]` by questionnaire,
//! subject and question, `[[system]]`, `[[flow]]`, `[[decision]]` and notes by `id`,
//! `[ownership.X]` by its object, `[flow.owners]` by its flow. Then:
//! - a table whose text is the same in both is copied as it stands;
//! - a table that changed is parsed alone with `toml_edit` and updated key by key: values that
//!   changed are replaced keeping their line's comment, keys that went are removed with their
//!   comments, new keys go after their canonical predecessor;
//! - a table of the previous text the model no longer has is removed with the comments above it;
//! - a new table goes after its canonical predecessor of the same kind (a new answer next to the
//!   answers, a flow's `[flow.owners]` right after its flow).
//!
//! Only the tables that changed are parsed, so on the large engagement this costs a few
//! milliseconds where a whole `toml_edit` document took hundreds.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use toml_edit::{DocumentMut, Item, Table, Value};

use crate::model::Assessment;

/// The text of `a` for a file whose text was `previous` (as last read or written): what
/// `to_toml(a)` says, with the previous text's comments, blank lines and order kept. When
/// `previous` is not an assessment stackmap can lay out (not TOML, another kind of file), the
/// canonical text.
pub fn to_toml_keeping(previous: &str, a: &Assessment) -> String {
    // The previous text is read while the canonical one is written: on the large engagement
    // each takes about as long as the other.
    std::thread::scope(|scope| {
        let p = scope.spawn(|| scan(previous));
        let canonical = super::to_toml(a);
        if previous == canonical {
            return canonical;
        }
        let c = scan(&canonical);
        let p = p
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        merge(previous, p, &canonical, c).unwrap_or(canonical)
    })
}

/// `canonical` (a text `to_toml` wrote) laid out as `previous` was. When `previous` was written
/// by `to_toml` and not edited since, the result is `canonical` byte for byte.
/// A file's text as last read or written, for the next save to keep its layout. A file nobody
/// annotated is its own canonical text; its next save is then simply the new canonical text
/// (what `keep_layout` gives for it, held by a property test), so the common case costs no
/// merge at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    text: String,
    canonical: bool,
}

impl Layout {
    /// The file's text, and the canonical text of what it holds.
    pub fn new(text: String, canonical: &str) -> Self {
        Layout {
            canonical: text == canonical,
            text,
        }
    }

    /// The text as last read or written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The canonical text of a changed assessment, laid out as this file is.
    pub fn apply(&self, canonical: &str) -> String {
        if self.canonical {
            canonical.to_string()
        } else {
            keep_layout(&self.text, canonical)
        }
    }
}

pub fn keep_layout(previous: &str, canonical: &str) -> String {
    if previous == canonical {
        return canonical.to_string();
    }
    let (p, c) = std::thread::scope(|scope| {
        let p = scope.spawn(|| scan(previous));
        let c = scan(canonical);
        let p = p
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (p, c)
    });
    merge(previous, p, canonical, c).unwrap_or_else(|| canonical.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Root,
    Engagement,
    PainPoint,
    Initiative,
    System,
    Flow,
    FlowOwners,
    Ownership,
    /// `[ownership.OBJECT.scope.LABEL]`: kept with its object's table, like `[flow.owners]`.
    OwnershipScope,
    Answer,
    Decision,
    Respondent,
    Conflict,
    /// A table stackmap does not write (never matched, so removed).
    Other,
}

/// What a table is about.
type Name<'a> = (Kind, &'a str, Option<&'a str>, &'a str);

#[derive(Debug)]
struct Block<'t> {
    /// Where the comments and blank lines above the table begin.
    start: usize,
    /// Where its header line begins (the root: its first key line).
    head: usize,
    /// Just after its last key line.
    end: usize,
    kind: Kind,
    a: Cow<'t, str>,
    b: Option<Cow<'t, str>>,
    c: Cow<'t, str>,
    /// `[flow.owners]`: the block of its flow; `[ownership.X.scope.L]`: that of `[ownership.X]`.
    parent: Option<usize>,
}

impl Block<'_> {
    fn name(&self) -> Name<'_> {
        (self.kind, &self.a, self.b.as_deref(), &self.c)
    }
}

struct Scanned<'t> {
    blocks: Vec<Block<'t>>,
    /// The root's `kind`.
    kind: Option<Cow<'t, str>>,
}

fn merge<'p, 'c>(
    prev: &'p str,
    p: Option<Scanned<'p>>,
    canon: &'c str,
    c: Option<Scanned<'c>>,
) -> Option<String> {
    let (p, c) = (p?, c?);
    if p.kind.as_deref() != Some("assessment") {
        return None;
    }
    let (pb, cb) = (&p.blocks, &c.blocks);
    let n = pb.len();
    let mut index: FxHashMap<Name, usize> = FxHashMap::default();
    index.reserve(n);
    for (i, b) in pb.iter().enumerate() {
        if b.kind != Kind::Other {
            index.entry(b.name()).or_insert(i);
        }
    }
    // Which block of the previous text each canonical block is (None: new).
    let of_c: Vec<Option<usize>> = cb
        .iter()
        .map(|b| {
            if b.kind == Kind::Other {
                None
            } else {
                index.remove(&b.name())
            }
        })
        .collect();
    drop(index);

    // What each slot of the previous text shows: its own lead and the updated table.
    let mut slots: Vec<Option<(usize, Cow<str>)>> = (0..n).map(|_| None).collect();
    for (k, m) in of_c.iter().enumerate() {
        let Some(i) = *m else { continue };
        let (pt, ct) = (&prev[pb[i].head..pb[i].end], &canon[cb[k].head..cb[k].end]);
        let body = if pt == ct {
            Cow::Borrowed(pt)
        } else {
            Cow::Owned(reconcile(pt, ct).unwrap_or_else(|| ct.to_string()))
        };
        slots[i] = Some((i, body));
    }
    // Notes keep their order in the model: put matched ones back in canonical order, each
    // taking its own comments along.
    let mut slot_of_c: Vec<usize> = of_c.iter().map(|m| m.unwrap_or(usize::MAX)).collect();
    for kind in [Kind::PainPoint, Kind::Initiative] {
        let mut pairs: Vec<(usize, usize)> = (0..cb.len())
            .filter(|&k| cb[k].kind == kind)
            .filter_map(|k| of_c[k].map(|i| (i, k)))
            .collect();
        pairs.sort_unstable();
        if pairs.windows(2).all(|w| w[0].1 < w[1].1) {
            continue;
        }
        let mut by_c: Vec<(usize, usize)> = pairs.clone();
        by_c.sort_unstable_by_key(|&(_, k)| k);
        let mut moved: Vec<Option<(usize, Cow<str>)>> =
            pairs.iter().map(|&(i, _)| slots[i].take()).collect();
        for (m, &(slot, _)) in pairs.iter().enumerate() {
            let (from, k) = by_c[m];
            let src = pairs.iter().position(|&(i, _)| i == from).unwrap_or(m);
            slots[slot] = moved[src].take();
            slot_of_c[k] = slot;
        }
    }
    // A flow and the `[flow.owners]` after it go together: nothing is put between them.
    let mut group_end: Vec<usize> = (0..n).collect();
    for (j, b) in pb.iter().enumerate() {
        if let Some(f) = b.parent {
            group_end[f] = group_end[f].max(j);
        }
    }
    let mut first_slot: FxHashMap<Kind, usize> = FxHashMap::default();
    for (k, b) in cb.iter().enumerate() {
        if of_c[k].is_some() {
            let s = first_slot.entry(b.kind).or_insert(usize::MAX);
            *s = (*s).min(slot_of_c[k]);
        }
    }
    // New tables: after which slot each goes (in canonical order within a slot).
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut placed: Vec<usize> = vec![0; cb.len()];
    let mut last_of_kind: FxHashMap<Kind, usize> = FxHashMap::default();
    let at = |j: usize, placed: &[usize]| -> usize {
        if of_c[j].is_some() {
            group_end[slot_of_c[j]]
        } else {
            placed[j]
        }
    };
    for k in 0..cb.len() {
        let kind = cb[k].kind;
        if of_c[k].is_none() {
            // A scope table goes after the one before it in canonical order when that is a
            // scope of the same object (a sibling), else right after its object's table.
            let sibling = (k > 0
                && kind == Kind::OwnershipScope
                && cb[k - 1].kind == Kind::OwnershipScope
                && cb[k - 1].a == cb[k].a)
                .then(|| k - 1);
            let slot = if let Some(j) = sibling {
                if of_c[j].is_some() {
                    slot_of_c[j]
                } else {
                    placed[j]
                }
            } else if let (Kind::FlowOwners | Kind::OwnershipScope, Some(f)) = (kind, cb[k].parent)
            {
                if of_c[f].is_some() {
                    slot_of_c[f]
                } else {
                    placed[f]
                }
            } else if let Some(&j) = last_of_kind.get(&kind) {
                at(j, &placed)
            } else if let Some(&s) = first_slot.get(&kind) {
                s.saturating_sub(1)
            } else if k > 0 {
                at(k - 1, &placed)
            } else {
                0
            };
            let slot = slot.min(n.saturating_sub(1));
            placed[k] = slot;
            after[slot].push(k);
        }
        last_of_kind.insert(kind, k);
    }

    let mut out = String::with_capacity(canon.len() + canon.len() / 8);
    let line = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    for i in 0..n {
        if let Some((from, body)) = &slots[i] {
            line(&mut out);
            out.push_str(&prev[pb[*from].start..pb[*from].head]);
            line(&mut out);
            out.push_str(body);
        }
        for &k in &after[i] {
            line(&mut out);
            out.push_str(&canon[cb[k].start..cb[k].end]);
        }
    }
    let tail = pb.last().map_or(0, |b| b.end);
    if tail < prev.len() {
        line(&mut out);
        out.push_str(&prev[tail..]);
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// One table, key by key

/// `p` (one table of the previous text, header and keys) updated to say what `c` (the same
/// table in the canonical text) says.
fn reconcile(p: &str, c: &str) -> Option<String> {
    let mut pd: DocumentMut = p.parse().ok()?;
    let cd: DocumentMut = c.parse().ok()?;
    let pt = innermost_mut(pd.as_table_mut());
    let ct = innermost(cd.as_table());
    table(pt, ct);
    Some(pd.to_string())
}

/// The table a header names, in a document of one table.
fn innermost(t: &Table) -> &Table {
    for (_, item) in t.iter() {
        match item {
            Item::Table(s) if !s.is_dotted() => return innermost(s),
            Item::ArrayOfTables(a) => {
                if let Some(s) = a.iter().last() {
                    return innermost(s);
                }
            }
            _ => {}
        }
    }
    t
}

fn innermost_mut(t: &mut Table) -> &mut Table {
    let key = t.iter().find_map(|(k, item)| match item {
        Item::Table(s) if !s.is_dotted() => Some(k.to_string()),
        Item::ArrayOfTables(a) if !a.is_empty() => Some(k.to_string()),
        _ => None,
    });
    let Some(key) = key else { return t };
    match t.get_mut(&key) {
        Some(Item::Table(s)) => innermost_mut(s),
        Some(Item::ArrayOfTables(a)) => {
            let last = a.len() - 1;
            match a.get_mut(last) {
                Some(s) => innermost_mut(s),
                None => unreachable!("not empty"),
            }
        }
        _ => unreachable!("found above"),
    }
}

fn table(p: &mut Table, c: &Table) {
    p.retain(|k, _| c.contains_key(k));
    let mut order: Vec<String> = p.iter().map(|(k, _)| k.to_string()).collect();
    let mut added = false;
    let mut before: Option<&str> = None;
    for (k, ci) in c.iter() {
        match p.get_mut(k) {
            Some(pi) => item(pi, ci),
            None => {
                if let Some(key) = c.key(k) {
                    p.insert_formatted(key, ci.clone());
                } else {
                    p.insert(k, ci.clone());
                }
                let at = before
                    .and_then(|b| order.iter().position(|o| o == b))
                    .map_or(0, |i| i + 1);
                order.insert(at, k.to_string());
                added = true;
            }
        }
        before = Some(k);
    }
    if added {
        let rank = |k: &str| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        p.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    }
}

fn item(p: &mut Item, c: &Item) {
    match (p, c) {
        (Item::Value(pv), Item::Value(cv)) => {
            if !same(pv, cv) {
                let decor = pv.decor().clone();
                *pv = cv.clone();
                *pv.decor_mut() = decor;
            }
        }
        (Item::Table(pt), Item::Table(ct)) => table(pt, ct),
        (p, c) => *p = c.clone(),
    }
}

/// The same value, however it is spelled (literal or basic string, `90` or `90.0`, `Z` or
/// `+00:00`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            *x.value() as f64 == *y.value()
        }
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => same_time(x.value(), y.value()),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

fn same_time(a: &toml_edit::Datetime, b: &toml_edit::Datetime) -> bool {
    use toml_edit::Offset;
    let off = |o: &Option<Offset>| match o {
        Some(Offset::Z) => Some(0),
        Some(Offset::Custom { minutes }) => Some(*minutes),
        None => None,
    };
    let time = |t: &Option<toml_edit::Time>| {
        t.map(|t| {
            (
                t.hour,
                t.minute,
                t.second.unwrap_or(0),
                t.nanosecond.unwrap_or(0),
            )
        })
    };
    a == b
        || (a.date == b.date && time(&a.time) == time(&b.time) && off(&a.offset) == off(&b.offset))
}

// ---------------------------------------------------------------------------------------
// Cutting a text into tables

/// Nesting allowed in a value (arrays in arrays...) before the scanner gives up.
const MAX_DEPTH: u32 = 64;

fn scan(text: &str) -> Option<Scanned<'_>> {
    let s = text.as_bytes();
    let mut i = if s.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut blocks: Vec<Block> = Vec::new();
    let mut kind: Option<Cow<str>> = None;
    // The table being read: where it starts, its header, its identity keys.
    let mut start = 0;
    let mut head: Option<usize> = None;
    let mut end = 0;
    let mut path: Vec<Cow<str>> = Vec::new();
    let mut array = false;
    let mut keys: Vec<(&'static str, Cow<str>)> = Vec::new();
    let mut last_flow: Option<(usize, Cow<str>)> = None;
    let mut last_ownership: Option<(usize, Cow<str>)> = None;
    let mut root = true;
    loop {
        let line = i;
        while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
            i += 1;
        }
        if i >= s.len() {
            break;
        }
        match s[i] {
            b'\n' => i += 1,
            b'\r' if s.get(i + 1) == Some(&b'\n') => i += 2,
            b'#' => i = to_line_end(s, i)?,
            b'[' => {
                let block = finish(
                    &path,
                    array,
                    &keys,
                    last_flow.clone(),
                    last_ownership.clone(),
                    start,
                    head,
                    end,
                    root,
                    &mut kind,
                );
                if block.kind == Kind::Ownership {
                    last_ownership = Some((blocks.len(), block.a.clone()));
                }
                if block.kind == Kind::Flow {
                    last_flow = Some((blocks.len(), block.a.clone()));
                } else if path.first().is_some_and(|p| p == "flow") && path.len() == 1 {
                    // A `[[flow]]` without an id: what follows belongs to no known flow.
                    last_flow = None;
                }
                blocks.push(block);
                root = false;
                keys.clear();
                start = end;
                head = Some(line);
                i += 1;
                array = s.get(i) == Some(&b'[');
                if array {
                    i += 1;
                }
                let (p, j) = key(text, i)?;
                path = p;
                i = skip_ws(s, j);
                if s.get(i) != Some(&b']') {
                    return None;
                }
                i += 1;
                if array {
                    if s.get(i) != Some(&b']') {
                        return None;
                    }
                    i += 1;
                }
                i = rest_of_line(s, i)?;
                end = i;
            }
            _ => {
                if head.is_none() {
                    head = Some(line);
                }
                // Most lines are `bare_key = "text"`: read the key without allocating.
                let from = i;
                while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_' || s[i] == b'-')
                {
                    i += 1;
                }
                let mut name = &text[from..i];
                i = skip_ws(s, i);
                if s.get(i) != Some(&b'=') {
                    let (k, j) = key(text, from)?;
                    name = match k.as_slice() {
                        [Cow::Borrowed(only)] => only,
                        _ => "",
                    };
                    i = skip_ws(s, j);
                    if s.get(i) != Some(&b'=') {
                        return None;
                    }
                }
                i = skip_ws(s, i + 1);
                let v = i;
                let rest = &s[v..];
                let multiline = rest.first().is_some_and(|b| *b == b'[' || *b == b'{')
                    || rest.starts_with(b"\"\"\"")
                    || rest.starts_with(b"'''");
                let wanted = [
                    "id",
                    "questionnaire",
                    "subject",
                    "question",
                    "kind",
                    "respondent",
                ];
                let want = wanted.iter().find(|w| **w == name);
                if multiline || want.is_some() {
                    i = value(text, i, 0)?;
                    let raw = &text[v..i];
                    i = rest_of_line(s, i)?;
                    if let Some(name) = want
                        && let Some(v) = string(raw)
                    {
                        keys.push((name, v));
                    }
                } else {
                    // A value on one line ends with it (a string cannot hold a line break).
                    i = to_line_end(s, i)?;
                }
                end = i;
            }
        }
    }
    let block = finish(
        &path,
        array,
        &keys,
        last_flow,
        last_ownership,
        start,
        head,
        end,
        root,
        &mut kind,
    );
    blocks.push(block);
    Some(Scanned { blocks, kind })
}

#[allow(clippy::too_many_arguments)]
fn finish<'t>(
    path: &[Cow<'t, str>],
    array: bool,
    keys: &[(&'static str, Cow<'t, str>)],
    last_flow: Option<(usize, Cow<'t, str>)>,
    last_ownership: Option<(usize, Cow<'t, str>)>,
    start: usize,
    head: Option<usize>,
    end: usize,
    root: bool,
    kind_out: &mut Option<Cow<'t, str>>,
) -> Block<'t> {
    let get = |k: &str| keys.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let head = head.unwrap_or(start).min(end);
    let mut b = Block {
        start,
        head,
        end,
        kind: Kind::Other,
        a: Cow::Borrowed(""),
        b: None,
        c: Cow::Borrowed(""),
        parent: None,
    };
    let path: Vec<&str> = path.iter().map(|p| p.as_ref()).collect();
    let id = get("id");
    match (path.as_slice(), array) {
        ([], _) if root => {
            b.kind = Kind::Root;
            *kind_out = get("kind");
        }
        (["engagement"], false) => b.kind = Kind::Engagement,
        (["engagement", "pain_points"], true)
        | (["engagement", "initiatives"], true)
        | (["system"], true)
        | (["flow"], true)
        | (["respondent"], true)
        | (["conflict"], true)
        | (["decision"], true) => {
            if let Some(id) = id {
                b.kind = match path[path.len() - 1] {
                    "pain_points" => Kind::PainPoint,
                    "initiatives" => Kind::Initiative,
                    "system" => Kind::System,
                    "flow" => Kind::Flow,
                    "respondent" => Kind::Respondent,
                    "conflict" => Kind::Conflict,
                    _ => Kind::Decision,
                };
                b.a = id;
            }
        }
        (["flow", "owners"], false) => {
            if let Some((f, id)) = last_flow {
                b.kind = Kind::FlowOwners;
                b.parent = Some(f);
                b.a = id;
            }
        }
        (["ownership", object], false) => {
            b.kind = Kind::Ownership;
            b.a = Cow::Owned((*object).to_string());
        }
        (["ownership", object, "scope", label], false) => {
            b.kind = Kind::OwnershipScope;
            b.a = Cow::Owned((*object).to_string());
            b.c = Cow::Owned((*label).to_string());
            b.parent = last_ownership
                .filter(|(_, o)| o.as_ref() == *object)
                .map(|(i, _)| i);
        }
        (["answer"], true) => {
            if let (Some(q), Some(question)) = (get("questionnaire"), get("question")) {
                b.kind = Kind::Answer;
                b.a = q;
                b.b = get("subject");
                // A respondent's answer is another table than the assessor's to the same
                // question: its name carries the respondent after a NUL (never in an id).
                b.c = match get("respondent") {
                    Some(r) => Cow::Owned(format!("{question}\0{r}")),
                    None => question,
                };
            }
        }
        _ => {}
    }
    b
}

/// The text of a string value, when `raw` is one.
fn string(raw: &str) -> Option<Cow<'_, str>> {
    let bytes = raw.as_bytes();
    let simple = raw.len() >= 2
        && !raw.starts_with("\"\"\"")
        && !raw.starts_with("'''")
        && ((bytes[0] == b'"' && bytes[raw.len() - 1] == b'"' && !raw.contains('\\'))
            || (bytes[0] == b'\'' && bytes[raw.len() - 1] == b'\''));
    if simple {
        return Some(Cow::Borrowed(&raw[1..raw.len() - 1]));
    }
    if bytes.first().is_some_and(|b| *b == b'"' || *b == b'\'') {
        let v: Value = raw.parse().ok()?;
        return v.as_str().map(|s| Cow::Owned(s.to_string()));
    }
    None
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
        i += 1;
    }
    i
}

/// Past the end of this line (comment included).
fn to_line_end(s: &[u8], i: usize) -> Option<usize> {
    Some(match s[i..].iter().position(|b| *b == b'\n') {
        Some(n) => i + n + 1,
        None => s.len(),
    })
}

/// After a value or header: spaces, maybe a comment, then the end of the line.
fn rest_of_line(s: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(s, i);
    match s.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if s.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(b'#') => to_line_end(s, i),
        _ => None,
    }
}

/// A dotted key from `i`: its parts and where it ends.
fn key(text: &str, mut i: usize) -> Option<(Vec<Cow<'_, str>>, usize)> {
    let s = text.as_bytes();
    let mut parts = Vec::new();
    loop {
        i = skip_ws(s, i);
        let from = i;
        match s.get(i)? {
            b'"' => {
                i = basic(s, i + 1)?;
                parts.push(string(&text[from..i])?);
            }
            b'\'' => {
                i = literal(s, i + 1)?;
                parts.push(Cow::Borrowed(&text[from + 1..i - 1]));
            }
            _ => {
                while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_' || s[i] == b'-')
                {
                    i += 1;
                }
                if i == from {
                    return None;
                }
                parts.push(Cow::Borrowed(&text[from..i]));
            }
        }
        i = skip_ws(s, i);
        if s.get(i) == Some(&b'.') {
            i += 1;
        } else {
            return Some((parts, i));
        }
    }
}

/// A single-line basic string from just after its opening quote; returns past the closing one.
fn basic(s: &[u8], mut i: usize) -> Option<usize> {
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

fn literal(s: &[u8], i: usize) -> Option<usize> {
    let n = s[i..].iter().position(|b| *b == b'\'' || *b == b'\n')?;
    (s[i + n] == b'\'').then_some(i + n + 1)
}

/// A multi-line string from just after its opening delimiter `q q q`; returns past the closing
/// one (which may be preceded by one or two more quotes that belong to the text).
fn multiline(s: &[u8], mut i: usize, q: u8) -> Option<usize> {
    while i < s.len() {
        let c = s[i];
        if c == b'\\' && q == b'"' {
            i += 2;
        } else if c == q && s.get(i + 1) == Some(&q) && s.get(i + 2) == Some(&q) {
            i += 3;
            let mut extra = 0;
            while extra < 2 && s.get(i) == Some(&q) {
                i += 1;
                extra += 1;
            }
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
}

/// Spaces, line breaks and comments inside an array or inline table.
fn trivia(s: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match s.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
            Some(b'#') => i = to_line_end(s, i)?,
            _ => return Some(i),
        }
    }
}

/// A value from `i`; returns where it ends.
fn value(text: &str, i: usize, depth: u32) -> Option<usize> {
    let s = text.as_bytes();
    if depth > MAX_DEPTH {
        return None;
    }
    match *s.get(i)? {
        b'"' if s[i..].starts_with(b"\"\"\"") => multiline(s, i + 3, b'"'),
        b'"' => basic(s, i + 1),
        b'\'' if s[i..].starts_with(b"'''") => multiline(s, i + 3, b'\''),
        b'\'' => literal(s, i + 1),
        b'[' => {
            let mut j = i + 1;
            loop {
                j = trivia(s, j)?;
                if s.get(j) == Some(&b']') {
                    return Some(j + 1);
                }
                j = value(text, j, depth + 1)?;
                j = trivia(s, j)?;
                match s.get(j)? {
                    b',' => j += 1,
                    b']' => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'{' => {
            let mut j = i + 1;
            loop {
                j = trivia(s, j)?;
                if s.get(j) == Some(&b'}') {
                    return Some(j + 1);
                }
                let (_, k) = key(text, j)?;
                j = skip_ws(s, k);
                if s.get(j) != Some(&b'=') {
                    return None;
                }
                j = skip_ws(s, j + 1);
                j = value(text, j, depth + 1)?;
                j = trivia(s, j)?;
                match s.get(j)? {
                    b',' => j += 1,
                    b'}' => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        _ => {
            let mut j = i;
            loop {
                while j < s.len()
                    && !matches!(
                        s[j],
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#'
                    )
                {
                    j += 1;
                }
                // A date-time may separate its date and time with a space.
                let date = j - i == 10 && s[i + 4] == b'-' && s[i + 7] == b'-';
                if date && s.get(j) == Some(&b' ') && s.get(j + 1).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                    continue;
                }
                break;
            }
            (j > i).then_some(j)
        }
    }
}
