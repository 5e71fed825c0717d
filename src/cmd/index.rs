//! `lede index`: create or update the index of a corpus.

use std::io::Write;

use anyhow::{bail, Result};

use super::open::check_corpus;
use super::progress::Reporter;
use super::Status;
use crate::cli::{ExtractChoice, IndexArgs, Location};
use crate::config::{self, Paths};
use crate::error::Error;
use crate::extract::Extractors;
use crate::index::manifest::Manifest;
use crate::index::rebuild;
use crate::index::update::{self, UpdateOptions, UpdateReport};
use crate::index::LedeIndex;

pub fn run(location: &Location, args: &IndexArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, args.corpus.as_deref())?;
    // Keys the index recorded stay unless new ones are given; new ones mean
    // every JSON record must be read again, so the index is rebuilt.
    let recorded = Manifest::read(&paths.index).ok().flatten().map(|m| m.json_keys);
    let chosen = config::json_keys(&args.json_keys);
    let keys_changed = matches!((&chosen, &recorded), (Some(chosen), Some(old)) if chosen != old);
    if keys_changed && !args.rebuild && !args.dry_run {
        eprintln!("lede: the JSON keys changed: every file is read again");
    }
    let options = UpdateOptions {
        rebuild: args.rebuild || keys_changed,
        json_keys: chosen.or(recorded),
        dry_run: args.dry_run,
        list_paths: args.dry_run,
        wait: args.wait,
        extractors: Extractors {
            entities: matches!(args.extract, ExtractChoice::All | ExtractChoice::Entities),
            dates: matches!(args.extract, ExtractChoice::All | ExtractChoice::Dates),
        },
        ..UpdateOptions::default()
    };
    let report = index_corpus(&paths, &options)?;
    if args.dry_run {
        print_plan(&report)?;
    }
    eprintln!("{}", summary(&report, args.dry_run));
    if let Some(counts) = format_counts(&report) {
        eprintln!("{counts}");
    }
    Ok(if report.failed > 0 { Status::Error } else { Status::Success })
}

/// Opens (or creates) the index of `paths` and brings it up to date,
/// printing notices on stderr. `--rebuild`, or an index that cannot be
/// read, builds a fresh index beside the old one and swaps it in. Fails
/// when the corpus has no indexable files.
pub fn index_corpus(paths: &Paths, options: &UpdateOptions) -> Result<UpdateReport> {
    let mut reporter = Reporter::new(&paths.index);
    let mut events = |event: &update::Event| reporter.event(event);
    let rebuild = |events: &mut dyn FnMut(&update::Event)| {
        rebuild::rebuild(&paths.index, &paths.corpus, options, events)
    };
    let report = match LedeIndex::open(&paths.index) {
        Ok(mut index) => {
            check_corpus(&mut index, paths)?;
            if options.rebuild && !options.dry_run {
                drop(index);
                rebuild(&mut events)?
            } else {
                rebuild::remove_leftovers(&paths.index);
                update::update(&index, options, &mut events)?
            }
        }
        Err(err) => match err.downcast_ref::<Error>() {
            Some(Error::IndexMissing(_)) if options.dry_run => {
                return dry_run_without_index(paths, options);
            }
            Some(Error::IndexMissing(_)) => {
                let index = LedeIndex::create_new(&paths.index, &paths.corpus)?;
                update::update(&index, options, &mut events)?
            }
            Some(Error::IndexIncompatible { .. } | Error::IndexUnreadable { .. })
                if options.rebuild && !options.dry_run =>
            {
                rebuild(&mut events)?
            }
            // The index is derived from the corpus: a new lede rebuilds an
            // old one rather than leaving the user a command to type.
            Some(Error::IndexIncompatible { dir, found }) if !options.dry_run => {
                let dir = dir.display();
                eprintln!(
                    "lede: the index at {dir} was built by another version of lede ({found}); \
                     rebuilding it from the corpus"
                );
                rebuild(&mut events)?
            }
            Some(Error::IndexUnreadable { dir, reason }) if !options.dry_run => {
                let dir = dir.display();
                eprintln!("lede: the index at {dir} cannot be read ({reason}); rebuilding it");
                rebuild(&mut events)?
            }
            _ => return Err(err),
        },
    };
    drop(reporter);
    let files = report.added.len() + report.updated.len() + report.unchanged;
    if files == 0 && report.failed == 0 {
        bail!(
            "no file lede reads (text, HTML, PDF, DOCX, e-mail, JSON, WARC) in {}: point --corpus at \
             a folder of articles",
            paths.corpus.display()
        );
    }
    Ok(report)
}

/// A dry run with no index yet: every file would be added.
fn dry_run_without_index(paths: &Paths, options: &UpdateOptions) -> Result<UpdateReport> {
    let dir = tempfile::tempdir()?;
    let index = LedeIndex::create(dir.path(), &paths.corpus)?;
    let mut reporter = Reporter::new(&paths.index);
    update::update(&index, options, &mut |event| reporter.event(event))
}

fn print_plan(report: &UpdateReport) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (verb, paths) in
        [("add", &report.added), ("update", &report.updated), ("remove", &report.removed)]
    {
        for path in paths.paths() {
            writeln!(out, "{verb}\t{path}")?;
        }
    }
    Ok(())
}

/// The one-line summary printed after a run.
pub fn summary(report: &UpdateReport, dry_run: bool) -> String {
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
            "; {} paragraphs, {} in {:.2} s",
            report.paragraphs,
            human_bytes(report.bytes),
            report.elapsed.as_secs_f64()
        ));
    }
    line
}

/// Per format, the documents a run read and skipped (`None` when it read
/// no file).
pub fn format_counts(report: &UpdateReport) -> Option<String> {
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
