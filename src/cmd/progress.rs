//! What an index update tells the user on stderr while it runs: warnings
//! and errors per file, a note when waiting for another process, and, on a
//! terminal, a progress bar over the files being read (plain text lines on
//! large runs otherwise, so logs stay readable).

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::index::lifecycle::{Notice, Observer};
use crate::index::update::Event;
use crate::render::indexing::notice_line;

/// Runs with at least this many files to read say so when not on a terminal.
const ANNOUNCE_FROM: usize = 500;

/// Turns update events into stderr output.
pub(super) struct Reporter {
    index_dir: PathBuf,
    terminal: bool,
    bar: Option<ProgressBar>,
}

impl Reporter {
    pub(super) fn new(index_dir: &Path) -> Reporter {
        Reporter {
            index_dir: index_dir.to_path_buf(),
            terminal: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    pub(super) fn event(&mut self, event: &Event) {
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

/// The command line's observer: notices and progress on stderr.
impl Observer for Reporter {
    fn notice(&mut self, notice: Notice<'_>) {
        self.say(&format!("lede: {}", notice_line(&notice)));
    }

    fn event(&mut self, event: &Event) {
        Reporter::event(self, event);
    }

    fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.done();
    }
}

fn bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files{left} {msg}")
        .map(|style| {
            style.with_key("left", |state: &ProgressState, out: &mut dyn fmt::Write| {
                if let Some(eta) = time_left(state.elapsed(), state.pos(), state.eta()) {
                    let _ = write!(out, ", {eta} left");
                }
            })
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Files read before the rate is worth an estimate.
const ESTIMATE_AFTER_FILES: u64 = 20;
/// Time spent before the rate is worth an estimate.
const ESTIMATE_AFTER: Duration = Duration::from_secs(3);

/// The time-left estimate, once there is a basis for one: the first files
/// of a run include opening the index and warming caches, and an estimate
/// from them said "11m left" for a 4 s job.
fn time_left(elapsed: Duration, done: u64, eta: Duration) -> Option<String> {
    (done >= ESTIMATE_AFTER_FILES || elapsed >= ESTIMATE_AFTER)
        .then(|| format!("{:#}", HumanDuration(eta)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_estimate_until_there_is_a_basis() {
        let eleven_minutes = Duration::from_secs(660);
        assert_eq!(time_left(Duration::from_millis(200), 1, eleven_minutes), None);
        assert_eq!(time_left(Duration::from_secs(2), 19, eleven_minutes), None);
        assert!(time_left(Duration::from_secs(2), 20, eleven_minutes).is_some());
        assert_eq!(
            time_left(Duration::from_secs(3), 1, Duration::from_secs(4)).as_deref(),
            Some("4s")
        );
    }
}
