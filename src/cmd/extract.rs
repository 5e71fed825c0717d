//! `lede extract`: what the readers make of files, without an index.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::Status;
use crate::cli::ExtractArgs;
use crate::config;
use crate::index::preview::preview;
use crate::read::{self, ReadOptions};
use crate::render::extracted;

pub(super) fn run(args: &ExtractArgs) -> Result<Status> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Success;
    let options = ReadOptions {
        json_keys: config::json_keys(&args.json_keys).unwrap_or_default(),
        ..ReadOptions::default()
    };
    for file in &args.files {
        let path = file.display().to_string();
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file.is_dir() {
            eprintln!("lede: {path}: is a folder; extract reads files (lede index reads folders)");
            status = Status::Error;
            continue;
        }
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("lede: {path}: cannot read file: {err}");
                status = Status::Error;
                continue;
            }
        };
        match read::read_guarded(&name, bytes, &options) {
            Ok(Some(read)) if read.documents.is_empty() => {
                eprintln!("lede: {path}: empty file, nothing to index");
            }
            Ok(Some(read)) => {
                extracted::write(&mut out, read.format, &preview(&path, &read), args.json)?
            }
            Ok(None) => {
                eprintln!("lede: {path}: not a format lede reads (see the README's format table)");
                status = Status::Error;
            }
            Err((format, err)) => {
                eprintln!("lede: {path}: {err} (read as {})", format.name());
                status = Status::Error;
            }
        }
    }
    out.flush()?;
    Ok(status)
}
