//! Says whether the clause around a date expression talks about the past or
//! the future, from cheap cues: the nearest tense-bearing word before the
//! expression (`said Friday`, `will meet on Friday`), or, for an expression
//! that opens its sentence (`On Tuesday, the league plans to …`), the first
//! one after it. A bare weekday or year-less month is resolved toward that side
//! of the document date.

use super::lexicon::{Kw, Lex};
use super::tokens::{Kind, Token};

/// Which side of the document date a clause talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tense {
    Past,
    Future,
}

/// How many tokens before an expression may hold its tense cue.
const BEFORE: usize = 8;
/// How many tokens after a sentence-opening expression may hold its tense cue.
const AFTER: usize = 12;

/// Words that put a following bare date in the future.
const FUTURE_CUES: &[&str] = &[
    "shall",
    "scheduled",
    "planned",
    "planning",
    "plan",
    "plans",
    "expected",
    "due",
    "until",
    "soon",
    "early",
    "tomorrow",
    "would",
    "next",
];

/// Irregular past-tense verbs common in news; regular ones are found by their `-ed`.
const PAST_WORDS: &[&str] = &[
    "was", "were", "had", "did", "said", "told", "began", "came", "went", "took", "made", "met",
    "left", "fell", "rose", "won", "lost", "sold", "bought", "brought", "paid", "gave", "got",
    "held", "saw", "became", "knew", "thought", "found", "led", "wrote", "spoke", "ran", "sent",
    "kept", "shot", "struck", "broke", "chose", "drove", "flew", "stood", "fought", "caught",
    "heard", "felt", "meant", "spent", "built", "grew", "threw", "drew", "ago", "agreed", "freed",
];

/// The tense of the clause holding the expression that starts at token `i`, if a cue says.
pub(super) fn tense(t: &[Token<'_>], i: usize) -> Option<Tense> {
    let mut k = i;
    while k > 0 && i - k < BEFORE {
        k -= 1;
        if ends_sentence(t, k) {
            break;
        }
        if let Some(tense) = cue(t, k, i) {
            return Some(tense);
        }
    }
    // Nothing before it in its sentence but a preposition or an adverb: the main verb follows.
    let opens = (k..i).all(|j| t[j].kind != Kind::Word || opener(t[j].text));
    if !opens {
        return None;
    }
    for j in i + 1..t.len().min(i + 1 + AFTER) {
        if ends_sentence(t, j) {
            break;
        }
        if let Some(tense) = cue(t, j, usize::MAX) {
            return Some(tense);
        }
    }
    None
}

/// Words that may come before a sentence-opening date (`On Tuesday`, `Also Sunday`).
fn opener(word: &str) -> bool {
    ["on", "in", "also", "by", "since", "late", "early", "and", "but", "then", "until"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// Token `k` closes a sentence (a full stop not ending a one-letter abbreviation, or `;`).
fn ends_sentence(t: &[Token<'_>], k: usize) -> bool {
    let abbreviation = k > 0 && t[k - 1].kind == Kind::Word && t[k - 1].text.len() == 1;
    (t[k].is_punct('.') && !abbreviation) || t[k].is_punct(';')
}

/// The tense word `k` marks for an expression starting at `at` (`usize::MAX` when it follows).
fn cue(t: &[Token<'_>], k: usize, at: usize) -> Option<Tense> {
    let tok = &t[k];
    if tok.kind != Kind::Word {
        return None;
    }
    let word = tok.text;
    let is = |w: &str| word.eq_ignore_ascii_case(w);
    let word_at = |j: usize, w: &str| t.get(j).is_some_and(|n| n.text.eq_ignore_ascii_case(w));
    let next_is = |w: &str| word_at(k + 1, w);
    let follows = at == usize::MAX;
    if tok.lex == Some(Lex::Kw(Kw::Will)) || is("shall") {
        return Some(Tense::Future);
    }
    // After the date, `planned`/`expected` are the clause's past-tense verb and `plans` needs a
    // `to` ("On Friday, the government planned to pay"; "when she set aside vacation plans").
    let intent = ["plan", "plans", "planning"].iter().any(|w| is(w));
    if (!follows && FUTURE_CUES.iter().any(|c| is(c))) || (follows && intent && next_is("to")) {
        return Some(Tense::Future);
    }
    // `is to`, `is on Friday`, `set for Friday`; not `are statements made Friday`, `set Friday as`.
    let near = !follows && k + 2 >= at;
    if (is("is") || is("are")) && (next_is("to") || near) {
        return Some(Tense::Future);
    }
    if is("set") && (next_is("for") || next_is("to")) {
        return Some(Tense::Future);
    }
    let regular = !tok.capital && word.len() >= 5 && word.ends_with("ed") && !word.ends_with("eed");
    if !(regular || PAST_WORDS.iter().any(|w| is(w))) {
        return None;
    }
    let before = |ws: &[&str]| k > 0 && ws.iter().any(|w| word_at(k - 1, w));
    // A participle after `is` is a present passive ("the case is heard in May"); after `be`
    // the auxiliary before it decides ("will be held", "could be located").
    if before(&["is", "are"]) {
        return Some(Tense::Future);
    }
    if before(&["be"]) {
        return None;
    }
    // A participle after a determiner or an adverb is an adjective ("a still unspecified date");
    // one before `to` is modal ("supposed to conclude by May").
    let adjective = before(&["a", "an", "the", "its", "their", "still"])
        || (k > 0 && t[k - 1].text.len() > 4 && t[k - 1].text.ends_with("ly"));
    (!adjective && !next_is("to")).then_some(Tense::Past)
}
