//! The `lede` binary: parse the command line, run it, map the result to an
//! exit status. Errors print their whole cause chain on one line.

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use clap::Parser;
use lede::cli::Command;
use lede::crash;

mod allocator;

fn main() -> ExitCode {
    let cli = lede::cli::Cli::parse_from(lede::argv::normalize(std::env::args_os().collect()));
    // The allocator is the process's to tune, not the library's: a search
    // lives milliseconds and reuses what it frees; everything else may
    // index, and should give large buffers back.
    match cli.command {
        Command::Search(_) => allocator::reuse_freed_memory(),
        _ => allocator::return_large_blocks_to_the_system(),
    }
    // A server or watcher keeps running past a failed request, whose panic
    // it reports itself; a one-shot command stops on its first.
    if !matches!(cli.command, Command::Serve(_) | Command::Watch(_)) {
        crash::keep_panics_quiet();
    }
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| lede::cmd::run(cli)));
    match outcome {
        Ok(Ok(status)) => status.into(),
        Ok(Err(err)) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = match crash::damage_hint(&err) {
                Some(hint) => writeln!(io::stderr(), "lede: {err:#}; {hint}"),
                None => writeln!(io::stderr(), "lede: {err:#}"),
            };
            ExitCode::from(2)
        }
        Err(_) => {
            let _ = writeln!(io::stderr(), "lede: {}", crash::panic_line());
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`lede search … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
