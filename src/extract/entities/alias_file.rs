//! The user's own corrections to the entities: `lede.aliases` in the corpus
//! folder (or the index folder), one rule per line.
//!
//! ```text
//! # merge: mentions named on the left are listed under the right
//! Kim Jong-un = Kim Jong Un
//! DPRK = North Korea
//! # type: mentions of this name are of this kind
//! Rosgarde : org
//! # both at once
//! U.S. = United States : place
//! # suppress: drop a wrong reading (of one kind, or of any kind)
//! !Biden : misc
//! !REUTER
//! ```
//!
//! Names are compared as the tagger's canonical names, in any case and
//! spacing. A mention first loses a suppressed reading, then follows the
//! merges (`A = B`, `B = C` takes A to C), then takes the kind its final (or
//! original) name is given. A line that cannot be read is reported with its
//! number and skipped; the others apply.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{EntityKind, EntityMention};

/// The file's name, in the corpus folder or the index folder.
pub(crate) const FILE_NAME: &str = "lede.aliases";

/// Most merges one name follows (`A = B`, `B = C`…): a circle of rules
/// stops there.
const MAX_HOPS: usize = 8;

/// The rules of one alias file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AliasFile {
    /// Name key → the name it becomes, as the user wrote it.
    merges: HashMap<String, String>,
    /// Name key → the kind its mentions are.
    kinds: HashMap<String, EntityKind>,
    /// Name key → the reading dropped (`None`: every reading).
    suppressed: HashMap<String, Option<EntityKind>>,
}

/// One line that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BadLine {
    /// 1-based.
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// One rule, as compared between two versions of the file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rule {
    Merge(String, String),
    Kind(String, EntityKind),
    Suppress(String, Option<EntityKind>),
}

impl Rule {
    /// The names the rule is about, as keys.
    fn names(&self) -> Vec<String> {
        match self {
            Rule::Merge(from, to) => vec![from.clone(), key(to)],
            Rule::Kind(name, _) | Rule::Suppress(name, _) => vec![name.clone()],
        }
    }
}

/// Where the alias file of a corpus is: the corpus folder's, else the index
/// folder's; `None` when there is neither.
pub(crate) fn locate(corpus: &Path, index: &Path) -> Option<PathBuf> {
    [corpus, index].iter().map(|dir| dir.join(FILE_NAME)).find(|path| path.is_file())
}

/// Reads the rules of `text`; the lines that cannot be read are returned
/// apart.
pub(crate) fn parse(text: &str) -> (AliasFile, Vec<BadLine>) {
    let mut file = AliasFile::default();
    let mut bad = Vec::new();
    // Windows editors start a file with a byte-order mark and end lines
    // with CR LF; neither is part of a name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_rule(line) {
            Ok(rules) => rules.into_iter().for_each(|rule| file.add(rule)),
            Err(message) => bad.push(BadLine { line: i + 1, message }),
        }
    }
    (file, bad)
}

/// The rules of one line (a merge with a kind is two).
fn parse_rule(line: &str) -> Result<Vec<Rule>, String> {
    let (names, kind) = match line.rsplit_once(':') {
        // A colon inside a name ("Mr: X") is unlikely; one before a kind
        // word is the rule's.
        Some((names, kind)) if !kind.contains('=') => (names, Some(parse_kind(kind)?)),
        _ => (line, None),
    };
    if let Some(name) = names.trim().strip_prefix('!') {
        return Ok(vec![Rule::Suppress(key(&required(name)?), kind)]);
    }
    let Some((from, to)) = names.split_once('=') else {
        let Some(kind) = kind else {
            return Err("expected `NAME = NAME`, `NAME : KIND` or `!NAME`".to_string());
        };
        return Ok(vec![Rule::Kind(key(&required(names)?), kind)]);
    };
    let (from, to) = (required(from)?, required(to)?);
    if key(&from) == key(&to) {
        return Err(format!("`{from}` is merged into itself"));
    }
    let mut rules = vec![Rule::Merge(key(&from), to.clone())];
    if let Some(kind) = kind {
        rules.push(Rule::Kind(key(&to), kind));
    }
    Ok(rules)
}

fn parse_kind(word: &str) -> Result<EntityKind, String> {
    let word = word.trim();
    let kind = match word.to_ascii_lowercase().as_str() {
        "per" | "people" => EntityKind::parse("person"),
        "organisation" | "organization" => EntityKind::parse("org"),
        "loc" | "location" => EntityKind::parse("place"),
        other => EntityKind::parse(other),
    };
    kind.ok_or_else(|| format!("unknown kind `{word}`: use person, org, place or misc"))
}

/// A name, trimmed and with inner spaces collapsed; an error when empty.
fn required(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("a name is missing".to_string());
    }
    Ok(name)
}

/// How names are compared: any case, any spacing.
fn key(name: &str) -> String {
    name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

impl AliasFile {
    fn add(&mut self, rule: Rule) {
        match rule {
            Rule::Merge(from, to) => {
                self.merges.insert(from, to);
            }
            Rule::Kind(name, kind) => {
                self.kinds.insert(name, kind);
            }
            Rule::Suppress(name, kind) => {
                self.suppressed.insert(name, kind);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.merges.is_empty() && self.kinds.is_empty() && self.suppressed.is_empty()
    }

    /// Every rule, in order: two files with the same rules compare equal
    /// whatever their comments, order or spacing (a merge's new name counts
    /// as written: it is what the lists show).
    pub(crate) fn rules(&self) -> BTreeSet<Rule> {
        let merges = self.merges.iter().map(|(from, to)| Rule::Merge(from.clone(), to.clone()));
        let kinds = self.kinds.iter().map(|(name, kind)| Rule::Kind(name.clone(), *kind));
        let suppressed =
            self.suppressed.iter().map(|(name, kind)| Rule::Suppress(name.clone(), *kind));
        merges.chain(kinds).chain(suppressed).collect()
    }

    /// The names (as keys) whose mentions read differently under `self`
    /// than under `before`: those of every rule one has and the other not.
    pub(crate) fn names_changed_from(&self, before: &AliasFile) -> BTreeSet<String> {
        let (now, then) = (self.rules(), before.rules());
        now.symmetric_difference(&then).flat_map(Rule::names).collect()
    }

    /// Applies the rules to one paragraph's mentions.
    pub(crate) fn apply(&self, mentions: &mut Vec<EntityMention>) {
        if self.is_empty() {
            return;
        }
        mentions.retain(|mention| !self.suppresses(mention));
        for mention in mentions {
            let original = key(&mention.canonical);
            let mut name = None;
            let mut at = original.clone();
            for _ in 0..MAX_HOPS {
                let Some(next) = self.merges.get(&at) else { break };
                at = key(next);
                name = Some(next);
            }
            if let Some(name) = name {
                mention.canonical = name.clone();
            }
            if let Some(&kind) = self.kinds.get(&at).or_else(|| self.kinds.get(&original)) {
                mention.kind = kind;
            }
        }
    }

    fn suppresses(&self, mention: &EntityMention) -> bool {
        match self.suppressed.get(&key(&mention.canonical)) {
            Some(None) => true,
            Some(Some(kind)) => *kind == mention.kind,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(kind: &str, name: &str) -> EntityMention {
        EntityMention {
            kind: EntityKind::parse(kind).expect("a kind"),
            start: 0,
            end: name.len(),
            text: name.to_string(),
            canonical: name.to_string(),
        }
    }

    fn read(mentions: &[EntityMention]) -> Vec<(&'static str, &str)> {
        mentions.iter().map(|m| (m.kind.name(), m.canonical.as_str())).collect()
    }

    #[test]
    fn merges_kinds_and_suppressions_apply_in_any_case_and_spacing() {
        let (rules, bad) = parse(
            "# corrections\n\
             Kim Jong-un = Kim Jong Un\n\
             dprk = North Korea\n\
             Rosgarde : org\n\
             U.S. = United States : place\n\
             !Biden : misc\n\
             !REUTER\n",
        );
        assert_eq!(bad, []);
        let mut mentions = vec![
            mention("person", "KIM  JONG-UN"),
            mention("place", "DPRK"),
            mention("person", "Rosgarde"),
            mention("org", "U.S."),
            mention("misc", "Biden"),
            mention("person", "Biden"),
            mention("person", "Reuter"),
            mention("place", "Moscow"),
        ];
        rules.apply(&mut mentions);
        assert_eq!(
            read(&mentions),
            [
                ("person", "Kim Jong Un"),
                ("place", "North Korea"),
                ("org", "Rosgarde"),
                ("place", "United States"),
                ("person", "Biden"),
                ("place", "Moscow"),
            ]
        );
    }

    #[test]
    fn a_file_saved_on_windows_reads_the_same() {
        let (windows, bad) = parse("\u{feff}DPRK = North Korea\r\nRosgarde : org\r\n");
        assert_eq!(bad, []);
        assert_eq!(windows, parse("DPRK = North Korea\nRosgarde : org\n").0);
    }

    #[test]
    fn merges_chain_and_a_circle_of_them_ends() {
        let (rules, bad) = parse("A = B\nB = C\nX = Y\nY = X\n");
        assert_eq!(bad, []);
        let mut mentions = vec![mention("org", "a"), mention("org", "X")];
        rules.apply(&mut mentions);
        assert_eq!(mentions[0].canonical, "C");
        assert!(["X", "Y"].contains(&mentions[1].canonical.as_str()));
    }

    #[test]
    fn bad_lines_are_numbered_and_the_rest_apply() {
        let (rules, bad) = parse("Rosgarde : orgg\n\njust a name\n = Moscow\nA = a\nB : org\n");
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(bad[0].message.contains("unknown kind `orgg`"), "{}", bad[0].message);
        assert!(bad[1].message.contains("expected"), "{}", bad[1].message);
        assert!(bad[2].message.contains("missing"), "{}", bad[2].message);
        assert!(bad[3].message.contains("into itself"), "{}", bad[3].message);
        assert_eq!(rules.rules().len(), 1);
    }

    #[test]
    fn a_changed_file_names_what_it_changes_and_comments_change_nothing() {
        let (before, _) = parse("DPRK = North Korea\nRosgarde : org\n");
        let (same, _) = parse("# ours\n  Rosgarde:ORG\ndprk =  North  Korea\n");
        assert!(same.names_changed_from(&before).is_empty());
        let (after, _) = parse("DPRK = North Korea\n!Biden : misc\n");
        let changed: Vec<String> = after.names_changed_from(&before).into_iter().collect();
        assert_eq!(changed, ["biden", "rosgarde"]);
    }
}
