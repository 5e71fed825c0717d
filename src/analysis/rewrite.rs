//! The plumbing shared by lede's token filters: a filter that rewrites each
//! token's text through a [`RewriteToken`] rule, swapping buffers so that a
//! token stream allocates nothing once its buffers have grown. Each rule (and
//! its token table tests) lives in its own module; this one owns only the
//! tantivy `TokenFilter` / `Tokenizer` / `TokenStream` glue.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A rule that rewrites one token's text.
pub(crate) trait RewriteToken: Clone + Send + Sync + 'static {
    /// Writes the new text into `out` (which is empty) and returns true, or
    /// returns false to leave the token as it is (the cheap common case).
    fn rewrite(&self, text: &str, out: &mut String) -> bool;
}

/// A tantivy [`TokenFilter`] applying the rule `R` to every token.
#[derive(Clone)]
pub(crate) struct Rewrite<R>(pub R);

impl<R: RewriteToken> TokenFilter for Rewrite<R> {
    type Tokenizer<T: Tokenizer> = RewriteTokenizer<R, T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RewriteTokenizer<R, T> {
        RewriteTokenizer { rule: self.0, inner, buffer: String::new() }
    }
}

/// The tokenizer produced by [`Rewrite`]: the wrapped tokenizer plus the rule.
#[derive(Clone)]
pub(crate) struct RewriteTokenizer<R, T> {
    rule: R,
    inner: T,
    buffer: String,
}

impl<R: RewriteToken, T: Tokenizer> Tokenizer for RewriteTokenizer<R, T> {
    type TokenStream<'a> = RewriteTokenStream<'a, R, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewriteTokenStream {
            rule: &self.rule,
            buffer: &mut self.buffer,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`RewriteTokenizer`].
pub(crate) struct RewriteTokenStream<'a, R, S> {
    rule: &'a R,
    buffer: &'a mut String,
    tail: S,
}

impl<R: RewriteToken, S: TokenStream> TokenStream for RewriteTokenStream<'_, R, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        if self.rule.rewrite(&self.tail.token().text, self.buffer) {
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
