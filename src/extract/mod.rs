//! Pure extraction of annotations from paragraph text: entities, dates
//! and the language. Nothing here does I/O at call time or knows about tantivy.
//!
//! [`annotate`] is what the indexer calls: it runs every extractor over the
//! paragraphs of one document, so document-level context (a dateline, an
//! alias introduced earlier) is shared across paragraphs.

pub(crate) mod dates;
pub mod entities;
pub(crate) mod language;

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn windows_tag_every_paragraph_once_and_alike_when_short() {
        let paragraph = "Vladimir Putin met Kim Jong Un in Moscow on Tuesday.";
        let many: Vec<&str> = vec![paragraph; 2 * ENTITY_WINDOW_BYTES / paragraph.len()];
        let windowed = entities_in_windows(&many);
        assert_eq!(windowed.len(), many.len());
        let whole = entities::extract_document(&many[..3]);
        assert_eq!(&windowed[..3], &whole[..]);
        assert_eq!(windowed.first(), windowed.last());
    }
}

use crate::split::Document;

/// Everything extracted from one paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Annotations {
    pub entities: Vec<entities::EntityMention>,
    pub(crate) dates: Vec<dates::DateMention>,
    /// ISO 639-1 code of the paragraph's language (see [`language`]).
    pub(crate) lang: &'static str,
}

/// Which extractors run. All of them normally; turning some off is for
/// measuring what each costs (`lede index --extract`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extractors {
    pub entities: bool,
    pub(crate) dates: bool,
}

impl Default for Extractors {
    fn default() -> Extractors {
        Extractors { entities: true, dates: true }
    }
}

/// Most text, in bytes, the entity tagger sees as one document. Its
/// document-level tables and per-token buffers grow with the document, to
/// about 60 bytes of memory per byte of text: a 49 MB file tagged whole took
/// 3 GB. Longer files are tagged a window of whole paragraphs at a time, so
/// alias resolution ("Putin" after "Vladimir Putin") reaches about 512 KiB
/// back, which spans any real news article.
pub(crate) const ENTITY_WINDOW_BYTES: usize = 512 * 1024;

/// Entities of each paragraph, tagging consecutive paragraphs up to
/// [`ENTITY_WINDOW_BYTES`] together. The windows of one big file are tagged
/// on all cores: the indexer gives each file to one worker, so without this
/// a single huge file would run on one core.
fn entities_in_windows(texts: &[&str]) -> Vec<Vec<entities::EntityMention>> {
    let windows = windows(texts);
    if windows.len() < 2 {
        return entities::extract_document(texts);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(windows.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let tagged: Vec<Vec<(usize, Vec<Vec<entities::EntityMention>>)>> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(window) = windows.get(i) else { break };
                            done.push((i, entities::extract_document(&texts[window.clone()])));
                        }
                        done
                    })
                })
                .collect();
            // A worker that panicked loses its windows' entities, not the file.
            workers.into_iter().filter_map(|w| w.join().ok()).collect()
        });
    let mut by_window: Vec<Option<Vec<Vec<entities::EntityMention>>>> = vec![None; windows.len()];
    for (i, found) in tagged.into_iter().flatten() {
        by_window[i] = Some(found);
    }
    by_window
        .into_iter()
        .zip(&windows)
        .flat_map(|(found, window)| found.unwrap_or_else(|| vec![Vec::new(); window.len()]))
        .collect()
}

/// Consecutive paragraph ranges of at most [`ENTITY_WINDOW_BYTES`] of text
/// each (a longer paragraph alone).
fn windows(texts: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut windows = Vec::new();
    let mut start = 0;
    while start < texts.len() {
        let mut end = start + 1;
        let mut bytes = texts[start].len();
        while end < texts.len() && bytes + texts[end].len() <= ENTITY_WINDOW_BYTES {
            bytes += texts[end].len();
            end += 1;
        }
        windows.push(start..end);
        start = end;
    }
    windows
}

/// Annotations for each paragraph of `doc`, in order (the title included),
/// by the chosen extractors. (Numbers are not
/// extracted here: the analysers make each one a single term. The language
/// is always detected: it costs little and the index holds it.)
pub(crate) fn annotate_with(doc: &Document, extractors: Extractors) -> Vec<Annotations> {
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let entities = if extractors.entities {
        entities_in_windows(&texts)
    } else {
        vec![Vec::new(); texts.len()]
    };
    let dates = if extractors.dates {
        dates::extract_document_published(&texts, doc.published.map(|p| p.date()))
    } else {
        vec![Vec::new(); texts.len()]
    };
    let langs = language::of_paragraphs(&texts);
    entities
        .into_iter()
        .zip(dates)
        .zip(langs)
        .map(|((entities, dates), lang)| Annotations { entities, dates, lang })
        .collect()
}
