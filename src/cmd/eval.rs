//! `lede eval`: extraction quality against gold data.

use std::fmt::Display;

use anyhow::Result;
use serde::Serialize;

use super::Status;
use crate::cli::{EvalArgs, EvalCommand};

pub fn run(args: &EvalArgs) -> Result<Status> {
    match &args.what {
        EvalCommand::Html { dir, json } => print(&crate::eval::html::evaluate(dir)?, *json)?,
        EvalCommand::Dates { dir, json } => {
            print(&crate::eval::dates::evaluate_timeml(dir)?, *json)?
        }
        EvalCommand::Ner { file, json } => print(&crate::eval::ner::evaluate_conll(file)?, *json)?,
    }
    Ok(Status::Success)
}

/// A report as one JSON line or as its text.
fn print(report: &(impl Serialize + Display), json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(report)?);
    } else {
        println!("{}", report.to_string().trim_end());
    }
    Ok(())
}
