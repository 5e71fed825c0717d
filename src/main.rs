//! The `lede` binary: parse the command line, run it, map the result to an
//! exit status. Errors print their whole cause chain on one line.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use lede::cli::Command;

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
    match lede::cmd::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "lede: {err:#}");
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
