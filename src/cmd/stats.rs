//! `lede stats`: what the index holds (counted in [`crate::index::stats`]).

use std::io::{self, Write};

use anyhow::Result;

use super::Status;
use crate::cli::{Location, StatsArgs};
use crate::config;
use crate::index::{stats, LedeIndex};
use crate::render;
use crate::watch;

pub fn run(location: &Location, args: &StatsArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, None)?;
    let index = LedeIndex::open(&paths.index)?;
    let stats = stats::collect(&index, watch::watcher_pid(&index.dir))?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        render::stats::write_stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(Status::Success)
}
