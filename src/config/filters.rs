//! The filter options (`--person`, `--from`, `--on`, `--lang`…) as plain
//! values, and their one validation into [`Filters`]. `lede serve` reads
//! the same options from a query string, so it fills [`FilterOptions`]
//! without clap.

use anyhow::{ensure, Context, Result};

use crate::cli::{DateMatchChoice, FilterArgs};
use crate::extract::entities::ByKind;
use crate::search::date_args::{DateArg, OnArg};
use crate::search::filters::{DateMatch, Filters};

/// The filter options as given, dates already read (see
/// [`crate::search::date_args`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FilterOptions {
    /// `--person`, `--org`, `--place`, `--misc`: names, by kind.
    pub entities: ByKind<Vec<String>>,
    pub from: Option<DateArg>,
    pub to: Option<DateArg>,
    pub on: Option<OnArg>,
    pub date_match: DateMatch,
    pub published_from: Option<DateArg>,
    pub published_to: Option<DateArg>,
    /// A language code or name, not yet looked up.
    pub lang: Option<String>,
}

impl From<&FilterArgs> for FilterOptions {
    fn from(args: &FilterArgs) -> FilterOptions {
        FilterOptions {
            entities: ByKind::new([
                args.person.clone(),
                args.org.clone(),
                args.place.clone(),
                args.misc.clone(),
            ]),
            from: args.from,
            to: args.to,
            on: args.on,
            date_match: match args.dates {
                DateMatchChoice::Within => DateMatch::Within,
                DateMatchChoice::Overlap => DateMatch::Overlap,
            },
            published_from: args.published_from,
            published_to: args.published_to,
            lang: args.lang.clone(),
        }
    }
}

/// The filters `options` ask for: periods turned into days, ranges checked
/// to run forwards, the language looked up. Messages name the command-line
/// options.
pub(crate) fn filters(options: &FilterOptions) -> Result<Filters> {
    let mut filters = Filters {
        entities: options.entities.clone(),
        from: options.from.map(|date| date.first()),
        to: options.to.map(|date| date.last()),
        date_match: options.date_match,
        published_from: options.published_from.map(|date| date.first()),
        published_to: options.published_to.map(|date| date.last()),
        ..Filters::default()
    };
    match options.on {
        Some(OnArg::MonthDay(month, day)) => filters.month_day = Some((month, day)),
        Some(OnArg::Period(period)) => {
            filters.from = Some(period.first());
            filters.to = Some(period.last());
        }
        None => {}
    }
    if let (Some(from), Some(to)) = (filters.from, filters.to) {
        ensure!(from <= to, "--from {from} is after --to {to}: swap them");
    }
    if let (Some(from), Some(to)) = (filters.published_from, filters.published_to) {
        ensure!(from <= to, "--published-from {from} is after --published-to {to}: swap them");
    }
    if let Some(lang) = options.lang.as_deref() {
        filters.lang = Some(crate::extract::language::parse(lang).with_context(|| {
            format!(
                "--lang {lang:?}: unknown language; use a code or English name \
                 such as en, ru, uk, ko, zh, ja, de, rus or Russian"
            )
        })?);
    }
    Ok(filters)
}
