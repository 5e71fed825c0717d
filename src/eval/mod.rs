//! Quality evaluation against gold data (CoNLL-2003, TimeML).

pub mod dates;
pub mod html;
pub mod ner;
