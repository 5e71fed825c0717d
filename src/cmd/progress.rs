//! What an index update tells the user on stderr while it runs: warnings
//! and errors per file, a note when waiting for another process, and, on a
//! terminal, a progress bar over the files being read (plain text lines on
//! large runs otherwise, so logs stay readable).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::index::update::Event;

/// Runs with at least this many files to read say so when not on a terminal.
const ANNOUNCE_FROM: usize = 500;

/// Turns update events into stderr output.
pub struct Reporter {
    index_dir: PathBuf,
    terminal: bool,
    bar: Option<ProgressBar>,
}

impl Reporter {
    pub fn new(index_dir: &Path) -> Reporter {
        Reporter {
            index_dir: index_dir.to_path_buf(),
            terminal: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    pub fn event(&mut self, event: &Event) {
        match event {
            Event::Notice(notice) => {
                let level = if notice.failed { "error" } else { "warning" };
                self.say(&format!("lede: {level}: {}: {}", notice.path, notice.message));
            }
            Event::Waiting => self.say(&format!(
                "lede: the index at {} is being updated by another lede process, waiting",
                self.index_dir.display()
            )),
            Event::Reading(files) if self.terminal => self.bar = Some(bar(*files as u64)),
            Event::Reading(files) if *files >= ANNOUNCE_FROM => {
                eprintln!("lede: reading {files} new or changed files")
            }
            Event::Reading(_) => {}
            Event::Read => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                    // A file that appeared after the count was taken.
                    if bar.length().is_some_and(|len| bar.position() > len) {
                        bar.set_length(bar.position());
                    }
                }
            }
            Event::Committing => {
                if let Some(bar) = &self.bar {
                    bar.set_message("committing");
                }
            }
        }
    }

    /// Prints a line without tearing the bar.
    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files, {eta} left {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
