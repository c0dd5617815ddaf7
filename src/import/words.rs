//! The word tables that make an import forgiving: the columns of each file with the other
//! headers that mean them, and the other words for categories (product names among them),
//! mechanisms, flow modes, statuses, TIME decisions, capabilities and data objects. Names are
//! compared after [`normalise`]; every table is documented in docs/FORMATS.md.

use crate::vocab::*;

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
    Direction,
    Scopes,
    // The questions file (`stackmap questions`, read back by `import --answers`).
    Questionnaire,
    Subject,
    SubjectName,
    Section,
    Question,
    Kind,
    Prompt,
    Help,
    Options,
    Answer,
    Note,
    Confidence,
    By,
    Inferred,
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
        Field::Scopes,
        "scopes",
        false,
        &[
            "scope", "brand", "brands", "region", "regions", "channel", "channels",
        ],
    ),
    col(
        Field::Notes,
        "notes",
        false,
        &["note", "comments", "comment", "description"],
    ),
];

/// The columns of a questions file (`stackmap questions --format csv`), in the order it
/// writes them; `import --answers` reads `questionnaire`, `subject`, `question`, `answer`,
/// `note`, `confidence` and `by`, and passes over the others (they are there for the reader).
pub const ANSWER_COLUMNS: &[Column] = &[
    col(Field::Questionnaire, "questionnaire", true, &[]),
    col(Field::Subject, "subject", false, &["subject id"]),
    col(Field::Question, "question", true, &["question id"]),
    col(Field::Prompt, "prompt", false, &[]),
    col(Field::Help, "help", false, &[]),
    col(Field::Options, "options", false, &[]),
    col(Field::Answer, "answer", true, &["value", "response"]),
    col(
        Field::Note,
        "note",
        false,
        &["notes", "comment", "comments"],
    ),
    col(Field::Confidence, "confidence", false, &[]),
    col(Field::By, "by", false, &["answered by", "who"]),
    col(Field::SubjectName, "subject_name", false, &["subject name"]),
    col(Field::Section, "section", false, &[]),
    col(Field::Kind, "kind", false, &["type"]),
    col(
        Field::Inferred,
        "inferred",
        false,
        &["inferred by", "read from the map"],
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
        Field::Direction,
        "direction",
        false,
        &["push/pull", "initiated by", "started by"],
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
pub(super) const CATEGORY_WORDS: &[(&str, Category)] = &[
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
    // Glue code moves data point to point; it is not a hub.
    ("script", Category::Glue),
    ("scripts", Category::Glue),
    ("function", Category::Glue),
    ("serverless", Category::Glue),
    ("serverless function", Category::Glue),
    ("lambda", Category::Glue),
    ("cron", Category::Glue),
    ("cron job", Category::Glue),
    ("scheduled job", Category::Glue),
    ("node", Category::Glue),
    ("node.js", Category::Glue),
    ("custom code", Category::Glue),
    ("glue code", Category::Glue),
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
    // Glue code
    ("AWS Lambda", Category::Glue),
    ("Azure Functions", Category::Glue),
    ("Google Cloud Functions", Category::Glue),
    ("Cloudflare Workers", Category::Glue),
    // Other
    ("Salesforce", Category::Other),
    ("HubSpot", Category::Other),
    ("Klaviyo", Category::Other),
    ("Segment", Category::Other),
    ("Zendesk", Category::Other),
];

/// Other words for mechanisms.
pub(super) const MECHANISM_WORDS: &[(&str, Mechanism)] = &[
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

pub(super) const MODE_WORDS: &[(&str, FlowMode)] = &[
    ("synchronous", FlowMode::Sync),
    ("blocking", FlowMode::Sync),
    ("request response", FlowMode::Sync),
    ("asynchronous", FlowMode::Async),
    ("fire and forget", FlowMode::Async),
    ("queued", FlowMode::Async),
    ("non-blocking", FlowMode::Async),
];

/// Other words for flow directions: a lookup, poll or fetch is started by the receiver.
pub(super) const DIRECTION_WORDS: &[(&str, FlowDirection)] = &[
    ("send", FlowDirection::Push),
    ("sends", FlowDirection::Push),
    ("lookup", FlowDirection::Pull),
    ("look up", FlowDirection::Pull),
    ("poll", FlowDirection::Pull),
    ("polling", FlowDirection::Pull),
    ("fetch", FlowDirection::Pull),
    ("request", FlowDirection::Pull),
];

pub(super) const STATUS_WORDS: &[(&str, SystemStatus)] = &[
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

pub(super) const TIME_WORDS: &[(&str, TimeDecision)] = &[
    ("t", TimeDecision::Tolerate),
    ("i", TimeDecision::Invest),
    ("m", TimeDecision::Migrate),
    ("e", TimeDecision::Eliminate),
];

pub(super) const CAPABILITY_WORDS: &[(&str, Capability)] = &[
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

pub(super) const OBJECT_WORDS: &[(&str, DataObject)] = &[
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

pub(super) const TRUE_WORDS: &[&str] = &["yes", "y", "true", "1", "x"];
pub(super) const FALSE_WORDS: &[&str] = &["no", "n", "false", "0"];

/// A vocabulary name written forgivingly: its own name in any case and spacing, a plural, or
/// one of `words`.
pub(super) fn lookup<T: Vocab>(text: &str, words: &[(&str, T)]) -> Option<T> {
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
