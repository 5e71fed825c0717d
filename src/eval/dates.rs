//! Scores date extraction against TimeML gold files (TempEval-3 `*.tml`), as
//! TempEval-3 does for DATE expressions: strict (exact) and relaxed (any
//! overlap) span precision, recall and F1, value accuracy on matched spans,
//! and value F1 (a mention counts when its span overlaps a gold one and the
//! values are equal). Also measures extraction throughput.
//!
//! The document creation time (`functionInDocument="CREATION_TIME"`) is the
//! anchor; the extractor sees the `<TEXT>` content with the tags removed.
//! System mentions that overlap only non-DATE gold expressions (a TIME such
//! as "Friday night", a DURATION) are left out of the scores and counted in
//! [`DateReport::other_type`], since the task scored here is DATE only.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context};
use time::{Date, Month};

use crate::extract::dates::{extract, DateMention};

/// Precision, recall and F1 (as fractions, 0–1) with the counts behind them.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub(crate) struct Prf {
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(correct: usize, system: usize, gold: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(correct, system), ratio(correct, gold));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf { correct, precision, recall, f1 }
    }
}

/// Scores of the extractor on one folder of TimeML files.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub(crate) struct DateReport {
    pub documents: usize,
    /// Gold DATE expressions in the documents' text.
    pub gold: usize,
    /// Extracted mentions that were scored.
    pub system: usize,
    /// Extracted mentions left out because they overlap only non-DATE gold expressions.
    pub other_type: usize,
    /// Exact span match.
    pub strict: Prf,
    /// Overlapping span match.
    pub relaxed: Prf,
    /// Share of relaxed matches whose value is right.
    pub value_accuracy: f64,
    /// Relaxed span match with the right value.
    pub value: Prf,
    /// `relaxed` if the [`DateReport::other_type`] mentions counted as false positives.
    pub relaxed_with_other_types: Prf,
    /// `value` if the [`DateReport::other_type`] mentions counted as false positives.
    pub value_with_other_types: Prf,
    /// Text bytes given to the extractor per pass.
    pub bytes: usize,
    /// Extraction speed over the whole folder (extraction only, no parsing).
    pub bytes_per_second: f64,
    pub documents_per_second: f64,
}

impl fmt::Display for DateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:6.2}", 100.0 * x);
        writeln!(
            f,
            "{} documents, {} gold DATE, {} extracted ({} more overlap only other TIMEX3 types)",
            self.documents, self.gold, self.system, self.other_type
        )?;
        writeln!(f, "{:<10} {:>6} {:>6} {:>6} {:>7}", "", "P", "R", "F1", "correct")?;
        for (name, prf) in
            [("strict", &self.strict), ("relaxed", &self.relaxed), ("value", &self.value)]
        {
            writeln!(
                f,
                "{name:<10} {} {} {} {:>7}",
                pct(prf.precision),
                pct(prf.recall),
                pct(prf.f1),
                prf.correct
            )?;
        }
        writeln!(f, "value accuracy on relaxed matches: {}", pct(self.value_accuracy).trim())?;
        writeln!(
            f,
            "counting the {} other-type overlaps as false positives: relaxed F1 {}, value F1 {}",
            self.other_type,
            pct(self.relaxed_with_other_types.f1).trim(),
            pct(self.value_with_other_types.f1).trim()
        )?;
        write!(
            f,
            "throughput: {:.1} MB/s, {:.0} documents/s ({} bytes per pass)",
            self.bytes_per_second / 1e6,
            self.documents_per_second,
            self.bytes
        )
    }
}

/// One disagreement with the gold data, for error analysis.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub(crate) struct DateError {
    pub file: String,
    /// `missed`, `spurious`, `span` (overlap but not exact), `value`, or `other_type` (left
    /// out of the scores: overlaps only a non-DATE gold expression).
    pub kind: &'static str,
    pub gold_text: Option<String>,
    pub gold_value: Option<String>,
    pub system_text: Option<String>,
    pub system_value: Option<String>,
    /// Some text around the expression.
    pub context: String,
}

/// Scores the extractor on every `*.tml` file in `dir`.
pub(crate) fn evaluate_timeml(dir: &Path) -> anyhow::Result<DateReport> {
    evaluate_timeml_with_errors(dir).map(|(report, _)| report)
}

/// Like [`evaluate_timeml`], also listing every disagreement with the gold data.
pub(crate) fn evaluate_timeml_with_errors(
    dir: &Path,
) -> anyhow::Result<(DateReport, Vec<DateError>)> {
    let docs = read_folder(dir)?;
    if docs.is_empty() {
        bail!("no .tml files in {}", dir.display());
    }
    let mut tally = Tally::default();
    let mut errors = Vec::new();
    for doc in &docs {
        let system = extract(&doc.text, Some(doc.anchor));
        tally.score(doc, &system, &mut errors);
    }
    let (bytes_per_second, documents_per_second) = throughput(&docs);
    let report = DateReport {
        documents: docs.len(),
        gold: tally.gold,
        system: tally.system,
        other_type: tally.other_type,
        strict: Prf::new(tally.strict, tally.system, tally.gold),
        relaxed: Prf::new(tally.relaxed, tally.system, tally.gold),
        value_accuracy: if tally.relaxed == 0 {
            0.0
        } else {
            tally.value as f64 / tally.relaxed as f64
        },
        value: Prf::new(tally.value, tally.system, tally.gold),
        relaxed_with_other_types: Prf::new(
            tally.relaxed,
            tally.system + tally.other_type,
            tally.gold,
        ),
        value_with_other_types: Prf::new(tally.value, tally.system + tally.other_type, tally.gold),
        bytes: docs.iter().map(|d| d.text.len()).sum(),
        bytes_per_second,
        documents_per_second,
    };
    Ok((report, errors))
}

/// Times extraction alone over all documents, repeating passes for at least half a second.
fn throughput(docs: &[TimemlDoc]) -> (f64, f64) {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let started = Instant::now();
    let mut passes = 0usize;
    let mut found = 0usize;
    while passes == 0 || started.elapsed().as_secs_f64() < 0.5 {
        for doc in docs {
            found += extract(&doc.text, Some(doc.anchor)).len();
        }
        passes += 1;
    }
    std::hint::black_box(found);
    let seconds = started.elapsed().as_secs_f64();
    ((bytes * passes) as f64 / seconds, (docs.len() * passes) as f64 / seconds)
}

/// A gold TIMEX3 inside `<TEXT>`, with its byte span in the tag-free text.
#[derive(Clone, Debug)]
struct GoldTimex {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

/// What the evaluation needs from one TimeML file.
#[derive(Clone, Debug)]
struct TimemlDoc {
    file: String,
    anchor: Date,
    text: String,
    timexes: Vec<GoldTimex>,
}

fn read_folder(dir: &Path) -> anyhow::Result<Vec<TimemlDoc>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "tml") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let xml = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            parse_timeml(&file, &xml).with_context(|| format!("bad TimeML in {}", path.display()))
        })
        .collect()
}

/// Parses one TimeML document: its creation date, tag-free text and gold expressions.
fn parse_timeml(file: &str, xml: &str) -> anyhow::Result<TimemlDoc> {
    let doc = roxmltree::Document::parse(xml)?;
    let dct = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("TIMEX3") && n.attribute("functionInDocument") == Some("CREATION_TIME")
        })
        .and_then(|n| n.attribute("value"))
        .context("no creation time (TIMEX3 functionInDocument=\"CREATION_TIME\")")?;
    let anchor = parse_day(dct).with_context(|| format!("creation time {dct:?} is not a date"))?;
    let body = doc.descendants().find(|n| n.has_tag_name("TEXT")).context("no <TEXT> element")?;
    let mut text = String::new();
    let mut timexes = Vec::new();
    collect_text(body, &mut text, &mut timexes);
    Ok(TimemlDoc { file: file.to_string(), anchor, text, timexes })
}

fn parse_day(value: &str) -> Option<Date> {
    let year = value.get(0..4)?.parse().ok()?;
    let month = Month::try_from(value.get(5..7)?.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, value.get(8..10)?.parse().ok()?).ok()
}

/// Appends the text under `node` to `text`, recording where each TIMEX3 lies in it.
fn collect_text(node: roxmltree::Node<'_, '_>, text: &mut String, timexes: &mut Vec<GoldTimex>) {
    for child in node.children() {
        if child.is_text() {
            text.push_str(child.text().unwrap_or(""));
        } else if child.is_element() {
            let start = text.len();
            collect_text(child, text, timexes);
            if child.has_tag_name("TIMEX3") {
                timexes.push(GoldTimex {
                    start,
                    end: text.len(),
                    kind: child.attribute("type").unwrap_or("").to_string(),
                    value: child.attribute("value").unwrap_or("").to_string(),
                });
            }
        }
    }
}

/// Running counts over all documents.
#[derive(Default)]
struct Tally {
    gold: usize,
    system: usize,
    other_type: usize,
    strict: usize,
    relaxed: usize,
    value: usize,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl Tally {
    /// Matches one document's mentions to its gold DATE expressions, one to one:
    /// exact spans first, then any overlap.
    fn score(&mut self, doc: &TimemlDoc, system: &[DateMention], errors: &mut Vec<DateError>) {
        let gold: Vec<&GoldTimex> = doc.timexes.iter().filter(|t| t.kind == "DATE").collect();
        let scored: Vec<&DateMention> = system
            .iter()
            .filter(|m| {
                let span = (m.start, m.end);
                let any_date = gold.iter().any(|g| overlaps(span, (g.start, g.end)));
                let other = doc
                    .timexes
                    .iter()
                    .any(|g| g.kind != "DATE" && overlaps(span, (g.start, g.end)));
                !other || any_date
            })
            .collect();
        self.other_type += system.len() - scored.len();
        self.gold += gold.len();
        self.system += scored.len();
        let mut partner: Vec<Option<usize>> = vec![None; gold.len()];
        let mut taken = vec![false; scored.len()];
        for exact in [true, false] {
            for (g, gold_timex) in gold.iter().enumerate() {
                if partner[g].is_some() {
                    continue;
                }
                let hit = scored.iter().enumerate().position(|(s, m)| {
                    !taken[s]
                        && if exact {
                            (m.start, m.end) == (gold_timex.start, gold_timex.end)
                        } else {
                            overlaps((m.start, m.end), (gold_timex.start, gold_timex.end))
                        }
                });
                if let Some(s) = hit {
                    taken[s] = true;
                    partner[g] = Some(s);
                }
            }
        }
        let context = |start: usize, end: usize| {
            let from = floor_char(&doc.text, start.saturating_sub(40));
            let to = floor_char(&doc.text, (end + 40).min(doc.text.len()));
            doc.text[from..to].replace('\n', " ")
        };
        let error = |kind, g: Option<&GoldTimex>, m: Option<&DateMention>| {
            let (start, end) =
                g.map(|g| (g.start, g.end)).or(m.map(|m| (m.start, m.end))).unwrap_or((0, 0));
            DateError {
                file: doc.file.clone(),
                kind,
                gold_text: g.map(|g| doc.text[g.start..g.end].to_string()),
                gold_value: g.map(|g| g.value.clone()),
                system_text: m.map(|m| m.text.clone()),
                system_value: m.map(|m| m.value.clone()),
                context: context(start, end),
            }
        };
        for (g, gold_timex) in gold.iter().enumerate() {
            let Some(s) = partner[g] else {
                errors.push(error("missed", Some(gold_timex), None));
                continue;
            };
            let m = scored[s];
            self.relaxed += 1;
            if (m.start, m.end) == (gold_timex.start, gold_timex.end) {
                self.strict += 1;
            } else {
                errors.push(error("span", Some(gold_timex), Some(m)));
            }
            if m.value == gold_timex.value {
                self.value += 1;
            } else {
                errors.push(error("value", Some(gold_timex), Some(m)));
            }
        }
        for (s, m) in scored.iter().enumerate() {
            if !taken[s] {
                errors.push(error("spurious", None, Some(m)));
            }
        }
        for m in system.iter().filter(|m| !scored.iter().any(|s| std::ptr::eq(*s, *m))) {
            errors.push(error("other_type", None, Some(m)));
        }
    }
}

/// The largest char boundary at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" value="1998-08-07" type="DATE">19980807</TIMEX3></DCT>
<TEXT>
Rates rose <TIMEX3 tid="t1" type="DATE" value="1998-08-06">yesterday</TIMEX3> &amp; fell on <TIMEX3 value="1998-08-03" type="DATE" tid="t2">Monday, Aug. 3</TIMEX3>, said <EVENT eid="e1">officials</EVENT> in <TIMEX3 tid="t3" type="DATE" value="1998-Q2">the second quarter</TIMEX3>, after <TIMEX3 tid="t4" type="DURATION" value="P2D">two days</TIMEX3> and late <TIMEX3 tid="t5" type="TIME" value="1998-08-05TNI">Wednesday night</TIMEX3>; also <TIMEX3 tid="t6" type="DATE" value="1997">1997</TIMEX3>.
</TEXT>
</TimeML>"#;

    #[test]
    fn parses_text_offsets_and_creation_time() {
        let doc = parse_timeml("x.tml", SAMPLE).unwrap();
        assert_eq!(doc.anchor, Date::from_calendar_date(1998, Month::August, 7).unwrap());
        let spans: Vec<(&str, &str, &str)> = doc
            .timexes
            .iter()
            .map(|t| (&doc.text[t.start..t.end], t.kind.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(spans[0], ("yesterday", "DATE", "1998-08-06"));
        assert_eq!(spans[1], ("Monday, Aug. 3", "DATE", "1998-08-03"));
        assert_eq!(spans[4], ("Wednesday night", "TIME", "1998-08-05TNI"));
        assert!(doc.text.contains("yesterday & fell"), "entities are decoded: {}", doc.text);
    }

    #[test]
    fn scores_spans_and_values_one_to_one() {
        let doc = parse_timeml("x.tml", SAMPLE).unwrap();
        let mention = |text: &str, value: &str| {
            let start = doc.text.find(text).unwrap();
            DateMention {
                text: text.to_string(),
                start,
                end: start + text.len(),
                value: value.to_string(),
                precision: crate::extract::dates::Precision::Day,
            }
        };
        let system = [
            mention("yesterday", "1998-08-06"),   // exact, right value
            mention("Aug. 3", "1998-08-03"),      // overlap only, right value
            mention("second quarter", "1998-Q3"), // overlap only, wrong value
            mention("Wednesday", "1998-08-05"),   // overlaps only a TIME: not scored
            mention("officials", "PRESENT_REF"),  // spurious
        ];
        let mut tally = Tally::default();
        let mut errors = Vec::new();
        tally.score(&doc, &system, &mut errors);
        assert_eq!((tally.gold, tally.system, tally.other_type), (4, 4, 1));
        assert_eq!((tally.strict, tally.relaxed, tally.value), (1, 3, 2));
        let kinds: Vec<&str> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["span", "span", "value", "missed", "spurious", "other_type"]);
        let report = Prf::new(tally.value, tally.system, tally.gold);
        assert_eq!((report.precision, report.recall), (0.5, 0.5));
    }

    #[test]
    fn end_to_end_on_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.tml"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not TimeML").unwrap();
        let report = evaluate_timeml(dir.path()).unwrap();
        assert_eq!((report.documents, report.gold), (1, 4));
        assert!(report.relaxed.recall > 0.0 && report.bytes_per_second > 0.0);
        assert!(report.to_string().contains("relaxed"));
        assert!(evaluate_timeml(&dir.path().join("missing")).is_err());
    }

    /// Scores the TempEval-3 training folders when present (research data, not in the repo):
    /// `cargo test --release --lib eval::dates -- --ignored --nocapture`
    /// (`LEDE_TIMEML_DIR` overrides the root, `LEDE_DATE_ERRORS=1` lists disagreements).
    #[test]
    #[ignore = "reads the TempEval-3 data outside the repository"]
    fn tempeval3_scores() {
        let root = std::env::var("LEDE_TIMEML_DIR")
            .unwrap_or_else(|_| "/work/shared/eval/dates/tempeval3".into());
        for set in ["TimeBank", "AQUAINT"] {
            let (report, errors) =
                evaluate_timeml_with_errors(&Path::new(&root).join(set)).unwrap();
            if std::env::var_os("LEDE_DATE_ERRORS").is_some() {
                for e in &errors {
                    println!(
                        "{}\t{}\t{:?}\t{:?}\t{:?}\t{:?}\t{}",
                        e.kind,
                        e.file,
                        e.gold_text,
                        e.gold_value,
                        e.system_text,
                        e.system_value,
                        e.context
                    );
                }
            }
            println!("== {set}\n{report}\n");
        }
    }
}
