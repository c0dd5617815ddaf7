//! `stackmap import`: a client's CSV files of systems and flows into an assessment.
//!
//! The core function on the fixtures in `tests/fixtures/import/` (good files: canonical,
//! forgiving headers and names, `;`-delimited, BOM; broken files: each with the diagnostics it
//! must give in `NAME.expected`), the example in docs/FORMATS.md, and the binary: a good import
//! adds exactly its rows and the result checks and scores; a broken one exits 2 with every bad
//! row located and leaves the file byte-identical.
//!
//! To regenerate expectations after an intended change of wording, run with
//! `UPDATE_EXPECTED=1` and read the diff before committing it.

mod common;

use std::path::{Path, PathBuf};

use common::{content, load_text, lossy as text, run};
use stackmap::import::{CsvText, ImportReport, import, product_category};
use stackmap::model::*;
use stackmap::vocab::*;

const DIR: &str = "tests/fixtures/import";

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn base() -> Assessment {
    load_text(&read(&format!("{DIR}/base.toml"))).expect("base fixture is valid")
}

/// Imports files by path (relative to the crate) into the base fixture.
fn import_files(
    systems: Option<&str>,
    flows: Option<&str>,
) -> Result<(Assessment, ImportReport), Vec<stackmap::diag::Diagnostic>> {
    let s = systems.map(|p| (p.to_string(), read(p)));
    let f = flows.map(|p| (p.to_string(), read(p)));
    import(content(), &base(), csv(s.as_ref()), csv(f.as_ref()))
}

fn csv(x: Option<&(String, String)>) -> Option<CsvText<'_>> {
    x.map(|(path, text)| CsvText { path, text })
}

fn good(name: &str) -> String {
    format!("{DIR}/good/{name}")
}

/// The saved text loads back to the same model: what an import makes is a valid assessment.
fn assert_valid(a: &Assessment) {
    let saved = stackmap::save::to_toml(a);
    let back = load_text(&saved).unwrap_or_else(|e| panic!("{e:?}\n{saved}"));
    assert_eq!(&back, a);
}

#[test]
fn canonical_files_add_exactly_their_rows() {
    let before = base();
    let (a, report) = import_files(Some(&good("systems.csv")), Some(&good("flows.csv")))
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(report.systems, ["shopify", "netsuite", "akeneo", "celigo"]);
    assert_eq!(
        report.flows,
        ["orders-to-erp", "stock-to-shop", "shopify-to-legacy-wms"]
    );
    assert!(report.mapped.is_empty(), "{:?}", report.mapped);
    assert_eq!(a.systems.len(), before.systems.len() + 4);
    assert_eq!(a.flows.len(), 3);
    // Everything else is untouched.
    assert_eq!(a.engagement, before.engagement);
    assert_eq!(a.system("legacy-wms"), before.system("legacy-wms"));

    let shopify = a.system("shopify").expect("shopify");
    assert_eq!(
        shopify,
        &System {
            id: "shopify".into(),
            name: "Shopify Plus".into(),
            vendor: "Shopify".into(),
            category: Category::Platform,
            status: SystemStatus::Existing,
            team: "Digital".into(),
            capabilities: vec![Capability::OrderCapture, Capability::Promotions],
            time: Some(TimeDecision::Invest),
            notes: "The storefront".into(),
            scopes: Vec::new(),
        }
    );
    let netsuite = a.system("netsuite").expect("netsuite");
    assert_eq!(
        netsuite.capabilities,
        [Capability::InventoryManagement, Capability::Pricing]
    );
    assert_eq!(
        a.system("akeneo").expect("akeneo").status,
        SystemStatus::Candidate
    );

    let orders = a.flow("orders-to-erp").expect("orders");
    assert_eq!(
        orders,
        &Flow {
            id: "orders-to-erp".into(),
            name: "Orders to ERP".into(),
            from: "shopify".into(),
            to: "netsuite".into(),
            via: Some("celigo".into()),
            objects: vec![DataObject::Order, DataObject::Customer],
            mechanism: Mechanism::Ipaas,
            mode: FlowMode::Async,
            direction: FlowDirection::Push,
            checkout: false,
            source: "Shopify orders/create webhook".into(),
            contract: "Celigo flow v3".into(),
            failure: "Retries 3 times then emails IT".into(),
            owner: "IT".into(),
            owners: Owners {
                failures: "IT".into(),
                retries: "IT".into(),
                dashboards: String::new(),
                runbook: "IT".into(),
                release_handoff: "Digital".into(),
            },
            none: Vec::new(),
            notes: String::new(),
        }
    );
    // A flow without a name gets an id from its ends; to an existing system of the assessment.
    let returns = a.flow("shopify-to-legacy-wms").expect("returns");
    assert_eq!(returns.to, "legacy-wms");
    assert_eq!(returns.notes, "Nightly CSV");
    assert_eq!(
        a.flow("stock-to-shop").expect("stock").mode,
        FlowMode::Async,
        "batch defaults to async"
    );
    assert_valid(&a);
}

#[test]
fn forgiving_headers_names_semicolons_and_bom_are_read() {
    let (a, report) = import_files(
        Some(&good("systems-forgiving.csv")),
        Some(&good("flows-forgiving.csv")),
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let cat = |id: &str| a.system(id).unwrap_or_else(|| panic!("{id}")).category;
    assert_eq!(cat("shopify-plus"), Category::Platform);
    assert_eq!(
        cat("netsuite"),
        Category::Erp,
        "empty category, from the name"
    );
    assert_eq!(cat("adyen"), Category::Payments);
    assert_eq!(cat("avalara-avatax"), Category::Tax);
    assert_eq!(cat("algolia"), Category::Search);
    assert_eq!(
        cat("sap-commerce-cloud"),
        Category::Platform,
        "the name wins over the vendor `SAP`"
    );
    assert_eq!(cat("amazon-seller-central"), Category::Marketplace);
    assert_eq!(cat("boomi"), Category::Ipaas);
    assert_eq!(report.systems.len(), 8, "the all-empty row is skipped");

    let shop = a.system("shopify-plus").expect("shopify-plus");
    assert_eq!(shop.status, SystemStatus::Existing);
    assert_eq!(shop.time, Some(TimeDecision::Invest));
    assert_eq!(
        shop.capabilities,
        [Capability::OrderCapture, Capability::Promotions]
    );
    assert_eq!(shop.team, "Digital");
    let sap = a.system("sap-commerce-cloud").expect("sap");
    assert_eq!(sap.status, SystemStatus::Retiring);
    assert_eq!(sap.time, Some(TimeDecision::Eliminate));
    assert_eq!(sap.notes, "Being replaced by Shopify");
    assert_eq!(
        a.system("algolia").expect("algolia").notes,
        "Replaces the platform search, quoted"
    );
    assert_eq!(
        a.system("algolia").expect("algolia").status,
        SystemStatus::Candidate
    );

    assert_eq!(
        report.flows,
        [
            "orders",
            "orders-2",
            "payment-authorisation",
            "tax-quote",
            "stock",
            "catalog"
        ]
    );
    let orders = a.flow("orders").expect("orders");
    assert_eq!(
        (orders.from.as_str(), orders.to.as_str()),
        ("shopify-plus", "netsuite")
    );
    assert_eq!(orders.via.as_deref(), Some("boomi"));
    assert_eq!(orders.objects, [DataObject::Order, DataObject::Customer]);
    assert_eq!(orders.mechanism, Mechanism::Ipaas);
    assert_eq!(orders.failure, "Dead letter queue with alarm");
    assert_eq!(orders.owner, "IT");
    let amazon = a.flow("orders-2").expect("second orders flow");
    assert_eq!(amazon.from, "amazon-seller-central");
    assert_eq!(amazon.mechanism, Mechanism::File);
    let pay = a.flow("payment-authorisation").expect("payment");
    assert_eq!(
        (pay.mechanism, pay.mode, pay.checkout),
        (Mechanism::Api, FlowMode::Sync, true)
    );
    let tax = a.flow("tax-quote").expect("tax");
    assert_eq!((tax.mechanism, tax.checkout), (Mechanism::Api, true));
    assert_eq!(a.flow("stock").expect("stock").mechanism, Mechanism::Batch);
    let catalog = a.flow("catalog").expect("catalog");
    assert_eq!(catalog.to, "legacy-wms", "named by name, any case");
    assert_eq!(catalog.objects, [DataObject::Catalog]);
    assert_eq!(catalog.mechanism, Mechanism::File, "EDI");

    // Every name read as something else is listed once.
    let mapped: Vec<String> = report
        .mapped
        .iter()
        .map(|m| format!("{}: {} → {}", m.what, m.from, m.to))
        .collect();
    for m in [
        "category: Shopify → platform",
        "category: NetSuite → erp",
        "category: PSP → payments",
        "category: SAP Commerce Cloud → platform",
        "category: Middleware → ipaas",
        "status: Live → existing",
        "status: Sunset → retiring",
        "TIME decision: I → invest",
        "capability: Order Capture → order-capture",
        "mechanism: SFTP → file",
        "mechanism: EDI → file",
        "flow mode: Synchronous → sync",
        "data object: Stock → inventory",
        "system: Shopify Plus → shopify-plus",
        "system: legacy wms → legacy-wms",
    ] {
        assert!(mapped.contains(&m.to_string()), "{m} not in {mapped:#?}");
    }
    let unique: std::collections::HashSet<_> = mapped.iter().collect();
    assert_eq!(unique.len(), mapped.len(), "each mapping once");
    assert_valid(&a);
}

fn broken_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(format!("{DIR}/broken"))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    v.sort();
    v
}

/// A broken systems file is imported alone; a broken flows file with the good systems file.
fn render_broken(path: &Path) -> String {
    let p = path.to_str().expect("utf-8 path");
    let name = path.file_name().expect("name").to_string_lossy();
    let result = if name.starts_with("systems-") {
        import_files(Some(p), None)
    } else {
        import_files(Some(&good("systems.csv")), Some(p))
    };
    match result {
        Ok(_) => String::new(),
        Err(diags) => diags.iter().map(|d| format!("{d}\n")).collect(),
    }
}

#[test]
fn each_broken_file_gives_exactly_its_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let files = broken_files();
    assert!(files.len() >= 6, "fixtures went missing: {files:?}");
    let mut failures = Vec::new();
    for f in files {
        let got = render_broken(&f);
        let expected_path = f.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        assert!(
            !got.is_empty(),
            "{} imported without a problem",
            f.display()
        );
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", f.display()));
        if got != expected {
            failures.push(format!(
                "== {}\n-- expected\n{expected}-- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_column() {
    // Each broken fixture marks its bad rows; each must be reported, at its own line.
    let cases: &[(&str, &[(u32, u32)])] = &[
        (
            "systems-unknown-category.csv",
            &[(3, 2), (4, 2), (5, 2), (6, 4), (6, 5)],
        ),
        (
            "systems-duplicate-id.csv",
            &[(4, 1), (5, 1), (6, 1), (6, 4), (8, 2)],
        ),
        (
            "flows-unknown-system.csv",
            &[(3, 2), (4, 1), (5, 2), (6, 3)],
        ),
        ("flows-bad-boolean.csv", &[(2, 5), (4, 6)]),
        ("flows-bad-mechanism.csv", &[(2, 4), (3, 4), (4, 4), (5, 5)]),
    ];
    for (name, want) in cases {
        let got = render_broken(&Path::new(DIR).join("broken").join(name));
        for (line, column) in *want {
            let at = format!("{DIR}/broken/{name}:{line}:{column}: error: ");
            assert!(
                got.contains(&at),
                "{name}: nothing at {line}:{column} in\n{got}"
            );
        }
    }
}

#[test]
fn a_flow_may_name_systems_already_in_the_assessment() {
    let flows = "from,to,mechanism\nLegacy WMS,legacy-wms-2,file\n";
    let systems = "id,name,category\nlegacy-wms-2,Second WMS,other\n";
    let (a, report) = import(
        content(),
        &base(),
        Some(CsvText {
            path: "s.csv",
            text: systems,
        }),
        Some(CsvText {
            path: "f.csv",
            text: flows,
        }),
    )
    .expect("imports");
    assert_eq!(report.flows, ["legacy-wms-to-legacy-wms-2"]);
    assert_eq!(a.flows[0].from, "legacy-wms");
}

#[test]
fn two_flows_with_the_same_long_name_import_with_distinct_ids() {
    // The name's id is longer than an id may be: it is cut to leave room for `-2`, as the
    // inventory form cuts it, instead of failing in the generated file.
    let name = "Nightly export of every order line with its taxes and discounts and shipping costs to the warehouse";
    let flows = format!(
        "name,from,to,mechanism\n{name},legacy-wms,legacy-wms-2,file\n{name},legacy-wms-2,legacy-wms,file\n"
    );
    let systems = "id,name,category\nlegacy-wms-2,Second WMS,other\n";
    let (a, report) = import(
        content(),
        &base(),
        Some(CsvText {
            path: "s.csv",
            text: systems,
        }),
        Some(CsvText {
            path: "f.csv",
            text: &flows,
        }),
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let first = stackmap::validate::free_id(&stackmap::validate::suggest_id(name), |_| false)
        .expect("an id");
    assert_eq!(first.len(), stackmap::validate::ID_STEM_MAX);
    assert_eq!(report.flows, [first.clone(), format!("{first}-2")]);
    for id in &report.flows {
        assert!(stackmap::validate::is_valid_id(id), "{id}");
        assert_eq!(a.flow(id).expect("added").name, name);
    }
    assert_valid(&a);
}

#[test]
fn importing_the_same_files_twice_is_refused_the_second_time() {
    let (once, _) =
        import_files(Some(&good("systems.csv")), Some(&good("flows.csv"))).expect("first import");
    let s = read(&good("systems.csv"));
    let f = read(&good("flows.csv"));
    let diags = import(
        content(),
        &once,
        Some(CsvText {
            path: "systems.csv",
            text: &s,
        }),
        Some(CsvText {
            path: "flows.csv",
            text: &f,
        }),
    )
    .expect_err("already there");
    let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        text.iter()
            .filter(|d| d.contains("already in the assessment"))
            .count(),
        4 + 3,
        "{text:#?}"
    );
}

#[test]
fn empty_files_headers_only_and_trailing_blank_lines() {
    let one = |text: &str| {
        import(
            content(),
            &base(),
            Some(CsvText {
                path: "s.csv",
                text,
            }),
            None,
        )
    };
    let d = one("").expect_err("empty");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].to_string()
            .starts_with("s.csv:1:1: error: the file is empty")
    );
    let (a, r) = one("name,category\n\n\n").expect("header only");
    assert!(r.systems.is_empty());
    assert_eq!(a, base());
    let (_, r) = one("\u{feff}name;category\r\nStripe;payments\r\n\r\n;\r\n").expect("bom, ;");
    assert_eq!(r.systems, ["stripe"]);
    // Excel's extra empty cells at the end of a row are fine; a value there is not.
    let (_, r) = one("name,category\nStripe,payments,,\n").expect("trailing empty cells");
    assert_eq!(r.systems, ["stripe"]);
    let d = one("name,category\nStripe,payments,oops\n").expect_err("extra value");
    assert!(
        d[0].to_string()
            .starts_with("s.csv:2:3: error: this row has 3 cells"),
        "{d:?}"
    );
}

#[test]
fn product_names_map_to_categories_at_word_boundaries() {
    let c = |t: &str| product_category(t).map(|(_, c)| c);
    assert_eq!(c("SAP S/4HANA"), Some(Category::Erp));
    assert_eq!(c("S/4HANA"), None);
    assert_eq!(c("SAP Commerce Cloud"), Some(Category::Platform));
    assert_eq!(c("Sapphire"), None);
    assert_eq!(c("Shopify Plus"), Some(Category::Platform));
    assert_eq!(c("Stripe Tax"), Some(Category::Tax));
    assert_eq!(c("Stripe"), Some(Category::Payments));
    assert_eq!(
        c("Microsoft Dynamics 365 Business Central"),
        Some(Category::Erp)
    );
    assert_eq!(c("Adobe Commerce (Magento)"), Some(Category::Platform));
    assert_eq!(c("Salesforce Commerce Cloud"), Some(Category::Platform));
    assert_eq!(c("Salesforce"), Some(Category::Other));
    assert_eq!(c("Fluent Commerce"), Some(Category::Oms));
    assert_eq!(c("Checkout.com"), Some(Category::Payments));
    assert_eq!(c("Rithum"), Some(Category::Marketplace));
    assert_eq!(c("Constructor.io"), Some(Category::Search));
    assert_eq!(c("Contentstack"), Some(Category::Cms));
    assert_eq!(c("MuleSoft Anypoint"), Some(Category::Ipaas));
    assert_eq!(c("project44"), Some(Category::Shipping));
}

#[test]
fn every_category_in_the_product_table_exists_and_docs_list_every_product_and_column() {
    let docs = read("docs/FORMATS.md");
    let section = docs
        .split("## 9. Import (CSV)")
        .nth(1)
        .expect("docs/FORMATS.md has the import section");
    for (product, category) in stackmap::import::PRODUCTS {
        assert!(Category::parse(category.as_str()).is_some());
        assert!(section.contains(product), "{product} is not documented");
    }
    for c in stackmap::import::SYSTEM_COLUMNS
        .iter()
        .chain(stackmap::import::FLOW_COLUMNS)
    {
        assert!(
            section.contains(&format!("`{}`", c.name)),
            "{} undocumented",
            c.name
        );
        for alias in c.aliases {
            assert!(section.contains(alias), "alias {alias} undocumented");
        }
    }
}

/// The CSV blocks of the docs' import section: the systems file, then the flows file.
fn docs_example() -> (String, String) {
    let docs = read("docs/FORMATS.md");
    let section = docs.split("## 9. Import (CSV)").nth(1).expect("section");
    let blocks: Vec<&str> = section
        .split("```csv\n")
        .skip(1)
        .map(|b| b.split("```").next().expect("closed"))
        .collect();
    assert!(blocks.len() >= 2, "two csv examples");
    (blocks[0].to_string(), blocks[1].to_string())
}

#[test]
fn the_documented_example_imports() {
    let (s, f) = docs_example();
    let (a, report) = import(
        content(),
        &base(),
        Some(CsvText {
            path: "systems.csv",
            text: &s,
        }),
        Some(CsvText {
            path: "flows.csv",
            text: &f,
        }),
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(
        report.systems.len() >= 5 && report.flows.len() >= 4,
        "{report:?}"
    );
    assert_valid(&a);
}

#[test]
fn the_result_is_deterministic() {
    let once = import_files(
        Some(&good("systems-forgiving.csv")),
        Some(&good("flows-forgiving.csv")),
    );
    let twice = import_files(
        Some(&good("systems-forgiving.csv")),
        Some(&good("flows-forgiving.csv")),
    );
    assert_eq!(once, twice);
    let path = Path::new(DIR).join("broken/systems-duplicate-id.csv");
    assert_eq!(render_broken(&path), render_broken(&path));
}

// ---------------------------------------------------------------------------------------
// The binary

fn copy_base(dir: &Path) -> PathBuf {
    let file = dir.join("acme.toml");
    std::fs::copy(format!("{DIR}/base.toml"), &file).expect("copy");
    file
}

#[test]
fn cli_import_adds_the_rows_and_the_result_checks_and_scores() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = copy_base(home.path());
    let f = file.to_str().expect("utf-8");
    let before = run(home.path(), &["score", f, "--format", "json"]);
    let before: serde_json::Value = serde_json::from_slice(&before.stdout).expect("json");
    let systems = good("systems-forgiving.csv");
    let flows = good("flows-forgiving.csv");

    let out = run(
        home.path(),
        &["import", f, "--systems", &systems, "--flows", &flows],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!("added 8 systems and 6 flows to {f}\n")),
        "{stdout}"
    );
    assert!(stdout.contains("category       NetSuite → erp"), "{stdout}");
    assert!(stdout.contains("  system  shopify-plus "), "{stdout}");
    assert!(stdout.contains("  flow    orders-2 "), "{stdout}");

    let a = load_text(&std::fs::read_to_string(&file).expect("read")).expect("valid");
    assert_eq!(a.systems.len(), 9);
    assert_eq!(a.flows.len(), 6);
    assert_ne!(
        a.engagement.updated,
        base().engagement.updated,
        "updated is set"
    );

    let check = run(home.path(), &["check", f]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let after = run(home.path(), &["score", f, "--format", "json"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    let after: serde_json::Value = serde_json::from_slice(&after.stdout).expect("json");
    let subjects = |v: &serde_json::Value, kind: &str| -> Vec<String> {
        v["subjects"]
            .as_array()
            .expect("subjects")
            .iter()
            .filter(|s| s["kind"] == kind)
            .map(|s| s["id"].as_str().expect("id").to_string())
            .collect()
    };
    assert!(subjects(&before, "flow").is_empty());
    for id in ["orders", "orders-2", "payment-authorisation", "catalog"] {
        assert!(subjects(&after, "flow").contains(&id.to_string()), "{id}");
    }
    assert!(subjects(&after, "system").contains(&"netsuite".to_string()));
    assert!(
        after["applicable"].as_u64().expect("n") > before["applicable"].as_u64().expect("n"),
        "the new systems and flows are asked about"
    );
}

#[test]
fn cli_broken_import_exits_2_reports_every_row_and_leaves_the_file_alone() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = copy_base(home.path());
    let f = file.to_str().expect("utf-8");
    let before = std::fs::read(&file).expect("read");
    let systems = format!("{DIR}/broken/systems-unknown-category.csv");
    let flows = format!("{DIR}/broken/flows-bad-mechanism.csv");
    let out = run(
        home.path(),
        &["import", f, "--systems", &systems, "--flows", &flows],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    for at in [
        format!("{systems}:3:2: error: `category` (column 2): unknown system category `Warehouse`"),
        format!("{systems}:4:2: error: "),
        format!("{flows}:2:4: error: `mechanism` (column 4): unknown mechanism `carrier pigeon`"),
        format!(
            "{flows}:4:4: error: `mechanism` (column 4): unknown mechanism `webhok`; did you mean `webhook`?"
        ),
        format!("{flows}:5:5: error: this row has 5 cells"),
    ] {
        assert!(stderr.contains(&at), "{at}\nnot in\n{stderr}");
    }
    assert!(
        stderr.ends_with(&format!(
            "error: nothing imported: 15 problems found; {f} is unchanged\n"
        )),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "byte-identical"
    );
    // The same run gives the same output.
    let again = run(
        home.path(),
        &["import", f, "--systems", &systems, "--flows", &flows],
    );
    assert_eq!(again.stderr, out.stderr);
}

#[test]
fn cli_dry_run_writes_nothing_and_says_what_it_would_add() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = copy_base(home.path());
    let f = file.to_str().expect("utf-8");
    let before = std::fs::read(&file).expect("read");
    let systems = good("systems.csv");
    let out = run(
        home.path(),
        &["import", f, "--systems", &systems, "--dry-run"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!(
            "dry run: would add 4 systems and 0 flows to {f} (nothing written)\n"
        )),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read(&file).expect("read"), before);
    let again = run(
        home.path(),
        &["import", f, "--systems", &systems, "--dry-run"],
    );
    assert_eq!(again.stdout, out.stdout, "deterministic");
}

#[test]
fn cli_needs_a_csv_file_and_an_existing_assessment() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = copy_base(home.path());
    let f = file.to_str().expect("utf-8");
    let none = run(home.path(), &["import", f]);
    assert_eq!(none.status.code(), Some(2));
    let missing = run(home.path(), &["import", f, "--systems", "no-such.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).starts_with("no-such.csv:1:1: error: cannot read the file"));
    let systems = good("systems.csv");
    let nofile = home.path().join("nope.toml");
    let out = run(
        home.path(),
        &[
            "import",
            nofile.to_str().expect("utf-8"),
            "--systems",
            &systems,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn cli_prints_the_documented_example_output() {
    let home = tempfile::tempdir().expect("tempdir");
    copy_base(home.path());
    let (s, f) = docs_example();
    std::fs::write(home.path().join("systems.csv"), s).expect("write");
    std::fs::write(home.path().join("flows.csv"), f).expect("write");
    let docs = read("docs/FORMATS.md");
    let section = docs.split("## 9. Import (CSV)").nth(1).expect("section");
    let shown = section
        .split("$ stackmap import acme.toml --systems systems.csv --flows flows.csv\n")
        .nth(1)
        .and_then(|t| t.split("```").next())
        .expect("the example's output is documented");
    let out = common::stackmap(home.path())
        .current_dir(home.path())
        .args([
            "import",
            "acme.toml",
            "--systems",
            "systems.csv",
            "--flows",
            "flows.csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), shown);
}

#[test]
fn a_source_and_target_header_is_explained() {
    let flows = "Source,Target,Mechanism\nshopify,netsuite,api\n";
    let systems = read(&good("systems.csv"));
    let d = import(
        content(),
        &base(),
        Some(CsvText {
            path: "s.csv",
            text: &systems,
        }),
        Some(CsvText {
            path: "f.csv",
            text: flows,
        }),
    )
    .expect_err("no from column");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].to_string().starts_with(
            "f.csv:1:1: error: missing required column `from` in the header of a flows file (it has: `Source`, `Target`, `Mechanism`); a `source` column is step 1"
        ),
        "{}",
        d[0]
    );
}

/// A step or duty cell reads `none`, `nobody`, `n/a` or `-` as stated absence and an empty cell
/// as not captured; a `direction` column says who starts the exchange; a `scopes` column says
/// which brands, regions or channels a system serves.
#[test]
fn stated_absence_direction_and_scopes_are_read_from_their_columns() {
    let systems = "name,category,scopes\n\
                   Alder Shop,platform,alder\n\
                   Finch Shop,platform,finch\n\
                   NetSuite,erp,alder; finch; alder\n";
    let flows = "name,from,to,mechanism,direction,source,contract,failure,owner,failures_owner,runbook_owner\n\
                 Price check,netsuite,alder-shop,REST,lookup,,-,n/a,Nobody,NONE,\n\
                 Orders,alder-shop,netsuite,iPaaS,push,webhook,v3,DLQ,IT,IT,IT\n\
                 Stock,netsuite,finch-shop,batch,,,,,,,\n";
    let (s, f) = (
        ("systems.csv".to_string(), systems.to_string()),
        ("flows.csv".to_string(), flows.to_string()),
    );
    let (a, report) = import(content(), &base(), csv(Some(&s)), csv(Some(&f)))
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(a.system("alder-shop").expect("alder").scopes, ["alder"]);
    assert_eq!(
        a.system("netsuite").expect("netsuite").scopes,
        ["alder", "finch"],
        "listed once each, in the order written"
    );
    let price = a.flow("price-check").expect("price check");
    assert_eq!(price.direction, FlowDirection::Pull, "a lookup is a pull");
    assert_eq!(
        price.none,
        [
            FlowPart::Contract,
            FlowPart::Failure,
            FlowPart::Owner,
            FlowPart::Failures
        ],
        "-, n/a, Nobody and NONE are stated absence"
    );
    assert_eq!(price.owner, "", "nobody is never a team");
    assert!(price.source.is_empty() && !price.none.contains(&FlowPart::Source));
    assert!(
        !price.none.contains(&FlowPart::Runbook),
        "an empty cell is not captured"
    );
    let orders = a.flow("orders").expect("orders");
    assert_eq!(orders.direction, FlowDirection::Push);
    assert!(orders.none.is_empty());
    let stock = a.flow("stock").expect("stock");
    assert_eq!(stock.direction, FlowDirection::Push, "empty: push");
    assert!(stock.none.is_empty(), "blanks state nothing");
    assert!(
        report
            .mapped
            .iter()
            .any(|r| format!("{r:?}").contains("lookup")),
        "the other word is listed back: {:?}",
        report.mapped
    );
    assert_valid(&a);
}

/// The summary counts the answers the new systems and flows imply (read from the map, to be
/// confirmed), says what a dry run would read, and what an import makes untrue and removes.
#[test]
fn cli_import_counts_the_answers_read_from_the_map() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = copy_base(home.path());
    let f = file.to_str().expect("utf-8");
    let systems = home.path().join("s.csv");
    let flows = home.path().join("f.csv");
    let more = home.path().join("g.csv");
    std::fs::write(&systems, "name,category\nShop,platform\nErp,erp\n").expect("write");
    std::fs::write(
        &flows,
        "from,to,mechanism,objects\nErp,Shop,file,inventory\n",
    )
    .expect("write");
    std::fs::write(&more, "from,to,mechanism,objects\nShop,Erp,api,order\n").expect("write");
    let (s, fl, m) = (
        systems.to_str().expect("utf-8"),
        flows.to_str().expect("utf-8"),
        more.to_str().expect("utf-8"),
    );
    let inferred = |path: &Path| {
        load_text(&std::fs::read_to_string(path).expect("read"))
            .expect("valid")
            .answers
            .iter()
            .filter(|x| x.is_inferred())
            .count()
    };
    assert_eq!(inferred(&file), 0);

    // A dry run says what it would read, and writes nothing.
    let dry = run(
        home.path(),
        &["import", f, "--systems", s, "--flows", fl, "--dry-run"],
    );
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert_eq!(inferred(&file), 0);

    let out = run(home.path(), &["import", f, "--systems", s, "--flows", fl]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let n = inferred(&file);
    // The file drop: how it notices changes, the ERP's interface and more.
    assert!(n >= 2, "{n}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.ends_with(&format!(
            "{n} answers read from the map — confirm them in the interview\n"
        )),
        "{stdout}"
    );
    assert!(
        text(&dry.stdout).ends_with(&format!(
            "{n} answers would be read from the map — confirm them in the interview\n"
        )),
        "{}",
        text(&dry.stdout)
    );
    assert!(!stdout.contains("no longer implies"), "{stdout}");

    // A synchronous API call into the ERP: its interface is no longer files only, and
    // something now waits on it; both answers go.
    let before = std::fs::read(&file).expect("read");
    let dry = run(home.path(), &["import", f, "--flows", m, "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert!(
        text(&dry.stdout).contains("would remove 2 inferred answers the map no longer implies\n"),
        "{}",
        text(&dry.stdout)
    );
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing written"
    );
    let out = run(home.path(), &["import", f, "--flows", m]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("removed 2 inferred answers the map no longer implies\n"),
        "{}",
        text(&out.stdout)
    );
    let a = load_text(&std::fs::read_to_string(&file).expect("read")).expect("valid");
    assert!(
        !a.answers.iter().any(|x| matches!(
            x.inferred_by.as_deref(),
            Some("erp-files-only" | "back-office-flows-all-async")
        )),
        "{:?}",
        a.answers
    );
}
