//! `lede export`: index definitions, bulk NDJSON, or a push to an engine.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::open::open_for_reading;
use super::Status;
use crate::cli::{ExportArgs, Location};
use crate::config;
use crate::export::http::Url;
use crate::export::push::{self, PushOptions, Target};
use crate::export::state::{self, ExportState};
use crate::export::{mapping, ndjson, records};
use crate::render;

pub(super) fn run(location: &Location, args: &ExportArgs) -> Result<Status> {
    if let Some(choice) = args.mapping {
        io::stdout()
            .lock()
            .write_all(mapping::definition(config::engine(choice), &args.index_id).as_bytes())?;
        return Ok(Status::Success);
    }
    // A bad URL is reported before anything is read.
    let url = args.url.as_deref().map(Url::parse).transpose()?;
    let (_, index) = open_for_reading(location, !args.no_refresh)?;
    let started = Instant::now();
    let records = records::read_all(&index)?;
    let engine = config::engine(args.engine);
    let Some(url) = url else {
        let bytes = match &args.output {
            Some(path) => {
                let file = File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                ndjson::write_all(&records, engine, &mut BufWriter::new(file))
                    .with_context(|| format!("cannot write {}", path.display()))?
            }
            None => ndjson::write_all(&records, engine, &mut io::stdout().lock())?,
        };
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("{}", render::export::exported(records.len(), bytes, seconds));
        return Ok(Status::Success);
    };
    let target_key = args.url.clone().unwrap_or_default();
    let previous = if args.full {
        ExportState { target: target_key.clone(), ..ExportState::default() }
    } else {
        ExportState::load(&index.dir, &target_key)?
    };
    let plan = state::plan(&records, &previous);
    let target = Target { url, engine };
    let options = PushOptions {
        batch_bytes: args.batch_mb.max(1) << 20,
        backoff: Duration::from_millis(args.retry_ms),
        ..PushOptions::default()
    };
    let report = push::push(&target, &plan, &options, &mut |line| eprintln!("lede: {line}"))?;
    let failed = report.failed_paths();
    let mut saved = previous;
    saved.target = target_key;
    saved.apply(&plan, &failed);
    saved.save(&index.dir)?;
    eprintln!("{}", render::export::sent(&report, &plan));
    if report.failed.is_empty() {
        return Ok(Status::Success);
    }
    for line in render::export::undelivered(&report, failed.len()) {
        eprintln!("{line}");
    }
    Ok(Status::Error)
}
