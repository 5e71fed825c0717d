//! `lede entities`: the most mentioned people, organisations and places.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::open::open_for_reading;
use super::Status;
use crate::cli::{EntitiesArgs, EntityType, Location};
use crate::config;
use crate::extract::entities::EntityKind;
use crate::render;
use crate::search::counts;

pub fn run(location: &Location, args: &EntitiesArgs) -> Result<Status> {
    let filters = config::filters(&args.filters)?;
    let (_, index) = open_for_reading(location, !args.no_refresh)?;
    let mut queries = filters.queries(&index.fields);
    if let Some(name) = &args.with {
        queries.push(counts::any_entity(&index, name));
    }
    let kinds = match args.kind {
        Some(EntityType::Person) => vec![EntityKind::Person],
        Some(EntityType::Org) => vec![EntityKind::Org],
        Some(EntityType::Place) => vec![EntityKind::Place],
        Some(EntityType::Misc) => vec![EntityKind::Misc],
        None => EntityKind::ALL.to_vec(),
    };
    let exclude = args.with.as_deref().map(|n| n.trim().to_lowercase());
    let list = counts::entities(
        &index,
        &args.query.join(" "),
        queries,
        &kinds,
        exclude.as_deref(),
        args.limit,
    )?;
    if list.is_empty() {
        let searcher = index.reader()?.searcher();
        super::report_unmatched_filters(&searcher, &index.fields, &filters)?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        render::json::write_lines(&mut out, &list)?;
    } else {
        writeln!(out, "{:>6} {:>5}  {:<6}  name", "paras", "files", "type")?;
        for entry in &list {
            let kind = entry.kind.name();
            writeln!(
                out,
                "{:>6} {:>5}  {:<6}  {}",
                entry.paragraphs, entry.files, kind, entry.name
            )?;
        }
    }
    out.flush()?;
    Ok(if list.is_empty() { Status::NoHits } else { Status::Success })
}
