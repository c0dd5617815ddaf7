//! Importing a client's spreadsheet of systems and interfaces: CSV text → systems and flows
//! added to an assessment.
//!
//! Pure: the caller reads the files and saves the result (the command line under the
//! assessment's sidecar lock, the terminal UI from its inventory screen). [`import`] returns
//! the new assessment only when every row of every file is good; otherwise every problem, each
//! at its file, line and column (the cell's number; the message names the column's header), so
//! nothing is ever half-imported.
//!
//! Spreadsheets are written by people, so names are matched forgivingly: headers and values
//! ignore case, spaces, `_` and `-`; categories also accept common product names ("NetSuite"
//! → `erp`), mechanisms common transport names ("SFTP" → `file`), and flows may name their
//! systems by id or by name. Every such mapping is listed in the [`ImportReport`], so the
//! assessor sees what was read. The rules are documented in docs/FORMATS.md, "Import (CSV)".

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::content::Content;
use crate::diag::{Diagnostic, Severity, hint};
use crate::model::{Assessment, Flow, Owners, System};
use crate::validate::{self, is_valid_id, suggest_id};
use crate::vocab::*;

/// One CSV file to import: the path to show in diagnostics and its text.
#[derive(Debug, Clone, Copy)]
pub struct CsvText<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// What an import added and which names it read as something else.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Ids of the systems added, in file order.
    pub systems: Vec<String>,
    /// Ids of the flows added, in file order.
    pub flows: Vec<String>,
    /// Names that were not written exactly as stackmap writes them, and what they were read
    /// as; each once, in the order first met.
    pub mapped: Vec<Mapped>,
}

/// A value read as another name: `NetSuite` → `erp` (category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// What was mapped: "category", "status", "TIME decision", "capability", "data object",
    /// "mechanism", "flow mode", "system".
    pub what: &'static str,
    pub from: String,
    pub to: String,
}

// ---------------------------------------------------------------------------------------
// Columns

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Name,
    Category,
    Vendor,
    Status,
    Team,
    Capabilities,
    Time,
    Notes,
    From,
    To,
    Via,
    Objects,
    Mechanism,
    Mode,
    Checkout,
    Source,
    Contract,
    Failure,
    Owner,
    Failures,
    Retries,
    Dashboards,
    Runbook,
    ReleaseHandoff,
}

/// A documented column: its name, whether the header must have it, and the other headers
/// that mean the same (compared after dropping case, spaces, `_`, `-` and other punctuation).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub field: Field,
    pub name: &'static str,
    pub required: bool,
    pub aliases: &'static [&'static str],
}

const fn col(
    field: Field,
    name: &'static str,
    required: bool,
    aliases: &'static [&'static str],
) -> Column {
    Column {
        field,
        name,
        required,
        aliases,
    }
}

/// The columns of a systems file, in documented order.
pub const SYSTEM_COLUMNS: &[Column] = &[
    col(Field::Id, "id", false, &["system id"]),
    col(Field::Name, "name", true, &["system", "system name"]),
    col(
        Field::Category,
        "category",
        true,
        &["type", "system type", "system category"],
    ),
    col(Field::Vendor, "vendor", false, &["supplier", "provider"]),
    col(Field::Status, "status", false, &["lifecycle"]),
    col(Field::Team, "team", false, &["owner", "owning team"]),
    col(Field::Capabilities, "capabilities", false, &["capability"]),
    col(
        Field::Time,
        "time",
        false,
        &["time decision", "TIME rating"],
    ),
    col(
        Field::Notes,
        "notes",
        false,
        &["note", "comments", "comment", "description"],
    ),
];

/// The columns of a flows file, in documented order.
pub const FLOW_COLUMNS: &[Column] = &[
    col(Field::Id, "id", false, &["flow id", "interface id"]),
    col(
        Field::Name,
        "name",
        false,
        &["flow", "flow name", "interface", "interface name"],
    ),
    col(
        Field::From,
        "from",
        true,
        &["from system", "source system", "sender"],
    ),
    col(
        Field::To,
        "to",
        true,
        &[
            "to system",
            "target system",
            "target",
            "receiver",
            "destination",
        ],
    ),
    col(Field::Via, "via", false, &["hub", "middleware"]),
    col(
        Field::Objects,
        "objects",
        false,
        &["object", "data objects", "data", "entities"],
    ),
    col(
        Field::Mechanism,
        "mechanism",
        true,
        &["method", "transport", "integration type", "protocol"],
    ),
    col(
        Field::Mode,
        "mode",
        false,
        &["sync/async", "sync", "timing"],
    ),
    col(
        Field::Checkout,
        "checkout",
        false,
        &["in checkout", "checkout critical"],
    ),
    col(Field::Source, "source", false, &["change detection"]),
    col(Field::Contract, "contract", false, &["schema"]),
    col(
        Field::Failure,
        "failure",
        false,
        &["failure handling", "error handling", "on failure"],
    ),
    col(Field::Owner, "owner", false, &["flow owner", "accountable"]),
    col(
        Field::Failures,
        "failures_owner",
        false,
        &["owners.failures"],
    ),
    col(Field::Retries, "retries_owner", false, &["owners.retries"]),
    col(
        Field::Dashboards,
        "dashboards_owner",
        false,
        &["owners.dashboards"],
    ),
    col(Field::Runbook, "runbook_owner", false, &["owners.runbook"]),
    col(
        Field::ReleaseHandoff,
        "release_handoff_owner",
        false,
        &["owners.release_handoff", "release owner"],
    ),
    col(
        Field::Notes,
        "notes",
        false,
        &["note", "comments", "comment", "description"],
    ),
];

// ---------------------------------------------------------------------------------------
// Forgiving names

/// Lowercase letters and digits only: `Sync / Async` → `syncasync`, `S/4HANA` → `s4hana`.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A normalised name without one trailing `s`, so plurals match (`Orders` → `order`).
fn singular(n: &str) -> &str {
    if n.len() > 2 {
        n.strip_suffix('s').unwrap_or(n)
    } else {
        n
    }
}

fn same(a: &str, b: &str) -> bool {
    a == b || singular(a) == singular(b)
}

/// Other words for categories (products are in [`PRODUCTS`]).
const CATEGORY_WORDS: &[(&str, Category)] = &[
    ("ecommerce", Category::Platform),
    ("ecommerce platform", Category::Platform),
    ("commerce platform", Category::Platform),
    ("commerce", Category::Platform),
    ("storefront", Category::Platform),
    ("webshop", Category::Platform),
    ("enterprise resource planning", Category::Erp),
    ("product information management", Category::Pim),
    ("order management", Category::Oms),
    ("order management system", Category::Oms),
    ("payment", Category::Payments),
    ("psp", Category::Payments),
    ("payment gateway", Category::Payments),
    ("payment service provider", Category::Payments),
    ("taxes", Category::Tax),
    ("tax engine", Category::Tax),
    ("carrier", Category::Shipping),
    ("3pl", Category::Shipping),
    ("logistics", Category::Shipping),
    ("fulfilment", Category::Shipping),
    ("fulfillment", Category::Shipping),
    ("marketplace connector", Category::Marketplace),
    ("channel manager", Category::Marketplace),
    ("site search", Category::Search),
    ("content management", Category::Cms),
    ("content management system", Category::Cms),
    ("headless cms", Category::Cms),
    ("middleware", Category::Ipaas),
    ("integration platform", Category::Ipaas),
    ("integration", Category::Ipaas),
    ("esb", Category::Ipaas),
    ("crm", Category::Other),
    ("cdp", Category::Other),
    ("bi", Category::Other),
    ("loyalty", Category::Other),
    ("reviews", Category::Other),
];

/// Products and vendors that say what kind of system they are. A category cell (or, when
/// the category is empty, the vendor or the name) matches a product when it starts with it
/// at a word boundary ("Shopify Plus" matches "Shopify"); the longest match wins ("SAP
/// Commerce Cloud" is a platform, "SAP S/4HANA" an ERP).
pub const PRODUCTS: &[(&str, Category)] = &[
    // ERP
    ("SAP S/4HANA", Category::Erp),
    ("SAP ECC", Category::Erp),
    ("SAP Business One", Category::Erp),
    ("SAP Business ByDesign", Category::Erp),
    ("SAP", Category::Erp),
    ("NetSuite", Category::Erp),
    ("Oracle NetSuite", Category::Erp),
    ("Dynamics 365", Category::Erp),
    ("Microsoft Dynamics 365", Category::Erp),
    ("Dynamics AX", Category::Erp),
    ("Dynamics NAV", Category::Erp),
    ("Business Central", Category::Erp),
    ("Sage", Category::Erp),
    ("Odoo", Category::Erp),
    ("Infor", Category::Erp),
    ("Epicor", Category::Erp),
    ("Acumatica", Category::Erp),
    ("JD Edwards", Category::Erp),
    // PIM
    ("Akeneo", Category::Pim),
    ("Salsify", Category::Pim),
    ("inRiver", Category::Pim),
    ("Pimcore", Category::Pim),
    ("Plytix", Category::Pim),
    ("Syndigo", Category::Pim),
    ("Stibo", Category::Pim),
    // Platforms
    ("Shopify", Category::Platform),
    ("Salesforce Commerce Cloud", Category::Platform),
    ("Salesforce B2C Commerce", Category::Platform),
    ("SFCC", Category::Platform),
    ("Adobe Commerce", Category::Platform),
    ("Magento", Category::Platform),
    ("BigCommerce", Category::Platform),
    ("commercetools", Category::Platform),
    ("SAP Commerce", Category::Platform),
    ("Hybris", Category::Platform),
    ("WooCommerce", Category::Platform),
    ("VTEX", Category::Platform),
    ("Spryker", Category::Platform),
    ("Elastic Path", Category::Platform),
    // OMS
    ("Manhattan", Category::Oms),
    ("Fluent Commerce", Category::Oms),
    ("Kibo", Category::Oms),
    ("IBM Sterling", Category::Oms),
    ("Salesforce Order Management", Category::Oms),
    ("Deck Commerce", Category::Oms),
    ("OneStock", Category::Oms),
    // Payments
    ("Stripe", Category::Payments),
    ("Adyen", Category::Payments),
    ("Braintree", Category::Payments),
    ("PayPal", Category::Payments),
    ("Checkout.com", Category::Payments),
    ("Worldpay", Category::Payments),
    ("Klarna", Category::Payments),
    ("Mollie", Category::Payments),
    // Tax
    ("Avalara", Category::Tax),
    ("AvaTax", Category::Tax),
    ("Vertex", Category::Tax),
    ("TaxJar", Category::Tax),
    ("Sovos", Category::Tax),
    ("Stripe Tax", Category::Tax),
    // Shipping
    ("ShipStation", Category::Shipping),
    ("project44", Category::Shipping),
    ("EasyPost", Category::Shipping),
    ("Shippo", Category::Shipping),
    ("ShipBob", Category::Shipping),
    ("Sendcloud", Category::Shipping),
    ("nShift", Category::Shipping),
    ("Metapack", Category::Shipping),
    // Marketplaces
    ("ChannelAdvisor", Category::Marketplace),
    ("Rithum", Category::Marketplace),
    ("Amazon", Category::Marketplace),
    ("eBay", Category::Marketplace),
    ("Zalando", Category::Marketplace),
    ("Mirakl", Category::Marketplace),
    ("Walmart Marketplace", Category::Marketplace),
    ("Etsy", Category::Marketplace),
    // Search
    ("Algolia", Category::Search),
    ("Constructor", Category::Search),
    ("Bloomreach", Category::Search),
    ("Coveo", Category::Search),
    ("Klevu", Category::Search),
    ("Searchspring", Category::Search),
    // CMS
    ("Contentful", Category::Cms),
    ("Amplience", Category::Cms),
    ("Contentstack", Category::Cms),
    ("Bloomreach Content", Category::Cms),
    ("Storyblok", Category::Cms),
    ("Sanity", Category::Cms),
    ("Adobe Experience Manager", Category::Cms),
    ("Sitecore", Category::Cms),
    // Integration platforms
    ("MuleSoft", Category::Ipaas),
    ("Boomi", Category::Ipaas),
    ("Dell Boomi", Category::Ipaas),
    ("Celigo", Category::Ipaas),
    ("Workato", Category::Ipaas),
    ("Jitterbit", Category::Ipaas),
    ("SnapLogic", Category::Ipaas),
    ("Tray.io", Category::Ipaas),
    ("Azure Logic Apps", Category::Ipaas),
    // Other
    ("Salesforce", Category::Other),
    ("HubSpot", Category::Other),
    ("Klaviyo", Category::Other),
    ("Segment", Category::Other),
    ("Zendesk", Category::Other),
];

/// Other words for mechanisms.
const MECHANISM_WORDS: &[(&str, Mechanism)] = &[
    ("rest", Mechanism::Api),
    ("rest api", Mechanism::Api),
    ("graphql", Mechanism::Api),
    ("soap", Mechanism::Api),
    ("http", Mechanism::Api),
    ("https", Mechanism::Api),
    ("grpc", Mechanism::Api),
    ("odata", Mechanism::Api),
    ("rpc", Mechanism::Api),
    ("callback", Mechanism::Webhook),
    ("queue", Mechanism::Event),
    ("message queue", Mechanism::Event),
    ("messaging", Mechanism::Event),
    ("message", Mechanism::Event),
    ("event bus", Mechanism::Event),
    ("pub/sub", Mechanism::Event),
    ("stream", Mechanism::Event),
    ("streaming", Mechanism::Event),
    ("kafka", Mechanism::Event),
    ("mq", Mechanism::Event),
    ("scheduled", Mechanism::Batch),
    ("nightly", Mechanism::Batch),
    ("cron", Mechanism::Batch),
    ("bulk", Mechanism::Batch),
    ("etl", Mechanism::Batch),
    ("job", Mechanism::Batch),
    ("sftp", Mechanism::File),
    ("ftp", Mechanism::File),
    ("ftps", Mechanism::File),
    ("csv", Mechanism::File),
    ("xml", Mechanism::File),
    ("edi", Mechanism::File),
    ("flat file", Mechanism::File),
    ("file drop", Mechanism::File),
    ("middleware", Mechanism::Ipaas),
    ("integration platform", Mechanism::Ipaas),
    ("connector", Mechanism::Ipaas),
    ("esb", Mechanism::Ipaas),
    ("mulesoft", Mechanism::Ipaas),
    ("boomi", Mechanism::Ipaas),
    ("celigo", Mechanism::Ipaas),
    ("workato", Mechanism::Ipaas),
    ("rekey", Mechanism::Manual),
    ("re-keyed", Mechanism::Manual),
    ("spreadsheet", Mechanism::Manual),
    ("email", Mechanism::Manual),
    ("upload", Mechanism::Manual),
    ("copy paste", Mechanism::Manual),
];

const MODE_WORDS: &[(&str, FlowMode)] = &[
    ("synchronous", FlowMode::Sync),
    ("blocking", FlowMode::Sync),
    ("request response", FlowMode::Sync),
    ("asynchronous", FlowMode::Async),
    ("fire and forget", FlowMode::Async),
    ("queued", FlowMode::Async),
    ("non-blocking", FlowMode::Async),
];

const STATUS_WORDS: &[(&str, SystemStatus)] = &[
    ("live", SystemStatus::Existing),
    ("current", SystemStatus::Existing),
    ("active", SystemStatus::Existing),
    ("production", SystemStatus::Existing),
    ("in use", SystemStatus::Existing),
    ("planned", SystemStatus::Candidate),
    ("proposed", SystemStatus::Candidate),
    ("evaluating", SystemStatus::Candidate),
    ("shortlisted", SystemStatus::Candidate),
    ("retire", SystemStatus::Retiring),
    ("sunset", SystemStatus::Retiring),
    ("sunsetting", SystemStatus::Retiring),
    ("decommissioning", SystemStatus::Retiring),
    ("to be retired", SystemStatus::Retiring),
    ("phasing out", SystemStatus::Retiring),
    ("deprecated", SystemStatus::Retiring),
];

const TIME_WORDS: &[(&str, TimeDecision)] = &[
    ("t", TimeDecision::Tolerate),
    ("i", TimeDecision::Invest),
    ("m", TimeDecision::Migrate),
    ("e", TimeDecision::Eliminate),
];

const CAPABILITY_WORDS: &[(&str, Capability)] = &[
    ("catalog", Capability::CatalogManagement),
    ("catalogue", Capability::CatalogManagement),
    ("catalogue management", Capability::CatalogManagement),
    ("product management", Capability::CatalogManagement),
    ("price", Capability::Pricing),
    ("promotion", Capability::Promotions),
    ("discounts", Capability::Promotions),
    ("inventory", Capability::InventoryManagement),
    ("stock", Capability::InventoryManagement),
    ("checkout", Capability::OrderCapture),
    ("fulfillment", Capability::Fulfilment),
    ("shipping", Capability::Fulfilment),
    ("payment", Capability::Payments),
    ("tax", Capability::TaxCalculation),
    ("cms", Capability::Content),
    ("customers", Capability::CustomerAccounts),
    ("accounts", Capability::CustomerAccounts),
    ("marketplaces", Capability::MarketplaceSync),
    ("marketplace", Capability::MarketplaceSync),
    ("ipaas", Capability::Integration),
    ("middleware", Capability::Integration),
];

const OBJECT_WORDS: &[(&str, DataObject)] = &[
    ("product", DataObject::Catalog),
    ("products", DataObject::Catalog),
    ("catalogue", DataObject::Catalog),
    ("sku", DataObject::Catalog),
    ("prices", DataObject::Price),
    ("pricing", DataObject::Price),
    ("stock", DataObject::Inventory),
    ("stock levels", DataObject::Inventory),
    ("customers", DataObject::Customer),
    ("discounts", DataObject::Promotion),
    ("coupons", DataObject::Promotion),
    ("taxes", DataObject::Tax),
    ("shipping", DataObject::Shipment),
    ("tracking", DataObject::Shipment),
    ("fulfilment", DataObject::Shipment),
    ("fulfillment", DataObject::Shipment),
    ("refunds", DataObject::Payment),
    ("settlement", DataObject::Payment),
    ("rma", DataObject::Return),
];

const TRUE_WORDS: &[&str] = &["yes", "y", "true", "1", "x"];
const FALSE_WORDS: &[&str] = &["no", "n", "false", "0"];

/// A vocabulary name written forgivingly: its own name in any case and spacing, a plural, or
/// one of `words`.
fn lookup<T: Vocab>(text: &str, words: &[(&str, T)]) -> Option<T> {
    let n = normalise(text);
    if n.is_empty() {
        return None;
    }
    T::all()
        .iter()
        .copied()
        .find(|v| same(&normalise(v.as_str()), &n))
        .or_else(|| {
            words
                .iter()
                .find(|(w, _)| same(&normalise(w), &n))
                .map(|(_, v)| *v)
        })
}

/// Normalised text with, per normalised character, whether a word ends after it (the next
/// character is not a letter or digit, or starts a new capitalised word, or the text ends).
fn words_of(text: &str) -> (Vec<char>, Vec<bool>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut ends = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            continue;
        }
        out.extend(c.to_lowercase());
        let end = match chars.get(i + 1) {
            None => true,
            Some(next) => {
                !next.is_alphanumeric()
                    || (c.is_lowercase() && next.is_uppercase())
                    || (c.is_alphabetic() != next.is_alphabetic())
            }
        };
        while ends.len() < out.len() {
            ends.push(false);
        }
        if let Some(last) = ends.last_mut() {
            *last = end;
        }
    }
    (out, ends)
}

/// The product a text names, if any: the longest entry of [`PRODUCTS`] the text starts with
/// at a word boundary.
pub fn product_category(text: &str) -> Option<(&'static str, Category)> {
    let (chars, ends) = words_of(text);
    PRODUCTS
        .iter()
        .filter(|(product, _)| {
            let key: Vec<char> = normalise(product).chars().collect();
            !key.is_empty()
                && chars.len() >= key.len()
                && chars[..key.len()] == key[..]
                && ends[key.len() - 1]
        })
        .max_by_key(|(product, _)| normalise(product).len())
        .map(|(p, c)| (*p, *c))
}

// ---------------------------------------------------------------------------------------
// Reading a CSV file

/// One data row: its line in the file and its cells (trimmed).
struct Row {
    line: u32,
    cells: Vec<String>,
}

/// A parsed file: the header as written, which column each field is in, and the rows.
struct Table<'a> {
    path: &'a str,
    headers: Vec<String>,
    at: HashMap<Field, usize>,
    rows: Vec<Row>,
}

impl Table<'_> {
    fn has(&self, f: Field) -> bool {
        self.at.contains_key(&f)
    }

    /// The cell of `f` in `row` and its column index (0-based); empty cells are `None`.
    fn cell<'r>(&self, row: &'r Row, f: Field) -> Option<(&'r str, usize)> {
        let i = *self.at.get(&f)?;
        let v = row.cells.get(i)?.as_str();
        (!v.is_empty()).then_some((v, i))
    }

    fn text(&self, row: &Row, f: Field) -> String {
        self.cell(row, f)
            .map(|(v, _)| v.to_string())
            .unwrap_or_default()
    }
}

/// The delimiter of a file: `,`, or `;` when the header has semicolons and no commas
/// (Excel in many European locales), or a tab when it has only tabs.
fn delimiter(header: &str) -> u8 {
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

struct Diags<'a> {
    path: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Diags<'_> {
    fn at(&mut self, line: u32, column: usize, message: String) {
        self.out.push(Diagnostic {
            path: self.path.to_string(),
            line,
            column: u32::try_from(column).unwrap_or(u32::MAX),
            severity: Severity::Error,
            message,
            id: None,
        });
    }
}

fn read_table<'a>(
    file: CsvText<'a>,
    columns: &[Column],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Table<'a> {
    let mut d = Diags {
        path: file.path,
        out: diags,
    };
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(file.text);
    let mut table = Table {
        path: file.path,
        headers: Vec::new(),
        at: HashMap::new(),
        rows: Vec::new(),
    };
    let header_line = text.lines().find(|l| !l.trim().is_empty());
    let Some(header_line) = header_line else {
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        d.at(
            1,
            1,
            format!(
                "the file is empty: the first line must be the header of a {what} file, e.g. `{}`",
                names.join(",")
            ),
        );
        return table;
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(header_line))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut header_seen = false;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(1, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                d.at(line, 1, format!("cannot read this line as CSV: {e}"));
                continue;
            }
        };
        let line = record
            .position()
            .map_or(1, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            header(&mut table, &mut d, line, cells, columns, what);
            continue;
        }
        if let Some(i) = cells
            .iter()
            .zip(&table.headers)
            .position(|(c, h)| !c.is_empty() && h.is_empty())
        {
            d.at(
                line,
                i + 1,
                "this cell is in a column without a header; name the column or empty the cell"
                    .to_string(),
            );
            continue;
        }
        if cells.len() > table.headers.len() {
            let extra = cells.len() - table.headers.len();
            if cells[table.headers.len()..].iter().any(|c| !c.is_empty()) {
                d.at(
                    line,
                    table.headers.len() + 1,
                    format!(
                        "this row has {} cells but the header has {}; quote a cell that contains the delimiter (\"a, b\") or remove the {extra} extra",
                        cells.len(),
                        table.headers.len()
                    ),
                );
                continue;
            }
        }
        table.rows.push(Row { line, cells });
    }
    table
}

fn header(
    table: &mut Table,
    d: &mut Diags,
    line: u32,
    cells: Vec<String>,
    columns: &[Column],
    what: &str,
) {
    let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
    for (i, h) in cells.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let n = normalise(h);
        let found = columns
            .iter()
            .find(|c| normalise(c.name) == n || c.aliases.iter().any(|a| normalise(a) == n));
        match found {
            None => d.at(
                line,
                i + 1,
                format!(
                    "unknown column `{h}` in a {what} file{}",
                    hint(&h.to_lowercase(), known.iter().copied())
                ),
            ),
            Some(c) => {
                if let Some(&first) = table.at.get(&c.field) {
                    d.at(
                        line,
                        i + 1,
                        format!(
                            "column `{h}` is `{}` again (first as `{}` in column {}); keep one",
                            c.name,
                            cells[first],
                            first + 1
                        ),
                    );
                } else {
                    table.at.insert(c.field, i);
                }
            }
        }
    }
    for c in columns.iter().filter(|c| c.required) {
        if !table.at.contains_key(&c.field) {
            d.at(
                line,
                1,
                format!(
                    "missing required column `{}` in the header of a {what} file (it has: {}){}",
                    c.name,
                    cells
                        .iter()
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    // "Source" and "Target" are common headers for a flow's ends, but
                    // `source` is step 1 of a flow: say so rather than leave it a puzzle.
                    if c.field == Field::From && table.at.contains_key(&Field::Source) {
                        "; a `source` column is step 1 of a flow (how changes are detected): name the sending system's column `from`"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
    table.headers = cells;
}

// ---------------------------------------------------------------------------------------
// Rows → systems and flows

struct Ctx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    report: &'a mut ImportReport,
}

impl Ctx<'_> {
    fn error(&mut self, table: &Table, row: &Row, col: usize, message: impl AsRef<str>) {
        let header = table.headers.get(col).map_or("", String::as_str);
        self.diags.push(Diagnostic {
            path: table.path.to_string(),
            line: row.line,
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
            severity: Severity::Error,
            message: format!("`{header}` (column {}): {}", col + 1, message.as_ref()),
            id: None,
        });
    }

    fn mapped(&mut self, what: &'static str, from: &str, to: &str) {
        if from == to {
            return;
        }
        let m = Mapped {
            what,
            from: from.to_string(),
            to: to.to_string(),
        };
        if !self.report.mapped.contains(&m) {
            self.report.mapped.push(m);
        }
    }

    /// A single vocabulary value from a cell: `None` when the cell is empty, `Some(Err)` when
    /// it is not a name stackmap knows (already reported).
    fn one<T: Vocab>(
        &mut self,
        table: &Table,
        row: &Row,
        field: Field,
        words: &[(&str, T)],
        what: &'static str,
    ) -> Option<Result<T, ()>> {
        let (v, i) = table.cell(row, field)?;
        match lookup(v, words) {
            Some(x) => {
                self.mapped(what, v, x.as_str());
                Some(Ok(x))
            }
            None => {
                let names: Vec<&str> = T::all().iter().map(|x| x.as_str()).collect();
                self.error(
                    table,
                    row,
                    i,
                    format!(
                        "unknown {} `{v}`{}",
                        T::WHAT,
                        hint(&v.to_lowercase(), names)
                    ),
                );
                Some(Err(()))
            }
        }
    }

    /// A list of vocabulary values separated by `;`, `,` or `|`; duplicates count once.
    fn list<T: Vocab + PartialEq>(
        &mut self,
        table: &Table,
        row: &Row,
        field: Field,
        words: &[(&str, T)],
        what: &'static str,
    ) -> Result<Vec<T>, ()> {
        let Some((v, i)) = table.cell(row, field) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut ok = true;
        for part in v.split([';', ',', '|', '\n']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match lookup(part, words) {
                Some(x) => {
                    self.mapped(what, part, x.as_str());
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                None => {
                    ok = false;
                    let names: Vec<&str> = T::all().iter().map(|x| x.as_str()).collect();
                    self.error(
                        table,
                        row,
                        i,
                        format!(
                            "unknown {} `{part}`{}",
                            T::WHAT,
                            hint(&part.to_lowercase(), names)
                        ),
                    );
                }
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }
}

/// A system id the import knows: from the assessment or from a row of the systems file.
struct Known {
    id: String,
    name: String,
}

fn systems(
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

fn flows(table: &Table, assessment: &Assessment, ctx: &mut Ctx, known: &[Known]) -> Vec<Flow> {
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
        let (Some((from, _)), Some((to, _)), Ok(objects), Ok(mechanism), Ok(mode), Ok(checkout)) =
            (from, to, objects, mechanism, mode, checkout)
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
        out.push(Flow {
            id,
            name,
            from,
            to,
            via: via.map(|(v, _)| v),
            objects,
            mechanism,
            mode: mode.unwrap_or(if mechanism == Mechanism::Api {
                FlowMode::Sync
            } else {
                FlowMode::Async
            }),
            checkout,
            source: table.text(row, Field::Source),
            contract: table.text(row, Field::Contract),
            failure: table.text(row, Field::Failure),
            owner: table.text(row, Field::Owner),
            owners: Owners {
                failures: table.text(row, Field::Failures),
                retries: table.text(row, Field::Retries),
                dashboards: table.text(row, Field::Dashboards),
                runbook: table.text(row, Field::Runbook),
                release_handoff: table.text(row, Field::ReleaseHandoff),
            },
            notes: table.text(row, Field::Notes),
        });
    }
    out
}

/// Adds the systems and flows of a client's CSV files to `assessment`.
///
/// Returns the new assessment (in canonical order) and what was added, or, when any row of
/// any file has a problem, every problem found and nothing else: an import is all or nothing.
/// Flows may name systems of the assessment or of `systems`; ids already in the assessment
/// are refused (an import only adds). `content` is what the result is checked against, the
/// same check a saved file gets.
pub fn import(
    content: &Content,
    assessment: &Assessment,
    systems_csv: Option<CsvText>,
    flows_csv: Option<CsvText>,
) -> Result<(Assessment, ImportReport), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut report = ImportReport::default();
    let mut known: Vec<Known> = assessment
        .systems
        .iter()
        .map(|s| Known {
            id: s.id.clone(),
            name: s.name.clone(),
        })
        .collect();
    let mut new_systems = Vec::new();
    let mut new_flows = Vec::new();
    // Each file's problems in line and column order (the header's first).
    let by_position = |d: &mut [Diagnostic]| d.sort_by_key(|d| (d.line, d.column));
    if let Some(file) = systems_csv {
        let table = read_table(file, SYSTEM_COLUMNS, "systems", &mut diags);
        let mut ctx = Ctx {
            diags: &mut diags,
            report: &mut report,
        };
        new_systems = systems(&table, assessment, &mut ctx, &mut known);
        by_position(&mut diags);
    }
    if let Some(file) = flows_csv {
        let start = diags.len();
        let table = read_table(file, FLOW_COLUMNS, "flows", &mut diags);
        let mut ctx = Ctx {
            diags: &mut diags,
            report: &mut report,
        };
        new_flows = flows(&table, assessment, &mut ctx, &known);
        by_position(&mut diags[start..]);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    report.systems = new_systems.iter().map(|s| s.id.clone()).collect();
    report.flows = new_flows.iter().map(|f| f.id.clone()).collect();
    let mut a = assessment.clone();
    a.systems.extend(new_systems);
    a.flows.extend(new_flows);
    a.canonicalise();
    // What an import makes must load like a saved file: check it the same way.
    crate::workspace::checked_text(&a, "<import>", content)?;
    Ok((a, report))
}
