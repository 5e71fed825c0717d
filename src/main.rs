//! The `lede` binary: parse the command line, run it, map the result to an
//! exit status. Errors print their whole cause chain on one line.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lede::cli::Cli::parse_from(lede::argv::normalize(std::env::args_os().collect()));
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
