//! `lede stats`: what the index holds (counted in [`crate::index::stats`]).

use std::io::{self, Write};

use anyhow::Result;

use super::Status;
use crate::cli::{Location, StatsArgs};
use crate::config;
use crate::index::{stats, LedeIndex};
use crate::render;
use crate::watch;

pub(super) fn run(location: &Location, args: &StatsArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, None)?;
    let index = LedeIndex::open(&paths.index)?;
    let stats = stats::collect(&index, watch::watcher_pid(&index.dir), args.copies)?;
    let mut out = io::stdout().lock();
    render::stats::write(&mut out, &stats, args.json)?;
    out.flush()?;
    Ok(Status::Success)
}
