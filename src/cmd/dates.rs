//! `lede dates`: how many passages mention each period, as a text
//! histogram or JSON Lines.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::open::open_for_reading;
use super::Status;
use crate::cli::{DatesArgs, Location};
use crate::config::DatesConfig;
use crate::render;
use crate::search::counts;

pub(super) fn run(location: &Location, args: &DatesArgs) -> Result<Status> {
    let config = DatesConfig::from_args(location, args)?;
    let counted = &config.counted;
    let (_, index) = open_for_reading(&counted.location, counted.refresh)?;
    let queries = counted.filters.queries(&index.fields);
    let timeline = counts::timeline(&index, &counted.query, queries, config.by)?;
    if timeline.coarser + timeline.yearless > 0 {
        eprintln!("lede: {}", render::summary::left_out(&timeline, config.by));
    }
    let periods = timeline.periods;
    if periods.is_empty() {
        let searcher = index.reader()?.searcher();
        super::report_unmatched_filters(&searcher, &index.fields, &counted.filters)?;
    }
    let mut out = BufWriter::new(io::stdout().lock());
    render::counts::write_timeline(&mut out, &periods, config.json)?;
    out.flush()?;
    Ok(if periods.is_empty() { Status::NoHits } else { Status::Success })
}
