//! `lede eval`: extraction quality against gold data.

use anyhow::Result;

use super::Status;
use crate::cli::{EvalArgs, EvalCommand};

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
    }
    Ok(Status::Success)
}
