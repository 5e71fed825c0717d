//! One function per subcommand: each turns clap arguments into a config,
//! calls the core modules, prints, and returns the exit status.

mod completions;
mod copies;
mod dates;
mod entities;
mod eval;
mod export;
mod extract;
mod index;
mod open;
mod progress;
mod search;
mod serve;
mod show;
mod stats;
mod watch;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Exit statuses, like grep and ripgrep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Hits found, or the command did its job.
    Success,
    /// A search found nothing.
    NoHits,
    /// Something went wrong (also: some files could not be indexed).
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Success => 0,
            Status::NoHits => 1,
            Status::Error => 2,
        })
    }
}

/// When a filtered command found nothing, says which filter can match
/// nothing in this index (see [`Filters::unmatched`]); true when it said
/// anything.
///
/// [`Filters::unmatched`]: crate::search::filters::Filters::unmatched
fn report_unmatched_filters(
    searcher: &tantivy::Searcher,
    fields: &crate::schema::Fields,
    filters: &crate::search::filters::Filters,
) -> Result<bool> {
    let lines = filters.unmatched(searcher, fields)?;
    for line in &lines {
        eprintln!("lede: {line}");
    }
    Ok(!lines.is_empty())
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Index(args) => index::run(&cli.location, &args),
        Command::Search(args) => search::run(&cli.location, &args),
        Command::Entities(args) => entities::run(&cli.location, &args),
        Command::Dates(args) => dates::run(&cli.location, &args),
        Command::Eval(args) => eval::run(&args),
        Command::Show(args) => show::run(&cli.location, &args),
        Command::Extract(args) => extract::run(&args),
        Command::Stats(args) => stats::run(&cli.location, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(_) => completions::man(),
        Command::Watch(args) => watch::run(&cli.location, &args),
        Command::Export(args) => export::run(&cli.location, &args),
        Command::Serve(args) => serve::run(&cli.location, &args),
    }
}
