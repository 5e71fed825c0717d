//! Quality evaluation against gold data (CoNLL-2003, TimeML, SMART test
//! collections).

pub(crate) mod dates;
pub(crate) mod html;
pub(crate) mod ir;
pub mod ner;
pub(crate) mod smart;
