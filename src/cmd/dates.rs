//! `lede dates`: how many passages mention each period, as a text
//! histogram or JSON Lines.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::open::open_for_reading;
use super::Status;
use crate::cli::{DatesArgs, Granularity, Location};
use crate::config;
use crate::render;
use crate::search::counts::{self, By};

/// Width of the longest bar.
const BAR_WIDTH: usize = 50;

pub fn run(location: &Location, args: &DatesArgs) -> Result<Status> {
    let filters = config::filters(&args.filters)?;
    let (_, index) = open_for_reading(location, !args.no_refresh)?;
    let by = match args.by {
        Granularity::Year => By::Year,
        Granularity::Month => By::Month,
        Granularity::Day => By::Day,
    };
    let timeline =
        counts::timeline(&index, &args.query.join(" "), filters.queries(&index.fields), by)?;
    if timeline.coarser + timeline.yearless > 0 {
        eprintln!("lede: {}", render::summary::left_out(&timeline, by));
    }
    let periods = timeline.periods;
    if periods.is_empty() {
        let searcher = index.reader()?.searcher();
        super::report_unmatched_filters(&searcher, &index.fields, &filters)?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        render::json::write_lines(&mut out, &periods)?;
    } else {
        let max = periods.iter().map(|p| p.paragraphs).max().unwrap_or(1);
        for period in &periods {
            let bar = (period.paragraphs * BAR_WIDTH).div_ceil(max);
            writeln!(out, "{:<10} {:>6} {}", period.period, period.paragraphs, "█".repeat(bar))?;
        }
    }
    out.flush()?;
    Ok(if periods.is_empty() { Status::NoHits } else { Status::Success })
}
