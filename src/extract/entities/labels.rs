//! The tagger's label set (BILOU over the four entity kinds) and conversions
//! between label sequences, entity spans and CoNLL IOB1 tags. BILOU (Begin,
//! Inside, Last, Outside, Unit) lets the model learn where names end, which
//! scores better than IOB for the same features (Ratinov & Roth, 2009).

use super::EntityKind;

/// Number of labels: `O` plus B/I/L/U for each of the four kinds.
pub(crate) const NUM_LABELS: usize = 17;
/// The outside label.
pub(crate) const OUTSIDE: u8 = 0;

/// Position of a token inside an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// An entity as a token range `[start, end)` with its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}

const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Org, EntityKind::Place, EntityKind::Misc];

fn kind_index(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Place => 2,
        EntityKind::Misc => 3,
    }
}

/// Small integer code of a kind (1..=4), used in first-pass hint features.
pub(crate) fn kind_code(kind: EntityKind) -> u8 {
    kind_index(kind) + 1
}

/// The label for `part` of an entity of `kind`.
pub(crate) fn label(kind: EntityKind, part: Part) -> u8 {
    let p = match part {
        Part::Begin => 0,
        Part::Inside => 1,
        Part::Last => 2,
        Part::Unit => 3,
    };
    1 + 4 * kind_index(kind) + p
}

/// Splits a label into kind and part; `None` for `O`.
pub(crate) fn decode(label: u8) -> Option<(EntityKind, Part)> {
    if label == OUTSIDE || label as usize >= NUM_LABELS {
        return None;
    }
    let l = label - 1;
    let part = match l % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((KINDS[(l / 4) as usize], part))
}

/// Whether `next` may follow `prev` in a well-formed BILOU sequence
/// (`prev = None` at the start of a sentence).
pub(crate) fn allowed(prev: Option<u8>, next: u8) -> bool {
    let open = prev.and_then(decode).filter(|(_, p)| matches!(p, Part::Begin | Part::Inside));
    match (open, decode(next)) {
        (Some((k, _)), Some((k2, Part::Inside | Part::Last))) => k == k2,
        (Some(_), _) => false,
        (None, Some((_, Part::Inside | Part::Last))) => false,
        (None, _) => true,
    }
}

/// Whether a sentence may end after `last`.
pub(crate) fn allowed_end(last: u8) -> bool {
    !matches!(decode(last), Some((_, Part::Begin | Part::Inside)))
}

/// BILOU labels for `len` tokens holding `spans` (non-overlapping).
pub(crate) fn encode_spans(len: usize, spans: &[Span]) -> Vec<u8> {
    let mut labels = vec![OUTSIDE; len];
    for s in spans {
        if s.end - s.start == 1 {
            labels[s.start] = label(s.kind, Part::Unit);
        } else {
            labels[s.start] = label(s.kind, Part::Begin);
            for l in &mut labels[s.start + 1..s.end - 1] {
                *l = label(s.kind, Part::Inside);
            }
            labels[s.end - 1] = label(s.kind, Part::Last);
        }
    }
    labels
}

/// Entity spans in a BILOU label sequence. Tolerates ill-formed input by
/// closing an open entity at any label that cannot continue it.
pub(crate) fn decode_spans(labels: &[u8]) -> Vec<Span> {
    let mut spans = Vec::new();
    decode_spans_into(labels, &mut spans);
    spans
}

/// [`decode_spans`] into `spans` (cleared first), so a caller decoding
/// sentence after sentence reuses one buffer.
pub(crate) fn decode_spans_into(labels: &[u8], spans: &mut Vec<Span>) {
    spans.clear();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let d = decode(l);
        if let Some((start, kind)) = open {
            match d {
                Some((k, Part::Inside)) if k == kind => continue,
                Some((k, Part::Last)) if k == kind => {
                    spans.push(Span { start, end: i + 1, kind });
                    open = None;
                    continue;
                }
                _ => {
                    spans.push(Span { start, end: i, kind });
                    open = None;
                }
            }
        }
        match d {
            Some((kind, Part::Unit)) => spans.push(Span { start: i, end: i + 1, kind }),
            Some((kind, Part::Last)) => spans.push(Span { start: i, end: i + 1, kind }),
            Some((kind, Part::Begin | Part::Inside)) => open = Some((i, kind)),
            None => {}
        }
    }
    if let Some((start, kind)) = open {
        spans.push(Span { start, end: labels.len(), kind });
    }
}

/// The entity kind of a CoNLL type name (`PER`, `ORG`, `LOC`, `MISC`).
pub(crate) fn kind_from_conll(name: &str) -> Option<EntityKind> {
    match name {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Org),
        "LOC" => Some(EntityKind::Place),
        "MISC" => Some(EntityKind::Misc),
        _ => None,
    }
}

/// Entity spans of CoNLL IOB/IOB1 tags, with conlleval's chunk rules: an
/// entity starts at `B-X`, or at `I-X` after anything but `X`.
pub(crate) fn spans_from_iob(tags: &[&str]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, kind) = match tag.split_once('-') {
            Some((p, t)) => (p, kind_from_conll(t)),
            None => ("O", None),
        };
        let continues =
            matches!((open, kind), (Some((_, k)), Some(k2)) if k == k2 && prefix == "I");
        if continues {
            continue;
        }
        if let Some((start, k)) = open.take() {
            spans.push(Span { start, end: i, kind: k });
        }
        if let Some(k) = kind {
            open = Some((i, k));
        }
    }
    if let Some((start, kind)) = open {
        spans.push(Span { start, end: tags.len(), kind });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_to_spans_to_bilou_round_trip() {
        let tags = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG", "I-ORG", "I-ORG", "I-MISC"];
        let spans = spans_from_iob(&tags);
        assert_eq!(
            spans,
            vec![
                Span { start: 0, end: 2, kind: EntityKind::Person },
                Span { start: 3, end: 4, kind: EntityKind::Place },
                Span { start: 4, end: 5, kind: EntityKind::Place },
                Span { start: 5, end: 8, kind: EntityKind::Org },
                Span { start: 8, end: 9, kind: EntityKind::Misc },
            ]
        );
        let labels = encode_spans(tags.len(), &spans);
        assert_eq!(decode_spans(&labels), spans);
        for w in labels.windows(2) {
            assert!(allowed(Some(w[0]), w[1]));
        }
        assert!(allowed_end(*labels.last().unwrap()));
    }

    #[test]
    fn transitions_reject_broken_entities() {
        let b_per = label(EntityKind::Person, Part::Begin);
        let l_per = label(EntityKind::Person, Part::Last);
        let l_org = label(EntityKind::Org, Part::Last);
        assert!(allowed(Some(b_per), l_per));
        assert!(!allowed(Some(b_per), l_org));
        assert!(!allowed(Some(b_per), OUTSIDE));
        assert!(!allowed(None, l_per));
        assert!(!allowed_end(b_per));
    }
}
