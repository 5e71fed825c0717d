//! Links the `lede` binary as a position-dependent executable on Linux. A
//! search is a process of a few milliseconds, and a position-independent
//! one first applies 26,000 relocations that copy 120 pages of vtables and
//! string tables (125 of the 1,150 page faults of a search on Reuters x5,
//! and most of `lede --version`'s time). The library and tests are
//! unaffected.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
