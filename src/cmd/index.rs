//! `lede index`: create or update the index of a corpus.

use anyhow::Result;

use super::progress::Reporter;
use super::Status;
use crate::cli::{ExtractChoice, IndexArgs, Location};
use crate::config;
use crate::extract::Extractors;
use crate::index::lifecycle::index_corpus;
use crate::index::manifest::Manifest;
use crate::index::update::UpdateOptions;
use crate::render;
use crate::render::indexing::{format_counts, summary};

pub(super) fn run(location: &Location, args: &IndexArgs) -> Result<Status> {
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
    let report = index_corpus(&paths, &options, &mut Reporter::new(&paths.index))?;
    if args.dry_run {
        render::indexing::write_plan(&mut std::io::stdout().lock(), &report)?;
    }
    eprintln!("{}", summary(&report, args.dry_run));
    if let Some(counts) = format_counts(&report) {
        eprintln!("{counts}");
    }
    Ok(if report.failed > 0 { Status::Error } else { Status::Success })
}
