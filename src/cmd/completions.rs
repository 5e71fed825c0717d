//! `lede completions SHELL` and `lede man`: shell completion scripts and the
//! man page, both generated from the clap definitions in [`crate::cli`], so
//! they never drift from `--help`.

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

use super::Status;
use crate::cli::{Cli, CompletionsArgs};

/// Writes the completion script for the chosen shell to stdout.
pub(super) fn completions(args: &CompletionsArgs) -> Result<Status> {
    let mut command = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "lede", &mut out);
    out.flush()?;
    Ok(Status::Success)
}

/// Writes the man page (roff) to stdout, subcommands included.
pub(super) fn man() -> Result<Status> {
    let mut page = Vec::new();
    write_man(&mut page)?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(Status::Success)
}

/// The man page of `lede` followed by a section per subcommand.
pub(super) fn write_man<W: Write>(out: &mut W) -> io::Result<()> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("lede {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(name));
        sub_man.render_synopsis_section(out)?;
        sub_man.render_description_section(out)?;
        sub_man.render_options_section(out)?;
    }
    man.render_version_section(out)?;
    Ok(())
}
