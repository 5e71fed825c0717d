//! The command-line interface, as clap types only: no logic. The doc
//! comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::search::date_args::{parse_date, parse_on, DateArg, OnArg};

/// Find which passage of which news article says something.
///
/// lede indexes every paragraph of a folder of articles (.txt, .md, .text)
/// and ranks passages with BM25. The bundled corpus is `data/corpus`.
///
/// Exit status: 0 when hits were found (or a command succeeded), 1 when a
/// search found nothing, 2 on any error (including files that could not be
/// indexed).
#[derive(Debug, Parser)]
#[command(name = "lede", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub location: Location,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the corpus and its index are; accepted by every subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct Location {
    /// Corpus folder (default: $LEDE_CORPUS, else `data/corpus` under the
    /// current directory, or the corpus recorded in --index).
    #[arg(long, global = true, value_name = "DIR", env = "LEDE_CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Index folder (default: CORPUS/.lede). Lets a read-only corpus be
    /// indexed; the index remembers its corpus, so `--index DIR` alone is
    /// enough to search it.
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Index(IndexArgs),
    Search(SearchArgs),
    Entities(EntitiesArgs),
    Dates(DatesArgs),
    Eval(EvalArgs),
    Show(ShowArgs),
    Extract(ExtractArgs),
    Stats(StatsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Watch(WatchArgs),
    Export(ExportArgs),
    Serve(ServeArgs),
}

/// Create or update the index of a corpus folder.
///
/// Only files that changed since the last run are read again; removed files
/// are dropped; everything is committed at once, so an interrupted run
/// leaves the previous index intact.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus folder (same as --corpus).
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Drop the existing records and index every file again.
    #[arg(long)]
    pub rebuild: bool,
    /// Print which files would be added, updated and removed; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// When another lede process is updating the index, wait for it to
    /// finish instead of exiting with status 2.
    #[arg(long)]
    pub wait: bool,
    /// Which extractors run on changed files (for measuring their cost;
    /// an index built without one has no values in its fields).
    #[arg(long, value_enum, default_value_t = ExtractChoice::All, hide = true)]
    pub extract: ExtractChoice,
    #[command(flatten)]
    pub json_keys: JsonKeyArgs,
}

/// Key names for JSON records whose keys are not the usual ones. An index
/// remembers them: later runs, and searches that refresh the index, read
/// JSON files the same way; changing them reads every file again.
#[derive(Debug, Default, Args)]
pub struct JsonKeyArgs {
    /// Key of a JSON record's text (instead of text, content, body, …).
    #[arg(long, value_name = "KEY")]
    pub json_text: Option<String>,
    /// Key of a JSON record's title (instead of title, headline, name).
    #[arg(long, value_name = "KEY")]
    pub json_title: Option<String>,
    /// Key of a JSON record's publication date (instead of date, published, …).
    #[arg(long, value_name = "KEY")]
    pub json_date: Option<String>,
    /// Key of a JSON record's URL (instead of url, link, canonical_url).
    #[arg(long, value_name = "KEY")]
    pub json_url: Option<String>,
}

/// Search the passages of a corpus.
///
/// Words need not all occur, but passages holding all of them rank first.
/// Syntax: "exact phrase", -excluded, AND, OR, (grouping), field:value with
/// the fields title, text, person, org, place and misc. Numbers match in any
/// form: 5,000 = 5 000 = 5000. Latin spellings find Cyrillic names.
/// Gerasimv~1 matches words within 1 edit (~2: two edits; numbers and dates
/// are never fuzzed), engine* matches words starting with "engine", and
/// "north engineers"~3 matches the words within 3 positions of each other.
/// When nothing matches, a corrected query is suggested on stderr.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query words (may be left out when filters select the passages).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Run one query per line of FILE (`-`: standard input) against one
    /// opened index and print JSON Lines; every hit carries `query` and
    /// `query_line`. Blank lines and lines starting with # are skipped; a
    /// line that cannot be parsed is reported on stderr with its number and
    /// the others still run (exit status 2).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["query", "files", "tsv"])]
    pub batch: Option<PathBuf>,
    /// Print only how many paragraphs (and files) match:
    /// `N paragraphs in M files`, or `{"paragraphs":N,"files":M}` with --json.
    #[arg(short = 'c', long, conflicts_with_all = ["files", "tsv", "explain"])]
    pub count: bool,
    /// Print only the paths of all matching files, best first, one per line
    /// (like `rg -l`, for `xargs`); -n does not apply.
    #[arg(short = 'l', long, conflicts_with_all = ["tsv", "json", "explain"])]
    pub files: bool,
    /// With --files: end each path with a NUL byte (for `xargs -0`).
    #[arg(short = '0', long, requires = "files")]
    pub null: bool,
    /// Print one tab-separated line per hit: rank, score, path, line, passage.
    #[arg(long, conflicts_with = "json")]
    pub tsv: bool,
    /// Show how the query was analysed (tokens per field, numbers
    /// normalised, transliterated forms, fuzzy and prefix expansions) and,
    /// per hit, which terms matched in which field and what they scored.
    #[arg(long)]
    pub explain: bool,
    /// Expand the query with the words of its best passages (pseudo-relevance
    /// feedback, RM3): finds passages that say it in other words. --explain
    /// lists the added words; `lede eval ir` measures what it does.
    #[arg(long)]
    pub expand: bool,
    /// When nothing matches, only suggest a correction of misspelt words
    /// ("did you mean", exit 1) instead of searching it: by default a
    /// confident correction is searched and said first ("showing results
    /// for Gerasimov"), with `corrected_query` in JSON.
    #[arg(long)]
    pub no_correct: bool,
    /// Show every copy of a passage as a hit of its own. By default copies
    /// (the same paragraph in other documents, or documents sharing 90% of
    /// their wording: syndicated wire stories, files saved twice) fold into
    /// the best hit, which lists them ("also in 3 files", `copies` in JSON).
    #[arg(long)]
    pub all_copies: bool,
    /// List the copies of the document at PATH (a path as hits show it,
    /// `PATH:LINE` too): documents sharing 90% of its wording, then those
    /// holding some of its paragraphs, with how many. Exit 1 when none.
    #[arg(long, value_name = "PATH",
          conflicts_with_all = ["query", "batch", "count", "files", "tsv", "explain", "remote"])]
    pub copies: Option<String>,
    /// Maximum number of passages to print (0: no limit).
    #[arg(short = 'n', long, default_value_t = crate::search::DEFAULT_LIMIT, value_name = "N",
          allow_negative_numbers = true, value_parser = count_or_no_limit)]
    pub limit: usize,
    /// Maximum passages from one file (0: no limit).
    #[arg(long, default_value_t = crate::search::DEFAULT_PER_FILE, value_name = "N",
          allow_negative_numbers = true, value_parser = count_or_no_limit)]
    pub per_file: usize,
    /// Order of the hits: by relevance (the default with query words), by
    /// the dates passages mention, oldest first (the default for a search
    /// with filters only), or newest publication date first.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortChoice>,
    /// Print JSON Lines, one hit per line (schema/hit.schema.json).
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Show each passage's people, organisations, places and dates.
    #[arg(long)]
    pub entities: bool,
    /// Search the index as it is, without first checking the folder for
    /// changes (by default new, edited and removed files are picked up
    /// before searching). For scripts that run many queries.
    #[arg(long)]
    pub no_refresh: bool,
    /// Search the OpenSearch, Elasticsearch or Quickwit index at URL (filled
    /// by `lede export --url URL`) instead of the local index.
    #[arg(long, value_name = "URL", conflicts_with_all = ["batch", "explain"])]
    pub remote: Option<String>,
    /// The engine at --remote.
    #[arg(long, value_enum, default_value_t = EngineChoice::Opensearch, value_name = "ENGINE")]
    pub engine: EngineChoice,
}

/// Keep the index up to date while the corpus folder changes.
///
/// Updates the index once, then again whenever files are added, edited,
/// removed or renamed (file-system notifications, with a burst of changes
/// gathered into one update) and at a regular rescan as a fallback. Logs
/// each update on stderr; stops cleanly on Ctrl-C. While it runs, searches
/// ask it for pending changes instead of checking the folder themselves.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Corpus folder (same as --corpus).
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Quiet time after the last change before updating, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub debounce: u64,
    /// Rescan the whole folder every SECS seconds even without
    /// notifications (network file systems do not send them); 0 turns it off.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub rescan: u64,
    /// Start the watcher detached and return; it logs to watch.log in the
    /// index folder.
    #[arg(long, conflicts_with_all = ["stop", "status"])]
    pub background: bool,
    /// Stop the watcher of this index (after the update in progress).
    #[arg(long, conflicts_with = "status")]
    pub stop: bool,
    /// Whether a watcher runs for this index: its pid, uptime and last sync
    /// (exit status 1 when none runs).
    #[arg(long)]
    pub status: bool,
}

/// Serve a search page and a JSON API for a corpus on this machine.
///
/// Prints the address to open; the page works with no network. Searches,
/// facets, the timeline, documents, CSV/JSON Lines exports and batch counts
/// are all there, and `/api/search`, `/api/entities`, `/api/dates` and
/// `/api/doc` answer scripts (schema/api.md). The server watches the
/// folder as `lede watch` does (or asks the `lede watch` already running),
/// so changes reach the page within a second. Stops cleanly on Ctrl-C.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Corpus folder (same as --corpus).
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 7700, value_name = "N")]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address makes the
    /// corpus readable by everyone who can reach this machine.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Serve the index as it is, never watching or checking the folder.
    #[arg(long)]
    pub no_refresh: bool,
}

/// `--sort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SortChoice {
    Relevance,
    Date,
    Published,
}

/// Export the index to OpenSearch, Elasticsearch or Quickwit.
///
/// Writes every file and paragraph record, with its entities and dates, as
/// `_bulk` NDJSON (ids: PATH for a file, PATH:pN for a paragraph) to
/// standard output or --output; with --url, sends them to the index at URL
/// and remembers what it sent, so the next export to the same URL sends only
/// new and edited files and deletes what was removed. Create the index
/// first with the definition printed by --mapping (README, "Scaling out").
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Print the index definition for ENGINE (JSON settings and mappings
    /// for OpenSearch and Elasticsearch, an index config in YAML for
    /// Quickwit) and export nothing.
    #[arg(long, value_enum, value_name = "ENGINE", conflicts_with_all = ["url", "output"])]
    pub mapping: Option<EngineChoice>,
    /// The engine the records are for: Quickwit takes only `create`
    /// actions and deletes through delete tasks.
    #[arg(long, value_enum, default_value_t = EngineChoice::Opensearch, value_name = "ENGINE")]
    pub engine: EngineChoice,
    /// Write the NDJSON to FILE instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE", conflicts_with = "url")]
    pub output: Option<PathBuf>,
    /// Send the records to the index at URL: http://HOST:9200/INDEX, or for
    /// Quickwit http://HOST:7280/api/v1/_elastic/INDEX (plain HTTP).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: send everything again, not only what changed since the
    /// last export to URL.
    #[arg(long, requires = "url")]
    pub full: bool,
    /// With --url: largest request body, in MB (Quickwit refuses more than 10).
    #[arg(long, default_value_t = 5, value_name = "MB", requires = "url")]
    pub batch_mb: usize,
    /// Index id written into the Quickwit config (--mapping quickwit).
    #[arg(long, default_value = "lede", value_name = "NAME")]
    pub index_id: String,
    /// First wait before a retry, in milliseconds (doubled each time).
    #[arg(long, default_value_t = 500, value_name = "MS", hide = true)]
    pub retry_ms: u64,
    /// Export the index as it is, without first checking the folder for
    /// changes.
    #[arg(long)]
    pub no_refresh: bool,
}

/// A search engine lede can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// OpenSearch 2.x.
    Opensearch,
    /// Elasticsearch 7.x and 8.x.
    Elasticsearch,
    /// Quickwit 0.8 (its Elasticsearch-compatible API).
    Quickwit,
}

/// Conditions on what passages mention; every one given must hold.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Passages mentioning this person (canonical name, any case; repeatable).
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub person: Vec<String>,
    /// Passages mentioning this organisation (repeatable).
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub org: Vec<String>,
    /// Passages mentioning this place (repeatable).
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub place: Vec<String>,
    /// Passages mentioning this other name: event, nationality… (repeatable).
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub misc: Vec<String>,
    /// Passages mentioning a date on or after this (YYYY, YYYY-MM or
    /// YYYY-MM-DD; a one-digit month or day is taken). A mention counts
    /// when the whole period it names is in the range (see --dates).
    #[arg(long, value_name = "DATE", help_heading = "Filters", value_parser = parse_date)]
    pub from: Option<DateArg>,
    /// Passages mentioning a date on or before this (same forms;
    /// `--to 2024-08` includes all of August).
    #[arg(long, value_name = "DATE", help_heading = "Filters", value_parser = parse_date)]
    pub to: Option<DateArg>,
    /// Passages mentioning this day, or a day or month of this month, or
    /// anything of this year (YYYY-MM-DD, YYYY-MM, YYYY); a mention of
    /// "1987" alone is not on 1987-03-18. MM-DD matches that month and day
    /// in any year, year-less mentions included.
    #[arg(long, value_name = "DATE", help_heading = "Filters",
          conflicts_with_all = ["from", "to"], value_parser = parse_on)]
    pub on: Option<OnArg>,
    /// How --from, --to and --on match a mention: `within` (default) when
    /// the period it names lies inside the range, `overlap` when any day of
    /// it does (then "1987" is on 1987-03-18 too).
    #[arg(long, value_enum, default_value_t = DateMatchChoice::Within, value_name = "HOW",
          help_heading = "Filters")]
    pub dates: DateMatchChoice,
    /// Passages of documents published on or after this (YYYY, YYYY-MM or
    /// YYYY-MM-DD), as their page, record or message states it. Documents
    /// with no known publication date are left out.
    #[arg(long, value_name = "DATE", help_heading = "Filters", value_parser = parse_date)]
    pub published_from: Option<DateArg>,
    /// Passages of documents published on or before this (same forms;
    /// `--published-to 2024-09` includes all of September).
    #[arg(long, value_name = "DATE", help_heading = "Filters", value_parser = parse_date)]
    pub published_to: Option<DateArg>,
    /// Passages in this language: an ISO 639-1 or 639-3 code or a name, any
    /// case (`ru`, `rus`, `Russian`).
    #[arg(long, value_name = "LANG", help_heading = "Filters")]
    pub lang: Option<String>,
}

/// `--dates`: how a date filter matches the periods passages mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DateMatchChoice {
    /// The mentioned period lies inside the filter's range.
    #[default]
    Within,
    /// The mentioned period and the range share at least one day.
    Overlap,
}

/// List the most mentioned entities, over the corpus or matching passages.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only count entities of passages matching these words.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only this type of entity.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Entities that appear in the same passages as NAME (any type).
    #[arg(long, value_name = "NAME")]
    pub with: Option<String>,
    /// How many entities to list (0: no limit).
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N",
          allow_negative_numbers = true, value_parser = count_or_no_limit)]
    pub limit: usize,
    /// Print JSON Lines: one entity per line.
    #[arg(long)]
    pub json: bool,
    /// Count over the index as it is, without first checking the folder
    /// for changes. For scripts that run many counts.
    #[arg(long)]
    pub no_refresh: bool,
}

/// A kind of named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntityType {
    /// People.
    Person,
    /// Organisations.
    Org,
    /// Places: countries, cities, regions.
    Place,
    /// Other names: events, nationalities, products.
    Misc,
}

/// Count the passages that mention each period: a timeline of the corpus.
#[derive(Debug, Args)]
pub struct DatesArgs {
    /// Only count passages matching these words.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Size of the periods counted.
    #[arg(long, value_enum, default_value_t = Granularity::Month, value_name = "PERIOD")]
    pub by: Granularity,
    /// Print JSON Lines: one period per line.
    #[arg(long)]
    pub json: bool,
    /// Count over the index as it is, without first checking the folder
    /// for changes. For scripts that run many counts.
    #[arg(long)]
    pub no_refresh: bool,
}

/// The periods of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Granularity {
    /// Calendar years.
    Year,
    /// Calendar months.
    Month,
    /// Days.
    Day,
}

/// Print what lede would index for each file, touching no index.
///
/// For each document of each FILE: its title, publication date, URL and
/// author where known, the readers' notes, and the paragraphs with their
/// numbers and locations (line, page). This is how to check why a file
/// does (not) match.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files to read, in any format lede indexes.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// One JSON object per document (JSON Lines).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub json_keys: JsonKeyArgs,
}

/// Print a passage with its neighbours, entities, dates and file title.
///
/// TARGET is PATH (the title), PATH:LINE (the paragraph holding that line,
/// as `lede search` prints it) or PATH:pN (paragraph N). PATH is a file of
/// the corpus, as printed by `lede search` or relative to the corpus root.
/// With `-` (or no TARGET), targets are read from standard input, one per
/// line: `path:line`, `lede search` human headers, `--tsv` lines or `--json`
/// hits, so search results can be piped in.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// PATH, PATH:LINE or PATH:pN; `-` reads targets from standard input.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// Paragraphs to print before and after the passage.
    #[arg(short = 'C', long, default_value_t = 1, value_name = "N")]
    pub context: usize,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Show the index as it is, without first checking the folder for
    /// changes (by default a file edited since it was indexed is read again,
    /// so the text shown is the file's).
    #[arg(long)]
    pub no_refresh: bool,
}

/// Print what the index holds: files, paragraphs, passages and documents
/// per language, size, last update, and counts of entities and dates.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also count copies: paragraphs repeated in other documents, and
    /// documents sharing 90% of their wording with another (a pass over
    /// the whole index, seconds on a large one).
    #[arg(long)]
    pub copies: bool,
}

/// Print a shell completion script to standard output.
///
/// bash: `lede completions bash > ~/.local/share/bash-completion/completions/lede`;
/// zsh: `lede completions zsh > ~/.zfunc/_lede`;
/// fish: `lede completions fish > ~/.config/fish/completions/lede.fish`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff) to standard output: `lede man > lede.1`.
#[derive(Debug, Args)]
pub struct ManArgs {}

/// Extractors to run at indexing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractChoice {
    /// Entities and dates.
    All,
    /// Dates only.
    Dates,
    /// Entities only.
    Entities,
    /// Neither.
    None,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Measure extraction quality against gold data.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub what: EvalCommand,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Named entities against a CoNLL-2003 file: P/R/F1 per type, tokens/s.
    Ner {
        /// CoNLL-2003 file (token POS chunk NER per line).
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Main text of web pages against the Article Extraction Benchmark:
    /// F1, precision, recall (4-token shingles), speed and the worst pages.
    Html {
        /// Folder holding pages/*.html and ground-truth.json.
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Dates against a folder of TimeML files: span and value scores.
    Dates {
        /// Folder of *.tml files.
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ranking against SMART test collections (Cranfield, CISI): MAP, P@10
    /// and nDCG@10 of the default ranking and of --expand, side by side.
    ///
    /// Each collection's documents are written to a temporary folder as
    /// articles (title line, then text) and indexed as `lede index` would;
    /// every judged query is run and files are ranked by their best passage.
    Ir {
        /// A collection folder (cran.all.1400, cran.qry, cranqrel; or
        /// CISI.ALL, CISI.QRY, CISI.REL), or a folder of such folders.
        dir: PathBuf,
        /// RM3 feedback passages.
        #[arg(long, value_name = "N")]
        fb_docs: Option<usize>,
        /// RM3 terms added.
        #[arg(long, value_name = "N")]
        fb_terms: Option<usize>,
        /// RM3 weight of the original query, between 0 and 1.
        #[arg(long, value_name = "W")]
        original_weight: Option<f32>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A count option: a whole number, 0 meaning no limit (as for `--per-file`),
/// so `-n 0` never silently prints nothing and `-n -1` is told what to type.
fn count_or_no_limit(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Ok(usize::MAX),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a count: a whole number, 0 for no limit".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
