//! End-to-end checks of the analysers through a real in-RAM tantivy index and
//! tantivy's `QueryParser`, the way the search layer will use them.

use std::collections::BTreeSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, Searcher, TantivyDocument};

use super::{prepare_query, register, EXACT, TEXT, TRANSLIT};

const PARAGRAPHS: &[&str] = &[
    "approximately 5,000 North Korean Army engineers",
    "5 engineers and 000 others",
    "about 5\u{202F}000 sappers",
    "Russia’s Far East",
    "far from Russia, to the west",
    "Евгений Михайлов",
    "São Paulo",
    "1,500 special forces troops",
    "forces of special units",
];

struct Fixture {
    index: Index,
    searcher: Searcher,
    text: Field,
    text_exact: Field,
    translit: Field,
}

fn indexed(name: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(name)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options | STORED
    } else {
        options
    }
}

fn fixture() -> Fixture {
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", indexed(TEXT, true));
    let text_exact = builder.add_text_field("text_exact", indexed(EXACT, false));
    let translit = builder.add_text_field("translit", indexed(TRANSLIT, false));
    let index = Index::create_in_ram(builder.build());
    register(index.tokenizers());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    for paragraph in PARAGRAPHS {
        writer
            .add_document(
                doc!(text => *paragraph, text_exact => *paragraph, translit => *paragraph),
            )
            .unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    Fixture { index, searcher, text, text_exact, translit }
}

impl Fixture {
    fn parser(&self, fields: Vec<Field>) -> QueryParser {
        let mut parser = QueryParser::for_index(&self.index, fields);
        parser.set_conjunction_by_default();
        parser
    }

    /// Paragraphs matching `query` (strict parse) over `fields`, in order.
    fn matches(&self, query: &str, fields: Vec<Field>) -> Vec<&'static str> {
        let query = self.parser(fields).parse_query(query).unwrap();
        self.paragraphs(&*query)
    }

    fn paragraphs(&self, query: &dyn tantivy::query::Query) -> Vec<&'static str> {
        let hits = self.searcher.search(query, &DocSetCollector).unwrap();
        let texts: BTreeSet<String> = hits
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = self.searcher.doc(address).unwrap();
                doc.get_first(self.text).and_then(|v| v.as_str()).unwrap().to_string()
            })
            .collect();
        PARAGRAPHS.iter().copied().filter(|p| texts.contains(*p)).collect()
    }
}

#[test]
fn grouped_and_plain_numbers_match_each_other() {
    let f = fixture();
    for query in ["5,000 engineers", "5000 engineers"] {
        for field in [f.text, f.text_exact, f.translit] {
            assert_eq!(
                f.matches(query, vec![field]),
                ["approximately 5,000 North Korean Army engineers"],
                "{query}"
            );
        }
    }
    // A lone 5 is not a piece of 5,000.
    assert_eq!(f.matches("5 engineers", vec![f.text]), ["5 engineers and 000 others"]);
}

#[test]
fn typographic_and_plain_spaces_group_numbers() {
    let f = fixture();
    assert_eq!(f.matches("5000 sappers", vec![f.text]), ["about 5\u{202F}000 sappers"]);
    assert_eq!(f.matches("5,000 sappers", vec![f.text]), ["about 5\u{202F}000 sappers"]);
    // The grammar splits on whitespace before analysis, so a query typed
    // with a plain space is grouped first by prepare_query.
    assert_eq!(
        f.matches(&prepare_query("\"5 000 sappers\""), vec![f.text]),
        ["about 5\u{202F}000 sappers"]
    );
    // Inside a phrase the analyser sees the space itself and groups.
    assert_eq!(f.matches("\"5 000\"", vec![f.text]).len(), 2);
}

#[test]
fn grammar_rejects_typographic_spaces_unless_the_query_is_prepared() {
    let f = fixture();
    // Words stop at any Unicode whitespace but the grammar only skips ASCII
    // whitespace, so a raw no-break or narrow space is a syntax error.
    for raw in ["5\u{202F}000 sappers", "5\u{A0}000 sappers", "Far\u{A0}East"] {
        assert!(f.parser(vec![f.text]).parse_query(raw).is_err(), "{raw:?}");
    }
    assert_eq!(f.matches(&prepare_query("Far\u{A0}East"), vec![f.text]), ["Russia’s Far East"]);
    let raw = "5\u{202F}000 sappers";
    assert_eq!(f.matches(&prepare_query(raw), vec![f.text]), ["about 5\u{202F}000 sappers"]);
    assert_eq!(
        f.matches(&prepare_query("5\u{A0}000 engineers"), vec![f.text]),
        ["approximately 5,000 North Korean Army engineers"]
    );
}

#[test]
fn prepared_ascii_apostrophe_parses_strictly_and_matches() {
    let f = fixture();
    for query in ["Russia's Far East", "\"Russia's Far East\"", "'Russia's Far East'"] {
        assert_eq!(
            f.matches(&prepare_query(query), vec![f.text, f.text_exact, f.translit]),
            ["Russia’s Far East"],
            "{query}"
        );
    }
}

#[test]
fn single_quotes_make_a_phrase_like_double_quotes() {
    let f = fixture();
    assert_eq!(f.matches("'special forces'", vec![f.text]), ["1,500 special forces troops"]);
}

#[test]
fn typographic_apostrophe_matches_ascii_one() {
    let f = fixture();
    // `'` opens a quoted term in tantivy's grammar, so a strict parse of the
    // ASCII form fails and the query layer must escape or fold it first.
    assert!(f.parser(vec![f.text]).parse_query("Russia's Far East").is_err());
    assert_eq!(f.matches(r"Russia\'s Far East", vec![f.text]), ["Russia’s Far East"]);
    assert_eq!(f.matches("Russia’s Far East", vec![f.text]), ["Russia’s Far East"]);
    assert_eq!(f.matches("\"Russia's Far East\"", vec![f.text]), ["Russia’s Far East"]);
    assert_eq!(f.matches("\"Russia Far East\"", vec![f.text_exact]), ["Russia’s Far East"]);
}

#[test]
fn lenient_parse_keeps_an_inner_apostrophe_in_the_word() {
    let f = fixture();
    let (query, _errors) = f.parser(vec![f.text]).parse_query_lenient("Russia's Far East");
    assert_eq!(f.paragraphs(&*query), ["Russia’s Far East"]);
}

#[test]
fn cyrillic_and_romanised_names_meet_in_translit() {
    let f = fixture();
    for query in ["Mikhailov", "Михайлов", "Mihailov", "Mikhaylov", "Evgeny Mikhailov"] {
        assert_eq!(f.matches(query, vec![f.translit]), ["Евгений Михайлов"], "{query}");
    }
    assert!(f.matches("Mikhailov", vec![f.text, f.text_exact]).is_empty());
}

#[test]
fn accented_and_plain_latin_match_each_other() {
    let f = fixture();
    for query in ["São", "Sao", "SAO paulo"] {
        assert_eq!(f.matches(query, vec![f.text]), ["São Paulo"], "{query}");
    }
}

#[test]
fn phrase_after_a_number_needs_adjacent_words() {
    let f = fixture();
    assert_eq!(f.matches("\"special forces\"", vec![f.text]), ["1,500 special forces troops"]);
    assert_eq!(f.matches("\"1500 special forces\"", vec![f.text]), ["1,500 special forces troops"]);
    assert_eq!(
        f.matches("special forces", vec![f.text]),
        ["1,500 special forces troops", "forces of special units"]
    );
}

#[test]
fn snippet_highlights_the_number_as_written() {
    let f = fixture();
    let query = f.parser(vec![f.text]).parse_query("5000").unwrap();
    let generator = SnippetGenerator::create(&f.searcher, &*query, f.text).unwrap();
    let snippet = generator.snippet(PARAGRAPHS[0]);
    let highlighted: Vec<&str> =
        snippet.highlighted().iter().map(|r| &snippet.fragment()[r.clone()]).collect();
    assert_eq!(highlighted, ["5,000"]);
}
