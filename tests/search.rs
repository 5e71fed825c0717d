//! Ranked passages on the bundled corpus.

use crate::util::{json_lines, search_bundled};

/// The JSON hits of a search over the bundled corpus.
fn hits(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = search_bundled(&all).output().expect("run lede");
    json_lines(&output.stdout)
}

#[test]
fn number_with_separator_finds_the_engineers_paragraph_first() {
    for query in ["5,000 engineers", "5000 engineers"] {
        let hits = hits(&[query]);
        let first = &hits[0];
        assert_eq!(first["doc"], "000_45b7c3c7b98d9dfb.txt", "query {query}");
        assert!(
            first["text"].as_str().unwrap().contains("5,000 North Korean Army engineers"),
            "query {query}"
        );
    }
}

#[test]
fn quoted_phrase_ranks_the_special_forces_paragraph_first() {
    let hits = hits(&["\"special forces\""]);
    assert!(hits[0]["doc"].as_str().unwrap().starts_with("004_"));
    assert!(hits[0]["text"].as_str().unwrap().contains("1,500 special forces"));
}

#[test]
fn latin_and_cyrillic_spellings_find_the_cyrillic_name() {
    for query in ["Mikhailov", "Михайлов"] {
        let hits = hits(&[query]);
        assert!(
            hits.iter().any(|h| h["doc"].as_str().unwrap().starts_with("003_")
                && h["text"].as_str().unwrap().contains("Михайлов")),
            "query {query}: {hits:?}"
        );
    }
}

#[test]
fn straight_apostrophe_matches_curly_apostrophe() {
    let hits = hits(&["Russia's Far East", "-n", "20"]);
    for prefix in ["003_", "004_"] {
        assert!(
            hits.iter().any(|h| h["doc"].as_str().unwrap().starts_with(prefix)
                && h["text"].as_str().unwrap().contains("Far East")),
            "no Far East paragraph of {prefix}: {hits:?}"
        );
    }
}

#[test]
fn excluded_word_never_appears_in_results() {
    let hits = hits(&["\"North Korean\"", "-Kursk", "-n", "50", "--per-file", "0"]);
    assert!(hits.len() > 5);
    for hit in &hits {
        let text = hit["text"].as_str().unwrap();
        assert!(!text.contains("Kursk"), "{text}");
        assert!(text.contains("North Korean"), "{text}");
    }
}

#[test]
fn at_most_per_file_hits_from_one_file_and_stable_order() {
    let run = || hits(&["Putin", "-n", "10"]);
    let first = run();
    let mut counts = std::collections::HashMap::new();
    for hit in &first {
        *counts.entry(hit["doc"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    assert!(counts.values().all(|&n| n <= 3), "{counts:?}");
    assert_eq!(first, run());
    let scores: Vec<f64> = first.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn passages_with_all_words_rank_above_passages_with_some() {
    let hits = hits(&["Gerasimov Kursk liberate", "-n", "3"]);
    let text = hits[0]["text"].as_str().unwrap();
    assert!(text.contains("Gerasimov") && text.contains("Kursk"), "{text}");
}

#[test]
fn long_natural_language_question_still_returns_passages() {
    let hits = hits(&[
        "what did the spy agency of South Korea say about special forces sent to the Far East",
    ]);
    assert!(!hits.is_empty());
    assert!(hits[0]["text"].as_str().unwrap().contains("special forces"));
}

#[test]
fn human_output_shows_rank_path_line_title_and_passage() {
    let output =
        search_bundled(&["5,000 engineers", "-n", "1", "--color", "never"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("1. "), "{header}");
    assert!(header.contains("000_45b7c3c7b98d9dfb.txt:21"), "{header}");
    assert!(header.contains("Covert Operation in Kursk"), "{header}");
    assert!(lines.next().unwrap().contains("5,000 North Korean Army engineers"));
    assert!(!stdout.contains('\x1b'));
    // How many matched, on stderr so stdout stays the hits alone.
    let stderr = String::from_utf8(output.stderr).unwrap();
    let total = search_bundled(&["5,000 engineers", "-c"]).output().unwrap().stdout;
    let total = String::from_utf8(total).unwrap();
    let total = total.split(' ').next().unwrap();
    assert_eq!(stderr, format!("1 of {total} passages, best first\n"));
    let dated = search_bundled(&["--on", "2025-04-26", "--color", "never"]).output().unwrap();
    let stderr = String::from_utf8(dated.stderr).unwrap();
    assert_eq!(stderr, "1 of 1 passage, oldest mentioned date first\n");
}

#[test]
fn colour_marks_the_matched_words_only_when_asked() {
    let output = search_bundled(&["engineers", "-n", "1", "--color", "always"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("\x1b[1;31mengineers\x1b[0m"), "{stdout}");
    let plain = search_bundled(&["engineers", "-n", "1"]).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8(plain.stdout).unwrap().contains('\x1b'));
}

#[test]
fn no_hits_exits_one_with_empty_stdout() {
    search_bundled(&["zzyzx"]).assert().code(1).stdout("");
}

#[test]
fn passages_with_every_word_come_before_higher_scoring_partial_matches() {
    let corpus = crate::util::Corpus::new();
    corpus.create("a.txt", "One\n\nOkapi okapi okapi okapi.\n");
    corpus.create(
        "b.txt",
        "Two\n\nIn a long report about the reserve, rangers said an okapi was seen near the river \
         bank where the old bridge once stood, and a heron flew over it at dawn.\n",
    );
    let output = corpus.lede().args(["search", "--json", "okapi heron"]).output().unwrap();
    let hits = json_lines(&output.stdout);
    let docs: Vec<&str> = hits.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["b.txt", "a.txt"]);
    let okapi_only = corpus.lede().args(["search", "--json", "okapi"]).output().unwrap();
    let scores = json_lines(&okapi_only.stdout);
    assert_eq!(scores[0]["doc"], "a.txt", "without the second word the denser passage wins");
}

#[test]
fn every_hit_carries_the_title_of_its_own_file() {
    // Enough files that the indexing threads interleave them.
    let corpus = crate::util::Corpus::new();
    for i in 0..60 {
        corpus.create(
            &format!("story{i}.txt"),
            format!("Headline {i}\n\nThe harvest {i} began.\n\nLater the harvest {i} ended.\n"),
        );
    }
    let args = ["search", "--json", "harvest", "-n", "200", "--per-file", "0"];
    let output = corpus.lede().args(args).output().unwrap();
    let hits = json_lines(&output.stdout);
    assert_eq!(hits.len(), 120);
    for hit in &hits {
        let doc = hit["doc"].as_str().unwrap();
        let number = doc.trim_start_matches("story").trim_end_matches(".txt");
        assert_eq!(hit["title"], format!("Headline {number}"), "{doc}");
    }
}

#[test]
fn numbers_grouped_with_spaces_match_every_other_form() {
    let corpus = crate::util::Corpus::new();
    corpus.create("a.txt", "One\n\nAbout 5 000 sappers crossed the river.\n");
    corpus.create("b.txt", "Two\n\nSome 5,000 sappers stayed behind.\n");
    corpus.create("c.txt", "Three\n\nFood 700 690 678 678 in the table.\n");
    for query in ["5000", "5,000", "5 000", "\"5 000 sappers\""] {
        let output = corpus.lede().args(["search", "--json", query]).output().unwrap();
        let mut docs: Vec<String> = json_lines(&output.stdout)
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect();
        docs.sort();
        assert_eq!(docs, ["a.txt", "b.txt"], "query {query}");
    }
    let table = corpus.lede().args(["search", "--json", "700690678"]).output().unwrap();
    assert!(json_lines(&table.stdout).is_empty(), "table columns are not one number");
}

#[test]
fn numbers_in_several_space_groups_match_every_other_form_and_nothing_else() {
    let corpus = crate::util::Corpus::new();
    corpus.create("spaces.txt", "One\n\nThe fund holds 5 000 000 dollars.\n");
    corpus.create("commas.txt", "Two\n\nA grant of 5,000,000 dollars was paid.\n");
    corpus.create("other.txt", "Three\n\nSome 1 200 000 people voted.\n");
    corpus.create("table.txt", "Four\n\nStart Stocks 498 498 371 371\nExports 450 475 395\n");
    let docs = |query: &str| {
        let output = corpus.lede().args(["search", "--json", query]).output().unwrap();
        let mut docs: Vec<String> = json_lines(&output.stdout)
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect();
        docs.sort();
        docs
    };
    for query in ["5000000", "5,000,000", "5 000 000", "\"5 000 000 dollars\""] {
        assert_eq!(docs(query), ["commas.txt", "spaces.txt"], "query {query}");
    }
    assert_eq!(docs("1200000"), ["other.txt"]);
    assert_eq!(docs("1,200,000"), ["other.txt"]);
    // Table columns stay numbers of their own.
    assert!(docs("498498371371").is_empty());
    assert!(docs("450475395").is_empty());
    assert_eq!(docs("\"Exports 450 475 395\""), ["table.txt"]);
    // The whole number is highlighted as written.
    let output = corpus.lede().args(["search", "--json", "5000000"]).output().unwrap();
    for hit in json_lines(&output.stdout) {
        let text = hit["text"].as_str().unwrap();
        let span = &hit["highlights"][0];
        let marked =
            &text[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize];
        assert!(marked == "5 000 000" || marked == "5,000,000", "{marked}");
    }
}

#[test]
fn a_headline_match_shows_its_files_best_body_paragraph_under_the_headline() {
    let corpus = crate::util::Corpus::new();
    corpus.create(
        "speech.txt",
        "Blair stresses prosperity goals\n\nThe party met in Brighton.\n\n\
         Tony Blair said the manifesto would aim at prosperity for all.\n",
    );
    corpus.create("lead.txt", "Blair returns home\n\nThe prime minister flew back on Sunday.\n");
    corpus.create("bare.txt", "Blair headline alone\n");
    for i in 0..5 {
        corpus.create(&format!("other{i}.txt"), format!("Note {i}\n\nThe ferry {i} sailed.\n"));
    }
    let output = corpus.lede().args(["search", "--json", "Blair"]).output().unwrap();
    assert!(output.status.success());
    let hits = json_lines(&output.stdout);
    let hit = |doc: &str| hits.iter().find(|h| h["doc"] == doc).unwrap_or_else(|| panic!("{doc}"));
    // The body paragraph that says it, not the headline; headed by it.
    assert_eq!(hit("speech.txt")["para"], 2);
    assert_eq!(hit("speech.txt")["title"], "Blair stresses prosperity goals");
    // No body paragraph matches: the lead stands in for the headline.
    assert_eq!(hit("lead.txt")["para"], 1);
    assert_eq!(hit("lead.txt")["title"], "Blair returns home");
    // A file that is only a headline keeps it.
    assert_eq!(hit("bare.txt")["para"], 0);
    // Each passage once, however it got its slot.
    let mut keys: Vec<(String, u64)> = hits
        .iter()
        .map(|h| (h["doc"].as_str().unwrap().to_string(), h["para"].as_u64().unwrap()))
        .collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "{hits:?}");
    let human = corpus.lede().args(["search", "Blair"]).output().unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("speech.txt:5  Blair stresses prosperity goals\n   Tony Blair said"),
        "{human}"
    );
}

#[test]
fn a_cyrillic_name_found_by_its_latin_spelling_is_not_scored_down() {
    let corpus = crate::util::Corpus::new();
    corpus.create("ru.txt", "Доклад\n\nЕвгений Михайлов прибыл в город.\n");
    corpus.create("en.txt", "Report\n\nMikhailov arrived in the city.\n");
    for i in 0..40 {
        corpus.create(
            &format!("other{i}.txt"),
            format!("Note {i}\n\nThe ferry {i} sailed at dawn.\n"),
        );
    }
    let output = corpus.lede().args(["search", "--json", "Mikhailov"]).output().unwrap();
    let hits = json_lines(&output.stdout);
    let score = |doc: &str| {
        hits.iter().find(|h| h["doc"] == doc).map(|h| h["score"].as_f64().unwrap()).unwrap()
    };
    // The Latin passage matches in text and text_exact, the Cyrillic one in
    // translit alone (weight 0.4): about a quarter of the score, not nothing.
    let ratio = score("ru.txt") / score("en.txt");
    assert!(ratio > 0.15 && ratio < 1.0, "ru/en score ratio {ratio}: {hits:?}");
}

#[test]
fn a_markdown_title_is_shown_without_its_heading_mark() {
    let corpus = crate::util::Corpus::new();
    corpus.create("note.md", "# Harbour news\n\nThe harbour froze overnight.\n");
    let output = corpus.lede().args(["search", "--json", "harbour froze"]).output().unwrap();
    let hits = json_lines(&output.stdout);
    assert_eq!(hits[0]["title"], "Harbour news", "{hits:?}");
    let human = corpus.lede().args(["search", "--color", "never", "froze"]).output().unwrap();
    let header = String::from_utf8(human.stdout).unwrap();
    let first = header.lines().next().unwrap_or_default();
    assert!(first.starts_with("1. ") && first.ends_with("note.md:3  Harbour news"), "{header}");
}

/// A short list says when the per-file cap, not the matches, made it short.
#[test]
fn a_list_cut_short_by_the_per_file_cap_says_so() {
    let summary = |args: &[&str]| {
        let output = search_bundled(args).output().unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let capped = summary(&["Putin"]);
    assert!(capped.contains("at most 3 per file (--per-file 0 shows all)"), "{capped}");
    for args in [&["--per-file", "0", "Putin"][..], &["-n", "3", "Putin"]] {
        let full = summary(args);
        assert!(!full.contains("per file"), "{args:?}: {full}");
    }
}
