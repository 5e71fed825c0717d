//! `lede entities`: the most mentioned people, organisations and places.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::open::open_for_reading;
use super::Status;
use crate::cli::{EntitiesArgs, Location};
use crate::config::EntitiesConfig;
use crate::render;
use crate::search::{counts, filters};

pub(super) fn run(location: &Location, args: &EntitiesArgs) -> Result<Status> {
    let config = EntitiesConfig::from_args(location, args)?;
    let counted = &config.counted;
    let (_, index) = open_for_reading(&counted.location, counted.refresh)?;
    let mut queries = counted.filters.queries(&index.fields);
    if let Some(name) = &config.with {
        queries.push(counts::any_entity(&index, name));
    }
    let exclude = config.exclude();
    let list = counts::entities(
        &index,
        &counted.query,
        queries,
        &config.kinds,
        exclude.as_deref(),
        config.limit,
    )?;
    if list.is_empty() {
        let searcher = index.reader()?.searcher();
        super::report_unmatched_filters(&searcher, &index.fields, &counted.filters)?;
        if let Some(name) = &config.with {
            if let Some(line) = filters::unmatched_name(&searcher, &index.fields, name)? {
                eprintln!("lede: {line}");
            }
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    render::counts::write_entities(&mut out, &list, config.json)?;
    out.flush()?;
    Ok(if list.is_empty() { Status::NoHits } else { Status::Success })
}
