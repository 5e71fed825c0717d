//! Rules applied after tagging, over a whole document: trim titles,
//! honorifics and possessives off names, drop mentions that cannot be names
//! (pronouns, lone titles, sentence-initial common words), find capitalised
//! Cyrillic names (Cyrillic, Greek…) the English model cannot know, and resolve aliases so every
//! mention carries one canonical name: "President Vladimir Putin", "Vladimir
//! Putin" and "Putin" are all `Vladimir Putin`; "National Intelligence
//! Service (NIS)" makes a later "NIS" the org `National Intelligence Service`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::fasthash::FastSet;

use super::tokenize::Token;
use super::{EntityKind, EntityMention};

/// Words (lowercase) that are titles or honorifics, never part of a name
/// when they lead it.
const TITLES: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "deputy",
    "defense",
    "defence",
    "foreign",
    "interior",
    "finance",
    "secretary",
    "state",
    "general",
    "gen.",
    "lieutenant",
    "lt.",
    "colonel",
    "col.",
    "major",
    "maj.",
    "captain",
    "capt.",
    "sergeant",
    "sgt.",
    "admiral",
    "adm.",
    "commander",
    "gov.",
    "governor",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "congressman",
    "congresswoman",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "professor",
    "sir",
    "lord",
    "lady",
    "dame",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "sheikh",
    "chancellor",
    "premier",
    "chairman",
    "chairwoman",
    "chief",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "director",
    "mayor",
    "judge",
    "justice",
    "rev.",
    "father",
    "saint",
    "former",
    "late",
    "analyst",
    "military",
    "supreme",
    "marshal",
    "field",
    "brigadier",
    "envoy",
    "officer",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "chief-of-staff",
];

/// Words that are never a person's name on their own.
const NOT_NAMES: &[&str] = &[
    "i", "he", "she", "it", "we", "they", "you", "him", "her", "his", "hers", "its", "our",
    "their", "them", "me", "us", "who", "this", "that", "these", "those", "the", "a", "an",
];

/// Role words that, right before a multi-word name, mark it as a person
/// (besides the leading titles in `TITLES`).
const PERSON_CUES: &[&str] = &[
    "dictator",
    "leader",
    "strongman",
    "spokesman",
    "spokeswoman",
    "analyst",
    "lawmaker",
    "journalist",
    "correspondent",
    "commander",
    "chief",
    "envoy",
    "diplomat",
    "official",
];

/// Words that make a name an organisation whatever precedes it.
const ORG_WORDS: &[&str] = &[
    "ministry",
    "council",
    "service",
    "agency",
    "committee",
    "institute",
    "army",
    "forces",
    "party",
    "bank",
    "group",
    "university",
    "association",
    "news",
    "directorate",
    "staff",
    "guard",
    "command",
    "department",
    "office",
    "union",
    "corporation",
    "company",
    "fund",
];

/// Lowercase nouns that make the capitalised name before them a place
/// ("the Donbass region", "Kursk oblast").
const PLACE_NOUNS: &[&str] = &[
    "region",
    "regions",
    "oblast",
    "province",
    "provinces",
    "district",
    "territory",
    "peninsula",
    "krai",
    "governorate",
    "prefecture",
    "county",
    "valley",
    "basin",
];

/// A tagged entity as a token range within one paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Draft {
    pub para: usize,
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}

/// One paragraph's text, tokens and sentence starts.
pub(crate) struct Paragraph<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub sentence_start: Vec<bool>,
}

impl Paragraph<'_> {
    fn word(&self, i: usize) -> &str {
        self.tokens[i].text(self.text)
    }
}

fn is_title(word: &str) -> bool {
    let lower = word.to_lowercase().replace('’', "'");
    TITLES.contains(&lower.as_str())
}

fn is_possessive_or_punct(word: &str) -> bool {
    matches!(word, "'s" | "’s" | "'S" | "’S" | "'" | "’")
        || !word.chars().any(char::is_alphanumeric)
}

/// Trims a draft to the name itself, or rejects it. `lower_words` holds the
/// document's lowercase words (to spot sentence-initial common words).
pub(crate) fn clean(
    d: Draft,
    p: &Paragraph<'_>,
    lower_words: &FastSet<Cow<'_, str>>,
) -> Option<Draft> {
    let mut d = d;
    while d.start < d.end && is_possessive_or_punct(p.word(d.end - 1)) {
        d.end -= 1;
    }
    while d.start < d.end && is_possessive_or_punct(p.word(d.start)) {
        d.start += 1;
    }
    while d.start < d.end && p.word(d.start).eq_ignore_ascii_case("the") {
        d.start += 1;
    }
    people_after_titles(p, &mut d);
    organisations_named_as_people(p, &mut d);
    places_named_as_organisations(p, &mut d);
    organisations_by_apposition(p, &mut d);
    compass_regions(p, &mut d, |name| {
        let gazetteers = super::gazetteer::Gazetteers::bundled();
        [0, 2].iter().any(|&list| gazetteers.contains(list, name))
    });
    if d.kind == EntityKind::Person {
        while d.end - d.start > 1 && is_title(p.word(d.start)) {
            d.start += 1;
        }
    }
    if d.start >= d.end {
        return None;
    }
    if d.end - d.start == 1 {
        let w = p.word(d.start);
        let lower = w.to_lowercase();
        if d.kind == EntityKind::Person && (NOT_NAMES.contains(&lower.as_str()) || is_title(w)) {
            return None;
        }
        if !w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
            return None;
        }
        // A capitalised sentence opener that the document also writes in lowercase.
        let opener = p.sentence_start[d.start]
            || (d.start > 0
                && p.sentence_start[d.start - 1]
                && is_possessive_or_punct(p.word(d.start - 1)));
        if opener
            && lower_words.contains(lower.as_str())
            && !w.chars().skip(1).any(char::is_uppercase)
        {
            return None;
        }
    }
    Some(d)
}

/// Latin letters (Basic Latin through Latin Extended-B, and Latin Extended
/// Additional); the model has evidence for those, not for other scripts.
fn is_latin(c: char) -> bool {
    c <= '\u{024F}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// A capitalised word in a cased non-Latin script (Cyrillic, Greek,
/// Armenian…): uppercase first letter, lowercase rest.
fn is_non_latin_name_word(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase()
        && !is_latin(first)
        && chars.clone().count() > 0
        && chars.all(|c| (c.is_lowercase() && !is_latin(c)) || matches!(c, '-' | '\'' | '’'))
}

/// Runs of two or three capitalised non-Latin words: personal names
/// ("Евгений Михайлов", "Κυριάκος Μητσοτάκης") the English model has no
/// evidence for.
pub(crate) fn non_latin_names(para: usize, p: &Paragraph<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.tokens.len() {
        if !is_non_latin_name_word(p.word(i)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < p.tokens.len() && is_non_latin_name_word(p.word(i)) {
            i += 1;
        }
        if (2..=3).contains(&(i - start)) {
            out.push(Draft { para, start, end: i, kind: EntityKind::Person });
        }
    }
    out
}

/// Makes a one-word name followed by a place noun a place: retypes such
/// misc/org mentions and adds untagged capitalised words mid-sentence.
pub(crate) fn places_before_place_nouns(para: usize, p: &Paragraph<'_>, drafts: &mut Vec<Draft>) {
    for i in 0..p.tokens.len().saturating_sub(1) {
        if !PLACE_NOUNS.contains(&p.word(i + 1)) {
            continue;
        }
        let w = p.word(i);
        if let Some(d) = drafts.iter_mut().find(|d| d.para == para && d.start <= i && i < d.end) {
            if d.start == i
                && d.end == i + 1
                && matches!(d.kind, EntityKind::Misc | EntityKind::Org)
            {
                d.kind = EntityKind::Place;
            }
        } else if !p.sentence_start[i]
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).all(char::is_lowercase)
            && w.chars().count() > 2
        {
            drafts.push(Draft { para, start: i, end: i + 1, kind: EntityKind::Place });
        }
    }
}

/// Spreads the evidence of a place noun over the document: a one-word name
/// written as a place somewhere ("the Donbass region") is the same place
/// where the model, without the noun, read it as an organisation ("those
/// in the Donbass"). A vote of the document's mentions ([`resolve`]) would
/// let the model's guesses outnumber the one mention that says what the
/// word is. Other names are left alone: "the Russian region" says nothing
/// about the adjective elsewhere.
pub(crate) fn spread_place_nouns(paras: &[Paragraph<'_>], drafts: &mut [Draft]) {
    let one_word = |d: &Draft| d.end == d.start + 1;
    let word_of = |d: &Draft| paras[d.para].word(d.start);
    let placed: HashSet<&str> = drafts
        .iter()
        .filter(|d| d.kind == EntityKind::Place && one_word(d))
        .filter(|d| {
            // "the Donbass region", not "Labour territory": a metaphor
            // rarely takes the article.
            let p = &paras[d.para];
            d.start > 0
                && p.word(d.start - 1).eq_ignore_ascii_case("the")
                && d.end < p.tokens.len()
                && PLACE_NOUNS.contains(&p.word(d.end))
        })
        .map(word_of)
        .collect();
    if placed.is_empty() {
        return;
    }
    for d in drafts.iter_mut() {
        if d.kind == EntityKind::Org && one_word(d) && placed.contains(word_of(d)) {
            d.kind = EntityKind::Place;
        }
    }
}

/// Nouns for inhabited places that introduce their names: "settlements
/// such as Volchansk and Krasnoarmeysk", "the town of Sudzha".
const SETTLEMENT_NOUNS: &[&str] = &[
    "settlement",
    "settlements",
    "town",
    "towns",
    "village",
    "villages",
    "city",
    "cities",
    "capital",
    "port",
    "ports",
    "hamlet",
    "hamlets",
];

/// Words joining a settlement noun to the names it lists.
const LISTING_WORDS: &[&[&str]] = &[&["such", "as"], &["like"], &["of"], &["including"]];

/// Makes the names a settlement noun lists places ("settlements such as
/// Volchansk and Krasnoarmeysk", "the town of Sudzha"): overlapping mentions
/// are retyped, untagged capitalised words added. The list runs over
/// capitalised words joined by commas, `and` and `or`.
pub(crate) fn places_after_settlement_nouns(
    para: usize,
    p: &Paragraph<'_>,
    drafts: &mut Vec<Draft>,
) {
    let n = p.tokens.len();
    for i in 0..n {
        if !SETTLEMENT_NOUNS.contains(&p.word(i).to_lowercase().as_str()) {
            continue;
        }
        let Some(joiner) = LISTING_WORDS.iter().find(|words| {
            words.iter().enumerate().all(|(k, w)| i + 1 + k < n && p.word(i + 1 + k) == *w)
        }) else {
            continue;
        };
        let mut j = i + 1 + joiner.len();
        while j < n && is_capitalised(p.word(j)) {
            let start = j;
            while j < n && is_capitalised(p.word(j)) {
                j += 1;
            }
            let overlapping =
                drafts.iter_mut().filter(|d| d.para == para && d.start < j && start < d.end);
            let mut found = false;
            for d in overlapping {
                d.kind = EntityKind::Place;
                found = true;
            }
            if !found {
                drafts.push(Draft { para, start, end: j, kind: EntityKind::Place });
            }
            match (j < n).then(|| p.word(j)) {
                Some("," | "and" | "or") => j += 1,
                _ => break,
            }
            if j < n && matches!(p.word(j), "and" | "or") {
                j += 1;
            }
        }
    }
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// Compass words that make a region of a known place ("Eastern Europe").
const COMPASS_WORDS: &[&str] =
    &["eastern", "western", "northern", "southern", "central", "north", "south", "east", "west"];

/// Retypes an org/misc mention as a place when it is a compass word and a
/// place the gazetteers know ("Eastern Europe", "Southern Ukraine").
pub(crate) fn compass_regions(
    p: &Paragraph<'_>,
    d: &mut Draft,
    is_known_place: impl Fn(&str) -> bool,
) {
    if d.end - d.start < 2 || !matches!(d.kind, EntityKind::Org | EntityKind::Misc) {
        return;
    }
    let first = p.word(d.start).to_lowercase();
    let rest: Vec<&str> = (d.start + 1..d.end).map(|i| p.word(i)).collect();
    if COMPASS_WORDS.contains(&first.as_str()) && is_known_place(&rest.join(" ")) {
        d.kind = EntityKind::Place;
    }
}

/// Nouns that, heading an appositive right after a name, say it names a
/// body of people: "Rosgarde (a specialized unit of …)".
const BODY_NOUNS: &[&str] = &[
    "unit",
    "agency",
    "service",
    "force",
    "forces",
    "ministry",
    "company",
    "group",
    "organisation",
    "organization",
    "directorate",
    "body",
    "militia",
    "battalion",
    "brigade",
    "regiment",
    "division",
    "department",
    "party",
    "firm",
    "bank",
    "network",
];

/// Retypes a one-word person mention as an organisation when an appositive
/// in brackets or after a comma describes it as a body ("Rosgarde (a
/// specialized unit of the Russian Ministry …)"): its head noun, within a
/// few words of the article, is one of [`BODY_NOUNS`].
pub(crate) fn organisations_by_apposition(p: &Paragraph<'_>, d: &mut Draft) {
    if d.kind != EntityKind::Person || d.end - d.start != 1 {
        return;
    }
    let n = p.tokens.len();
    let opens = d.end + 1 < n && matches!(p.word(d.end), "(" | ",");
    if !opens || !matches!(p.word(d.end + 1).to_lowercase().as_str(), "a" | "an" | "the") {
        return;
    }
    let head = (d.end + 2..n.min(d.end + 6))
        .map(|i| p.word(i).to_lowercase())
        .take_while(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
        .find(|w| BODY_NOUNS.contains(&w.as_str()));
    if head.is_some() {
        d.kind = EntityKind::Org;
    }
}

/// Retypes a multi-word org/misc mention as a person when a title or role
/// word comes right before it ("dictator Kim Jong Un") and none of its words
/// is an organisation word.
pub(crate) fn people_after_titles(p: &Paragraph<'_>, d: &mut Draft) {
    if d.start == 0 || d.end - d.start < 2 || !matches!(d.kind, EntityKind::Org | EntityKind::Misc)
    {
        return;
    }
    let cue = p.word(d.start - 1).to_lowercase();
    if !(is_title(&cue) || PERSON_CUES.contains(&cue.as_str())) {
        return;
    }
    let all_name_words = (d.start..d.end).all(|i| {
        let w = p.word(i);
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-')
            && !ORG_WORDS.contains(&w.to_lowercase().as_str())
    });
    if all_name_words {
        d.kind = EntityKind::Person;
    }
}

/// Whether `word` (any case) ends like an organisation's name: an
/// organisation word, alone or as the last part of a hyphenated word.
fn is_org_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let last = lower.rsplit('-').next().unwrap_or(&lower);
    ORG_WORDS.contains(&last)
}

/// Whether `word` can be part of a person's name: capitalised letters,
/// hyphens and apostrophes, and not an organisation word.
fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        && !is_org_word(word)
}

/// Splits a mention that runs an office into its holder ("the General Staff
/// Valery Gerasimov" tagged as one organisation): after the last
/// organisation word, two or more name words are a person; the words up
/// to it stay what they were. Other mentions are returned as they are.
pub(crate) fn split_office_holder(p: &Paragraph<'_>, d: Draft) -> Vec<Draft> {
    if d.kind == EntityKind::Person {
        return vec![d];
    }
    let Some(office_end) = (d.start..d.end).rev().find(|&i| is_org_word(p.word(i))) else {
        return vec![d];
    };
    let holder = office_end + 1..d.end;
    if holder.len() < 2 || !holder.clone().all(|i| is_name_word(p.word(i))) {
        return vec![d];
    }
    vec![
        Draft { end: office_end + 1, ..d },
        Draft { start: holder.start, kind: EntityKind::Person, ..d },
    ]
}

/// Splits a mention at a plural possessive inside it ("the Russian Armed
/// Forces’ Military-Political Directorate" tagged as one name): the owner
/// and what it owns are two names, each of the mention's kind until the
/// other rules look at them. Other mentions are returned as they are.
pub(crate) fn split_at_possessive(p: &Paragraph<'_>, d: Draft) -> Vec<Draft> {
    let owner_end = (d.start + 1..d.end.saturating_sub(1))
        .find(|&i| matches!(p.word(i), "'" | "’") && p.word(i - 1).ends_with(['s', 'S']));
    match owner_end {
        Some(i) => vec![Draft { end: i, ..d }, Draft { start: i + 1, ..d }],
        None => vec![d],
    }
}

/// A "person" or other name that ends with an organisation word
/// ("Military-Political Directorate", "Foreign Ministry") is an organisation.
fn organisations_named_as_people(p: &Paragraph<'_>, d: &mut Draft) {
    if matches!(d.kind, EntityKind::Person | EntityKind::Misc)
        && d.end > d.start
        && is_org_word(p.word(d.end - 1))
    {
        d.kind = EntityKind::Org;
    }
}

/// An organisation or other name that ends with a place noun ("Kursk
/// Oblast", "Kursk Region") is a place.
fn places_named_as_organisations(p: &Paragraph<'_>, d: &mut Draft) {
    if matches!(d.kind, EntityKind::Org | EntityKind::Misc)
        && d.end - d.start >= 2
        && PLACE_NOUNS.contains(&p.word(d.end - 1).to_lowercase().as_str())
    {
        d.kind = EntityKind::Place;
    }
}

/// Collapses whitespace so a name broken across lines reads as one.
fn surface(p: &Paragraph<'_>, d: &Draft) -> String {
    let raw = &p.text[p.tokens[d.start].start..p.tokens[d.end - 1].end];
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(p: &Paragraph<'_>, d: &Draft) -> Vec<String> {
    (d.start..d.end).map(|i| p.word(i).replace('’', "'")).collect()
}

/// `word` with curly apostrophes straightened, borrowed when it has none
/// (nearly always: this runs for every untagged token).
fn straight_apostrophes(word: &str) -> Cow<'_, str> {
    if word.contains('’') {
        Cow::Owned(word.replace('’', "'"))
    } else {
        Cow::Borrowed(word)
    }
}

/// Looks like an acronym: starts uppercase, at least two capitals, no more than 8 letters.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    (2..=8).contains(&n)
        && w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().filter(|c| c.is_uppercase()).count() >= 2
        && w.chars().all(char::is_alphabetic)
}

/// Resolves aliases across the document and builds the final mentions, one
/// list per paragraph, in text order.
pub(crate) fn resolve(paras: &[Paragraph<'_>], drafts: Vec<Draft>) -> Vec<Vec<EntityMention>> {
    // Acronyms introduced as "Long Name (ACR)".
    let mut acronyms: HashMap<String, (String, EntityKind)> = HashMap::new();
    for d in &drafts {
        let p = &paras[d.para];
        if d.end + 2 < p.tokens.len() && p.word(d.end) == "(" && p.word(d.end + 2) == ")" {
            let acr = p.word(d.end + 1);
            if is_acronym(acr) && d.end - d.start >= 2 {
                acronyms.entry(acr.to_string()).or_insert((surface(p, d), d.kind));
            }
        }
    }

    // Full person names (two tokens or more) by their first and last words.
    let mut full_names: Vec<(Vec<String>, String)> = Vec::new();
    for d in drafts.iter().filter(|d| d.kind == EntityKind::Person && d.end - d.start >= 2) {
        let name = surface(&paras[d.para], d);
        if !full_names.iter().any(|(_, n)| *n == name) {
            full_names.push((words(&paras[d.para], d), name));
        }
    }
    let person_for = |word: &str| -> Option<&str> {
        let by_last: Vec<&str> = full_names
            .iter()
            .filter(|(w, _)| w.last().is_some_and(|l| l == word))
            .map(|(_, n)| n.as_str())
            .collect();
        if by_last.len() == 1 {
            return Some(by_last[0]);
        }
        let by_first: Vec<&str> = full_names
            .iter()
            .filter(|(w, _)| w.first().is_some_and(|f| f == word))
            .map(|(_, n)| n.as_str())
            .collect();
        (by_last.is_empty() && by_first.len() == 1).then(|| by_first[0])
    };

    // Untagged later mentions of known surnames and acronyms join the list.
    let mut drafts = drafts;
    let mut covered: Vec<Vec<bool>> = paras.iter().map(|p| vec![false; p.tokens.len()]).collect();
    for d in &drafts {
        covered[d.para][d.start..d.end].iter_mut().for_each(|c| *c = true);
    }
    for (pi, p) in paras.iter().enumerate() {
        for (i, _) in covered[pi].iter().enumerate().filter(|(_, c)| !**c) {
            let w = straight_apostrophes(p.word(i));
            let kind = if let Some((_, k)) = acronyms.get(w.as_ref()) {
                Some(*k)
            } else if w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() > 2
                && full_names.iter().any(|(ws, _)| ws.last().is_some_and(|l| *l == w))
            {
                Some(EntityKind::Person)
            } else {
                None
            };
            if let Some(kind) = kind {
                drafts.push(Draft { para: pi, start: i, end: i + 1, kind });
            }
        }
    }

    let mut out: Vec<Vec<EntityMention>> = paras.iter().map(|_| Vec::new()).collect();
    for d in drafts {
        let p = &paras[d.para];
        let text = p.text[p.tokens[d.start].start..p.tokens[d.end - 1].end].to_string();
        let name = surface(p, &d);
        let (kind, canonical) = if let Some((long, k)) = acronyms.get(&name) {
            (*k, long.clone())
        } else if d.end - d.start == 1 {
            match person_for(&name.replace('’', "'")) {
                Some(full) => (EntityKind::Person, full.to_string()),
                None if d.kind == EntityKind::Person && is_bare_first_name(&name) => continue,
                None => (d.kind, name),
            }
        } else {
            (d.kind, name)
        };
        out[d.para].push(EntityMention {
            kind,
            start: p.tokens[d.start].start,
            end: p.tokens[d.end - 1].end,
            text,
            canonical,
        });
    }
    unify_kinds(&mut out);
    for list in &mut out {
        list.sort_by_key(|m| (m.start, m.end));
        list.dedup_by(|a, b| a.start < b.end && b.start < a.end);
    }
    out
}

/// Indices of the first-name and surname lists in [`super::gazetteer::LIST_NAMES`].
const FIRST_NAMES: usize = 4;
const LAST_NAMES: usize = 5;

/// Whether a one-word "person" is only a first name (listed as one, not as
/// a surname). News names people by full name, then surname; a first name
/// alone that is no one's in the document is far more often a club, a prize
/// or a place ("Chelsea", "Oscar", "Florence") than a person, so it is not
/// reported as one.
fn is_bare_first_name(word: &str) -> bool {
    let gazetteers = super::gazetteer::Gazetteers::bundled();
    gazetteers.contains(FIRST_NAMES, word) && !gazetteers.contains(LAST_NAMES, word)
}

/// Gives every mention of a canonical name the kind most of its mentions
/// have (ties: person, place, org, misc), so "Pyongyang" used once as the
/// government is still one place in the document's index.
fn unify_kinds(mentions: &mut [Vec<EntityMention>]) {
    const PRIORITY: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Place, EntityKind::Org, EntityKind::Misc];
    let mut votes: HashMap<String, [usize; 4]> = HashMap::new();
    for m in mentions.iter().flatten() {
        let slot = PRIORITY.iter().position(|k| *k == m.kind).unwrap_or(3);
        votes.entry(m.canonical.clone()).or_insert([0; 4])[slot] += 1;
    }
    for m in mentions.iter_mut().flatten() {
        if let Some(v) = votes.get(&m.canonical) {
            let best = (0..4).max_by_key(|&i| (v[i], 4 - i)).unwrap_or(0);
            m.kind = PRIORITY[best];
        }
    }
}
