//! The language of each document and paragraph, as ISO 639-1 codes (`en`,
//! `ru`, `uk`, `ko`, `zh`, `ja`…), detected with `whatlang` (trigram and
//! alphabet profiles compiled into the crate).
//!
//! A document's language is detected once, on its first [`SAMPLE_BYTES`]
//! of text: enough for a reliable guess, and the cost stays flat however
//! long the file. A paragraph is detected again only when most of its
//! letters are of another script than the document's (a Russian quotation
//! in an English article): guessing every paragraph alone would scatter
//! short English ones over Dutch, Latin or Afrikaans, while a change of
//! script is certain to be a change of language and cheap to see.

use whatlang::{Lang, Script};

/// How much of a document's text, in bytes, its language is detected on.
pub(crate) const SAMPLE_BYTES: usize = 4096;

/// The code of text whose language cannot be told (no letters at all):
/// ISO 639-2's "undetermined".
pub(crate) const UNDETERMINED: &str = "und";

/// Each language `whatlang` detects, with its ISO 639-1 code. `whatlang`
/// names languages by ISO 639-3 codes (`cmn` for Mandarin, `pes` for
/// Persian); users and other tools mostly use the two-letter ones.
const CODES: [(Lang, &str); 70] = [
    (Lang::Epo, "eo"),
    (Lang::Eng, "en"),
    (Lang::Rus, "ru"),
    (Lang::Cmn, "zh"),
    (Lang::Spa, "es"),
    (Lang::Por, "pt"),
    (Lang::Ita, "it"),
    (Lang::Ben, "bn"),
    (Lang::Fra, "fr"),
    (Lang::Deu, "de"),
    (Lang::Ukr, "uk"),
    (Lang::Kat, "ka"),
    (Lang::Ara, "ar"),
    (Lang::Hin, "hi"),
    (Lang::Jpn, "ja"),
    (Lang::Heb, "he"),
    (Lang::Yid, "yi"),
    (Lang::Pol, "pl"),
    (Lang::Amh, "am"),
    (Lang::Jav, "jv"),
    (Lang::Kor, "ko"),
    (Lang::Nob, "nb"),
    (Lang::Dan, "da"),
    (Lang::Swe, "sv"),
    (Lang::Fin, "fi"),
    (Lang::Tur, "tr"),
    (Lang::Nld, "nl"),
    (Lang::Hun, "hu"),
    (Lang::Ces, "cs"),
    (Lang::Ell, "el"),
    (Lang::Bul, "bg"),
    (Lang::Bel, "be"),
    (Lang::Mar, "mr"),
    (Lang::Kan, "kn"),
    (Lang::Ron, "ro"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Mkd, "mk"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Tam, "ta"),
    (Lang::Vie, "vi"),
    (Lang::Urd, "ur"),
    (Lang::Tha, "th"),
    (Lang::Guj, "gu"),
    (Lang::Uzb, "uz"),
    (Lang::Pan, "pa"),
    (Lang::Aze, "az"),
    (Lang::Ind, "id"),
    (Lang::Tel, "te"),
    (Lang::Pes, "fa"),
    (Lang::Mal, "ml"),
    (Lang::Ori, "or"),
    (Lang::Mya, "my"),
    (Lang::Nep, "ne"),
    (Lang::Sin, "si"),
    (Lang::Khm, "km"),
    (Lang::Tuk, "tk"),
    (Lang::Aka, "ak"),
    (Lang::Zul, "zu"),
    (Lang::Sna, "sn"),
    (Lang::Afr, "af"),
    (Lang::Lat, "la"),
    (Lang::Slk, "sk"),
    (Lang::Cat, "ca"),
    (Lang::Tgl, "tl"),
    (Lang::Hye, "hy"),
    (Lang::Cym, "cy"),
];

/// Other names users give languages: ISO 639-2/B codes and English names
/// that differ from `whatlang`'s (which calls Chinese "Mandarin").
const ALIASES: [(&str, &str); 18] = [
    ("chinese", "zh"),
    ("chi", "zh"),
    ("zho", "zh"),
    ("ger", "de"),
    ("fre", "fr"),
    ("dut", "nl"),
    ("cze", "cs"),
    ("gre", "el"),
    ("greek", "el"),
    ("rum", "ro"),
    ("per", "fa"),
    ("fas", "fa"),
    ("farsi", "fa"),
    ("arm", "hy"),
    ("geo", "ka"),
    ("wel", "cy"),
    ("norwegian", "nb"),
    ("nor", "nb"),
];

/// The ISO 639-1 code of a detected language.
pub(crate) fn code(lang: Lang) -> &'static str {
    CODES.iter().find(|(l, _)| *l == lang).map_or(UNDETERMINED, |(_, code)| code)
}

/// The language a user names: an ISO 639-1 or 639-3 code or an English or
/// native name, in any case (`ru`, `rus`, `Russian`, `русский`). `None`
/// for a language lede never detects.
pub(crate) fn parse(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    if name == UNDETERMINED {
        return Some(UNDETERMINED);
    }
    if let Some((_, code)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(code);
    }
    CODES
        .iter()
        .find(|(lang, iso1)| {
            *iso1 == name
                || lang.code() == name
                || lang.eng_name().to_lowercase() == name
                || lang.name().to_lowercase() == name
        })
        .map(|(_, code)| *code)
}

/// What is known of a document's language: its code, and the script its
/// sample was mostly written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DocumentLanguage {
    pub code: &'static str,
    script: Option<Script>,
}

/// The language of a document whose paragraphs are `texts`, from the first
/// [`SAMPLE_BYTES`] of them.
pub(crate) fn of_document(texts: &[&str]) -> DocumentLanguage {
    let mut sample = String::with_capacity(SAMPLE_BYTES);
    for text in texts {
        let room = SAMPLE_BYTES.saturating_sub(sample.len() + 1);
        if room == 0 {
            break;
        }
        if !sample.is_empty() {
            sample.push('\n');
        }
        sample.push_str(prefix(text, room));
    }
    match detect(&sample) {
        Some((code, script)) => DocumentLanguage { code, script: Some(script) },
        None => DocumentLanguage { code: UNDETERMINED, script: None },
    }
}

/// The language of one paragraph of a document in `doc`'s language: the
/// document's, unless most of the paragraph's letters are of another
/// script, which is then detected on the paragraph alone. Both look at the
/// paragraph's first [`SAMPLE_BYTES`] only (a paragraph may be 64 KiB).
pub(crate) fn of_paragraph(text: &str, doc: &DocumentLanguage) -> &'static str {
    let text = prefix(text, SAMPLE_BYTES);
    // Most paragraphs of English text: nothing to scan.
    if doc.script == Some(Script::Latin) && text.is_ascii() {
        return doc.code;
    }
    let Some(script) = script_of(text) else {
        return doc.code;
    };
    if doc.script.is_some_and(|own| family(own) == family(script)) {
        return doc.code;
    }
    detect(text).map_or(doc.code, |(code, _)| code)
}

/// The language of each paragraph of a document (see [`of_paragraph`]).
pub(crate) fn of_paragraphs(texts: &[&str]) -> Vec<&'static str> {
    let doc = of_document(texts);
    texts.iter().map(|text| of_paragraph(text, &doc)).collect()
}

/// The language and main script of `text`; `None` when it has no letters.
///
/// An unreliable detection (short text, or close scores) is still the best
/// guess among the languages of its script, except in Latin script, where
/// trigrams are easily misled: English earnings tables (`Shr loss 14 cts
/// vs loss 21 cts`, `Net 53.5 mln vs 180.9 mln`) score as French with full
/// confidence. A Latin-script text is therefore English, the language of
/// most of the news lede is for, unless it has few English function words
/// and either [`MIN_LATIN_LETTERS`] and a reliable detection of another
/// language, or, shorter, the function words of the language detected
/// ([`short_latin`]). The word counts come first: they are much cheaper
/// than the detection, which compares the text with the profile of every
/// Latin-script language.
fn detect(text: &str) -> Option<(&'static str, Script)> {
    let script = script_of(text)?;
    if script == Script::Latin {
        let words = latin_words(text);
        if words.english * 33 >= words.all.max(1) {
            return Some(("en", script));
        }
        if words.letters < MIN_LATIN_LETTERS {
            return Some((short_latin(text, &words).unwrap_or("en"), script));
        }
    }
    let info = whatlang::detect(text)?;
    let code = match info.lang() {
        lang if info.script() != Script::Latin || lang == Lang::Eng => code(lang),
        lang if info.is_reliable() => code(lang),
        _ => "en",
    };
    Some((code, info.script()))
}

/// The script most letters of `text` are in, as `whatlang` tells it (an
/// ASCII text with a letter is Latin, without looking further).
fn script_of(text: &str) -> Option<Script> {
    if text.is_ascii() {
        return text.bytes().any(|b| b.is_ascii_alphabetic()).then_some(Script::Latin);
    }
    whatlang::detect_script(text)
}

/// Fewest letters a Latin-script text needs (about a hundred words, a few
/// sentences) to be told apart from English: shorter ones are English.
pub(crate) const MIN_LATIN_LETTERS: usize = 500;

/// Words frequent in English and rare in the other Latin-script languages
/// `whatlang` knows: "the", "of" and "and" alone are about a tenth of
/// running English text. At least one word in 33 of these makes a text
/// English.
const ENGLISH_FUNCTION_WORDS: [&str; 12] =
    ["the", "of", "and", "that", "with", "from", "which", "were", "have", "has", "this", "its"];

/// Function words of the Latin-script languages lede stems (see
/// [`crate::analysis::snowball`]), rare in English text: what tells a short
/// French or German dispatch from an English earnings table, which trigrams
/// cannot.
const FUNCTION_WORDS: [(&str, &[&str]); 10] = [
    (
        "fr",
        &[
            "le", "la", "les", "l", "des", "du", "d", "au", "aux", "à", "un", "une", "est", "dans",
            "pour", "sur", "avec", "qui", "qu", "ont", "sont", "pas", "ne", "par", "il", "ils",
            "elle", "ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "mais", "et", "de",
            "en", "se",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "den", "dem", "des", "und", "ist", "sind", "war", "wurde",
            "nicht", "mit", "sich", "auf", "für", "von", "eine", "ein", "einer", "einen", "zu",
            "im", "auch", "wird", "werden", "nach", "bei", "aus", "hat", "haben", "es",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "al", "que", "un", "una", "por", "con", "para", "se", "su",
            "sus", "como", "más", "pero", "y", "de", "la", "en", "lo", "fue", "ha", "han", "está",
        ],
    ),
    (
        "it",
        &[
            "il", "i", "di", "che", "del", "della", "delle", "dei", "degli", "dell", "gli", "nel",
            "nella", "nelle", "negli", "nell", "al", "alla", "alle", "agli", "ai", "all", "dal",
            "dalla", "sul", "sulla", "sono", "ha", "hanno", "per", "un", "una", "con", "non", "è",
            "e", "le", "da", "la", "l", "anche",
        ],
    ),
    (
        "pt",
        &[
            "os", "as", "do", "da", "dos", "das", "que", "não", "em", "um", "uma", "para", "com",
            "por", "no", "na", "nos", "nas", "é", "foi", "ao", "aos", "de", "e", "o", "se",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "van", "de", "en", "niet", "zijn", "op", "met", "voor", "dat", "ook",
            "werd", "naar", "bij", "wordt", "is", "die", "er", "te",
        ],
    ),
    (
        "sv",
        &[
            "och", "att", "det", "som", "är", "för", "med", "inte", "på", "av", "en", "till",
            "har", "i",
        ],
    ),
    ("da", &["og", "af", "det", "til", "er", "som", "på", "med", "ikke", "den", "en", "har", "i"]),
    ("nb", &["og", "av", "til", "er", "som", "på", "med", "ikke", "det", "den", "en", "har", "i"]),
    (
        "ro",
        &["și", "în", "de", "la", "cu", "pe", "că", "care", "nu", "din", "un", "o", "fost", "a"],
    ),
];

/// The language of a Latin-script text too short for trigrams alone (and
/// with few English function words): the one `whatlang` ranks first, if
/// at least three of the text's words and one in eight are its function words.
fn short_latin(text: &str, words: &LatinWords) -> Option<&'static str> {
    let code = code(whatlang::detect_lang(text)?);
    let (_, function_words) = FUNCTION_WORDS.iter().find(|(c, _)| *c == code)?;
    let found = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() <= 6 && function_words.iter().any(|f| f.eq_ignore_ascii_case(w)))
        .count();
    (found >= 3 && found * 8 >= words.all).then_some(code)
}

/// Letters, words and English function words of a text.
struct LatinWords {
    letters: usize,
    all: usize,
    english: usize,
}

fn latin_words(text: &str) -> LatinWords {
    let mut counts = LatinWords { letters: 0, all: 0, english: 0 };
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        counts.all += 1;
        counts.letters += word.chars().count();
        if word.len() <= 5 && ENGLISH_FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(word)) {
            counts.english += 1;
        }
    }
    counts
}

/// Scripts that mark the same languages: Japanese mixes kanji with kana,
/// so a paragraph mostly of kanji is still the Japanese document's.
fn family(script: Script) -> Script {
    match script {
        Script::Hiragana | Script::Katakana => Script::Mandarin,
        other => other,
    }
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a
/// character boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detected_language_has_one_two_letter_code() {
        for lang in Lang::all() {
            let code = code(*lang);
            assert_eq!(code.len(), 2, "{lang:?}");
            assert_eq!(CODES.iter().filter(|(_, c)| *c == code).count(), 1, "{code}");
        }
    }

    #[test]
    fn users_name_languages_by_code_or_name_in_any_case() {
        for name in ["ru", "RU", "rus", "Russian", "russian", "Русский", " ru "] {
            assert_eq!(parse(name), Some("ru"), "{name}");
        }
        assert_eq!(parse("uk"), Some("uk"));
        assert_eq!(parse("Ukrainian"), Some("uk"));
        assert_eq!(parse("kor"), Some("ko"));
        assert_eq!(parse("Chinese"), Some("zh"));
        assert_eq!(parse("cmn"), Some("zh"));
        assert_eq!(parse("Mandarin"), Some("zh"));
        assert_eq!(parse("ja"), Some("ja"));
        assert_eq!(parse("ger"), Some("de"));
        assert_eq!(parse("und"), Some("und"));
        for unknown in ["", "xx", "english2", "Klingon"] {
            assert_eq!(parse(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn documents_in_each_script() {
        let lang = |text: &str| of_document(&[text]).code;
        assert_eq!(
            lang(
                "North Korean troops fought alongside Russian forces in the Kursk region, \
                 South Korea's intelligence service said on Friday."
            ),
            "en"
        );
        assert_eq!(
            lang("В Курской области продолжаются бои, сообщили в Министерстве обороны России."),
            "ru"
        );
        assert_eq!(
            lang("Українські військові повідомили про нові атаки на Курщині, де тривають бої."),
            "uk"
        );
        assert_eq!(lang("김정은 국무위원장이 평양에서 회의를 주재했다."), "ko");
        assert_eq!(lang("朝鲜最高领导人金正恩在平壤主持会议。"), "zh");
        assert_eq!(lang("北朝鮮の兵士がロシアのクルスク州で戦っていると報じられた。"), "ja");
        let german = "Nordkoreanische Soldaten kämpfen nach Angaben des südkoreanischen \
                      Geheimdienstes an der Seite russischer Truppen in der Region Kursk. ";
        assert_eq!(lang(&german.repeat(6)), "de");
        let french = "Des soldats nord-coréens combattent aux côtés des forces russes dans \
                      la région de Koursk, selon les services de renseignement sud-coréens. ";
        assert_eq!(lang(&french.repeat(6)), "fr");
        assert_eq!(lang("1,500 — 2,000 (2024)"), UNDETERMINED);
        assert_eq!(of_paragraphs(&[]), Vec::<&str>::new());
    }

    #[test]
    fn short_latin_text_and_english_tables_are_english() {
        assert_eq!(of_document(&["Floods in Valencia", "The river rose."]).code, "en");
        // Trigrams call these French, sure of it (Reuters' earnings reports).
        let table = [
            "KAPOK CORP <KPK> 1ST QTR DEC 31 LOSS",
            "CLEARWATER, Fla., March 2 - Shr loss 14 cts vs loss 21 cts",
            "Net loss 353,000 vs loss 541,000",
            "Revs 2,668,000 vs 2,525,000",
            "Avg shrs 2,452,3000 vs 2,552,300",
        ];
        assert_eq!(of_document(&table).code, "en");
        let mut long_table = table.repeat(5);
        long_table.push(
            "NOTE: Net includes loan loss provisions of 40 mln dlrs vs 48 mln dlrs in \
             quarter and 748 mln dlrs vs 217 mln dlrs in nine mths.",
        );
        assert_eq!(of_document(&long_table).code, "en");
        // A short dispatch in another language is told by its function words.
        let dispatch = "Le président a dissous l’Assemblée nationale dimanche soir. Les \
                        élections auront lieu dans trois semaines.";
        assert_eq!(of_document(&[dispatch]).code, "fr");
        let dispatch = "Die Gewerkschaft der Lokführer hat zu neuen Streiks aufgerufen. Im \
                        ganzen Land fallen Züge aus.";
        assert_eq!(of_document(&[dispatch]).code, "de");
        let dispatch = "Due forti scosse hanno colpito le province dell’Appennino centrale nella \
                        notte. Centinaia di sfollati hanno dormito nelle tende.";
        assert_eq!(of_document(&[dispatch]).code, "it");
        // A short German paragraph in an English document stays English.
        let german = "Nordkoreanische Soldaten kämpfen in der Region Kursk.";
        assert_eq!(of_paragraphs(&["Troops in Kursk", german]), ["en", "en"]);
    }

    #[test]
    fn only_a_paragraph_of_another_script_is_detected_alone() {
        let paragraphs = [
            "North Korean troops in Kursk",
            "North Korean troops fought alongside Russian forces in the Kursk region, \
             South Korea's intelligence service said on Friday, citing captured soldiers.",
            // Short, and alone it might pass for another Latin-script language.
            "Ja, natürlich.",
            "В Курской области продолжаются бои, сообщили в Министерстве обороны России.",
            "Моё мнение",
            "김정은 국무위원장이 평양에서 회의를 주재했다.",
            "2024 — 1,500",
        ];
        assert_eq!(of_paragraphs(&paragraphs), ["en", "en", "en", "ru", "ru", "ko", "en"]);
    }

    #[test]
    fn kanji_paragraphs_stay_in_a_japanese_document() {
        let paragraphs = [
            "北朝鮮の兵士がロシアのクルスク州で戦っていると韓国の情報機関が発表した。",
            "金正恩総書記",
        ];
        assert_eq!(of_paragraphs(&paragraphs), ["ja", "ja"]);
    }

    #[test]
    fn the_sample_is_bounded_and_cut_on_a_character_boundary() {
        let long = "Ж".repeat(SAMPLE_BYTES);
        assert_eq!(prefix(&long, 5), "ЖЖ");
        // A long English document whose tail is Russian is English.
        let english = "The ministry said the troops had been moved to the front. ".repeat(80);
        let russian = "Министерство сообщило, что войска переброшены на фронт. ".repeat(80);
        let doc = of_document(&[&english, &russian]);
        assert_eq!(doc.code, "en");
        assert_eq!(of_paragraph(&russian, &doc), "ru");
    }
}
