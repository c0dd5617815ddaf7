//! The fixed vocabularies of stackmap: data objects, system categories, capabilities,
//! dimensions and the small enumerations every file format uses.
//!
//! They are closed sets on purpose. Rules, conditions, reports and scripts outside stackmap
//! match on these names, so a typo in a file must be an error with a suggestion, never a new
//! category nobody else knows. Each vocabulary is declared once with the `vocab!` macro, which
//! gives it a stable text form (the name written in files), a one-line description for
//! `stackmap list`, parsing and serde support.

use std::fmt;

/// What every vocabulary offers, so validation can parse any of them with one function.
pub trait Vocab: Copy + Sized + 'static {
    /// What a value is called in messages ("data object", "system category", ...).
    const WHAT: &'static str;
    fn parse(text: &str) -> Option<Self>;
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
}

/// Declares a closed vocabulary as a `Copy` enum with its file names and descriptions.
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $variant:ident => $text:literal, $desc:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $variant, )+
        }

        impl $name {
            /// Every value, in the order the vocabulary is documented.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];
            /// What a value of this vocabulary is called in messages ("data object", ...).
            pub const WHAT: &'static str = $what;

            /// The name written in files.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }

            /// One line that explains the value, for `stackmap list` and help screens.
            pub fn description(self) -> &'static str {
                match self { $( $name::$variant => $desc, )+ }
            }

            /// Parses the name written in files; exact match only.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $( $text => Some($name::$variant), )+ _ => None }
            }

            /// Every valid name, for "expected one of" messages.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl Vocab for $name {
            const WHAT: &'static str = $what;
            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

vocab! {
    /// A business data object whose source of truth the assessment records.
    DataObject, "data object" {
        Catalog => "catalog", "Products, variants, attributes, categories and media";
        Price => "price", "List, sale and customer-specific prices";
        Inventory => "inventory", "Stock positions and the sellable quantity per channel";
        Order => "order", "Orders from capture to completion";
        Customer => "customer", "Customer accounts, addresses and consents";
        Promotion => "promotion", "Discounts, coupons and promotion rules";
        Content => "content", "Editorial content, pages and marketing copy";
        Tax => "tax", "Tax calculation, committed transactions and filings";
        Shipment => "shipment", "Shipments, tracking numbers and ship confirmations";
        Payment => "payment", "Payments, captures, refunds, payouts and settlement";
        Return => "return", "Return authorisations, receipts and dispositions";
    }
}

vocab! {
    /// What kind of system a system is.
    Category, "system category" {
        Platform => "platform", "Ecommerce platform: storefront, cart, checkout";
        Erp => "erp", "Enterprise resource planning: finance, stock, purchasing";
        Pim => "pim", "Product information management";
        Oms => "oms", "Order management: routing, fulfilment orchestration";
        Payments => "payments", "Payment service provider or gateway";
        Tax => "tax", "Tax calculation and filing";
        Shipping => "shipping", "Carriers, labels, shipping software, 3PL";
        Marketplace => "marketplace", "Marketplaces and marketplace connectors";
        Search => "search", "Site search and merchandising";
        Cms => "cms", "Content management";
        Ipaas => "ipaas", "Integration platform or middleware (a hub)";
        Glue => "glue", "Glue code: scripts, serverless functions, cron jobs (point-to-point, not a hub)";
        Other => "other", "Anything else: CDP, CRM, BI, loyalty, reviews";
    }
}

vocab! {
    /// A business capability a system provides.
    Capability, "capability" {
        CatalogManagement => "catalog-management", "Creating and enriching products";
        Pricing => "pricing", "Authoring and publishing prices";
        Promotions => "promotions", "Calculating discounts and promotions";
        InventoryManagement => "inventory-management", "Keeping stock and sellable quantities";
        OrderCapture => "order-capture", "Taking orders from customers";
        OrderRouting => "order-routing", "Deciding where an order is fulfilled from";
        Fulfilment => "fulfilment", "Picking, packing and shipping";
        Returns => "returns", "Authorising and processing returns";
        Payments => "payments", "Authorising, capturing and refunding payments";
        TaxCalculation => "tax-calculation", "Calculating and committing tax";
        Search => "search", "Product search and merchandising";
        Content => "content", "Authoring and publishing content";
        CustomerAccounts => "customer-accounts", "Customer accounts and profiles";
        MarketplaceSync => "marketplace-sync", "Syncing listings, stock and orders with marketplaces";
        Integration => "integration", "Moving data between systems";
    }
}

impl Capability {
    /// Capabilities that must have one holder within a scope: two of them serving the same
    /// users is an overlap to decide. The others (order capture across channels, customer
    /// profiles in marketing and support tools, payments, fulfilment, marketplace sync,
    /// returns) are legitimately held by several systems.
    pub const SINGLE_HOLDER: &'static [Capability] = &[
        Capability::CatalogManagement,
        Capability::Pricing,
        Capability::Promotions,
        Capability::InventoryManagement,
        Capability::OrderRouting,
        Capability::TaxCalculation,
        Capability::Search,
        Capability::Content,
        Capability::Integration,
    ];

    /// Whether two systems holding it in one scope are an overlap.
    pub fn single_holder(self) -> bool {
        Self::SINGLE_HOLDER.contains(&self)
    }

    /// The data object this capability authors, when holding the capability is writing that
    /// object: keeping one system for it and having one writer of the object are one remedy.
    /// Capabilities that act on objects others author (routing, fulfilment, search) have none.
    pub fn authors(self) -> Option<DataObject> {
        match self {
            Capability::CatalogManagement => Some(DataObject::Catalog),
            Capability::Pricing => Some(DataObject::Price),
            Capability::Promotions => Some(DataObject::Promotion),
            Capability::InventoryManagement => Some(DataObject::Inventory),
            Capability::TaxCalculation => Some(DataObject::Tax),
            Capability::Content => Some(DataObject::Content),
            Capability::CustomerAccounts => Some(DataObject::Customer),
            _ => None,
        }
    }
}

vocab! {
    /// A scoring dimension: each question scores into one.
    Dimension, "dimension" {
        Ownership => "ownership", "Source of truth per data object, enforced and checked";
        VendorFit => "vendor_fit", "How well each system integrates: APIs, events, limits, exit";
        Overlap => "overlap", "Capabilities held twice, and what to do about them";
        Coupling => "coupling", "Topology, synchronous chains, shared databases";
        Resilience => "resilience", "Failure handling, reconciliation, monitoring";
        OperatingModel => "operating_model", "Owners, change control, support, SLOs";
    }
}

impl DataObject {
    /// The data object as people call it, with the word the files use in brackets where the
    /// two differ: "Product (catalog)", "Stock (inventory)", "Price".
    pub fn words(self) -> &'static str {
        match self {
            DataObject::Catalog => "Product (catalog)",
            DataObject::Price => "Price",
            DataObject::Inventory => "Stock (inventory)",
            DataObject::Order => "Order",
            DataObject::Customer => "Customer",
            DataObject::Promotion => "Promotion",
            DataObject::Content => "Content",
            DataObject::Tax => "Tax",
            DataObject::Shipment => "Shipment",
            DataObject::Payment => "Payment",
            DataObject::Return => "Return",
        }
    }
}

impl Dimension {
    /// The dimension in words, as every screen and report names it: "Vendor fit".
    pub fn words(self) -> &'static str {
        match self {
            Dimension::Ownership => "Ownership",
            Dimension::VendorFit => "Vendor fit",
            Dimension::Overlap => "Overlap",
            Dimension::Coupling => "Coupling",
            Dimension::Resilience => "Resilience",
            Dimension::OperatingModel => "Operating model",
        }
    }
}

/// A dimension id (or `overall`) in words: "Vendor fit", "Overall"; another id with its
/// underscores as spaces and a capital first.
pub fn dimension_words(id: &str) -> String {
    if let Some(d) = Dimension::parse(id) {
        return d.words().to_string();
    }
    let spaced = id.replace('_', " ");
    let mut c = spaced.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

vocab! {
    /// The situation an engagement is in; profiles name theirs and conditions read it.
    Scenario, "scenario" {
        Replatforming => "replatforming", "Moving to a new ecommerce platform";
        MarketplaceLaunch => "marketplace-launch", "Selling on a new marketplace";
        MultiRegion => "multi-region", "Expanding into new regions or currencies";
        Headless => "headless", "Headless or composable migration";
        ErpChange => "erp-change", "Replacing or upgrading the ERP";
        PostAcquisition => "post-acquisition", "Consolidating stacks after an acquisition";
    }
}

vocab! {
    /// Where a questionnaire is asked: once, per system or per flow.
    Scope, "scope" {
        Engagement => "engagement", "Asked once for the engagement";
        System => "system", "Asked once per system (optionally only some categories)";
        Flow => "flow", "Asked once per integration flow";
    }
}

vocab! {
    /// How a question is answered and scored.
    QuestionKind, "question kind" {
        Single => "single", "One option; scored by the option";
        Multi => "multi", "Several options; scored by the declared rule (mean, max, min, sum)";
        Scale => "scale", "A whole number in a declared range; scored linearly";
        YesNo => "yes_no", "Yes or no; scored by the option";
        Number => "number", "A number; scored by declared thresholds";
        Text => "text", "Free text; not scored";
        SystemPick => "system_pick", "A system of the inventory; not scored";
    }
}

vocab! {
    /// How the scores of a multi-select answer combine.
    MultiScore, "multi score rule" {
        Mean => "mean", "Mean of the chosen options' scores";
        Max => "max", "Best chosen option";
        Min => "min", "Worst chosen option";
        Sum => "sum", "Sum of the chosen options' scores, capped at 1";
    }
}

vocab! {
    /// What a finding puts at stake: the consequence class that ranks decisions first. Money,
    /// customers and compliance come before operational hygiene, however many flows the
    /// hygiene touches.
    Stake, "stake" {
        Money => "money", "Orders, stock, prices, payments and settlement: revenue or cash at risk";
        Customers => "customers", "What customers see or are charged: checkout, wrong prices, their data";
        Compliance => "compliance", "Tax, consent, data residency, marketplace account health";
        Operations => "operations", "Operational hygiene: owners, runbooks, versions, sandboxes";
    }
}

impl Stake {
    /// Whether the stake is a consequence (money, customers, compliance) rather than hygiene.
    pub fn is_consequence(self) -> bool {
        self != Stake::Operations
    }
}

vocab! {
    /// The subjects a decision is made for one by one: `DECISION@SUBJECT`.
    Per, "per" {
        Object => "object", "One decision per data object";
        Capability => "capability", "One decision per capability";
    }
}

vocab! {
    /// When a finding's remedy can happen.
    Horizon, "horizon" {
        Immediate => "immediate", "Immediate fix: configuration, process or small code";
        Architecture => "architecture", "Architecture change: ownership, systems or patterns move";
    }
}

vocab! {
    /// Where a system stands in the stack.
    SystemStatus, "system status" {
        Existing => "existing", "Running today";
        Candidate => "candidate", "Being considered; not part of the running stack";
        Retiring => "retiring", "Running today, planned to go";
    }
}

vocab! {
    /// Gartner TIME decision for a system.
    TimeDecision, "TIME decision" {
        Tolerate => "tolerate", "Keep as is: fits technically, little business value";
        Invest => "invest", "Invest: fits technically and functionally";
        Migrate => "migrate", "Migrate: valuable but technically weak";
        Eliminate => "eliminate", "Eliminate: neither fits";
    }
}

vocab! {
    /// How a flow moves data.
    Mechanism, "mechanism" {
        Api => "api", "Direct API calls";
        Webhook => "webhook", "Webhooks pushed by the source";
        Event => "event", "Events on a broker or bus";
        Batch => "batch", "Scheduled batch jobs";
        File => "file", "File drops (CSV, XML, SFTP)";
        Ipaas => "ipaas", "An integration platform moves it";
        Manual => "manual", "People re-key or upload it";
    }
}

vocab! {
    /// Whether the caller waits for a flow.
    FlowMode, "flow mode" {
        Sync => "sync", "The caller waits for the answer";
        Async => "async", "Fire and forget, queued or scheduled";
    }
}

impl FlowMode {
    /// The mode of a flow that states none: `sync` for `api` (the caller waits for the
    /// answer), `async` for every other mechanism (FORMATS.md `[[flow]] mode`). A file, a CSV
    /// import and the inventory form all default by it.
    pub fn default_for(mechanism: Mechanism) -> FlowMode {
        if mechanism == Mechanism::Api {
            FlowMode::Sync
        } else {
            FlowMode::Async
        }
    }
}

vocab! {
    /// Who starts a flow's exchange. `from` and `to` always say where the data comes from and
    /// where it goes; the direction says which end asks.
    FlowDirection, "flow direction" {
        Push => "push", "The sending system (`from`) starts it: a webhook, an export, a call that writes";
        Pull => "pull", "The receiving system (`to`) asks for it: a lookup, a poll, a fetch";
    }
}

vocab! {
    /// A step or operating duty of a flow, as `none = [...]` states it absent.
    FlowPart, "flow step or duty" {
        Source => "source", "Step 1: who writes the data and how changes are detected";
        Contract => "contract", "Step 2: schema, version, limits";
        Failure => "failure", "Step 3: retries, dead letters, reconciliation";
        Owner => "owner", "Step 4: the one accountable team";
        Failures => "failures", "Duty: who is paged and fixes failed messages";
        Retries => "retries", "Duty: who owns retry and replay";
        Dashboards => "dashboards", "Duty: who keeps the dashboards and alerts";
        Runbook => "runbook", "Duty: who writes and tests the runbook";
        ReleaseHandoff => "release_handoff", "Duty: who signs off releases that touch the flow";
    }
}

impl FlowPart {
    /// The four steps, in order.
    pub const STEPS: [FlowPart; 4] = [
        FlowPart::Source,
        FlowPart::Contract,
        FlowPart::Failure,
        FlowPart::Owner,
    ];

    /// The part an operating duty is.
    pub fn duty(d: Duty) -> FlowPart {
        match d {
            Duty::Failures => FlowPart::Failures,
            Duty::Retries => FlowPart::Retries,
            Duty::Dashboards => FlowPart::Dashboards,
            Duty::Runbook => FlowPart::Runbook,
            Duty::ReleaseHandoff => FlowPart::ReleaseHandoff,
        }
    }
}

vocab! {
    /// How sure the assessor is of an answer.
    Confidence, "confidence" {
        Verified => "verified", "Seen in the system, a document or a log";
        Stated => "stated", "Said by someone who should know";
        Assumed => "assumed", "The assessor's assumption";
    }
}

vocab! {
    /// The assessor's word on an engine decision.
    DecisionStatus, "decision status" {
        Open => "open", "Not decided yet";
        Accepted => "accepted", "Agreed to do";
        Deferred => "deferred", "Agreed, later";
        Rejected => "rejected", "Not doing it; stays out of the roadmap";
    }
}

vocab! {
    /// What a file is; the `kind` key at the top of every file.
    FileKind, "file kind" {
        Questionnaire => "questionnaire", "Questions, findings and rules about one concern";
        Profile => "profile", "A scenario: what to ask and how to weigh it";
        Assessment => "assessment", "The assessor's working file for one engagement";
        Snapshot => "snapshot", "A frozen, labelled copy of an assessment";
    }
}

vocab! {
    /// An operating responsibility on a flow that needs a named owner.
    Duty, "operating duty" {
        Failures => "failures", "Who is paged and fixes failed messages";
        Retries => "retries", "Who owns retry and replay";
        Dashboards => "dashboards", "Who keeps the dashboards and alerts";
        Runbook => "runbook", "Who writes and tests the runbook";
        ReleaseHandoff => "release_handoff", "Who signs off releases that touch the flow";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        for c in Capability::ALL {
            assert_eq!(Capability::parse(c.as_str()), Some(*c));
        }
        for d in DataObject::ALL {
            assert_eq!(DataObject::parse(d.as_str()), Some(*d));
        }
        assert_eq!(Category::parse("ERP"), None, "matching is exact");
    }

    #[test]
    fn vocabularies_match_the_issue() {
        assert_eq!(
            DataObject::names(),
            [
                "catalog",
                "price",
                "inventory",
                "order",
                "customer",
                "promotion",
                "content",
                "tax",
                "shipment",
                "payment",
                "return"
            ]
        );
        // Twelve from the seed, and `glue` (issue 18).
        assert_eq!(Category::ALL.len(), 13);
        assert!(Category::parse("glue").is_some());
        assert_eq!(Capability::ALL.len(), 15);
        assert_eq!(
            Dimension::names(),
            [
                "ownership",
                "vendor_fit",
                "overlap",
                "coupling",
                "resilience",
                "operating_model"
            ]
        );
    }
}
