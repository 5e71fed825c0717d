//! `lede eval`: extraction and ranking quality against gold data.

use std::fmt::Display;

use anyhow::{bail, Result};
use serde::Serialize;

use super::Status;
use crate::cli::{EvalArgs, EvalCommand};
use crate::search::feedback::Rm3;

pub(super) fn run(args: &EvalArgs) -> Result<Status> {
    match &args.what {
        EvalCommand::Html { dir, json } => print(&crate::eval::html::evaluate(dir)?, *json)?,
        EvalCommand::Dates { dir, json } => {
            print(&crate::eval::dates::evaluate_timeml(dir)?, *json)?
        }
        EvalCommand::Ner { file, json } => print(&crate::eval::ner::evaluate_conll(file)?, *json)?,
        EvalCommand::Ir { dir, fb_docs, fb_terms, original_weight, json } => {
            let defaults = Rm3::default();
            let weight = original_weight.unwrap_or(defaults.original_weight);
            if !(0.0..=1.0).contains(&weight) {
                bail!("--original-weight {weight}: give a weight between 0 and 1");
            }
            let rm3 = Rm3 {
                fb_docs: fb_docs.unwrap_or(defaults.fb_docs),
                fb_terms: fb_terms.unwrap_or(defaults.fb_terms),
                original_weight: weight,
                // Documents, as RM3 takes them on document collections.
                fb_per_file: 1,
            };
            print(&crate::eval::ir::evaluate(dir, rm3)?, *json)?
        }
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
