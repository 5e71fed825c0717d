//! `lede entities` and `lede dates` as validated settings: the passages
//! they count over, and what they count.

use anyhow::Result;

use super::filters::{filters, FilterOptions};
use crate::cli::{DatesArgs, EntitiesArgs, EntityType, Granularity, Location};
use crate::extract::entities::EntityKind;
use crate::search::counts::By;
use crate::search::filters::Filters;

/// The passages a count runs over: the local index (first brought up to
/// date unless `refresh` is off), the query words and the filters.
#[derive(Clone, Debug)]
pub(crate) struct Counted {
    pub location: Location,
    pub refresh: bool,
    /// The query words, joined (empty: every passage the filters select).
    pub query: String,
    pub filters: Filters,
}

/// `lede entities`.
#[derive(Clone, Debug)]
pub(crate) struct EntitiesConfig {
    pub counted: Counted,
    /// The kinds listed, in this order.
    pub kinds: Vec<EntityKind>,
    /// `--with NAME`: only passages mentioning NAME, which is not listed.
    pub with: Option<String>,
    /// How many names (`usize::MAX`: no limit).
    pub limit: usize,
    /// JSON Lines instead of a table.
    pub json: bool,
}

impl EntitiesConfig {
    pub(crate) fn from_args(location: &Location, args: &EntitiesArgs) -> Result<EntitiesConfig> {
        let kinds = match args.kind {
            Some(EntityType::Person) => vec![EntityKind::Person],
            Some(EntityType::Org) => vec![EntityKind::Org],
            Some(EntityType::Place) => vec![EntityKind::Place],
            Some(EntityType::Misc) => vec![EntityKind::Misc],
            None => EntityKind::ALL.to_vec(),
        };
        Ok(EntitiesConfig {
            counted: Counted {
                location: location.clone(),
                refresh: !args.no_refresh,
                query: args.query.join(" "),
                filters: filters(&FilterOptions::from(&args.filters))?,
            },
            kinds,
            with: args.with.clone(),
            limit: args.limit,
            json: args.json,
        })
    }

    /// The `--with` name as the counts compare names (lowercase), to leave
    /// it out of the list.
    pub(crate) fn exclude(&self) -> Option<String> {
        self.with.as_deref().map(|name| name.trim().to_lowercase())
    }
}

/// `lede dates`.
#[derive(Clone, Debug)]
pub(crate) struct DatesConfig {
    pub counted: Counted,
    /// The size of the periods counted.
    pub by: By,
    /// JSON Lines instead of a histogram.
    pub json: bool,
}

impl DatesConfig {
    pub(crate) fn from_args(location: &Location, args: &DatesArgs) -> Result<DatesConfig> {
        Ok(DatesConfig {
            counted: Counted {
                location: location.clone(),
                refresh: !args.no_refresh,
                query: args.query.join(" "),
                filters: filters(&FilterOptions::from(&args.filters))?,
            },
            by: match args.by {
                Granularity::Year => By::Year,
                Granularity::Month => By::Month,
                Granularity::Day => By::Day,
            },
            json: args.json,
        })
    }
}
