//! The HTML pages, rendered with maud: every text from the corpus (titles,
//! passages, paths, names) goes through maud's escaping, and every link is
//! built from percent-encoded parameters of this server's own routes, so
//! nothing a document says can become markup or a script.

use maud::{html, Markup, DOCTYPE};

use super::marks::{self, Mark, Run};
use super::params::{encode, Params};
use super::reply::Problem;
use super::searches::Page;
use crate::config::PathDisplay;
use crate::extract::entities::EntityKind;
use crate::search::counts::{By, EntityCount, PeriodCount};
use crate::search::passages::Paragraph;
use crate::search::{Entities, Hit};

/// What the search page shows.
pub(crate) struct SearchView<'a> {
    pub params: &'a Params,
    pub page: Option<&'a Page>,
    pub facets: &'a [(EntityKind, Vec<EntityCount>)],
    pub timeline: Option<(By, &'a [PeriodCount])>,
    pub display: &'a PathDisplay,
    pub problem: Option<&'a Problem>,
}

/// The frame of every page.
fn layout(title: &str, params: &Params, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · lede" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header {
                    a.brand href="/" { "lede" }
                    (search_form(params))
                    nav { a href="/batch" { "Batch" } }
                }
                main { (body) }
            }
        }
    }
}

/// The query box, carrying the filters and options as hidden fields so a
/// new query keeps them.
fn search_form(params: &Params) -> Markup {
    let mut hidden: Vec<(&str, String)> = Vec::new();
    for (kind, values) in params.entities.iter() {
        hidden.extend(values.iter().map(|v| (kind.name(), v.clone())));
    }
    for (name, value) in [
        ("from", &params.from),
        ("to", &params.to),
        ("on", &params.on),
        ("published_from", &params.published_from),
        ("published_to", &params.published_to),
        ("lang", &params.lang),
    ] {
        hidden.extend(value.iter().map(|v| (name, v.clone())));
    }
    if let Some(limit) = params.limit {
        hidden.push(("limit", limit.to_string()));
    }
    if let Some(per_file) = params.per_file {
        hidden.push(("per_file", per_file.to_string()));
    }
    if let Some(sort) = params.sort {
        hidden.push(("sort", sort.name().to_string()));
    }
    if params.overlap {
        hidden.push(("dates", "overlap".to_string()));
    }
    if params.published_timeline {
        hidden.push(("timeline", "published".to_string()));
    }
    html! {
        form #search action="/" method="get" role="search" {
            input #q type="search" name="q" value=(params.q) placeholder="Search passages: words, \"phrases\", -not, person:name…"
                autofocus aria-label="Query";
            @for (name, value) in &hidden {
                input type="hidden" name=(name) value=(value);
            }
            button type="submit" { "Search" }
        }
    }
}

/// The search page.
pub(crate) fn search(view: &SearchView) -> Markup {
    let params = view.params;
    let title = if params.q.is_empty() { "Search".to_string() } else { params.q.clone() };
    layout(
        &title,
        params,
        html! {
            @if let Some(problem) = view.problem {
                p.problem { (problem.message()) }
            }
            @if let Some(page) = view.page {
                (summary(params, page))
                (chips(params))
                div.columns {
                    aside.facets { (facets(params, view.facets)) }
                    section.results {
                        @if let Some((by, periods)) = view.timeline { (timeline(params, by, periods)) }
                        (hits(params, page, view.display))
                        (pager(params, page))
                    }
                }
            } @else if view.problem.is_none() {
                (chips(params))
                p.intro {
                    "Search every paragraph of the corpus. Words need not all occur, but passages holding \
                     all of them rank first; numbers match in any form (5,000 = 5000)."
                }
            }
        },
    )
}

fn summary(params: &Params, page: &Page) -> Markup {
    let total = page.result.total.unwrap_or(0);
    let files = page.result.files.unwrap_or(0);
    let mut export = params.clone();
    export.limit = Some(0);
    let export = export.to_query();
    html! {
        div.summary {
            span #total { (total) " passages in " (files) " files" }
            @if let Some(corrected) = &page.result.corrected_query {
                " · nothing matched; showing passages for " strong { (corrected) }
            } @else if let Some(suggestion) = &page.result.suggestion {
                " · did you mean "
                a href=(format!("/?q={}", encode(suggestion))) { (suggestion) } "?"
            }
            span.exports {
                "Export: "
                a #csv href=(format!("/export.csv?{export}")) { "CSV" } " · "
                a #jsonl href=(format!("/export.jsonl?{export}")) { "JSON Lines" } " · "
                a href=(format!("/api/search?{}", params.to_query())) { "API" }
            }
        }
    }
}

/// A date filter's label, value, and how to clear it.
type DateChip<'a> = (&'a str, &'a Option<String>, fn(&mut Params));

/// Active filters as chips; each one's × removes it.
fn chips(params: &Params) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    for (kind, values) in params.entities.iter() {
        for value in values {
            let mut without = params.clone();
            without.entities[kind].retain(|v| v != value);
            chips.push((format!("{}: {value}", kind.name()), without.to_query()));
        }
    }
    let dates: [DateChip; 6] = [
        ("from", &params.from, |p| p.from = None),
        ("to", &params.to, |p| p.to = None),
        ("on", &params.on, |p| p.on = None),
        ("published from", &params.published_from, |p| p.published_from = None),
        ("published to", &params.published_to, |p| p.published_to = None),
        ("language", &params.lang, |p| p.lang = None),
    ];
    for (name, value, clear) in dates {
        if let Some(value) = value {
            let mut without = params.clone();
            clear(&mut without);
            chips.push((format!("{name}: {value}"), without.to_query()));
        }
    }
    html! {
        @if !chips.is_empty() {
            div.chips {
                @for (label, href) in &chips {
                    a.chip href=(format!("/?{href}")) title="Remove this filter" { (label) " ×" }
                }
            }
        }
    }
}

fn facets(params: &Params, facets: &[(EntityKind, Vec<EntityCount>)]) -> Markup {
    html! {
        @for (kind, names) in facets {
            @let heading = match kind {
                EntityKind::Person => "People",
                EntityKind::Org => "Organisations",
                EntityKind::Place => "Places",
                EntityKind::Misc => "Other",
            };
            @let field = kind.name();
            @if !names.is_empty() {
                h3 { (heading) }
                ul.facet {
                    @for entry in names {
                        @let (active, href) = toggled(params, *kind, &entry.name);
                        li {
                            a.active[active] href=(format!("/?{href}")) data-kind=(field) data-name=(entry.name) {
                                (entry.name)
                            }
                            " " span.count { (entry.paragraphs) }
                        }
                    }
                }
            }
        }
    }
}

/// Whether `name` is an active filter of `kind`, and the search with it
/// toggled.
fn toggled(params: &Params, kind: EntityKind, name: &str) -> (bool, String) {
    let mut next = params.clone();
    next.page = 1;
    let list = &mut next.entities[kind];
    let active = list.iter().any(|v| v.eq_ignore_ascii_case(name));
    if active {
        list.retain(|v| !v.eq_ignore_ascii_case(name));
    } else {
        list.push(name.to_string());
    }
    (active, next.to_query())
}

fn timeline(params: &Params, by: By, periods: &[PeriodCount]) -> Markup {
    let mut mentioned = params.clone();
    mentioned.published_timeline = false;
    let mut published = params.clone();
    published.published_timeline = true;
    html! {
        div.timeline-head {
            a.active[!params.published_timeline] href=(format!("/?{}", mentioned.to_query())) { "Dates mentioned" }
            " · "
            a #published-toggle .active[params.published_timeline] href=(format!("/?{}", published.to_query())) { "Publication dates" }
        }
        @if periods.is_empty() {
            p.empty { "No dates in these passages." }
        } @else {
            (super::timeline::chart(params, by, periods))
        }
    }
}

fn hits(params: &Params, page: &Page, display: &PathDisplay) -> Markup {
    html! {
        @if page.result.hits.is_empty() {
            p.empty { "No passage matches." }
        }
        ol.hits start=(page.first_rank) {
            @for hit in &page.result.hits {
                li.hit {
                    a.title href=(doc_link(params, &hit.doc, hit.para)) {
                        @if hit.title.is_empty() { (hit.doc) } @else { (hit.title) }
                    }
                    div.meta {
                        span.path { (location(display, hit)) }
                        @if let Some(published) = &hit.published { " · published " (published) }
                    }
                    p.passage { (marked(&hit.text, hit_marks(hit))) }
                    (entity_list(&hit.entities))
                    (copy_list(params, display, hit))
                }
            }
        }
    }
}

/// Copies shown by name under a hit; the rest are counted.
const COPIES_LINKED: usize = 3;

/// "also in 4 files: a, b, c and 1 more", each a link to that document.
fn copy_list(params: &Params, display: &PathDisplay, hit: &Hit) -> Markup {
    let count = hit.copies.count;
    let linked = &hit.copies.paths[..hit.copies.paths.len().min(COPIES_LINKED)];
    html! {
        @if count > 0 {
            div.copies {
                "also in " (count) @if count == 1 { " file: " } @else { " files: " }
                @for (i, doc) in linked.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(doc_link(params, doc, 0)) { (display.show(doc)) }
                }
                @if count > linked.len() { " and " (count - linked.len()) " more" }
            }
        }
    }
}

/// `path:line`, `path, page N` or `path` as the CLI prints a hit's place.
fn location(display: &PathDisplay, hit: &Hit) -> String {
    let path = display.show(&hit.doc);
    match (hit.page, hit.line) {
        (Some(page), _) => format!("{path}, page {page}"),
        (None, 0) => path,
        (None, line) => format!("{path}:{line}"),
    }
}

fn hit_marks(hit: &Hit) -> Vec<(std::ops::Range<usize>, Mark)> {
    let mut all: Vec<_> = hit.highlights.iter().map(|r| (r.clone(), Mark::Hit)).collect();
    all.extend(marks::date_ranges(&hit.dates).into_iter().map(|r| (r, Mark::Date)));
    all
}

fn entity_list(entities: &Entities) -> Markup {
    html! {
        @if entities.values().any(|names| !names.is_empty()) {
            div.entities {
                @for (kind, names) in entities.iter() {
                    @for name in names { span class=(kind.name()) { (name) } " " }
                }
            }
        }
    }
}

/// Text with its runs wrapped in `<mark>` (escaped by maud).
fn marked(text: &str, ranges: Vec<(std::ops::Range<usize>, Mark)>) -> Markup {
    let runs = marks::runs(text, ranges);
    html! {
        @for Run { text, mark } in &runs {
            @match mark {
                Some(mark) => mark class=(mark.class()) { (text) },
                None => (text),
            }
        }
    }
}

fn pager(params: &Params, page: &Page) -> Markup {
    let total = page.result.total.unwrap_or(0);
    let shown_to = page.first_rank + page.result.hits.len();
    let mut previous = params.clone();
    previous.page = params.page.saturating_sub(1);
    let mut next = params.clone();
    next.page = params.page + 1;
    let link = |p: &Params| format!("/?{}&page={}", p.to_query(), p.page);
    html! {
        nav.pager {
            @if params.page > 1 { a rel="prev" href=(link(&previous)) { "← Previous" } }
            @if shown_to <= total && !page.result.hits.is_empty() && page.result.hits.len() == page.per_page {
                a rel="next" href=(link(&next)) { "Next →" }
            }
        }
    }
}

/// The document view's address for paragraph `para` of `doc`.
pub(crate) fn doc_link(params: &Params, doc: &str, para: u32) -> String {
    format!("/doc?path={}&para={para}&{}#p{para}", encode(doc), params.to_query())
}

/// What the document view shows.
pub(crate) struct DocView<'a> {
    pub params: &'a Params,
    pub doc: &'a str,
    pub shown_path: String,
    pub paragraphs: &'a [Paragraph],
    /// Query highlights per paragraph, in the order of `paragraphs`.
    pub highlights: Vec<Vec<std::ops::Range<usize>>>,
}

/// The whole document, paragraph by paragraph, the hit marked and scrolled to.
pub(crate) fn document(view: &DocView) -> Markup {
    let title = view.paragraphs.iter().find(|p| p.para == 0).map_or(view.doc, |p| p.text.as_str());
    let target = view.params.para.unwrap_or(0);
    html! {
        (layout(title, view.params, html! {
            article.document {
                h1 { (title) }
                div.meta {
                    span.path { (view.shown_path) }
                    " · " a href=(format!("/file?path={}", encode(view.doc))) { "original file" }
                    " · " a href=(format!("/?{}", view.params.to_query())) { "back to the results" }
                }
                p.legend {
                    mark.hl { "query" } " " mark.date { "date" } " " mark.person { "person" } " "
                    mark.org { "organisation" } " " mark.place { "place" } " " mark.misc { "other" }
                }
                @for (paragraph, highlights) in view.paragraphs.iter().zip(&view.highlights) {
                    p id=(format!("p{}", paragraph.para)) .para .target[paragraph.para == target] {
                        span.num { (paragraph.para) }
                        (marked(&paragraph.text, paragraph_marks(paragraph, highlights)))
                    }
                }
            }
        }))
    }
}

/// Query highlights, dates and entity names of a document's paragraph.
fn paragraph_marks(
    paragraph: &Paragraph,
    highlights: &[std::ops::Range<usize>],
) -> Vec<(std::ops::Range<usize>, Mark)> {
    let mut all: Vec<_> = highlights.iter().map(|r| (r.clone(), Mark::Hit)).collect();
    all.extend(marks::date_ranges(&paragraph.dates).into_iter().map(|r| (r, Mark::Date)));
    all.extend(marks::entity_ranges(&paragraph.text, &paragraph.entities));
    all
}

/// The search of one batch line, with the batch's filters.
fn batch_link(params: &Params, query: &str) -> String {
    let mut one = params.clone();
    one.q = query.to_string();
    one.lines = None;
    format!("/?{}", one.to_query())
}

/// One row of the batch page.
pub(crate) struct BatchRow {
    pub line: usize,
    pub query: String,
    /// Passages and files, or why the line could not run.
    pub counts: Result<(usize, usize), String>,
}

/// The batch page: a list of names or queries, one per line, and the hit
/// counts of each.
pub(crate) fn batch(params: &Params, rows: &[BatchRow]) -> Markup {
    let lines = params.lines.clone().unwrap_or_default();
    html! {
        (layout("Batch", &Params::default(), html! {
            h1 { "Batch search" }
            p { "One name or query per line; each is counted with the filters of the search it came from." }
            form #batch action="/batch" method="get" {
                textarea name="lines" rows="8" cols="60" { (lines) }
                br;
                button type="submit" { "Count" }
            }
            @if !rows.is_empty() {
                table.batch {
                    thead { tr { th { "line" } th { "query" } th { "passages" } th { "files" } } }
                    tbody {
                        @for row in rows {
                            tr {
                                td { (row.line) }
                                td {
                                    a href=(batch_link(params, &row.query)) { (row.query) }
                                }
                                @match &row.counts {
                                    Ok((passages, files)) => { td { (passages) } td { (files) } },
                                    Err(problem) => td.problem colspan="2" { (problem) },
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// A page that says what went wrong.
pub(crate) fn problem_page(problem: &Problem) -> Markup {
    layout(
        "Error",
        &Params::default(),
        html! {
            p.problem { (problem.message()) }
            p { a href="/" { "Start again" } }
        },
    )
}
