//! Quality evaluation against gold data (CoNLL-2003, TimeML, SMART test
//! collections).

pub mod dates;
pub mod html;
pub mod ir;
pub mod ner;
pub mod smart;
