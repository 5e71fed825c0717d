//! Wire-copy conventions that make one entity look like several, or make
//! something that is not a name look like one, applied to a whole document
//! after tagging:
//!
//! - **Signatures**: a wire story ends with its agency's name in capitals
//!   (`… the spokesman said. REUTER`); that word after the last sentence is
//!   not a mention.
//! - **Capitals**: datelines and headlines are set in capitals (`NEW YORK,
//!   March 18 -`, `ASAMERA TO SELL DENVER REFINERY`), where case says nothing.
//!   A name written only in capitals takes the spelling the same document
//!   uses elsewhere, else the gazetteers' spelling of a known place, else,
//!   inside capitals only, its long words title-cased (`TOKYO` → `Tokyo`);
//!   short ones stay as acronyms (`USDA`).
//! - **Abbreviations**: `U.S.`, `Calif.` and the other well-known forms of
//!   `data/gazetteers/abbreviations.tsv` take their spelled-out name.
//! - **Dates read as names**: a month ending a name right before a day
//!   (`Record March 15`, `Published March 3`) is a date; the month is cut,
//!   and a lone sentence-initial word left over is dropped.

use std::sync::OnceLock;

use super::fasthash::FastMap;
use super::gazetteer::normalize;
use super::{EntityKind, EntityMention};

const ABBREVIATIONS: &str = include_str!("../../../data/gazetteers/abbreviations.tsv");

/// Place lists whose spelling a name written in capitals may take.
const PLACE_LISTS: [&str; 3] = [
    include_str!("../../../data/gazetteers/countries.txt"),
    include_str!("../../../data/gazetteers/regions.txt"),
    include_str!("../../../data/gazetteers/cities.txt"),
];

/// Words of at most this many letters, written in capitals, are taken for
/// acronyms and keep their capitals.
const ACRONYM_LETTERS: usize = 4;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Applies the conventions of the module doc to every paragraph's mentions.
pub(crate) fn apply(paragraphs: &[&str], mentions: &mut [Vec<EntityMention>]) {
    for (text, list) in paragraphs.iter().zip(mentions.iter_mut()) {
        list.retain(|m| !is_signature(text, m));
        list.retain_mut(|m| cut_trailing_month(text, m));
        for mention in list.iter_mut() {
            if let Some((kind, name)) = abbreviation(&mention.canonical) {
                mention.kind = kind;
                mention.canonical = name.to_string();
            }
        }
    }
    let spelled = mixed_case_spellings(mentions);
    for (text, list) in paragraphs.iter().zip(mentions.iter_mut()) {
        if !list.iter().any(|m| is_capitals(&m.canonical)) {
            continue;
        }
        let shouting = is_shouting(text);
        for mention in list.iter_mut().filter(|m| is_capitals(&m.canonical)) {
            let key = normalize(&mention.canonical);
            let respelled = spelled
                .get(&key)
                .cloned()
                .or_else(|| place_spelling(&key).map(str::to_string))
                .or_else(|| {
                    (shouting || is_dateline(text, mention)).then(|| title_case(&mention.canonical))
                });
            if let Some(name) = respelled {
                mention.canonical = name;
            }
        }
    }
}

/// A single capitalised word ending the paragraph after its last sentence
/// (or standing alone): the agency's signature.
fn is_signature(text: &str, mention: &EntityMention) -> bool {
    let rest = &text[mention.end..];
    if !rest.trim().is_empty() || mention.text.contains(char::is_whitespace) {
        return false;
    }
    if !is_capitals(&mention.text) || mention.text.chars().filter(|c| c.is_alphabetic()).count() < 2
    {
        return false;
    }
    let before = text[..mention.start].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', '"', '”', '’', ')'])
}

/// Cuts a month that ends the name right before a day number; false when
/// what is left is no name (one word starting a sentence).
fn cut_trailing_month(text: &str, mention: &mut EntityMention) -> bool {
    let day_follows = text[mention.end..].trim_start().starts_with(|c: char| c.is_ascii_digit());
    let Some((head, last)) = mention.text.rsplit_once(' ') else {
        // A month alone before a day is a date (whatever name the document
        // resolved it to).
        return !(day_follows && is_month(&mention.text));
    };
    if !is_month(last) || !day_follows || head.trim().is_empty() {
        return true;
    }
    let head = head.trim_end();
    let before = text[..mention.start].trim_end();
    let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', ':', '-']);
    if !head.contains(' ') && sentence_start {
        return false;
    }
    let (head, last) = (head.to_string(), last.to_string());
    mention.end = mention.start + head.len();
    if let Some(stripped) = mention.canonical.strip_suffix(&last) {
        mention.canonical = stripped.trim_end().to_string();
    }
    mention.text = head;
    true
}

/// A month's name, or its abbreviation of three letters or more.
fn is_month(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().any(|m| *m == word || (word.len() >= 3 && m.starts_with(&word)))
}

/// Whether a name has letters and none of them lowercase.
fn is_capitals(name: &str) -> bool {
    name.chars().any(char::is_alphabetic) && !name.chars().any(char::is_lowercase)
}

/// A headline or a line set in capitals: most of its letters are.
fn is_shouting(text: &str) -> bool {
    let (mut letters, mut capitals) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        capitals += usize::from(c.is_uppercase());
    }
    letters >= 8 && capitals * 5 >= letters * 4
}

/// A name in the dateline that opens a paragraph (`NEW YORK, March 18 -`,
/// `FERNDALE, MICH., March 18 -`): nothing but capitals, commas and
/// periods before it, a comma after it.
fn is_dateline(text: &str, mention: &EntityMention) -> bool {
    let before = &text[..mention.start];
    let opens = before.chars().all(|c| c.is_uppercase() || matches!(c, ' ' | ',' | '.'));
    opens && text[mention.end..].trim_start_matches('.').starts_with(',')
}

/// The document's own spellings of names it also writes in mixed case,
/// keyed by their normalised form.
fn mixed_case_spellings(mentions: &[Vec<EntityMention>]) -> FastMap<String, String> {
    let mut spelled = FastMap::default();
    for mention in mentions.iter().flatten().filter(|m| !is_capitals(&m.canonical)) {
        spelled.entry(normalize(&mention.canonical)).or_insert_with(|| mention.canonical.clone());
    }
    spelled
}

/// `TOKYO` → `Tokyo`, `AA GAGE` stays (short words are acronyms).
fn title_case(name: &str) -> String {
    let words = name.split(' ').map(|word| {
        if word.chars().filter(|c| c.is_alphabetic()).count() <= ACRONYM_LETTERS {
            return word.to_string();
        }
        let mut chars = word.chars();
        let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
        first + &chars.as_str().to_lowercase()
    });
    words.collect::<Vec<_>>().join(" ")
}

/// The gazetteers' spelling of a known place, by its normalised name.
fn place_spelling(key: &str) -> Option<&'static str> {
    static PLACES: OnceLock<FastMap<String, &'static str>> = OnceLock::new();
    let places = PLACES.get_or_init(|| {
        let mut places = FastMap::default();
        for line in PLACE_LISTS.iter().flat_map(|list| list.lines()).map(str::trim) {
            if !line.is_empty() {
                places.entry(normalize(line)).or_insert(line);
            }
        }
        places
    });
    places.get(key).copied()
}

/// The spelled-out name of a listed abbreviation (a final period optional).
fn abbreviation(name: &str) -> Option<(EntityKind, &'static str)> {
    static LISTED: OnceLock<FastMap<&'static str, (EntityKind, &'static str)>> = OnceLock::new();
    let listed = LISTED.get_or_init(|| {
        let mut listed = FastMap::default();
        for line in ABBREVIATIONS.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(kind), Some(name), Some(forms)) =
                (columns.next(), columns.next(), columns.next())
            else {
                continue;
            };
            let kind = if kind == "org" { EntityKind::Org } else { EntityKind::Place };
            for form in forms.split('|').map(str::trim).filter(|f| !f.is_empty()) {
                listed.insert(form.trim_end_matches('.'), (kind, name));
            }
        }
        listed
    });
    let bare = name.trim_end_matches('.');
    listed.get(bare).copied().or_else(|| {
        // `MICH.` in a dateline set in capitals is `Mich.`.
        let mut chars = bare.chars();
        let first = chars.next()?;
        let word = first.to_string() + &chars.as_str().to_lowercase();
        is_capitals(bare).then(|| listed.get(word.as_str()).copied()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, word: &str, kind: EntityKind) -> EntityMention {
        let start = text.find(word).expect("word in text");
        EntityMention {
            kind,
            start,
            end: start + word.len(),
            text: word.to_string(),
            canonical: word.to_string(),
        }
    }

    fn names(paragraphs: &[&str], found: Vec<Vec<EntityMention>>) -> Vec<(EntityKind, String)> {
        let mut found = found;
        apply(paragraphs, &mut found);
        found.into_iter().flatten().map(|m| (m.kind, m.canonical)).collect()
    }

    #[test]
    fn the_signature_after_the_last_sentence_is_no_name() {
        let text = "Malaysian Airline System owns a third, the ministry said. REUTER";
        let found = vec![vec![
            mention(text, "Malaysian Airline System", EntityKind::Org),
            mention(text, "REUTER", EntityKind::Person),
        ]];
        assert_eq!(names(&[text], found), [(EntityKind::Org, "Malaysian Airline System".into())]);
        // Inside a sentence, capitals are a name.
        let text = "Shares of REUTER rose";
        let found = vec![vec![mention(text, "REUTER", EntityKind::Org)]];
        assert_eq!(names(&[text], found).len(), 1);
    }

    #[test]
    fn capitals_take_the_documents_or_the_gazetteers_spelling() {
        let dateline = "NEW YORK, March 18 - Asamera Inc said it will sell its TOKYO unit.";
        let later = "Asamera has offices in New York and Tokyo.";
        let found = vec![
            vec![
                mention(dateline, "NEW YORK", EntityKind::Place),
                mention(dateline, "Asamera Inc", EntityKind::Org),
                mention(dateline, "TOKYO", EntityKind::Place),
            ],
            vec![],
        ];
        let got = names(&[dateline, later], found);
        assert_eq!(got[0], (EntityKind::Place, "New York".into()));
        assert_eq!(got[2], (EntityKind::Place, "Tokyo".into()));
        let headline = "ASAMERA AND USDA TO SELL FERNDALE REFINERY";
        let found = vec![vec![
            mention(headline, "ASAMERA", EntityKind::Org),
            mention(headline, "USDA", EntityKind::Org),
        ]];
        let got = names(&[headline], found);
        assert_eq!(got, [(EntityKind::Org, "Asamera".into()), (EntityKind::Org, "USDA".into())]);
        // In mixed-case text, an unknown name in capitals is an acronym.
        let text = "The ministry said ZORBEXA would bid.";
        let found = vec![vec![mention(text, "ZORBEXA", EntityKind::Org)]];
        assert_eq!(names(&[text], found), [(EntityKind::Org, "ZORBEXA".into())]);
    }

    #[test]
    fn abbreviations_take_their_spelled_out_name() {
        let text = "FERNDALE, MICH., March 3 - U.S. officials met EC envoys in Calif.";
        let found = vec![vec![
            mention(text, "MICH", EntityKind::Place),
            mention(text, "Calif", EntityKind::Place),
            mention(text, "U.S.", EntityKind::Org),
            mention(text, "EC", EntityKind::Org),
        ]];
        assert_eq!(
            names(&[text], found),
            [
                (EntityKind::Place, "Michigan".into()),
                (EntityKind::Place, "California".into()),
                (EntityKind::Place, "United States".into()),
                (EntityKind::Org, "European Community".into()),
            ]
        );
    }

    #[test]
    fn a_month_before_a_day_is_cut_from_a_name() {
        let text = "Record March 15";
        let found = vec![vec![mention(text, "Record March", EntityKind::Person)]];
        assert!(names(&[text], found).is_empty());
        let text = "TAMPA, Fla., March 2 - Qtly div 35 cts";
        let mut resolved = mention(text, "March", EntityKind::Person);
        resolved.canonical = "Record March".into();
        assert!(names(&[text], vec![vec![resolved]]).is_empty());
        let text = "The fund paid Jane Smith March 3 in cash.";
        let found = vec![vec![mention(text, "Jane Smith March", EntityKind::Person)]];
        assert_eq!(names(&[text], found), [(EntityKind::Person, "Jane Smith".into())]);
        let text = "They met Mary March at noon.";
        let found = vec![vec![mention(text, "Mary March", EntityKind::Person)]];
        assert_eq!(names(&[text], found), [(EntityKind::Person, "Mary March".into())]);
    }
}
