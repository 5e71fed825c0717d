//! Name lists (countries, cities, regions, demonyms, first and last names)
//! compiled into the binary from `data/gazetteers/`, and the matcher that
//! marks which tokens of a sentence fall inside a listed name. The tagger uses
//! the marks as features; it never trusts a list on its own. Sources and
//! licences: `data/gazetteers/NOTICE`.

use std::sync::OnceLock;

use super::fasthash::FastMap;
use super::tokenize::tokenize;

/// The lists, in the order of their bit in a match mask.
pub(crate) const LIST_NAMES: [&str; 6] = ["country", "city", "region", "demonym", "first", "last"];
/// Number of lists.
pub(crate) const NUM_LISTS: usize = LIST_NAMES.len();

const SOURCES: [&str; NUM_LISTS] = [
    include_str!("../../../data/gazetteers/countries.txt"),
    include_str!("../../../data/gazetteers/cities.txt"),
    include_str!("../../../data/gazetteers/regions.txt"),
    include_str!("../../../data/gazetteers/demonyms.txt"),
    include_str!("../../../data/gazetteers/first_names.txt"),
    include_str!("../../../data/gazetteers/last_names.txt"),
];

/// Where a token sits inside a matched name (0 = not in one).
pub(crate) const IN_NONE: u8 = 0;
/// First token of a multi-token name.
pub(crate) const IN_BEGIN: u8 = 1;
/// Middle token of a multi-token name.
pub(crate) const IN_INSIDE: u8 = 2;
/// Last token of a multi-token name.
pub(crate) const IN_LAST: u8 = 3;
/// The whole (single-token) name.
pub(crate) const IN_UNIT: u8 = 4;

/// All lists, keyed by the lowercased, space-joined tokens of each name.
pub(crate) struct Gazetteers {
    names: FastMap<String, u8>,
    /// For every word that starts a name, the most tokens such a name has
    /// (names longer than six tokens are never matched): most capitalised
    /// words start none, and the matcher need not try longer keys than this.
    longest_from: FastMap<String, u8>,
}

/// Lowercases and straightens apostrophes so `Côte d’Ivoire` matches either spelling.
pub(crate) fn normalize(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    normalize_into(token, &mut out);
    out
}

/// [`normalize`], appending to `out` (no allocation of its own).
pub(crate) fn normalize_into(token: &str, out: &mut String) {
    out.extend(token.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c }));
}

impl Gazetteers {
    /// The lists bundled with the binary, parsed once per process.
    pub(crate) fn bundled() -> &'static Gazetteers {
        static BUNDLED: OnceLock<Gazetteers> = OnceLock::new();
        BUNDLED.get_or_init(|| Gazetteers::from_lists(&SOURCES))
    }

    /// Builds the matcher from one newline-separated list per entry of [`LIST_NAMES`].
    pub(crate) fn from_lists(lists: &[&str]) -> Gazetteers {
        let mut names: FastMap<String, u8> = FastMap::default();
        names.reserve(20_000);
        let mut max_tokens = 1;
        for (bit, list) in lists.iter().enumerate().take(NUM_LISTS) {
            for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
                // Fast path: letters and single spaces tokenize to the words themselves.
                let plain =
                    line.chars().all(|c| c.is_alphabetic() || c == ' ') && !line.contains("  ");
                let key = if plain {
                    max_tokens = max_tokens.max(line.split(' ').count());
                    normalize(line)
                } else {
                    let toks = tokenize(line);
                    max_tokens = max_tokens.max(toks.len());
                    let words: Vec<String> = toks.iter().map(|t| normalize(t.text(line))).collect();
                    words.join(" ")
                };
                *names.entry(key).or_insert(0) |= 1 << bit;
            }
        }
        let max_tokens = max_tokens.min(6);
        let mut longest_from: FastMap<String, u8> = FastMap::default();
        for key in names.keys() {
            let first = key.split(' ').next().unwrap_or_default();
            let len = key.split(' ').count().min(max_tokens) as u8;
            let longest = longest_from.entry(first.to_string()).or_insert(0);
            *longest = (*longest).max(len);
        }
        Gazetteers { names, longest_from }
    }

    /// For every token, its position code (`IN_*`) in a name of each list.
    /// `lower` holds the [`normalize`]d tokens; matches start only at a
    /// capitalised token and the longest match per list wins.
    #[cfg(test)]
    pub(crate) fn annotate(&self, tokens: &[&str], lower: &[&str]) -> Vec<[u8; NUM_LISTS]> {
        let mut marks = Vec::new();
        self.annotate_into(tokens, |i| lower[i], &mut marks);
        marks
    }

    /// [`Gazetteers::annotate`] into `marks`, with token `i`'s normalised
    /// form given by `lower(i)`.
    pub(crate) fn annotate_into<'w>(
        &self,
        tokens: &[&str],
        lower: impl Fn(usize) -> &'w str,
        marks: &mut Vec<[u8; NUM_LISTS]>,
    ) {
        let n = tokens.len();
        marks.clear();
        marks.resize(n, [IN_NONE; NUM_LISTS]);
        let mut key = String::new();
        for i in 0..n {
            if !tokens[i].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let Some(&longest) = self.longest_from.get(lower(i)) else {
                continue;
            };
            let longest = usize::from(longest).min(n - i);
            for len in (1..=longest).rev() {
                key.clear();
                for j in i..i + len {
                    if j > i {
                        key.push(' ');
                    }
                    key.push_str(lower(j));
                }
                let Some(&mask) = self.names.get(key.as_str()) else {
                    continue;
                };
                for (list, _) in LIST_NAMES.iter().enumerate().filter(|(b, _)| mask & (1 << b) != 0)
                {
                    if marks[i][list] != IN_NONE {
                        continue;
                    }
                    if len == 1 {
                        marks[i][list] = IN_UNIT;
                    } else {
                        marks[i][list] = IN_BEGIN;
                        for m in &mut marks[i + 1..i + len - 1] {
                            m[list] = IN_INSIDE;
                        }
                        marks[i + len - 1][list] = IN_LAST;
                    }
                }
            }
        }
    }

    /// Whether `name` (any case) is in the list `list` (an index into [`LIST_NAMES`]).
    pub(crate) fn contains(&self, list: usize, name: &str) -> bool {
        let toks = tokenize(name);
        let key: Vec<String> = toks.iter().map(|t| normalize(t.text(name))).collect();
        self.names.get(&key.join(" ")).is_some_and(|m| m & (1 << list) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_multi_token_names() {
        let g = Gazetteers::from_lists(&["North Korea\nRussia", "Moscow", "", "Russian", "", ""]);
        let toks = ["troops", "from", "North", "Korea", "reached", "Moscow", "."];
        let lower: Vec<String> = toks.iter().map(|t| normalize(t)).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let marks = g.annotate(&toks, &lower);
        assert_eq!(marks[2][0], IN_BEGIN);
        assert_eq!(marks[3][0], IN_LAST);
        assert_eq!(marks[5][1], IN_UNIT);
        assert_eq!(marks[0], [IN_NONE; NUM_LISTS]);
    }

    #[test]
    fn longest_names_win_and_shorter_ones_fill_the_rest() {
        let g = Gazetteers::from_lists(&[
            "Korea\nNorth Korea",
            "New York City\nYork",
            "",
            "",
            "",
            "A B C D E F G",
        ]);
        let toks = ["New", "York", "City", "and", "North", "Korea", "York", "A", "B", "C", "D"];
        let lower: Vec<String> = toks.iter().map(|t| normalize(t)).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let marks = g.annotate(&toks, &lower);
        let city: Vec<u8> = marks.iter().map(|m| m[1]).collect();
        assert_eq!(city, [IN_BEGIN, IN_INSIDE, IN_LAST, 0, 0, 0, IN_UNIT, 0, 0, 0, 0]);
        let country: Vec<u8> = marks.iter().map(|m| m[0]).collect();
        assert_eq!(country, [0, 0, 0, 0, IN_BEGIN, IN_LAST, 0, 0, 0, 0, 0]);
        // Names of more than six tokens are never matched.
        assert!(marks.iter().all(|m| m[5] == IN_NONE));
    }

    #[test]
    fn bundled_lists_hold_common_names() {
        let g = Gazetteers::bundled();
        assert!(g.contains(0, "Ukraine"));
        assert!(g.contains(0, "North Korea"));
        assert!(g.contains(1, "Pyongyang"));
        assert!(g.contains(3, "Russian"));
        assert!(g.contains(4, "Michael"));
        assert!(!g.contains(0, "Pyongyang"));
    }
}
