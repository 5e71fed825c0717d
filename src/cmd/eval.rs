//! `lede eval`: extraction and ranking quality against gold data.

use anyhow::{bail, Result};

use super::Status;
use crate::cli::{EvalArgs, EvalCommand};
use crate::search::feedback::Rm3;

pub fn run(args: &EvalArgs) -> Result<Status> {
    match &args.what {
        EvalCommand::Dates { dir, json } => {
            let report = crate::eval::dates::evaluate_timeml(dir)?;
            if *json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!("{}", report.to_string().trim_end());
            }
        }
        EvalCommand::Ner { file, json } => {
            let report = crate::eval::ner::evaluate_conll(file)?;
            if *json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!("{}", report.to_string().trim_end());
            }
        }
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
            let report = crate::eval::ir::evaluate(dir, rm3)?;
            if *json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!("{}", report.to_string().trim_end());
            }
        }
    }
    Ok(Status::Success)
}
