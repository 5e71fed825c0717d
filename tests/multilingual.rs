//! Russian, Ukrainian, Korean, Chinese, French, German, Spanish and Italian
//! sources beside English ones:
//! the rows of issue 20's table, and a check set of queries over short
//! articles written for these tests (`tests/data/multilingual/`), each with
//! the file that must come first.

use std::fs;
use std::path::Path;

use crate::util::{json_lines, Corpus};

/// A temporary corpus holding a copy of the fixture folder `name`.
fn fixture_corpus(name: &str) -> Corpus {
    let corpus = Corpus::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/multilingual").join(name);
    for entry in fs::read_dir(&dir).expect("fixture folder") {
        let path = entry.expect("fixture entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("file name");
        corpus.create(name, fs::read(&path).expect("fixture file"));
    }
    corpus
}

/// The files of the hits of `args` (after `search --json`), in rank order,
/// each once.
fn hit_files(corpus: &Corpus, args: &[&str]) -> Vec<String> {
    let output = corpus.lede().args(["search", "--json"]).args(args).output().expect("lede runs");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<String> = Vec::new();
    for hit in json_lines(&output.stdout) {
        let file = hit["doc"].as_str().unwrap_or("").to_string();
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

#[test]
fn every_row_of_the_issue_table_finds_its_file() {
    let corpus = fixture_corpus("table");
    let rows = [
        ("Курская область", "ru_battles.txt"),
        ("оборона", "ru_battles.txt"),
        ("Kursk", "ru_battles.txt"),
        ("평양", "ko_plenary.txt"),
        ("金正恩", "zh_meeting.txt"),
        ("平壤", "zh_meeting.txt"),
    ];
    for (query, file) in rows {
        assert_eq!(hit_files(&corpus, &[query]), [file], "{query}");
    }
    for query in ["Kim Jong Un", "Pyongyang"] {
        let mut files = hit_files(&corpus, &[query]);
        files.sort();
        assert_eq!(files, ["ko_plenary.txt", "zh_meeting.txt"], "{query}");
    }
}

/// (query, the file that must rank first).
const CHECK_SET: [(&str, &str); 43] = [
    // Russian: inflected forms, `ё`, the Latin spelling of a Cyrillic name.
    ("разминирование", "ru_01_engineers.txt"),
    ("саперы Суджа", "ru_01_engineers.txt"),
    ("министра обороны", "ru_02_meeting_moscow.txt"),
    ("переговорах Пхеньяне", "ru_03_shoigu_pyongyang.txt"),
    ("полигон", "ru_04_training.txt"),
    ("пленный", "ru_05_captured.txt"),
    ("партнерство договора", "ru_06_treaty.txt"),
    ("снаряд", "ru_07_artillery.txt"),
    ("компенсация", "ru_08_governor.txt"),
    ("Khinshtein", "ru_08_governor.txt"),
    // Ukrainian.
    ("військові розвідка", "uk_01_intelligence.txt"),
    ("санкцій", "uk_02_ministry.txt"),
    ("дрони", "uk_03_drones.txt"),
    ("полонений", "uk_04_prisoners.txt"),
    ("Курщина", "uk_05_front.txt"),
    ("мобілізація", "uk_06_zelensky.txt"),
    ("евакуації", "uk_08_evacuation.txt"),
    // Korean: words with particles attached in the text.
    ("전원회의", "ko_01_plenary.txt"),
    ("파병", "ko_02_deployment.txt"),
    ("탄도미사일", "ko_04_missile.txt"),
    ("드론 공격", "ko_05_casualties.txt"),
    ("조약", "ko_06_treaty.txt"),
    ("포로 송환", "ko_07_prisoners.txt"),
    ("포탄", "ko_08_shells.txt"),
    // Chinese: words inside unspaced text, names through the aliases.
    ("军事委员会", "zh_01_commission.txt"),
    ("Lavrov", "zh_03_ministers.txt"),
    ("条约", "zh_04_treaty.txt"),
    ("弹道导弹", "zh_05_missile.txt"),
    ("无人机", "zh_06_casualties.txt"),
    ("炮弹", "zh_08_shells.txt"),
    // French, German, Spanish, Italian: inflections the text does not hold
    // (stemmed in each language's own field), words behind an elision.
    ("élection législative", "fr_01_legislatives.txt"),
    ("assemblée", "fr_01_legislatives.txt"),
    ("manifestation agricole", "fr_02_agriculteurs.txt"),
    ("journal régional", "fr_03_journaux.txt"),
    ("Wahl Kandidat", "de_01_wahlen.txt"),
    ("Überschwemmung Damm", "de_02_hochwasser.txt"),
    ("Streik Zug", "de_03_streiks.txt"),
    ("detenido protesta", "es_01_detenidos.txt"),
    ("incendio forestal", "es_02_incendios.txt"),
    ("cosecha perdida", "es_03_sequia.txt"),
    ("elezione regionale", "it_01_elezioni.txt"),
    ("scossa sfollato", "it_02_terremoto.txt"),
    ("Appennino", "it_02_terremoto.txt"),
];

#[test]
fn multilingual_check_set() {
    let corpus = fixture_corpus("articles");
    let mut misses = Vec::new();
    for (query, file) in CHECK_SET {
        let files = hit_files(&corpus, &[query]);
        if files.first().map(String::as_str) != Some(file) {
            misses.push(format!("{query}: expected {file}, got {files:?}"));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} missed:\n{}",
        misses.len(),
        CHECK_SET.len(),
        misses.join("\n")
    );
}

#[test]
fn latin_names_find_listed_names_in_every_script() {
    let corpus = fixture_corpus("articles");
    let mut pyongyang = hit_files(&corpus, &["Pyongyang"]);
    pyongyang.sort();
    assert_eq!(
        pyongyang,
        ["ko_01_plenary.txt", "ru_03_shoigu_pyongyang.txt", "zh_01_commission.txt"]
    );
    let mut moscow = hit_files(&corpus, &["--place", "Moscow"]);
    moscow.sort();
    assert_eq!(moscow, ["ko_03_summit.txt", "ru_02_meeting_moscow.txt"]);
}

#[test]
fn dates_written_in_these_languages_filter() {
    let corpus = fixture_corpus("articles");
    let mut on_day = hit_files(&corpus, &["--on", "2025-04-26"]);
    on_day.sort();
    assert_eq!(
        on_day,
        [
            "ko_03_summit.txt",
            "ru_02_meeting_moscow.txt",
            "uk_02_ministry.txt",
            "zh_03_ministers.txt"
        ]
    );
    assert_eq!(hit_files(&corpus, &["--on", "2024-08-06"]), ["ru_04_training.txt"]);
}

/// The files `search -l` lists for `args`, sorted.
fn listed_files(corpus: &Corpus, args: &[&str]) -> Vec<String> {
    let output = corpus.lede().args(["search", "-l"]).args(args).output().expect("lede runs");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| Path::new(line).file_name()?.to_str().map(String::from))
        .collect();
    files.sort();
    files
}

/// The fixture articles whose names start with `prefix`, sorted.
fn articles_named(prefix: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/multilingual/articles");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn each_language_is_detected_filtered_and_counted() {
    let corpus = fixture_corpus("articles");
    for (lang, names) in [
        ("ru", ["ru", "rus", "Russian", "RU"]),
        ("uk", ["uk", "ukr", "Ukrainian", "UK"]),
        ("ko", ["ko", "kor", "Korean", "KO"]),
        ("zh", ["zh", "cmn", "Chinese", "Mandarin"]),
    ] {
        let expected = articles_named(&format!("{lang}_"));
        assert_eq!(expected.len(), 8, "{lang}");
        for name in names {
            assert_eq!(listed_files(&corpus, &["--lang", name]), expected, "--lang {name}");
        }
    }
    // Every hit says its language, and a query with --lang keeps to it.
    let output = corpus.lede().args(["search", "--json", "--lang", "uk", "Курщина"]).output();
    let hits = json_lines(&output.expect("lede runs").stdout);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|hit| hit["lang"] == "uk"), "{hits:?}");
    assert!(hits.iter().all(|hit| hit["doc"].as_str().unwrap().starts_with("uk_")));

    let output = corpus.lede().args(["stats", "--json"]).output().expect("lede runs");
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let languages = stats["languages"].as_array().expect("languages");
    let mut counted: Vec<(&str, u64)> = languages
        .iter()
        .map(|l| (l["lang"].as_str().unwrap(), l["documents"].as_u64().unwrap()))
        .collect();
    counted.sort();
    assert_eq!(
        counted,
        [("de", 3), ("es", 3), ("fr", 3), ("it", 2), ("ko", 8), ("ru", 8), ("uk", 8), ("zh", 8)]
    );
    let passages: u64 = languages.iter().map(|l| l["passages"].as_u64().unwrap()).sum();
    assert_eq!(passages, stats["paragraphs"].as_u64().unwrap());
    for language in languages {
        let lang = language["lang"].as_str().unwrap();
        let count = corpus.lede().args(["search", "-c", "--json", "--lang", lang]).output();
        let count: serde_json::Value =
            serde_json::from_slice(&count.expect("lede runs").stdout).expect("JSON");
        assert_eq!(count["paragraphs"], language["passages"], "{lang}");
    }
    let text = String::from_utf8(corpus.lede().arg("stats").output().unwrap().stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("languages:")).expect("a languages line");
    assert!(line.contains(" passages in 8 documents") && line.contains("uk "), "{line}");
}

#[test]
fn a_quotation_in_another_script_is_its_own_language() {
    let corpus = Corpus::new();
    corpus.create(
        "mixed.txt",
        "Governor quoted on the fighting in Kursk\n\n\
         The regional governor spoke to reporters on Tuesday about the fighting near the \
         border and the evacuation of villages in the Kursk region.\n\n\
         «В Курской области продолжаются бои, эвакуация жителей продолжается», — сказал он.\n\n\
         He said the evacuation would continue for as long as it took.\n",
    );
    let output = corpus.lede().args(["search", "--json", "evacuation Курской"]).output().unwrap();
    let langs: Vec<(u64, String)> = json_lines(&output.stdout)
        .iter()
        .map(|hit| (hit["para"].as_u64().unwrap(), hit["lang"].as_str().unwrap().to_string()))
        .collect();
    assert!(langs.contains(&(1, "en".to_string())), "{langs:?}");
    assert!(langs.contains(&(2, "ru".to_string())), "{langs:?}");
    assert_eq!(listed_files(&corpus, &["--lang", "ru"]), ["mixed.txt"]);
    let output = corpus.lede().args(["search", "--lang", "ru", "-c", "--json"]).output();
    let count: serde_json::Value = serde_json::from_slice(&output.unwrap().stdout).unwrap();
    assert_eq!(count["paragraphs"], 1);
    // `lede extract` shows the same languages, without an index.
    let mixed = corpus.path().join("mixed.txt");
    let output = corpus.lede().arg("extract").arg("--json").arg(&mixed).output().unwrap();
    let docs = json_lines(&output.stdout);
    assert_eq!(docs[0]["lang"], "en");
    let langs: Vec<&str> = docs[0]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["lang"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["en", "en", "ru", "en"]);
    let human = corpus.lede().arg("extract").arg(&mixed).output();
    let human = String::from_utf8(human.unwrap().stdout).unwrap();
    assert!(
        human.contains("  lang: en\n") && human.contains("[2 line 5, ru] «В Курской"),
        "{human}"
    );
    // The document counts under both languages.
    let output = corpus.lede().args(["stats", "--json"]).output().unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        stats["languages"],
        serde_json::json!([
            {"lang": "en", "passages": 3, "documents": 1},
            {"lang": "ru", "passages": 1, "documents": 1}
        ])
    );
}

#[test]
fn an_unknown_language_is_one_clear_error() {
    let corpus = fixture_corpus("table");
    for bad in ["xx", "Klingon", ""] {
        let output = corpus.lede().args(["search", "--lang", bad, "Kursk"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("--lang") && stderr.contains("Russian"), "{stderr}");
    }
}
