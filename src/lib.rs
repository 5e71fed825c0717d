//! lede: passage search for folders of news articles.
//!
//! The crate is a library with a thin binary (`src/main.rs`). Data flows
//! corpus → split → extract → index, and query → search → render; see
//! `DESIGN.md` in the shared folder and the module docs below.

pub mod analysis;
pub mod eval;
pub mod extract;
