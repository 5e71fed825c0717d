//! The timeline drawn as an SVG bar chart on the server: one bar per
//! period, each a link that filters the search to that period.

use maud::{html, Markup};

use super::params::Params;
use crate::search::counts::{By, PeriodCount};

const WIDTH: usize = 640;
const HEIGHT: usize = 90;
/// Room under the bars for the first and last period's labels.
const LABELS: usize = 16;

/// The chart for `periods`; bars link to the search of `params` narrowed
/// to their period (by mention, or by publication with the toggle on).
pub fn chart(params: &Params, by: By, periods: &[PeriodCount]) -> Markup {
    let max = periods.iter().map(|p| p.paragraphs).max().unwrap_or(1).max(1);
    let slot = WIDTH as f64 / periods.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let unit = match by {
        By::Year => "year",
        By::Month => "month",
        By::Day => "day",
    };
    html! {
        svg.timeline viewBox=(format!("0 0 {WIDTH} {}", HEIGHT + LABELS)) role="img"
            aria-label=(format!("passages by {unit}")) {
            @for (i, period) in periods.iter().enumerate() {
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
