//! The rule-and-list layer for text the English tagger cannot read: the
//! people and places of `data/gazetteers/aliases.tsv` found in Russian,
//! Ukrainian, Korean and Chinese text, each mention carrying the entity's
//! one canonical (English) name, so `Москве`, `Москва` and `모스크바` are all the
//! place `Moscow`.
//!
//! Cyrillic spellings are compared word by word on their stems
//! ([`CyrillicStem`]), which folds inflected forms; Korean and Chinese
//! spellings are found anywhere in the text, since Korean glues particles
//! to a name (`평양에서`) and Chinese writes no spaces. Nothing is guessed:
//! a name that is not listed is not found here.

use std::sync::OnceLock;

use super::fasthash::FastMap;
use super::{EntityKind, EntityMention};
use crate::analysis::cjk::is_cjk;
use crate::analysis::cyrillic::{is_cyrillic, CyrillicStem};
use crate::analysis::other_scripts::is_other_script_letter;

const SOURCE: &str = include_str!("../../../data/gazetteers/aliases.tsv");

/// Longest Cyrillic spelling, in words.
const MAX_WORDS: usize = 3;

/// The listed spellings, ready to match.
pub(crate) struct Aliases {
    /// Space-joined stems of each Cyrillic spelling → entity number.
    cyrillic: FastMap<String, usize>,
    /// Korean and Chinese spellings with their entity number, longest first.
    cjk: Vec<(String, usize)>,
    /// (kind, canonical name) per entity number.
    entities: Vec<(EntityKind, String)>,
}

impl Aliases {
    /// The bundled list, parsed once per process.
    pub(crate) fn bundled() -> &'static Aliases {
        static BUNDLED: OnceLock<Aliases> = OnceLock::new();
        BUNDLED.get_or_init(|| Aliases::parse(SOURCE))
    }

    /// Reads `kind<TAB>canonical<TAB>spelling|spelling…` lines (`#` starts a
    /// comment line); lines of another shape are skipped.
    pub(crate) fn parse(source: &str) -> Aliases {
        let stemmer = CyrillicStem::default();
        let mut aliases =
            Aliases { cyrillic: FastMap::default(), cjk: Vec::new(), entities: Vec::new() };
        for line in source.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(kind), Some(canonical), Some(spellings)) =
                (columns.next(), columns.next(), columns.next())
            else {
                continue;
            };
            let kind = match kind {
                "place" => EntityKind::Place,
                "person" => EntityKind::Person,
                "org" => EntityKind::Org,
                _ => EntityKind::Misc,
            };
            let entity = aliases.entities.len();
            aliases.entities.push((kind, canonical.to_string()));
            for spelling in spellings.split('|').map(str::trim).filter(|s| !s.is_empty()) {
                if spelling.chars().any(is_cjk) {
                    aliases.cjk.push((spelling.to_string(), entity));
                } else {
                    let stems: Vec<String> =
                        cyrillic_words(spelling).map(|(_, _, w)| stem(&stemmer, w)).collect();
                    aliases.cyrillic.insert(stems.join(" "), entity);
                }
            }
        }
        aliases.cjk.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        aliases
    }

    /// The listed names in `text`, in text order, none overlapping (a longer
    /// spelling wins). Text without letters of other scripts than Latin is
    /// not scanned at all.
    pub(crate) fn find(&self, text: &str) -> Vec<EntityMention> {
        if !text.chars().any(is_other_script_letter) {
            return Vec::new();
        }
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let taken = |found: &mut Vec<(usize, usize, usize)>, start, end, entity| {
            if !found.iter().any(|&(s, e, _)| start < e && s < end) {
                found.push((start, end, entity));
            }
        };
        for (spelling, entity) in &self.cjk {
            for (start, _) in text.match_indices(spelling.as_str()) {
                taken(&mut found, start, start + spelling.len(), *entity);
            }
        }
        let stemmer = CyrillicStem::default();
        let words: Vec<(usize, usize, String)> =
            cyrillic_words(text).map(|(s, e, w)| (s, e, stem(&stemmer, w))).collect();
        let mut i = 0;
        while i < words.len() {
            let longest = (1..=MAX_WORDS.min(words.len() - i)).rev().find_map(|n| {
                let run = &words[i..i + n];
                // Only words next to each other (one space or hyphen apart).
                let adjacent = run.windows(2).all(|w| w[1].0 - w[0].1 <= 1);
                let key: Vec<&str> = run.iter().map(|(_, _, s)| s.as_str()).collect();
                adjacent.then(|| self.cyrillic.get(&key.join(" ")).map(|e| (n, *e))).flatten()
            });
            match longest {
                Some((n, entity)) => {
                    taken(&mut found, words[i].0, words[i + n - 1].1, entity);
                    i += n;
                }
                None => i += 1,
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .map(|(start, end, entity)| {
                let (kind, canonical) = &self.entities[entity];
                EntityMention {
                    kind: *kind,
                    start,
                    end,
                    text: text[start..end].to_string(),
                    canonical: canonical.clone(),
                }
            })
            .collect()
    }
}

/// Replaces, in each paragraph, the mentions that overlap a listed name by
/// that name's mention (the tagger took `Москве` for a person).
pub(crate) fn apply(paragraphs: &[&str], mentions: &mut [Vec<EntityMention>]) {
    for (text, mentions) in paragraphs.iter().zip(mentions.iter_mut()) {
        let listed = Aliases::bundled().find(text);
        if listed.is_empty() {
            continue;
        }
        mentions.retain(|m| !listed.iter().any(|l| m.start < l.end && l.start < m.end));
        mentions.extend(listed);
        mentions.sort_by_key(|m| m.start);
    }
}

/// The Cyrillic words of `text` with their byte spans.
fn cyrillic_words(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().any(is_cyrillic)).map(
        move |w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + w.len(), w)
        },
    )
}

/// The lowercase stem of a Cyrillic word.
fn stem(stemmer: &CyrillicStem, word: &str) -> String {
    let lower = word.to_lowercase();
    stemmer.stem(&lower).map_or_else(|| lower.clone(), |s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(EntityKind, String, String)> {
        Aliases::bundled().find(text).into_iter().map(|m| (m.kind, m.text, m.canonical)).collect()
    }

    fn place(text: &str, canonical: &str) -> (EntityKind, String, String) {
        (EntityKind::Place, text.to_string(), canonical.to_string())
    }

    #[test]
    fn inflected_cyrillic_names_fold_to_one() {
        assert_eq!(
            names("Встреча состоялась 26 апреля 2025 года в Москве."),
            [place("Москве", "Moscow")]
        );
        assert_eq!(
            names("Москва и Москвы"),
            [place("Москва", "Moscow"), place("Москвы", "Moscow")]
        );
        assert_eq!(
            names("В Курской области и в Курській області"),
            [place("Курской области", "Kursk"), place("Курській області", "Kursk")]
        );
        assert_eq!(names("переговоры с Ким Чен Ыном")[0].2, "Kim Jong Un");
    }

    #[test]
    fn korean_and_chinese_names_inside_words() {
        assert_eq!(
            names("김정은 국무위원장이 평양에서"),
            [
                (EntityKind::Person, "김정은".to_string(), "Kim Jong Un".to_string()),
                place("평양", "Pyongyang")
            ]
        );
        assert_eq!(names("金正恩在平壤主持会议")[1], place("平壤", "Pyongyang"));
    }

    #[test]
    fn latin_text_and_unlisted_names_find_nothing() {
        assert!(names("Kim Jong Un met officials in Pyongyang").is_empty());
        assert!(names("Губернатор Смирнов посетил Тулу").is_empty());
    }
}
