//! `lede stats`: one `name: value` line per figure, or one JSON object.

use std::io::{self, Write};

use crate::extract::entities::EntityKind;
use crate::index::stats::{EntityCount, IndexStats, LanguageCount};

/// Writes the statistics: aligned lines for people, or one JSON object.
pub(crate) fn write<W: Write>(out: &mut W, stats: &IndexStats, json: bool) -> io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, stats)?;
        return writeln!(out);
    }
    write_stats(out, stats)
}

/// Writes the statistics as aligned `name: value` lines.
fn write_stats<W: Write>(out: &mut W, stats: &IndexStats) -> io::Result<()> {
    let entity = |count: &EntityCount| {
        format!("{} names, {} paragraph mentions", count.names, count.mentions)
    };
    let lines = [
        ("corpus", stats.corpus.clone()),
        ("index", stats.index.clone()),
        ("files", stats.files.to_string()),
        ("paragraphs", stats.paragraphs.to_string()),
        ("languages", languages(&stats.languages)),
        (
            "index size",
            format!("{:.1} MB ({} bytes)", stats.index_bytes as f64 / 1e6, stats.index_bytes),
        ),
        ("last update", stats.updated.clone().unwrap_or_else(|| "unknown".to_string())),
        ("watched", watched(stats)),
        ("people", entity(&stats.entities[EntityKind::Person])),
        ("organisations", entity(&stats.entities[EntityKind::Org])),
        ("places", entity(&stats.entities[EntityKind::Place])),
        ("other names", entity(&stats.entities[EntityKind::Misc])),
        (
            "dates",
            format!("{} distinct, in {} paragraphs", stats.distinct_dates, stats.dated_paragraphs),
        ),
    ];
    for (name, value) in lines {
        writeln!(out, "{:<14} {value}", format!("{name}:"))?;
    }
    if let Some(census) = &stats.copies {
        let groups = |n: usize| format!("{n} group{}", if n == 1 { "" } else { "s" });
        let line = format!(
            "{} paragraphs in {} of copies; {} documents in {} of near copies",
            census.copied_paragraphs,
            groups(census.paragraph_groups),
            census.copied_documents,
            groups(census.document_groups)
        );
        writeln!(out, "{:<14} {line}", "copies:")?;
    }
    Ok(())
}

/// `en 120 passages in 14 documents, ru 30 in 4`: the first language in
/// words, the rest as numbers only.
fn languages(counts: &[LanguageCount]) -> String {
    if counts.is_empty() {
        return "none".to_string();
    }
    let mut line = String::new();
    for (i, count) in counts.iter().enumerate() {
        let (lang, passages, documents) = (&count.lang, count.passages, count.documents);
        if i == 0 {
            line.push_str(&format!("{lang} {passages} passages in {documents} documents"));
        } else {
            line.push_str(&format!(", {lang} {passages} in {documents}"));
        }
    }
    line
}

/// "yes (lede watch, pid N)", or "no" with how to change that.
fn watched(stats: &IndexStats) -> String {
    match stats.watcher_pid {
        Some(pid) => format!("yes (lede watch, pid {pid})"),
        None => "no (searches check the folder; `lede watch --background` watches it)".to_string(),
    }
}
