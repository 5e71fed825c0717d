//! What an index run and the index's lifecycle tell the user: the plan of
//! a dry run, the summary line after a run, the per-format counts, and the
//! notices of opening, building and repairing an index.

use std::io::{self, Write};

use crate::index::lifecycle::{Freshened, Notice};
use crate::index::update::UpdateReport;

/// `--dry-run`: one `verb<TAB>path` line per file the run would add,
/// update or remove.
pub(crate) fn write_plan<W: Write>(out: &mut W, report: &UpdateReport) -> io::Result<()> {
    for (verb, paths) in
        [("add", &report.added), ("update", &report.updated), ("remove", &report.removed)]
    {
        for path in paths.paths() {
            writeln!(out, "{verb}\t{path}")?;
        }
    }
    Ok(())
}

/// A lifecycle notice as one line (without the `lede: ` prefix).
pub(crate) fn notice_line(notice: &Notice) -> String {
    match notice {
        Notice::Building { corpus, index } => {
            format!("no index for {} yet, building it in {}", corpus.display(), index.display())
        }
        Notice::Incompatible { dir, found } => format!(
            "the index at {} was built by another version of lede ({found}); \
             rebuilding it from the corpus",
            dir.display()
        ),
        Notice::Unreadable { dir, reason } => {
            format!("the index at {} cannot be read ({reason}); rebuilding it", dir.display())
        }
        Notice::Built(report) => summary(report, false),
        Notice::CorpusMoved { from, to } => format!(
            "note: the corpus moved from {} to {}; the index follows it",
            from.display(),
            to.display()
        ),
    }
}

/// What a search's freshness update says on stderr (without the `lede: `
/// prefix); nothing when the folder had not changed.
pub(crate) fn freshened_line(outcome: &Freshened) -> Option<String> {
    match outcome {
        Freshened::Current => None,
        Freshened::Updated(report) => {
            let changes = report.added.len() + report.updated.len() + report.removed.len();
            (changes > 0).then(|| format!("index updated: {}", summary(report, false)))
        }
        Freshened::Busy => Some(
            "note: the index is being updated by another lede process; searching its last commit"
                .to_string(),
        ),
        Freshened::CheckFailed(err) => {
            Some(format!("warning: cannot check the corpus for changes: {err:#}"))
        }
        Freshened::Failed(err) => {
            Some(format!("warning: cannot update the index: {err:#}; searching its last commit"))
        }
    }
}

/// The one-line summary printed after a run.
pub(crate) fn summary(report: &UpdateReport, dry_run: bool) -> String {
    let mut line = format!(
        "{}added {}, updated {}, removed {}, unchanged {}",
        if dry_run { "would have: " } else { "" },
        report.added.len(),
        report.updated.len(),
        report.removed.len(),
        report.unchanged
    );
    if report.skipped > 0 {
        line.push_str(&format!(", skipped {}", report.skipped));
    }
    if report.failed > 0 {
        line.push_str(&format!(", failed {}", report.failed));
    }
    if !dry_run {
        line.push_str(&format!(
            "; {} paragraph{}, {} in {:.2} s",
            report.paragraphs,
            if report.paragraphs == 1 { "" } else { "s" },
            human_bytes(report.bytes),
            report.elapsed.as_secs_f64()
        ));
    }
    line
}

/// Per format, the documents a run read and skipped (`None` when it read
/// no file).
pub(crate) fn format_counts(report: &UpdateReport) -> Option<String> {
    if report.formats.is_empty() {
        return None;
    }
    let counts: Vec<String> = report
        .formats
        .iter()
        .map(|(format, counts)| match counts.skipped {
            0 => format!("{} {}", format.name(), counts.read),
            skipped => format!("{} {} ({skipped} skipped)", format.name(), counts.read),
        })
        .collect();
    Some(format!("documents read: {}", counts.join(", ")))
}

/// `1234` → `1.2 KB`, `5_100_000` → `5.1 MB`.
fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} B"),
        1_000..=999_999 => format!("{:.1} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}
