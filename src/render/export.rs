//! What `lede export` says on stderr: how much it wrote or sent, and
//! which records did not arrive.

use crate::export::push::{Failure, PushReport};
use crate::export::state::Plan;

/// After writing NDJSON: `lede: exported N records, X MB in S s (R MB/s)`.
pub(crate) fn exported(records: usize, bytes: u64, seconds: f64) -> String {
    format!(
        "lede: exported {records} records, {:.2} MB in {seconds:.2} s ({:.1} MB/s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    )
}

/// After a push: what was sent, and what the plan left alone.
pub(crate) fn sent(report: &PushReport, plan: &Plan) -> String {
    format!(
        "lede: sent {} records and {} deletes in {} requests ({} retries); \
         {} files unchanged, {} edited, {} removed",
        report.added,
        report.deleted,
        report.batches,
        report.retries,
        plan.unchanged,
        plan.edited.len(),
        plan.removed.len()
    )
}

/// After a push some of whose records failed: every reason once (see
/// [`not_exported`]), then how much is left for the next export.
pub(crate) fn undelivered(report: &PushReport, failed_files: usize) -> Vec<String> {
    let mut lines: Vec<String> = report
        .failures_by_reason()
        .into_iter()
        .map(|(reason, failures)| not_exported(reason, &failures))
        .collect();
    lines.push(format!(
        "lede: {} records of {failed_files} files did not arrive; they are sent again by the \
         next export",
        report.failed.len()
    ));
    lines
}

/// Files named before the rest are counted.
const NAMED_FILES: usize = 3;

/// One line for the records that failed for `reason`: the record itself
/// when it is alone, else how many records of how many files, naming the
/// first few files.
pub(crate) fn not_exported(reason: &str, failures: &[&Failure]) -> String {
    if let [failure] = failures {
        return format!("lede: not exported: {} ({}): {reason}", failure.path, failure.id);
    }
    let mut seen = std::collections::HashSet::new();
    let files: Vec<&str> =
        failures.iter().map(|f| f.path.as_str()).filter(|path| seen.insert(*path)).collect();
    let mut named = files.iter().take(NAMED_FILES).copied().collect::<Vec<_>>().join(", ");
    if files.len() > NAMED_FILES {
        named.push_str(&format!(" and {} more", files.len() - NAMED_FILES));
    }
    let records = failures.len();
    let of_files = match files.len() {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    format!("lede: not exported: {records} records of {of_files} ({named}): {reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(path: &str, id: &str) -> Failure {
        Failure { path: path.into(), id: id.into(), reason: "gave up".into() }
    }

    #[test]
    fn a_lone_record_is_named_and_many_are_counted_by_file() {
        let one = failure("a.txt", "a.txt:p1");
        assert_eq!(
            not_exported("gave up", &[&one]),
            "lede: not exported: a.txt (a.txt:p1): gave up"
        );
        let many = [
            failure("a.txt", "a.txt"),
            failure("a.txt", "a.txt:p1"),
            failure("b.txt", "b.txt:p0"),
            failure("c.txt", "c.txt:p0"),
            failure("d.txt", "d.txt:p0"),
            failure("e.txt", "e.txt:p0"),
        ];
        let refs: Vec<&Failure> = many.iter().collect();
        assert_eq!(
            not_exported("gave up", &refs),
            "lede: not exported: 6 records of 5 files (a.txt, b.txt, c.txt and 2 more): gave up"
        );
        assert_eq!(
            not_exported("gave up", &refs[..2]),
            "lede: not exported: 2 records of 1 file (a.txt): gave up"
        );
    }
}
