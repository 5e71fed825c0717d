//! Aggregates over the passages a query selects: which entities they
//! mention most, and how many mention each period (a timeline). Values are
//! read from fast fields, so counting touches no stored text.

use std::collections::{BTreeMap, HashSet};

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher};

use super::{filters, query, tally};
use crate::extract::dates::keys::Span;
use crate::extract::entities::EntityKind;
use crate::index::LedeIndex;

/// How often one entity is mentioned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct EntityCount {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Passages that mention it.
    pub paragraphs: usize,
    /// Files with at least one such passage.
    pub files: usize,
}

/// Passages that mention each period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PeriodCount {
    /// `2024`, `2024-08` or `2024-08-06`.
    pub period: String,
    pub paragraphs: usize,
}

/// The periods of a timeline, and the mentions it could not place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timeline {
    pub periods: Vec<PeriodCount>,
    /// Mentions of a period too long for one bar (a year, when counting
    /// months).
    pub coarser: usize,
    /// Mentions with no year (`November 7`).
    pub yearless: usize,
}

/// Size of the periods of a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum By {
    Year,
    Month,
    Day,
}

/// The passages matched by `text` and `filters`.
fn matching(
    searcher: &Searcher,
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> Result<Vec<DocAddress>> {
    let plan = query::build(searcher, &index.index, &index.fields, text, filters)?;
    let mut docs: Vec<DocAddress> =
        searcher.search(&plan.query, &DocSetCollector)?.into_iter().collect();
    docs.sort();
    Ok(docs)
}

/// Clause matching passages that mention `name` as any kind of entity.
pub(crate) fn any_entity(index: &LedeIndex, name: &str) -> Box<dyn Query> {
    let clauses = index
        .fields
        .entities
        .values()
        .map(|&field| (Occur::Should, filters::entity_query(field, name)))
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The most mentioned entities of the selected passages, most first (ties
/// by name). `exclude` (lowercase) is left out of the list: the `--with` name.
pub(crate) fn entities(
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    kinds: &[EntityKind],
    exclude: Option<&str>,
    limit: usize,
) -> Result<Vec<EntityCount>> {
    entities_in(&index.reader()?.searcher(), index, text, filters, kinds, exclude, limit)
}

/// [`entities`] on a searcher the caller keeps (`lede serve`).
pub(crate) fn entities_in(
    searcher: &Searcher,
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    kinds: &[EntityKind],
    exclude: Option<&str>,
    limit: usize,
) -> Result<Vec<EntityCount>> {
    let plan = query::build(searcher, &index.index, &index.fields, text, filters)?;
    let tallies =
        searcher.search(&plan.query, &tally::EntityCount { fields: &index.fields, kinds })?;
    let mut counts: Vec<EntityCount> = tallies
        .into_iter()
        .filter(|((_, name), _)| exclude.is_none_or(|x| name.to_lowercase() != x))
        .map(|((kind, name), tally)| EntityCount {
            name,
            kind,
            paragraphs: tally.paragraphs,
            files: tally.files,
        })
        .collect();
    counts.sort_by(|a, b| {
        b.paragraphs
            .cmp(&a.paragraphs)
            .then(b.files.cmp(&a.files))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.kind.cmp(&b.kind))
    });
    counts.truncate(limit);
    Ok(counts)
}

impl By {
    /// The shortest mention length (days after the first) a timeline of
    /// these periods leaves out: a year when counting months or days
    /// (weeks, quarters and seasons are counted in each month they touch),
    /// a decade when counting years, anything longer than a day when
    /// counting days.
    pub(crate) fn too_long(self) -> u32 {
        match self {
            By::Year => 3_651,
            By::Month => 364,
            By::Day => 1,
        }
    }
}

/// How many selected passages mention each period, in calendar order. A
/// passage counts once per period however many mentions it has; mentions
/// coarser than `by` (a year, when counting months) and year-less dates are
/// not placed, and counted as such.
pub(crate) fn timeline(
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    by: By,
) -> Result<Timeline> {
    timeline_in(&index.reader()?.searcher(), index, text, filters, by)
}

/// [`timeline`] on a searcher the caller keeps (`lede serve`).
pub(crate) fn timeline_in(
    searcher: &Searcher,
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    by: By,
) -> Result<Timeline> {
    let docs = matching(searcher, index, text, filters)?;
    let f = &index.fields;
    let fields = match by {
        By::Year => vec![f.date_day, f.date_month, f.date_year],
        By::Month => vec![f.date_day, f.date_month],
        By::Day => vec![f.date_day],
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut segment_ord = u32::MAX;
    let mut columns = Vec::new();
    let mut periods = HashSet::new();
    let mut spans = None;
    let (mut coarser, mut yearless) = (0, 0);
    for address in docs {
        if address.segment_ord != segment_ord {
            segment_ord = address.segment_ord;
            let fast = searcher.segment_reader(segment_ord).fast_fields();
            columns = fields
                .iter()
                .map(|&field| fast.date(f.name(field)))
                .collect::<tantivy::Result<Vec<_>>>()?;
            spans = Some(fast.u64(f.name(f.date_span))?);
        }
        for key in spans.iter().flat_map(|column| column.values_for_doc(address.doc_id)) {
            let span = Span::of_key(key);
            if span.yearless() {
                yearless += 1;
            } else if span.length >= by.too_long() {
                coarser += 1;
            }
        }
        periods.clear();
        for column in &columns {
            for value in column.values_for_doc(address.doc_id) {
                periods.insert(period_of(value.into_utc().date(), by));
            }
        }
        for period in periods.drain() {
            *counts.entry(period).or_default() += 1;
        }
    }
    let periods =
        counts.into_iter().map(|(period, paragraphs)| PeriodCount { period, paragraphs }).collect();
    Ok(Timeline { periods, coarser, yearless })
}

/// The period of `by` that holds `date`: `2024`, `2024-08` or `2024-08-06`.
fn period_of(date: time::Date, by: By) -> String {
    match by {
        By::Year => format!("{:04}", date.year()),
        By::Month => format!("{:04}-{:02}", date.year(), u8::from(date.month())),
        By::Day => format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()),
    }
}

/// How many selected passages belong to documents published in each
/// period, in calendar order; passages of undated documents are not placed.
pub(crate) fn published_timeline(
    searcher: &Searcher,
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    by: By,
) -> Result<Vec<PeriodCount>> {
    let docs = matching(searcher, index, text, filters)?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut segment_ord = u32::MAX;
    let mut column = None;
    let published = index.fields.name(index.fields.published);
    for address in docs {
        if address.segment_ord != segment_ord {
            segment_ord = address.segment_ord;
            column = searcher.segment_reader(segment_ord).fast_fields().date(published).ok();
        }
        let Some(date) = column.as_ref().and_then(|c| c.first(address.doc_id)) else { continue };
        *counts.entry(period_of(date.into_utc().date(), by)).or_default() += 1;
    }
    Ok(counts.into_iter().map(|(period, paragraphs)| PeriodCount { period, paragraphs }).collect())
}
