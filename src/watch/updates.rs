//! The update a watcher runs once the folder changed, and how it is logged.
//! `lede watch` and `lede serve` (which watches the index it serves) share it.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::index::lifecycle::{self, Freshened};
use crate::index::update::Event;
use crate::index::LedeIndex;
use crate::render::indexing::summary;

use super::log;

/// Applies the folder's changes to `index` — only those of `changed`
/// (paths relative to the corpus) when the watcher knows them — and logs
/// what came of it; false when the update must be retried (another
/// writer, or a failure).
pub(crate) fn apply_and_log(
    index: &LedeIndex,
    changed: Option<&BTreeSet<String>>,
    events: &mut dyn FnMut(&Event),
) -> bool {
    match lifecycle::apply_changes(index, changed.map(|paths| Arc::new(paths.clone())), events) {
        Freshened::Updated(report) => {
            if report.committed {
                log(&summary(&report, false));
            }
            true
        }
        Freshened::Current => true,
        Freshened::Busy => {
            log("another lede process is updating the index; trying again shortly");
            false
        }
        Freshened::Failed(err) | Freshened::CheckFailed(err) => {
            log(&format!("error: {err:#}"));
            false
        }
    }
}
