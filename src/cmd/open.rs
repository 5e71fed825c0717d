//! Opening an index for the read-only commands (search, entities, dates):
//! a missing index is built first, so one command works on a fresh checkout.

use anyhow::Result;

use super::index::{index_corpus, summary};
use crate::cli::Location;
use crate::config::{self, Paths};
use crate::error::Error;
use crate::index::update::UpdateOptions;
use crate::index::LedeIndex;

/// Resolves the paths and opens the index, building it when it is missing.
pub fn open_for_reading(location: &Location) -> Result<(Paths, LedeIndex)> {
    let paths = config::resolve_paths(location, None)?;
    match LedeIndex::open(&paths.index) {
        Ok(index) => Ok((paths, index)),
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexMissing(_))) => {
            eprintln!(
                "lede: no index for {} yet, building it in {}",
                paths.corpus.display(),
                paths.index.display()
            );
            let report = index_corpus(&paths, &UpdateOptions::default())?;
            eprintln!("lede: {}", summary(&report, false));
            let index = LedeIndex::open(&paths.index)?;
            Ok((paths, index))
        }
        Err(err) => Err(err),
    }
}
