//! One function per subcommand: each turns clap arguments into a config,
//! calls the core modules, prints, and returns the exit status.

mod index;
mod search;
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

/// Runs the command line.
pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Index(args) => index::run(&cli.location, &args),
        Command::Search(args) => search::run(&cli.location, &args),
        Command::Watch(args) => watch::run(&cli.location, &args),
    }
}
