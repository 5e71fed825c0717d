//! Entities on the bundled corpus: filters, counts, co-occurrence, JSON.

use std::collections::HashSet;

use crate::util::{bundled_index, json_lines, lede, search_bundled, Corpus};

fn entities(args: &[&str]) -> Vec<serde_json::Value> {
    let output = lede()
        .arg("--index")
        .arg(bundled_index())
        .args(["entities", "--json", "-n", "1000"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    json_lines(&output.stdout)
}

fn names(list: &[serde_json::Value], kind: &str) -> HashSet<String> {
    list.iter()
        .filter(|e| e["type"] == kind)
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_bundled_corpus_yields_the_expected_people_places_and_organisations() {
    let list = entities(&[]);
    let people = names(&list, "person");
    for person in [
        "Vladimir Putin",
        "Kim Jong Un",
        "Valery Gerasimov",
        "Sergei Lavrov",
        "Kyrylo Budanov",
        "Mike Turner",
        "Евгений Михайлов",
    ] {
        assert!(people.contains(person), "missing person {person}: {people:?}");
    }
    let places = names(&list, "place");
    for place in ["Kursk", "Pyongyang", "Ukraine", "North Korea", "Donbass"] {
        assert!(places.contains(place), "missing place {place}: {places:?}");
    }
    let orgs = names(&list, "org");
    for org in ["TASS", "NATO", "Yonhap", "National Intelligence Service"] {
        assert!(orgs.contains(org), "missing org {org}: {orgs:?}");
    }
}

#[test]
fn no_person_is_a_pronoun_or_a_title() {
    let people = names(&entities(&["--type", "person"]), "person");
    for name in &people {
        let first = name.split_whitespace().next().unwrap().to_lowercase();
        assert!(
            !["he", "she", "they", "president", "minister", "gen.", "mr.", "lt.", "the", "this"]
                .contains(&first.as_str()),
            "{name}"
        );
    }
}

#[test]
fn counts_are_ranked_and_putin_leads_the_people() {
    let list = entities(&["--type", "person"]);
    assert_eq!(list[0]["name"], "Vladimir Putin");
    assert!(list.iter().all(|e| e["type"] == "person"));
    let counts: Vec<u64> = list.iter().map(|e| e["paragraphs"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(list.iter().all(|e| e["files"].as_u64().unwrap() <= e["paragraphs"].as_u64().unwrap()));
}

#[test]
fn person_and_place_filters_select_passages_that_mention_both() {
    let output = search_bundled(&["--json", "--person", "kim jong un", "--place", "Pyongyang"])
        .output()
        .unwrap();
    let hits = json_lines(&output.stdout);
    assert!(!hits.is_empty());
    for hit in &hits {
        let people: Vec<&str> = hit["entities"]["person"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let places: Vec<&str> = hit["entities"]["place"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(people.contains(&"Kim Jong Un") && places.contains(&"Pyongyang"), "{hit}");
    }
}

#[test]
fn query_syntax_filters_by_entity_too() {
    let output =
        search_bundled(&["--json", "--per-file", "0", "-n", "100", "person:\"Sergei Lavrov\""])
            .output()
            .unwrap();
    let hits = json_lines(&output.stdout);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["entities"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Sergei Lavrov")));
}

#[test]
fn with_lists_co_occurring_entities_without_the_name_itself() {
    let list = entities(&["--with", "Kim Jong Un"]);
    assert!(!list.is_empty());
    assert!(list.iter().all(|e| e["name"] != "Kim Jong Un"));
    assert!(names(&list, "place").contains("Pyongyang"), "{list:?}");
}

#[test]
fn human_output_can_show_entities() {
    let output = search_bundled(&["Gerasimov", "-n", "1", "--entities", "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("person: ") && stdout.contains("Valery Gerasimov"), "{stdout}");
    assert!(stdout.contains("dates: April 26, 2025 (2025-04-26)"), "{stdout}");
}

/// Every passage of the bundled corpus found with `--person VALUE`.
fn person_hits(value: &str) -> Vec<serde_json::Value> {
    let output =
        search_bundled(&["--json", "-n", "500", "--per-file", "0", "--person", value]).output();
    json_lines(&output.unwrap().stdout)
}

#[test]
fn a_surname_in_any_case_finds_the_full_name() {
    let full = person_hits("Vladimir Putin");
    assert!(!full.is_empty());
    for value in ["Putin", "putin", "PUTIN", "vladimir putin"] {
        let hits = person_hits(value);
        assert_eq!(hits.len(), full.len(), "--person {value}");
        for hit in &hits {
            let people = hit["entities"]["person"].as_array().unwrap();
            assert!(people.iter().any(|p| p == "Vladimir Putin"), "{value}: {hit}");
        }
    }
}

#[test]
fn a_latin_spelling_finds_a_name_stored_in_cyrillic() {
    for value in ["Evgeny Mikhailov", "Mikhailov", "mikhaylov"] {
        let hits = person_hits(value);
        assert!(!hits.is_empty(), "--person {value}");
        for hit in &hits {
            let people = hit["entities"]["person"].as_array().unwrap();
            assert!(people.iter().any(|p| p == "Евгений Михайлов"), "{value}: {hit}");
        }
    }
}

#[test]
fn a_filter_that_names_nobody_lists_the_closest_names() {
    let output = search_bundled(&["--person", "Putn"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no person in the index is named \"Putn\""), "{stderr}");
    let closest = stderr.split("closest: ").nth(1).expect("a list of names");
    assert!(closest.starts_with("Vladimir Putin"), "{stderr}");
}

#[test]
fn a_with_name_that_names_nobody_lists_the_closest_names_of_any_kind() {
    let output = lede()
        .arg("--index")
        .arg(bundled_index())
        .args(["entities", "--with", "Putni"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no entity in the index is named \"Putni\""), "{stderr}");
    assert!(stderr.contains("closest: Vladimir Putin"), "{stderr}");
}

#[test]
fn a_search_that_finds_nothing_says_so_once() {
    let output = search_bundled(&["zzqqxxw"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "lede: no passage matches\n");
    // A filter that names nobody says why instead.
    let output = search_bundled(&["--person", "Putn", "troops"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("no passage matches"), "{stderr}");
}

#[test]
fn known_mistakes_on_the_bundled_corpus_stay_fixed() {
    let list = entities(&[]);
    let (people, orgs, places) =
        (names(&list, "person"), names(&list, "org"), names(&list, "place"));
    // "Rosgarde (a specialized unit of …)" names a body, not a person.
    assert!(!people.contains("Rosgarde") && orgs.contains("Rosgarde"), "{people:?} {orgs:?}");
    assert!(!people.contains("Military-Political Directorate"), "{people:?}");
    // "settlements such as Volchansk"; "Eastern Europe" is a region.
    for place in ["Volchansk", "Krasnoarmeysk", "Eastern Europe"] {
        assert!(places.contains(place) && !orgs.contains(place), "{place}: {places:?} {orgs:?}");
    }
    // "the Donbass region" says what "those in the Donbass" is.
    assert!(places.contains("Donbass") && !orgs.contains("Donbass"), "{places:?} {orgs:?}");
}

#[test]
fn wire_copy_signatures_datelines_and_abbreviations_are_one_entity() {
    let corpus = crate::util::Corpus::new();
    corpus.create(
        "1.txt",
        "ASAMERA TO SELL DENVER REFINERY\n\nNEW YORK, March 17 - Asamera Inc said U.S. \
         regulators approved the sale to Total Petroleum.\n\nRecord March 31\n\nThe sale is \
         subject to approval in New York, the company said. REUTER\n",
    );
    corpus.create(
        "2.txt",
        "Grain exports\n\nSAN JOSE, Calif., March 3 - The United States sold wheat, \
         the agency said. REUTER\n",
    );
    let output = corpus.lede().args(["entities", "--json", "-n", "100"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let list = json_lines(&output.stdout);
    let all: HashSet<String> =
        list.iter().map(|e| e["name"].as_str().unwrap_or_default().to_string()).collect();
    for absent in ["REUTER", "NEW YORK", "U.S.", "Calif", "Record March", "Record"] {
        assert!(!all.contains(absent), "{absent} listed: {all:?}");
    }
    let places = names(&list, "place");
    for place in ["New York", "United States", "California"] {
        assert!(places.contains(place), "missing {place}: {places:?}");
    }
}

/// `lede.aliases` in the corpus folder: merges, kind corrections and
/// suppressions apply at index time; an edit is picked up by the next
/// update, a search's included, and re-analyses only the files it
/// affects; a bad line is reported with its number and skipped.
#[test]
fn an_alias_file_corrects_entities_and_an_edit_reanalyses_only_what_it_affects() {
    let corpus = Corpus::new();
    for path in crate::util::bundled_articles() {
        std::fs::copy(&path, corpus.path().join(path.file_name().unwrap())).unwrap();
    }
    let listed = |corpus: &Corpus| {
        let output =
            corpus.lede().args(["entities", "--json", "-n", "1000"]).output().expect("run");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        json_lines(&output.stdout)
    };
    let before = listed(&corpus);
    assert!(names(&before, "place").contains("Kursk"));
    assert!(names(&before, "org").contains("TASS"));
    assert!(!names(&before, "person").contains("Biden"));

    corpus.create("lede.aliases", "# ours\nKursk = Kursk Oblast\n!TASS\nnot a rule\n");
    let indexed = corpus.lede().arg("index").output().expect("run");
    let stderr = String::from_utf8_lossy(&indexed.stderr);
    assert!(indexed.status.success(), "{stderr}");
    assert!(stderr.contains("lede.aliases:4: expected `NAME = NAME`"), "{stderr}");
    assert!(stderr.contains("updated 5,"), "every file names Kursk: {stderr}");
    let after = listed(&corpus);
    assert!(names(&after, "place").contains("Kursk Oblast"), "{:?}", names(&after, "place"));
    assert!(!names(&after, "place").contains("Kursk"));
    assert!(!after.iter().any(|e| e["name"] == "TASS"));

    // One more rule: only the one file that names Biden is read again, by
    // the search's own freshness check.
    corpus.create("lede.aliases", "Kursk = Kursk Oblast\n!TASS\nBiden : person\n");
    let searched = corpus.lede().args(["search", "--json", "Biden"]).output().expect("run");
    let stderr = String::from_utf8_lossy(&searched.stderr);
    assert!(stderr.contains("updated 1, removed 0, unchanged 4"), "{stderr}");
    let hits = json_lines(&searched.stdout);
    assert!(hits[0]["entities"]["person"].as_array().unwrap().contains(&"Biden".into()));
    let again = corpus.lede().arg("index").output().expect("run");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("updated 0, removed 0, unchanged 5"), "{stderr}");
    assert!(names(&listed(&corpus), "person").contains("Biden"));

    // A file that cannot be read (not text) is reported; nothing changes.
    corpus.create("lede.aliases", b"Biden : person\n\xff\xfe\n");
    let unreadable = corpus.lede().arg("index").output().expect("run");
    let stderr = String::from_utf8_lossy(&unreadable.stderr);
    assert!(unreadable.status.success(), "{stderr}");
    assert!(stderr.contains("lede.aliases: cannot read it ("), "{stderr}");
    assert!(stderr.contains("updated 0, removed 0, unchanged 5"), "{stderr}");
    assert!(names(&listed(&corpus), "person").contains("Biden"));
}
