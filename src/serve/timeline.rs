//! The timeline drawn as an SVG bar chart on the server: one bar per
//! period, each a link that filters the search to that period.

use maud::{html, Markup};

use super::params::Params;
use crate::search::counts::{By, PeriodCount};

const WIDTH: usize = 640;
const HEIGHT: usize = 90;
/// Widest bar, so that two periods do not fill the chart.
const MAX_BAR: f64 = 48.0;
/// Most periods drawn with their empty neighbours filled in.
const MAX_FILLED: i64 = 400;
/// Room under the bars for the first and last period's labels.
const LABELS: usize = 16;

/// The chart for `periods`; bars link to the search of `params` narrowed
/// to their period (by mention, or by publication with the toggle on).
pub(super) fn chart(params: &Params, by: By, periods: &[PeriodCount]) -> Markup {
    let periods = &with_gaps(periods, by);
    let max = periods.iter().map(|p| p.paragraphs).max().unwrap_or(1).max(1);
    let slot = WIDTH as f64 / periods.len().max(1) as f64;
    let bar = (slot * 0.8).clamp(1.0, MAX_BAR);
    let unit = match by {
        By::Year => "year",
        By::Month => "month",
        By::Day => "day",
    };
    html! {
        svg.timeline viewBox=(format!("0 0 {WIDTH} {}", HEIGHT + LABELS)) role="img"
            aria-label=(format!("passages by {unit}")) {
            @for (i, period) in periods.iter().enumerate().filter(|(_, p)| p.paragraphs > 0) {
                @let height = ((period.paragraphs as f64 / max as f64) * HEIGHT as f64).max(1.0);
                a href=(format!("/?{}", narrowed(params, &period.period))) class="bar" {
                    rect x=(format!("{:.1}", i as f64 * slot)) y=(format!("{:.1}", HEIGHT as f64 - height))
                        width=(format!("{bar:.1}")) height=(format!("{height:.1}"))
                        data-period=(period.period) {
                        title { (period.period) ": " (period.paragraphs) " passages" }
                    }
                }
            }
            @if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
                text x="0" y=(HEIGHT + LABELS - 3) { (first.period) }
                @if periods.len() > 1 {
                    text x=(WIDTH) y=(HEIGHT + LABELS - 3) text-anchor="end" { (last.period) }
                }
            }
        }
    }
}

/// `params` with its date filter replaced by `period`.
fn narrowed(params: &Params, period: &str) -> String {
    let mut next = params.clone();
    if params.published_timeline {
        next.published_from = Some(period.to_string());
        next.published_to = Some(period.to_string());
    } else {
        next.from = None;
        next.to = None;
        next.on = Some(period.to_string());
    }
    next.to_query()
}

/// The period as a count of years, months or days since year 0 (days are
/// counted as a Julian day), for spacing bars; `None` if it does not parse.
pub(super) fn ordinal(period: &str, by: By) -> Option<i64> {
    let mut parts = period.split('-').map(|p| p.parse::<i64>().ok());
    let year = parts.next()??;
    match by {
        By::Year => Some(year),
        By::Month => Some(year * 12 + parts.next()?? - 1),
        By::Day => {
            let month = u8::try_from(parts.next()??).ok()?;
            let day = u8::try_from(parts.next()??).ok()?;
            let month = time::Month::try_from(month).ok()?;
            let date =
                time::Date::from_calendar_date(i32::try_from(year).ok()?, month, day).ok()?;
            Some(i64::from(date.to_julian_day()))
        }
    }
}

/// `periods` with the empty periods between them added (count 0), so the
/// bars stand where they fall in time; left as they are when the span is
/// too long to draw or a period does not parse.
fn with_gaps(periods: &[PeriodCount], by: By) -> Vec<PeriodCount> {
    let ordinals: Option<Vec<i64>> = periods.iter().map(|p| ordinal(&p.period, by)).collect();
    let Some(ordinals) = ordinals else { return periods.to_vec() };
    let (Some(&first), Some(&last)) = (ordinals.first(), ordinals.last()) else {
        return periods.to_vec();
    };
    if last - first >= MAX_FILLED {
        return periods.to_vec();
    }
    let mut filled = Vec::new();
    let mut given = ordinals.iter().zip(periods).peekable();
    for at in first..=last {
        match given.peek() {
            Some((&o, period)) if o == at => {
                filled.push((*period).clone());
                given.next();
            }
            _ => filled.push(PeriodCount { period: String::new(), paragraphs: 0 }),
        }
    }
    filled
}
