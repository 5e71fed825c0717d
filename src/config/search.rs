//! A search as every front end asks for it: `lede search` (one query, a
//! batch file or a remote engine) builds a [`SearchConfig`] from its
//! options in [`SearchConfig::from_args`]; `lede serve` builds the same from
//! a query string with [`SearchConfig::new`]. Both then take the engine's
//! request from [`SearchConfig::request`] and a printer from
//! [`SearchConfig::format`], so the two cannot drift apart.

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::filters::{filters, FilterOptions};
use super::{use_color, DEFAULT_LIMIT, DEFAULT_PER_FILE};
use crate::cli::{EngineChoice, Location, SearchArgs, SortChoice};
use crate::export::http::Url;
use crate::export::remote::{RemoteRequest, MAX_SIZE};
use crate::export::Engine;
use crate::search::feedback::Rm3;
use crate::search::filters::Filters;
use crate::search::{SearchRequest, Sort};

/// A validated search: where it runs, what it looks for, how many hits in
/// which order, and how they are printed.
#[derive(Clone, Debug)]
pub(crate) struct SearchConfig {
    pub source: Source,
    /// The query words, joined; empty when filters alone select passages
    /// (and in batch mode, where each line is a query).
    pub query: String,
    /// `--batch FILE` (`-`: standard input): one query per line.
    pub batch: Option<PathBuf>,
    pub filters: Filters,
    /// Maximum passages (`usize::MAX`: no limit).
    pub limit: usize,
    /// Maximum passages from one file (0 or `usize::MAX`: no cap).
    pub per_file: usize,
    /// The order asked for; `None` picks one from the query ([`Self::sort`]).
    pub order: Option<Order>,
    /// Pseudo-relevance feedback (`--expand`).
    pub expand: bool,
    /// Search a confident "did you mean" correction when nothing matches
    /// (off: `--no-correct`).
    pub correct: bool,
    /// Every copy of a passage a hit of its own (`--all-copies`).
    pub all_copies: bool,
    pub format: OutputFormat,
}

/// Where a search runs.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// The index of a corpus folder, first brought up to date with the
    /// folder when `refresh` is on.
    Local { location: Location, refresh: bool },
    /// An engine `lede export --url` filled (`--remote`); hits are shown
    /// under the local corpus, when there is one.
    Remote { url: Url, engine: Engine, location: Location },
    /// An index the caller holds open (`lede serve`).
    Held,
}

/// The order of hits, as `--sort` and `sort=` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Best match first.
    Relevance,
    /// Oldest mentioned date (inside the date filter) first.
    Date,
    /// Newest publication first.
    Published,
}

impl Order {
    /// The name `--sort` and `sort=` take.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Order::Relevance => "relevance",
            Order::Date => "date",
            Order::Published => "published",
        }
    }
}

/// How a search's hits are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    /// For people: rank, `path:line`, title and the passage, with a line of
    /// its entities and dates when `entities` is on; "10 of N" on stderr.
    Human { color: bool, entities: bool },
    /// [`OutputFormat::Human`] after the query's analysis, each hit followed
    /// by what its matched terms scored (`--explain`).
    Explain { color: bool, entities: bool },
    /// JSON Lines, one hit per line; with `explain`, every hit carries its
    /// score's terms and the query's analysis goes to stderr.
    Json { explain: bool },
    /// One tab-separated line per hit.
    Tsv,
    /// How many paragraphs and files match, in words or as JSON.
    Count { json: bool },
    /// Each matching file once, best first, ended by a newline or NUL.
    Files { null: bool },
    /// `--batch`: JSON Lines for every query line, each hit (or, with
    /// `count`, each count) tagged with its query.
    Batch { count: bool, explain: bool },
}

impl OutputFormat {
    /// Whether matches are counted instead of listed.
    pub(crate) fn counts(self) -> bool {
        matches!(self, OutputFormat::Count { .. } | OutputFormat::Batch { count: true, .. })
    }

    /// Whether the query's analysis is printed (`--explain`, not in batch mode).
    pub(crate) fn shows_analysis(self) -> bool {
        matches!(self, OutputFormat::Explain { .. } | OutputFormat::Json { explain: true })
    }

    /// Whether hits carry the explanation of their score.
    fn explains_hits(self) -> bool {
        matches!(
            self,
            OutputFormat::Explain { .. }
                | OutputFormat::Json { explain: true }
                | OutputFormat::Batch { explain: true, .. }
        )
    }

    /// Whether hits need their entity names: JSON always shows them (and the
    /// web page, whose counts come with hits); human output on request.
    fn reads_entities(self) -> bool {
        match self {
            OutputFormat::Human { entities, .. } | OutputFormat::Explain { entities, .. } => {
                entities
            }
            OutputFormat::Tsv | OutputFormat::Files { .. } => false,
            OutputFormat::Json { .. } | OutputFormat::Count { .. } | OutputFormat::Batch { .. } => {
                true
            }
        }
    }

    /// How many copy paths a hit shows: human output names a few
    /// ([`crate::render::human::COPIES_NAMED`]), TSV and file lists none,
    /// JSON all it is given.
    fn copies_named(self) -> Option<usize> {
        match self {
            OutputFormat::Human { .. } | OutputFormat::Explain { .. } => {
                Some(crate::render::human::COPIES_NAMED)
            }
            OutputFormat::Tsv | OutputFormat::Files { .. } => Some(0),
            OutputFormat::Json { .. } | OutputFormat::Count { .. } | OutputFormat::Batch { .. } => {
                None
            }
        }
    }

    /// Whether all matches are counted beside the hits ("10 of 3,733").
    fn counts_total(self) -> bool {
        matches!(self, OutputFormat::Human { .. } | OutputFormat::Explain { .. })
    }
}

impl SearchConfig {
    /// A search of `query` through `filters` in the held index, every other
    /// option at its default, printed as JSON Lines.
    pub(crate) fn new(query: String, filters: Filters) -> SearchConfig {
        SearchConfig {
            source: Source::Held,
            query,
            batch: None,
            filters,
            limit: DEFAULT_LIMIT,
            per_file: DEFAULT_PER_FILE,
            order: None,
            expand: false,
            correct: true,
            all_copies: false,
            format: OutputFormat::Json { explain: false },
        }
    }

    /// `lede search`'s options, checked: filters valid, something to search
    /// for, a `--remote` URL that parses.
    pub(crate) fn from_args(location: &Location, args: &SearchArgs) -> Result<SearchConfig> {
        let filters = filters(&FilterOptions::from(&args.filters))?;
        let query = args.query.join(" ");
        if args.batch.is_none() && query.trim().is_empty() && filters.is_empty() {
            bail!("nothing to search for: give query words or a filter such as --person or --from");
        }
        let source = match &args.remote {
            Some(url) => Source::Remote {
                url: Url::parse(url)?,
                engine: engine(args.engine),
                location: location.clone(),
            },
            None => Source::Local { location: location.clone(), refresh: !args.no_refresh },
        };
        Ok(SearchConfig {
            source,
            query,
            batch: args.batch.clone(),
            filters,
            limit: args.limit,
            per_file: args.per_file,
            order: args.sort.map(|choice| match choice {
                SortChoice::Relevance => Order::Relevance,
                SortChoice::Date => Order::Date,
                SortChoice::Published => Order::Published,
            }),
            expand: args.expand,
            correct: !args.no_correct,
            all_copies: args.all_copies,
            format: format(args),
        })
    }

    /// The order of the hits of `query`: the one asked for, else relevance
    /// when there are words to rank by and the mentioned dates when only
    /// filters select the passages.
    pub(crate) fn sort(&self, query: &str) -> Sort {
        let order = match self.order {
            Some(order) => order,
            None if query.trim().is_empty() => Order::Date,
            None => Order::Relevance,
        };
        match order {
            Order::Relevance => Sort::Relevance,
            Order::Date => Sort::Mentioned { from: self.filters.from, to: self.filters.to },
            Order::Published => Sort::Published,
        }
    }

    /// The engine's request for `query` (the config's own, or a batch line).
    pub(crate) fn request(&self, query: String) -> SearchRequest {
        let files = matches!(self.format, OutputFormat::Files { .. });
        let count = self.format.counts();
        let (limit, per_file) = if files { (usize::MAX, 1) } else { (self.limit, self.per_file) };
        SearchRequest {
            sort: self.sort(&query),
            query,
            limit: if count { 0 } else { limit },
            per_file,
            count_files: count,
            count_total: self.format.counts_total(),
            explain: self.format.explains_hits(),
            entities: self.format.reads_entities(),
            expand: self.expand.then(Rm3::default),
            correct: self.correct,
            all_copies: self.all_copies,
            copies_named: self.format.copies_named(),
        }
    }

    /// The request for a remote engine, and the per-file cap to apply to
    /// what it returns.
    pub(crate) fn remote_request(&self) -> (RemoteRequest<'_>, usize) {
        let files = matches!(self.format, OutputFormat::Files { .. });
        let size = match (self.format.counts(), files) {
            (true, _) => 0,
            (false, true) => MAX_SIZE,
            (false, false) => self.limit,
        };
        let per_file = if files { 1 } else { self.per_file };
        (RemoteRequest { query: &self.query, filters: &self.filters, size }, per_file)
    }
}

/// The output format the flags choose; clap has already refused the
/// combinations that make no sense (`--count --files`, `--tsv --json`…).
fn format(args: &SearchArgs) -> OutputFormat {
    let color = || use_color(args.color);
    if args.batch.is_some() {
        OutputFormat::Batch { count: args.count, explain: args.explain }
    } else if args.count {
        OutputFormat::Count { json: args.json }
    } else if args.files {
        OutputFormat::Files { null: args.null }
    } else if args.tsv {
        OutputFormat::Tsv
    } else if args.json {
        OutputFormat::Json { explain: args.explain }
    } else if args.explain {
        OutputFormat::Explain { color: color(), entities: args.entities }
    } else {
        OutputFormat::Human { color: color(), entities: args.entities }
    }
}

/// The engine a command-line choice names.
pub(crate) fn engine(choice: EngineChoice) -> Engine {
    match choice {
        EngineChoice::Opensearch => Engine::OpenSearch,
        EngineChoice::Elasticsearch => Engine::Elasticsearch,
        EngineChoice::Quickwit => Engine::Quickwit,
    }
}

/// The query one line of a batch list holds, trimmed; `None` for a blank
/// line or a `#` comment.
pub(crate) fn batch_query(line: &str) -> Option<&str> {
    let query = line.trim();
    (!query.is_empty() && !query.starts_with('#')).then_some(query)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn config(args: &[&str]) -> SearchConfig {
        let argv = ["lede", "search", "--color", "never"].iter().chain(args);
        let cli = Cli::try_parse_from(argv).expect("valid arguments");
        let Command::Search(search) = cli.command else { panic!("not a search") };
        SearchConfig::from_args(&cli.location, &search).expect("valid search")
    }

    #[test]
    fn flags_choose_one_format() {
        let human = OutputFormat::Human { color: false, entities: false };
        let cases: [(&[&str], OutputFormat); 10] = [
            (&["x"], human),
            (&["x", "--entities"], OutputFormat::Human { color: false, entities: true }),
            (&["x", "--explain"], OutputFormat::Explain { color: false, entities: false }),
            (&["x", "--json"], OutputFormat::Json { explain: false }),
            (&["x", "--json", "--explain"], OutputFormat::Json { explain: true }),
            (&["x", "--tsv", "--explain"], OutputFormat::Tsv),
            (&["x", "--count", "--json"], OutputFormat::Count { json: true }),
            (&["x", "-l", "-0"], OutputFormat::Files { null: true }),
            (&["--batch", "-", "--count"], OutputFormat::Batch { count: true, explain: false }),
            (&["--batch", "-", "--explain"], OutputFormat::Batch { count: false, explain: true }),
        ];
        for (args, format) in cases {
            assert_eq!(config(args).format, format, "{args:?}");
        }
    }

    #[test]
    fn the_request_follows_the_format() {
        let human = config(&["x", "-n", "5"]).request("x".to_string());
        assert_eq!((human.limit, human.per_file), (5, DEFAULT_PER_FILE));
        assert!(human.count_total && !human.count_files && !human.entities && !human.explain);
        let json = config(&["x", "--json", "--explain"]).request("x".to_string());
        assert!(json.entities && json.explain && !json.count_total);
        let count = config(&["x", "--count"]).request("x".to_string());
        assert!(count.limit == 0 && count.count_files);
        let files = config(&["x", "--files", "-n", "2"]).request("x".to_string());
        assert_eq!((files.limit, files.per_file), (usize::MAX, 1));
        let config = config(&["x", "--expand", "--no-correct"]);
        let request = config.request("x".to_string());
        assert!(request.expand.is_some() && !request.correct && !request.all_copies);
        let all = super::tests::config(&["x", "--all-copies"]).request("x".to_string());
        assert!(all.all_copies);
    }

    #[test]
    fn the_order_defaults_to_relevance_with_words_and_dates_without() {
        let config = config(&["--from", "2024-08"]);
        let from = config.filters.from;
        assert_eq!(config.sort(""), Sort::Mentioned { from, to: None });
        assert_eq!(config.sort("kursk"), Sort::Relevance);
        let published = SearchConfig { order: Some(Order::Published), ..config };
        assert_eq!(published.sort(""), Sort::Published);
    }

    #[test]
    fn nothing_to_search_for_is_refused() {
        let cli = Cli::try_parse_from(["lede", "search"]).expect("valid arguments");
        let Command::Search(search) = cli.command else { panic!("not a search") };
        let err = SearchConfig::from_args(&cli.location, &search).unwrap_err();
        assert!(err.to_string().starts_with("nothing to search for"), "{err}");
    }

    #[test]
    fn batch_lines_skip_blanks_and_comments() {
        let cases =
            [("  oil prices ", Some("oil prices")), ("", None), ("   ", None), ("# x", None)];
        for (line, query) in cases {
            assert_eq!(batch_query(line), query, "{line:?}");
        }
    }
}
