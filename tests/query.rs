//! Query power and scripting: fuzzy, prefix and proximity terms, "did you
//! mean" and typos answered, batch mode, --count/--files/--tsv, --explain, `lede show`,
//! `lede stats`, completions and the man page.

use std::process::Command as Process;

use crate::util::{bundled_index, json_lines, lede, search_bundled, Corpus};

fn schema() -> jsonschema::Validator {
    let text = include_str!("../schema/hit.schema.json");
    jsonschema::validator_for(&serde_json::from_str(text).unwrap()).expect("a valid JSON Schema")
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// A corpus whose paragraphs are easy to count: `alpha` occurs in two
/// paragraphs of `one.txt`, one of `two words.txt`, none of `three.txt`.
fn counting_corpus() -> Corpus {
    let corpus = Corpus::new();
    corpus.create("one.txt", "First title\n\nalpha beta\n\ngamma\n\nalpha again\n");
    corpus.create("two words.txt", "Second title\n\nan alpha here\n\nnothing\n");
    corpus.create("three.txt", "Third title\n\ndelta only\n");
    corpus.lede().arg("index").assert().success();
    corpus
}

#[test]
fn fuzzy_term_finds_gerasimov_and_the_typo_alone_suggests_him() {
    let output = search_bundled(&["--json", "-n", "20", "Gerasimv~1"]).output().unwrap();
    assert!(output.status.success());
    let hits = json_lines(&output.stdout);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(hit["text"].as_str().unwrap().contains("Gerasimov"), "{hit}");
    }
    let plain = search_bundled(&["--no-correct", "Gerasimv"]).output().unwrap();
    assert_eq!(plain.status.code(), Some(1));
    assert!(plain.stdout.is_empty());
    let stderr = String::from_utf8(plain.stderr).unwrap();
    assert!(stderr.contains("did you mean: Gerasimov"), "{stderr}");
}

#[test]
fn suggestion_keeps_the_known_words_of_the_query() {
    let corpus = counting_corpus();
    let output = corpus.lede().args(["search", "\"alpha bta\""]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("did you mean: \"alpha beta\""), "{stderr}");
}

/// Misspelt names of the bundled corpus and the name each means.
const TYPOS: [(&str, &str); 5] = [
    ("Gerasimv", "Gerasimov"),
    ("Zelenskyy", "Zelensky"),
    ("Lavrof", "Lavrov"),
    ("Pyongyan", "Pyongyang"),
    ("Budanv", "Budanov"),
];

#[test]
fn a_misspelt_name_is_answered_with_its_passage_first_and_a_note() {
    let validator = schema();
    for (typo, name) in TYPOS {
        let output = search_bundled(&["--json", typo]).output().unwrap();
        assert!(output.status.success(), "{typo}");
        let hits = json_lines(&output.stdout);
        assert!(!hits.is_empty(), "{typo}");
        assert!(hits[0]["text"].as_str().unwrap().contains(name), "{typo}: {}", hits[0]);
        for hit in &hits {
            assert_eq!(hit["corrected_query"], name, "{typo}");
            assert!(validator.is_valid(hit), "{hit}");
        }
        let human = search_bundled(&[typo]).output().unwrap();
        assert!(human.status.success(), "{typo}");
        let stderr = String::from_utf8(human.stderr).unwrap();
        let note = format!("lede: showing results for {name}; no passage matches {typo}\n");
        assert!(stderr.starts_with(&note), "{stderr}");
        assert!(String::from_utf8(human.stdout).unwrap().starts_with("1. "));
    }
}

#[test]
fn only_the_misspelt_word_of_several_is_corrected() {
    let output = search_bundled(&["--json", "Gerasimv AND Kursk"]).output().unwrap();
    assert!(output.status.success());
    let hits = json_lines(&output.stdout);
    assert_eq!(hits[0]["corrected_query"], "Gerasimov AND Kursk");
    let text = hits[0]["text"].as_str().unwrap();
    assert!(text.contains("Gerasimov") && text.contains("Kursk"), "{text}");
    let both = search_bundled(&["--json", "Gerasimv Lavrof"]).output().unwrap();
    assert_eq!(json_lines(&both.stdout)[0]["corrected_query"], "Gerasimov Lavrov");
}

#[test]
fn quoted_phrases_and_numbers_are_never_corrected() {
    // A quoted typo is only suggested: the user asked for those words.
    let quoted = search_bundled(&["\"Gerasimv\""]).output().unwrap();
    assert_eq!(quoted.status.code(), Some(1));
    assert!(quoted.stdout.is_empty());
    let stderr = String::from_utf8(quoted.stderr).unwrap();
    assert!(stderr.contains("did you mean: \"Gerasimov\""), "{stderr}");
    assert!(!stderr.contains("showing results"), "{stderr}");
    // A number that occurs nowhere is not turned into one that does.
    for number in ["10,001", "200001", "2025-13-45"] {
        let output = search_bundled(&[number]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{number}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("showing results"), "{number}: {stderr}");
    }
}

#[test]
fn no_correct_keeps_the_suggestion_and_exit_status_1() {
    let output = search_bundled(&["--no-correct", "--json", "Budanv"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr, "lede: no passage matches; did you mean: Budanov\n");
}

#[test]
fn batch_and_count_output_name_the_correction() {
    let count = stdout_of(&mut search_bundled(&["-c", "--json", "Budanv"]));
    let count: serde_json::Value = serde_json::from_str(count.trim()).unwrap();
    assert_eq!(count["corrected_query"], "Budanov");
    assert!(count["paragraphs"].as_u64().unwrap() > 0);
    let batch = std::env::temp_dir().join(format!("lede-typos-{}.txt", std::process::id()));
    std::fs::write(&batch, "Kursk\nLavrof\n").unwrap();
    let output = search_bundled(&["--batch", batch.to_str().unwrap(), "-n", "1"]).output().unwrap();
    std::fs::remove_file(&batch).unwrap();
    assert!(output.status.success());
    let hits = json_lines(&output.stdout);
    assert_eq!(hits.len(), 2);
    assert!(hits[0].get("corrected_query").is_none(), "{}", hits[0]);
    assert_eq!(hits[1]["corrected_query"], "Lavrov");
    assert_eq!(hits[1]["query"], "Lavrof");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 2: showing results for Lavrov; no passage matches Lavrof"));
}

/// Every word of the bundled corpus as written (edge punctuation trimmed),
/// and every run of letters and digits inside one.
fn bundled_words() -> Vec<String> {
    let mut words = std::collections::BTreeSet::new();
    for path in crate::util::bundled_articles() {
        let text = std::fs::read_to_string(path).unwrap();
        for written in text.split_whitespace() {
            let word = written.trim_matches(|c: char| !c.is_alphanumeric());
            if !word.is_empty() && !word.contains(['"', '(', ')', '[', ']', ':', '\\']) {
                words.insert(word.to_string());
            }
            for run in written.split(|c: char| !c.is_alphanumeric()).filter(|r| !r.is_empty()) {
                words.insert(run.to_string());
            }
        }
    }
    words.into_iter().collect()
}

#[test]
fn no_word_of_the_bundled_corpus_is_corrected() {
    let words = bundled_words();
    assert!(words.len() > 1000, "{}", words.len());
    assert!(words.iter().any(|w| w == "Gerasimov") && words.iter().any(|w| w == "Zelensky"));
    let batch = std::env::temp_dir().join(format!("lede-words-{}.txt", std::process::id()));
    std::fs::write(&batch, words.join("\n")).unwrap();
    let output = search_bundled(&["--batch", batch.to_str().unwrap(), "-n", "1"]).output().unwrap();
    std::fs::remove_file(&batch).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("showing results"), "{stderr}");
    let hits = json_lines(&output.stdout);
    assert!(hits.len() > 1000, "{}", hits.len());
    let corrected: Vec<&serde_json::Value> =
        hits.iter().filter(|h| h.get("corrected_query").is_some()).collect();
    assert!(corrected.is_empty(), "{corrected:?}");
}

#[test]
fn prefix_term_matches_every_word_that_starts_with_it() {
    let hits = json_lines(
        &stdout_of(&mut search_bundled(&["--json", "-n", "50", "--per-file", "0", "engine*"]))
            .into_bytes(),
    );
    let marked: Vec<String> = hits
        .iter()
        .flat_map(|h| {
            let text = h["text"].as_str().unwrap().to_string();
            h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    text[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize]
                        .to_lowercase()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(marked.iter().any(|w| w == "engineers"), "{marked:?}");
    assert!(marked.iter().any(|w| w == "engineering"), "{marked:?}");
    assert!(marked.iter().all(|w| w.starts_with("engine")), "{marked:?}");
}

#[test]
fn proximity_phrase_allows_words_in_between() {
    search_bundled(&["\"north engineers\""]).assert().code(1);
    let hits = json_lines(
        &stdout_of(&mut search_bundled(&["--json", "\"north engineers\"~3"])).into_bytes(),
    );
    assert!(hits[0]["text"].as_str().unwrap().contains("North Korean Army engineers"));
    search_bundled(&["\"north engineers\"~1"]).assert().code(1);
}

#[test]
fn numbers_are_never_fuzzed() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\n5000 troops arrived\n\n5001 troops left\n");
    let output = corpus.lede().args(["search", "--json", "5000~1"]).output().unwrap();
    let hits = json_lines(&output.stdout);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["text"].as_str().unwrap().starts_with("5000"));
}

#[test]
fn batch_runs_the_good_lines_and_reports_the_bad_one() {
    let corpus = Corpus::new();
    let batch = corpus
        .create("queries.txt", "Gerasimov\n\"unclosed phrase\n# a comment\n\n5,000 engineers\n");
    let output = lede()
        .arg("--index")
        .arg(bundled_index())
        .args(["search", "-n", "2", "--batch"])
        .arg(&batch)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("queries.txt:2:") && stderr.contains("unclosed"), "{stderr}");
    let hits = json_lines(&output.stdout);
    let validator = schema();
    for hit in &hits {
        let errors: Vec<String> = validator.iter_errors(hit).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    let tags: Vec<(String, u64)> = hits
        .iter()
        .map(|h| (h["query"].as_str().unwrap().to_string(), h["query_line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Gerasimov".to_string(), 1),
            ("Gerasimov".to_string(), 1),
            ("5,000 engineers".to_string(), 5),
            ("5,000 engineers".to_string(), 5)
        ]
    );
    assert!(hits[2]["text"].as_str().unwrap().contains("5,000 North Korean Army engineers"));
}

#[test]
fn batch_reads_standard_input_and_counts() {
    let corpus = counting_corpus();
    let output = corpus
        .lede()
        .args(["search", "--count", "--batch", "-"])
        .write_stdin("alpha\ndelta\nzzyzx\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let counts = json_lines(&output.stdout);
    let table: Vec<(u64, u64, u64)> = counts
        .iter()
        .map(|c| {
            (
                c["query_line"].as_u64().unwrap(),
                c["paragraphs"].as_u64().unwrap(),
                c["files"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(table, [(1, 3, 2), (2, 1, 1), (3, 0, 0)]);
}

#[test]
fn count_prints_paragraphs_and_files() {
    let corpus = counting_corpus();
    corpus
        .lede()
        .args(["search", "--count", "alpha"])
        .assert()
        .success()
        .stdout("3 paragraphs in 2 files\n");
    corpus
        .lede()
        .args(["search", "--count", "--json", "alpha"])
        .assert()
        .success()
        .stdout("{\"paragraphs\":3,\"distinct\":3,\"files\":2}\n");
    corpus
        .lede()
        .args(["search", "--count", "zzyzx"])
        .assert()
        .code(1)
        .stdout("0 paragraphs in 0 files\n");
}

#[test]
fn files_output_feeds_xargs() {
    let corpus = counting_corpus();
    let files = corpus
        .lede()
        .current_dir(corpus.path())
        .args(["search", "--files", "alpha"])
        .output()
        .unwrap();
    let listed = String::from_utf8(files.stdout.clone()).unwrap();
    let mut names: Vec<&str> = listed.lines().collect();
    names.sort();
    assert_eq!(names, ["one.txt", "two words.txt"]);
    let cat = |args: &[&str], input: Vec<u8>| {
        let mut child = Process::new("xargs")
            .args(args)
            .current_dir(corpus.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("xargs");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let text = cat(&["-d", "\n", "cat"], files.stdout);
    assert!(text.contains("alpha again") && text.contains("an alpha here"), "{text}");
    let nul = corpus
        .lede()
        .current_dir(corpus.path())
        .args(["search", "-l", "-0", "alpha"])
        .output()
        .unwrap();
    assert_eq!(nul.stdout.iter().filter(|&&b| b == 0).count(), 2);
    let text = cat(&["-0", "cat"], nul.stdout);
    assert!(text.contains("an alpha here"), "{text}");
}

#[test]
fn tsv_has_five_fields_per_hit() {
    let output = search_bundled(&["--tsv", "-n", "2", "5,000 engineers"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 5, "{row:?}");
        assert_eq!(row[0], (i + 1).to_string());
        assert!(row[1].parse::<f64>().unwrap() > 0.0);
        assert!(row[2].ends_with(".txt"));
        assert!(row[3].parse::<u32>().unwrap() >= 1);
    }
    assert!(rows[0][2].ends_with("000_45b7c3c7b98d9dfb.txt") && rows[0][3] == "21", "{rows:?}");
    assert!(rows[0][4].contains("5,000 North Korean Army engineers"));
}

#[test]
fn explain_shows_normalised_numbers_expansions_and_matched_terms() {
    let output = search_bundled(&["--explain", "-n", "1", "--color", "never", "5,000 Gerasimv~1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("text: 5000 | text_exact: 5000 | translit: 5000"), "{stdout}");
    assert!(stdout.contains("expands to: gerasimov (1 edit"), "{stdout}");
    assert!(stdout.contains("score "), "{stdout}");
    assert!(stdout.contains("text:gerasimov") || stdout.contains("text:5000"), "{stdout}");

    let output =
        search_bundled(&["--explain", "--json", "-n", "3", "5,000 engineers"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("text: 5000"), "{stderr}");
    let validator = schema();
    let hits = json_lines(&output.stdout);
    for hit in &hits {
        assert!(validator.iter_errors(hit).next().is_none());
        let terms = hit["explain"]["terms"].as_array().unwrap();
        assert!(!terms.is_empty());
        assert_eq!(hit["explain"]["score"], hit["score"]);
        // The lines add up to the score shown.
        let sum: f64 = terms.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        let score = hit["score"].as_f64().unwrap();
        assert!((sum - score).abs() < 1e-3, "{sum} vs {score}: {terms:?}");
    }
    let first = hits[0]["explain"]["terms"].as_array().unwrap();
    assert!(first.iter().any(|t| t["field"] == "text" && t["term"] == "5000"), "{first:?}");
}

#[test]
fn show_prints_the_neighbours_of_a_paragraph_in_order() {
    let corpus = Corpus::new();
    corpus.create(
        "story.txt",
        "The Title\n\nParagraph one.\n\nParagraph two\nwrapped here.\n\nParagraph three.\n\nParagraph four.\n",
    );
    corpus.lede().arg("index").assert().success();
    let shown = stdout_of(corpus.lede().current_dir(corpus.path()).args([
        "show",
        "story.txt:p2",
        "--color",
        "never",
    ]));
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], "story.txt:5  The Title");
    assert_eq!(lines[1], "  [1 line 3] Paragraph one.");
    assert_eq!(lines[2], "> [2 line 5] Paragraph two wrapped here.");
    assert_eq!(lines[3], "  [3 line 8] Paragraph three.");
    assert!(lines[4].starts_with("  entities:") && lines[5].starts_with("  dates:"), "{shown}");
    let by_line = stdout_of(corpus.lede().current_dir(corpus.path()).args([
        "show",
        "story.txt:6",
        "-C",
        "0",
        "--color",
        "never",
    ]));
    assert_eq!(by_line.lines().nth(1), Some("> [2 line 5] Paragraph two wrapped here."));
    let wide = stdout_of(corpus.lede().current_dir(corpus.path()).args([
        "show",
        "story.txt:p4",
        "-C",
        "2",
        "--color",
        "never",
    ]));
    let numbers: Vec<&str> =
        wide.lines().skip(1).take_while(|l| l.contains(" [")).map(|l| &l[3..4]).collect();
    assert_eq!(numbers, ["2", "3", "4"]);
}

#[test]
fn show_past_the_end_names_the_file_and_its_size() {
    let corpus = Corpus::new();
    corpus.create("story.txt", "The Title\n\nParagraph one.\n\nParagraph two\nwrapped here.\n");
    corpus.lede().arg("index").assert().success();
    let show = |target: &str| {
        corpus.lede().current_dir(corpus.path()).args(["show", target]).output().unwrap()
    };
    // The last line of the file is still its last paragraph.
    assert!(show("story.txt:6").status.success());
    for (target, says) in [
        (
            "story.txt:999",
            "story.txt: line 999 is past the end: the file has 6 lines, 3 paragraphs",
        ),
        ("story.txt:p999", "story.txt: no such paragraph: the file has 3 (p0 to p2)"),
    ] {
        let output = show(target);
        assert_eq!(output.status.code(), Some(2), "{target}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim_end(), format!("lede: {says}"));
    }
}

#[test]
fn search_hits_pipe_into_show() {
    let corpus = Corpus::new();
    corpus.create(
        "story.txt",
        "The Title\n\nParagraph one.\n\nThe needle paragraph.\n\nParagraph three.\n",
    );
    let search = corpus
        .lede()
        .current_dir(corpus.path())
        .args(["search", "--json", "needle"])
        .output()
        .unwrap();
    for input in [
        search.stdout.clone(),
        corpus
            .lede()
            .current_dir(corpus.path())
            .args(["search", "--color", "never", "needle"])
            .output()
            .unwrap()
            .stdout,
    ] {
        let shown = stdout_of(
            corpus
                .lede()
                .current_dir(corpus.path())
                .args(["show", "--color", "never", "-"])
                .write_stdin(input),
        );
        assert!(shown.contains("  [1 line 3] Paragraph one.\n> [2 line 5] The needle paragraph.\n  [3 line 7] Paragraph three.\n"), "{shown}");
    }
}

#[test]
fn stats_counts_files_and_paragraphs() {
    let corpus = counting_corpus();
    let output = corpus.lede().args(["stats", "--json"]).output().unwrap();
    assert!(output.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["files"], 3);
    assert_eq!(stats["paragraphs"], 3 + 3 + 2 + 1);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    assert!(stats["updated"].as_str().unwrap().contains('T'));
    let text = stdout_of(corpus.lede().arg("stats"));
    assert!(
        text.contains("files:") && text.contains("last update:") && text.contains("people:"),
        "{text}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(lede().args(["completions", shell]));
        assert!(script.contains("lede") && script.contains("batch"), "{shell}");
    }
    let man = stdout_of(lede().arg("man"));
    assert!(man.starts_with(".ie") || man.contains(".TH"), "{}", &man[..200]);
    assert!(man.contains("LEDE SEARCH") && man.contains("batch"));
}

#[test]
fn headline_phrases_and_split_words_match_the_headline_words() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Special forces reach Kursk in the 1960s\n\nThe unit landed at dawn.\n");
    corpus.create(
        "b.txt",
        "Weather report\n\nSpecial forces were seen near the river at night by the guards.\n",
    );
    corpus.create("c.txt", "Forces and specials\n\nNothing else.\n");
    let docs = |query: &str| -> Vec<String> {
        let output =
            corpus.lede().args(["search", "--json", "--per-file", "0", query]).output().unwrap();
        let mut docs: Vec<String> = json_lines(&output.stdout)
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect();
        docs.dedup();
        docs
    };
    // The headline is indexed without positions: a phrase on it needs its
    // words, in any order, and a word the analysers split (1960s = 1960 s)
    // still parses.
    let mut both_words = docs("title:\"special forces\"");
    both_words.sort();
    assert_eq!(both_words, ["a.txt", "c.txt"]);
    assert_eq!(docs("title:1960s"), ["a.txt"]);
    // Phrases in the text keep their order (the headline boost of a quoted
    // phrase asks for its words and does not break the query).
    assert_eq!(docs("\"special forces\""), ["a.txt", "b.txt"]);
    assert_eq!(docs("\"forces special\""), Vec::<String>::new());
}

/// `--expand` adds the words of the best passages (RM3): a passage that
/// says "Ghana growers" without "cocoa" is found for `cocoa` only with it,
/// and `--explain` lists the added words.
#[test]
fn expand_finds_a_passage_in_the_words_of_the_best_ones() {
    let corpus = Corpus::new();
    corpus.create(
        "cocoa.txt",
        "Cocoa prices\n\nCocoa from Ghana growers rose.\n\nGhana growers sold cocoa early.\n",
    );
    corpus.create("crop.txt", "Harvest report\n\nGhana growers expect a poor crop this year.\n");
    // Enough other passages that "ghana" (in 3) is not among the commonest
    // tenth of words, which feedback leaves out.
    let fillers = [
        "steel", "tin", "zinc", "lead", "nickel", "copper", "gold", "silver", "iron", "coal",
        "oil", "gas", "wheat", "corn", "sugar", "rice",
    ];
    for (i, metal) in fillers.iter().enumerate() {
        corpus.create(
            &format!("filler{i}.txt"),
            format!("{metal} market\n\n{metal} output was steady.\n\n{metal} stocks fell {i}.\n"),
        );
    }
    corpus.lede().arg("index").assert().success();
    let files = |args: &[&str]| {
        let output = corpus.lede().args(["search", "-l"]).args(args).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(!files(&["cocoa"]).contains("crop.txt"));
    assert!(files(&["--expand", "cocoa"]).contains("crop.txt"));
    let output = corpus
        .lede()
        .args(["search", "--expand", "--explain", "--color", "never", "cocoa"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let added = stdout.lines().find(|l| l.contains("expanded with")).unwrap_or_default();
    assert!(added.contains("ghana") && added.contains("grower"), "{stdout}");
}

#[test]
fn a_pasted_headline_with_a_colon_finds_its_article() {
    let headline = "Covert Operation in Kursk: Putin’s Strategic Measures";
    let hits = json_lines(&stdout_of(&mut search_bundled(&["--json", headline])).into_bytes());
    assert!(!hits.is_empty());
    assert!(hits[0]["doc"].as_str().unwrap().starts_with("000_"), "{}", hits[0]);
}

#[test]
fn colons_in_urls_and_times_are_text_and_fields_still_work() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Notice\n\nThe statement is at http://example.com since 12:30.\n");
    corpus.create("b.txt", "Kremlin talks\n\nNothing about the web here.\n");
    for query in ["http://example.com", "12:30", "statement: example"] {
        let output = corpus.lede().args(["search", "--json", query]).output().unwrap();
        assert!(output.status.success(), "{query}: {}", String::from_utf8_lossy(&output.stderr));
        let hits = json_lines(&output.stdout);
        assert_eq!(hits[0]["doc"], "a.txt", "{query}");
    }
    let output = corpus.lede().args(["search", "--json", "title:Kremlin"]).output().unwrap();
    let hits = json_lines(&output.stdout);
    assert!(!hits.is_empty() && hits.iter().all(|h| h["doc"] == "b.txt"), "{hits:?}");
}

#[test]
fn a_suggestion_is_offered_only_when_it_finds_something() {
    for query in ["COVID-19", "Gerasimv", "Gerasimv Lavrv"] {
        let output = search_bundled(&["--no-correct", query]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{query}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        if let Some(suggestion) = stderr.trim_end().split("did you mean: ").nth(1) {
            search_bundled(&[suggestion]).assert().success();
        }
    }
    let stderr = search_bundled(&["--no-correct", "Gerasimv"]).output().unwrap().stderr;
    assert!(String::from_utf8(stderr).unwrap().contains("did you mean: Gerasimov"));
}

#[test]
fn zero_means_no_limit_and_a_negative_count_is_explained() {
    let all = json_lines(
        &stdout_of(&mut search_bundled(&["--json", "-n", "0", "--per-file", "0", "Russia"]))
            .into_bytes(),
    );
    let count = stdout_of(&mut search_bundled(&["-c", "--json", "Russia"]));
    let total: serde_json::Value = serde_json::from_str(count.trim()).unwrap();
    assert!(all.len() > 10);
    assert_eq!(serde_json::json!(all.len()), total["paragraphs"], "{count}");
    let entities = lede()
        .arg("--index")
        .arg(bundled_index())
        .args(["entities", "--json", "-n", "0"])
        .output()
        .unwrap();
    assert!(entities.status.success());
    assert!(json_lines(&entities.stdout).len() > 20);
    for args in [["search", "-n", "-1", "Russia"], ["entities", "-n", "-1", "--json"]] {
        let output = lede().arg("--index").arg(bundled_index()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("0 for no limit") && !stderr.contains("'-- -1'"), "{stderr}");
    }
}
