//! Index definitions for the engines, generated from lede's schema
//! (`schema::build`), so a field added there cannot be forgotten here: every
//! field has a [`Remote`] rule, and a test checks that each one is named.
//!
//! OpenSearch and Elasticsearch get one JSON body for `PUT /<index>`
//! (settings with the analysis chain + mappings); Quickwit gets an index
//! config in YAML for `quickwit index create --index-config`.
//!
//! The remote analysis approximates lede's with built-in components only
//! (see README, "Scaling out"): numbers `5,000`/`5 000` are joined by a
//! `pattern_replace` char filter, apostrophes are unified by a `mapping`
//! char filter and a possessive stemmer, accents folded by `asciifolding`,
//! `text` is stemmed with Snowball English (tantivy's stemmer is the same
//! algorithm) and `text.exact` is not. Transliteration has no built-in
//! equivalent: `translit` is exported already analysed.

use serde_json::{json, Map, Value};

use super::Engine;
use crate::schema;

/// How one field of lede's schema is represented remotely.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Remote {
    /// A field of the exported record, with its OpenSearch/Elasticsearch
    /// and Quickwit mappings.
    Field { opensearch: Value, quickwit: Value },
    /// Not a field of its own: indexed from another field (`text_exact` is
    /// the `text.exact` subfield).
    Subfield { of: &'static str, name: &'static str },
    /// Not exported: local bookkeeping that means nothing on another
    /// machine, or a field the remote analysis does not reproduce yet.
    Local { why: &'static str },
    /// No rule yet: a schema field this module does not know.
    Unknown,
}

/// The remote form of the schema field `name`.
pub(crate) fn remote(name: &str) -> Remote {
    let field = |opensearch: Value, quickwit: Value| Remote::Field { opensearch, quickwit };
    let keyword = || {
        field(json!({"type": "keyword"}), json!({"type": "text", "tokenizer": "raw", "fast": true}))
    };
    let entity = || {
        field(
            json!({"type": "keyword", "normalizer": NAME_NORMALIZER}),
            json!({"type": "text", "tokenizer": "lowercase", "fast": true}),
        )
    };
    let date = || {
        field(
            json!({"type": "date", "format": "strict_date_optional_time"}),
            json!({"type": "datetime", "input_formats": ["rfc3339"], "fast": true,
                   "fast_precision": "seconds"}),
        )
    };
    match name {
        "kind" => keyword(),
        "path" => keyword(),
        // The file of a document (a record or a mail's file).
        "file" => keyword(),
        "page" => field(json!({"type": "long"}), json!({"type": "u64", "fast": true})),
        "published" => date(),
        // ISO 639-1 code of a passage's language.
        "lang" => keyword(),
        "para" => field(json!({"type": "long"}), json!({"type": "u64", "fast": true})),
        "line" => field(
            json!({"type": "long", "index": false}),
            json!({"type": "u64", "indexed": false, "stored": true}),
        ),
        "title" => field(
            json!({"type": "text", "analyzer": TEXT_ANALYZER, "norms": false,
                   "index_options": "docs"}),
            json!({"type": "text", "tokenizer": "en_stem", "record": "basic"}),
        ),
        "text" => field(
            json!({"type": "text", "analyzer": TEXT_ANALYZER,
                   "fields": {"exact": {"type": "text", "analyzer": EXACT_ANALYZER,
                                        "index_options": "freqs"}}}),
            json!({"type": "text", "tokenizer": "en_stem", "record": "position",
                   "stored": true}),
        ),
        "text_exact" => Remote::Subfield { of: "text", name: "exact" },
        "translit" => field(
            json!({"type": "text", "analyzer": "whitespace", "norms": false,
                   "index_options": "freqs"}),
            json!({"type": "text", "tokenizer": "default", "record": "freq",
                   "fieldnorms": false}),
        ),
        "person" | "org" | "place" | "misc" => entity(),
        "date" | "date_day" | "date_month" | "date_year" | "date_decade" => date(),
        "date_md" => field(json!({"type": "integer"}), json!({"type": "u64"})),
        // Length × 10^8 + YYYYMMDD: past an integer's range.
        "date_span" => field(json!({"type": "long"}), json!({"type": "u64", "fast": true})),
        "date_mention" => field(
            json!({"type": "object", "enabled": false}),
            json!({"type": "json", "indexed": false, "stored": true}),
        ),
        "hash" => field(
            json!({"type": "keyword", "index": false}),
            json!({"type": "text", "indexed": false, "stored": true}),
        ),
        "size" => field(json!({"type": "long"}), json!({"type": "u64", "fast": true})),
        "record" => field(json!({"type": "long"}), json!({"type": "u64", "fast": true})),
        "mtime" => Remote::Local {
            why: "modification time on the indexing machine; incremental export compares hash",
        },
        "para_hash" | "doc_signature" => Remote::Local {
            why: "fingerprints that fold copies in lede's own searches; an engine has its own",
        },
        "order" => Remote::Local {
            why: "the key lede's own index is sorted by, to keep copies of a file together",
        },
        name if crate::analysis::snowball::LANGUAGES.iter().any(|l| l.field == name) => {
            Remote::Local {
                why: "per-language stems (stem_fr…) are not exported yet: remote search \
                      matches those passages through text's English stemming only",
            }
        }
        _ => Remote::Unknown,
    }
}

const TEXT_ANALYZER: &str = "lede_text";
const EXACT_ANALYZER: &str = "lede_exact";
const NAME_NORMALIZER: &str = "lede_name";

/// Fields of the exported record that lede's own index does not hold as
/// fields: the record number is part of `path` locally, but an engine can
/// only sort or filter on it as a number of its own.
pub(crate) const EXPORT_ONLY: [&str; 1] = ["record"];

/// The remote fields in schema order, then the export-only ones: (name,
/// rule), without local ones.
fn remote_fields() -> Vec<(String, Value, Value)> {
    let (schema, _) = schema::build();
    let names = schema.fields().map(|(_, entry)| entry.name().to_string());
    names
        .chain(EXPORT_ONLY.iter().map(|name| name.to_string()))
        .filter_map(|name| match remote(&name) {
            Remote::Field { opensearch, quickwit } => Some((name, opensearch, quickwit)),
            _ => None,
        })
        .collect()
}

/// The definition to create an index with, as the engine reads it.
pub(crate) fn definition(engine: Engine, index_id: &str) -> String {
    match engine {
        Engine::OpenSearch | Engine::Elasticsearch => {
            let mut text = serde_json::to_string_pretty(&opensearch_body()).unwrap_or_default();
            text.push('\n');
            text
        }
        Engine::Quickwit => yaml(&quickwit_config(index_id)),
    }
}

/// Body of `PUT /<index>` for OpenSearch and Elasticsearch (the same
/// request on both: settings.analysis + mappings).
pub(crate) fn opensearch_body() -> Value {
    let word_filters = |stem: bool| {
        let mut filters =
            vec!["lede_possessive", "lede_drop_apostrophes", "lowercase", "asciifolding"];
        if stem {
            filters.push("lede_english");
        }
        filters
    };
    let properties: Map<String, Value> =
        remote_fields().into_iter().map(|(name, os, _)| (name, os)).collect();
    json!({
        "settings": {
            "analysis": {
                "char_filter": {
                    // 5,000 / 5 000 / 5 000 → 5000 when exactly three digits
                    // follow; lede also declines table rows and dates, which
                    // a regular expression cannot see.
                    "lede_number_groups": {
                        "type": "pattern_replace",
                        "pattern": "(?<=\\d)[,\\u00A0\\u202F\\u2009 ](?=\\d{3}(?!\\d))",
                        "replacement": ""
                    },
                    "lede_apostrophes": {
                        "type": "mapping",
                        "mappings": ["\u{2019} => '", "\u{2018} => '", "\u{02BC} => '",
                                     "\u{FF07} => '"]
                    }
                },
                "filter": {
                    "lede_possessive": {"type": "stemmer", "language": "possessive_english"},
                    "lede_drop_apostrophes": {
                        "type": "pattern_replace", "pattern": "'", "replacement": ""
                    },
                    "lede_english": {"type": "snowball", "language": "English"}
                },
                "analyzer": {
                    TEXT_ANALYZER: {
                        "type": "custom",
                        "char_filter": ["lede_apostrophes", "lede_number_groups"],
                        "tokenizer": "standard",
                        "filter": word_filters(true)
                    },
                    EXACT_ANALYZER: {
                        "type": "custom",
                        "char_filter": ["lede_apostrophes", "lede_number_groups"],
                        "tokenizer": "standard",
                        "filter": word_filters(false)
                    }
                },
                "normalizer": {
                    NAME_NORMALIZER: {"type": "custom", "filter": ["lowercase", "asciifolding"]}
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"lede_format": schema::FORMAT_VERSION},
            "properties": properties
        }
    })
}

/// Quickwit's index config: the doc mapping with the same fields (no
/// subfields there: `text` alone is searched), BM25 on `text` and `title`.
pub(crate) fn quickwit_config(index_id: &str) -> Value {
    let field_mappings: Vec<Value> = remote_fields()
        .into_iter()
        .map(|(name, _, qw)| {
            let mut entry = Map::new();
            entry.insert("name".to_string(), Value::String(name));
            if let Value::Object(options) = qw {
                entry.extend(options);
            }
            Value::Object(entry)
        })
        .collect();
    json!({
        "version": "0.8",
        "index_id": index_id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": field_mappings,
            // Quickwit prunes splits by this field for time ranges
            // (`--published-from/--to`); records without one are kept.
            "timestamp_field": "published"
        },
        "search_settings": {"default_search_fields": ["text", "title"]},
        "indexing_settings": {"commit_timeout_secs": 10}
    })
}

/// Block-style YAML of a JSON value: maps and lists nest by indentation,
/// every string is written JSON-quoted (a valid YAML double-quoted
/// scalar), so no value can be misread as another type.
pub(crate) fn yaml(value: &Value) -> String {
    let mut out =
        String::from("# Quickwit index config generated by `lede export --mapping quickwit`.\n");
    write_yaml(value, 0, &mut out);
    out
}

fn write_yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.push_str(&pad);
                out.push_str(key);
                out.push(':');
                write_yaml_item(item, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                match item {
                    // The first key of a map shares the dash's line.
                    Value::Object(map) if !map.is_empty() => {
                        let mut nested = String::new();
                        write_yaml(item, indent + 2, &mut nested);
                        out.push(' ');
                        out.push_str(&nested[indent + 2..]);
                    }
                    _ => write_yaml_item(item, indent, out),
                }
            }
        }
        scalar => {
            out.push_str(&pad);
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
}

/// The rest of a line after `key:` or `-`: a scalar, or a nested block.
fn write_yaml_item(item: &Value, indent: usize, out: &mut String) {
    match item {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_yaml(item, indent + 2, out);
        }
        Value::Array(list) if !list.is_empty() => {
            out.push('\n');
            write_yaml(item, indent + 2, out);
        }
        Value::Array(_) => out.push_str(" []\n"),
        Value::Object(_) => out.push_str(" {}\n"),
        scalar => {
            out.push(' ');
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_field_has_a_rule_and_is_named() {
        let (schema, _) = schema::build();
        let body = opensearch_body();
        let properties = &body["mappings"]["properties"];
        let quickwit = quickwit_config("lede");
        let quickwit_names: Vec<&str> = quickwit["doc_mapping"]["field_mappings"]
            .as_array()
            .expect("field_mappings")
            .iter()
            .filter_map(|f| f["name"].as_str())
            .collect();
        for (_, entry) in schema.fields() {
            let name = entry.name();
            match remote(name) {
                Remote::Field { .. } => {
                    assert!(properties.get(name).is_some(), "{name} missing from the mapping");
                    assert!(quickwit_names.contains(&name), "{name} missing from Quickwit");
                }
                Remote::Subfield { of, name: sub } => {
                    assert!(properties[of]["fields"].get(sub).is_some(), "{of}.{sub}");
                }
                Remote::Local { .. } => assert!(properties.get(name).is_none()),
                Remote::Unknown => panic!("schema field {name} has no export rule"),
            }
        }
        for name in EXPORT_ONLY {
            assert!(matches!(remote(name), Remote::Field { .. }), "{name}");
            assert!(properties.get(name).is_some(), "{name} missing from the mapping");
            assert!(quickwit_names.contains(&name), "{name} missing from Quickwit");
            assert!(schema.get_field(name).is_err(), "{name} is a schema field now");
        }
    }

    #[test]
    fn analyzers_named_in_the_mapping_are_defined() {
        let body = opensearch_body();
        let analysis = &body["settings"]["analysis"];
        for field in body["mappings"]["properties"].as_object().unwrap().values() {
            if let Some(analyzer) = field["analyzer"].as_str() {
                let builtin = ["whitespace", "standard"].contains(&analyzer);
                assert!(builtin || analysis["analyzer"].get(analyzer).is_some(), "{analyzer}");
            }
            if let Some(normalizer) = field["normalizer"].as_str() {
                assert!(analysis["normalizer"].get(normalizer).is_some(), "{normalizer}");
            }
        }
    }

    #[test]
    fn yaml_nests_maps_and_lists_of_maps() {
        let value = json!({"a": {"b": [ {"c": 1, "d": "x y"}, 2 ], "e": []}, "f": true});
        assert_eq!(
            yaml(&value).lines().skip(1).collect::<Vec<_>>(),
            ["a:", "  b:", "    - c: 1", "      d: \"x y\"", "    - 2", "  e: []", "f: true",]
        );
    }
}
