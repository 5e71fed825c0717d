//! TEMPORARY stand-in until the analysis branch lands.
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer, TextAnalyzer, TokenizerManager,
};
pub const TEXT: &str = "lede_text";
pub const EXACT: &str = "lede_exact";
pub const TRANSLIT: &str = "lede_translit";
pub const KEYWORD: &str = "lede_keyword";
pub fn register(m: &TokenizerManager) {
    m.register(
        TEXT,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    m.register(EXACT, TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build());
    m.register(
        TRANSLIT,
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build(),
    );
    m.register(KEYWORD, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}
