//! `lede search`: ranked passages in human or JSON form.

use std::io::{self, BufWriter, Write};

use anyhow::{bail, Result};

use super::open::open_for_reading;
use super::Status;
use crate::cli::{Location, SearchArgs};
use crate::config::{self, PathDisplay};
use crate::render;
use crate::search::{self, SearchRequest};

pub fn run(location: &Location, args: &SearchArgs) -> Result<Status> {
    let filters = config::filters(&args.filters)?;
    let query = args.query.join(" ");
    if query.trim().is_empty() && filters.is_empty() {
        bail!("nothing to search for: give query words or a filter such as --person or --from");
    }
    let (_, index) = open_for_reading(location)?;
    let request = SearchRequest { query, limit: args.limit, per_file: args.per_file };
    let result = search::run(&index, &request, filters.queries(&index.fields))?;
    let display = PathDisplay::new(&index.manifest.corpus);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        render::json::write_hits(&mut out, &result.hits, &display)?;
    } else {
        let options = render::human::Options {
            color: config::use_color(args.color),
            entities: args.entities,
        };
        render::human::write_hits(&mut out, &result.hits, &display, &options)?;
    }
    out.flush()?;
    Ok(if result.hits.is_empty() { Status::NoHits } else { Status::Success })
}
