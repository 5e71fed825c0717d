//! CoNLL-2003 NER evaluation (filled in by the entities work).
