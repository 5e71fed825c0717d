//! The command-line interface, as clap types only: no logic. The doc
//! comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    Watch(WatchArgs),
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
}

/// Search the passages of a corpus.
///
/// Words need not all occur, but passages holding all of them rank first.
/// Syntax: "exact phrase", -excluded, AND, OR, (grouping), field:value with
/// the fields title, text, person, org, place and misc. Numbers match in any
/// form: 5,000 = 5 000 = 5000. Latin spellings find Cyrillic names.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query words.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Maximum number of passages to print.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Maximum passages from one file (0: no limit).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub per_file: usize,
    /// Print JSON Lines, one hit per line (schema/hit.schema.json).
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Search the index as it is, without first checking the folder for
    /// changes (by default new, edited and removed files are picked up
    /// before searching). For scripts that run many queries.
    #[arg(long)]
    pub no_refresh: bool,
}

/// Keep the index up to date while the corpus folder changes.
///
/// Updates the index once, then again whenever files are added, edited,
/// removed or renamed (file-system notifications, with a burst of changes
/// gathered into one update) and at a regular rescan as a fallback. Logs
/// each update on stderr; stops cleanly on Ctrl-C.
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
