//! Embeds the shipped questionnaires and profiles in the binary, so a fresh install works
//! with no files. Lists `questionnaires/*.toml` and `profiles/*.toml` in a stable order and
//! writes an `include_str!` table that `content::embedded()` returns.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::from("&[\n");
    for dir in ["questionnaires", "profiles"] {
        println!("cargo:rerun-if-changed={dir}");
        let path = Path::new(&root).join(dir);
        let mut names: Vec<String> = match fs::read_dir(&path) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        for name in names {
            let full = path.join(&name);
            println!("cargo:rerun-if-changed={}", full.display());
            writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("{dir}/{name}"),
                full.display().to_string()
            )
            .expect("writing to a String cannot fail");
        }
    }
    out.push(']');
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
