//! Saved web pages: the article's main text only, found by `trafilatura`
//! (navigation, cookie banners, share bars, related stories, comments and
//! footers left out), with its title, publication date, author and canonical
//! URL. trafilatura's plain text joins paragraphs into one line, so its HTML
//! output is split here on block elements instead.

use scraper::{ElementRef, Html, Node};
use time::OffsetDateTime;

use super::{ReadDocument, ReadError, ReadParagraph};

/// Reads one web page as one document.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    read_page(&String::from_utf8_lossy(bytes)).map(|doc| vec![doc])
}

/// One HTML page as a document, wherever it comes from (a saved page, an
/// e-mail body, a WARC payload). A page too short for main-text extraction
/// (a newsletter, a one-paragraph notice) keeps all its visible text: with
/// so little there, nothing is worth leaving out.
pub(crate) fn read_page(html: &str) -> Result<ReadDocument, ReadError> {
    let options = trafilatura::Options::default().with_exclude_comments(true);
    let (title, mut paragraphs, meta) = match trafilatura::extract(html, &options) {
        Ok(extracted) => {
            let paragraphs = split_whole_page(blocks(&extracted.content_html), html);
            let paragraphs = without_chrome_when_short(paragraphs, html);
            (collapse_spaces(&extracted.metadata.title), paragraphs, Some(extracted.metadata))
        }
        Err(trafilatura::TrafilaturaError::InsufficientContent { .. }) => {
            let page = Html::parse_document(html);
            let paragraphs = visible_text_but_chrome(page.root_element());
            (page_title(&page), paragraphs, None)
        }
        Err(err) => {
            return Err(ReadError::Failed(format!("cannot extract the page's text: {err}")))
        }
    };
    if paragraphs.is_empty() {
        return Err(ReadError::Skipped("no article text found in this page".to_string()));
    }
    let title = match title.is_empty() {
        true => paragraphs.first().cloned().unwrap_or_default(),
        false => title,
    };
    // The page's headline often opens the main text as well; a page of one
    // line keeps it as its text.
    if paragraphs.len() > 1 && paragraphs.first() == Some(&title) {
        paragraphs.remove(0);
    }
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Ok(ReadDocument {
        title,
        published: stated_date(html, meta.as_ref().and_then(|meta| meta.date))
            .and_then(midnight_utc),
        url: meta.as_ref().and_then(|meta| nonempty(&meta.url)),
        author: meta.as_ref().and_then(|meta| nonempty(&meta.author)),
        paragraphs: paragraphs
            .into_iter()
            .map(|text| ReadParagraph { text, location: super::Location::Document })
            .collect(),
        ..ReadDocument::default()
    })
}

/// trafilatura's last resort on a short page keeps all its text as one
/// paragraph; when that paragraph is exactly the page's visible text, the
/// page's own block elements split it again.
fn split_whole_page(paragraphs: Vec<String>, html: &str) -> Vec<String> {
    if paragraphs.len() != 1 {
        return paragraphs;
    }
    let page = blocks_of(Html::parse_document(html).root_element());
    match page.len() > 1 && page.join(" ") == paragraphs[0] {
        true => page,
        false => paragraphs,
    }
}

/// The `<title>` of a parsed page, else its first `<h1>`.
fn page_title(page: &Html) -> String {
    ["title", "h1"]
        .iter()
        .filter_map(|name| scraper::Selector::parse(name).ok())
        .find_map(|selector| {
            let text = collapse_spaces(&page.select(&selector).next()?.text().collect::<String>());
            (!text.is_empty()).then_some(text)
        })
        .unwrap_or_default()
}

/// The text of each block element of `html` (paragraphs, headings, list
/// items, quotes, preformatted text, table rows with their cells joined), in
/// document order, whitespace collapsed; `<script>` and `<style>` dropped.
pub(crate) fn blocks(html: &str) -> Vec<String> {
    blocks_of(Html::parse_fragment(html).root_element())
}

fn blocks_of(root: ElementRef) -> Vec<String> {
    collect_blocks(root, false)
}

/// The blocks of a short page without what frames every page of a site:
/// navigation, header, footer, asides, forms and cookie or consent notices.
/// A page that holds nothing else (a login wall, a bare menu) has no text.
fn visible_text_but_chrome(root: ElementRef) -> Vec<String> {
    collect_blocks(root, true)
}

fn collect_blocks(root: ElementRef, without_chrome: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    collect(root, without_chrome, &mut current, &mut out);
    flush(&mut current, &mut out);
    out
}

/// Below this many characters, what trafilatura kept may be site chrome
/// (a login wall's menu): see [`without_chrome_when_short`].
const SHORT_PAGE_CHARS: usize = 200;

/// `paragraphs` without those that are text of the page's chrome, when they
/// are few: on a page that short, trafilatura's last resort keeps menu
/// links. Longer extractions are left alone, so a pull quote repeated in an
/// `<aside>` stays in the article.
fn without_chrome_when_short(paragraphs: Vec<String>, html: &str) -> Vec<String> {
    if paragraphs.iter().map(String::len).sum::<usize>() >= SHORT_PAGE_CHARS {
        return paragraphs;
    }
    let page = Html::parse_document(html);
    let content = visible_text_but_chrome(page.root_element()).join(" ");
    paragraphs.into_iter().filter(|paragraph| content.contains(paragraph.as_str())).collect()
}

/// Whether `element` is site chrome rather than content (see
/// [`visible_text_but_chrome`]).
fn is_chrome(element: &scraper::node::Element) -> bool {
    if matches!(element.name(), "nav" | "header" | "footer" | "aside" | "form" | "button") {
        return true;
    }
    let marks = |value: Option<&str>| {
        value.is_some_and(|value| {
            let value = value.to_ascii_lowercase();
            ["cookie", "consent", "gdpr"].iter().any(|mark| value.contains(mark))
        })
    };
    marks(element.attr("class")) || marks(element.attr("id"))
}

fn collect(element: ElementRef, without_chrome: bool, current: &mut String, out: &mut Vec<String>) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(el) => {
                let name = el.name();
                if matches!(name, "script" | "style" | "noscript" | "template" | "head" | "svg") {
                    continue;
                }
                if without_chrome && is_chrome(el) {
                    continue;
                }
                let Some(child) = ElementRef::wrap(child) else { continue };
                let block = is_block(name);
                if block {
                    flush(current, out);
                }
                if matches!(name, "br" | "td" | "th") {
                    current.push(' ');
                }
                collect(child, without_chrome, current, out);
                if block {
                    flush(current, out);
                } else if matches!(name, "td" | "th") {
                    current.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "pre"
            | "tr"
            | "div"
            | "section"
            | "article"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "figcaption"
            | "table"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "figure"
            | "hr"
    )
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let text = collapse_spaces(current);
    current.clear();
    if !text.is_empty() {
        out.push(text);
    }
}

/// Runs of whitespace (non-breaking spaces included) as one space, trimmed.
fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `found` unless it is a year guessed from the page's text. trafilatura's
/// full date search ends with any year the page holds (a copyright line,
/// "founded in 1998") as its January 1st, which would date and anchor a page
/// that states no date; its fast search reads only what a page states
/// (metadata, JSON-LD, `<time>`, date elements, a "posted on" byline), so a
/// January 1st stands only when the fast search finds it too. A full search
/// still finds stamps such as "[입력시간 : 2018-08-25 15:24]".
fn stated_date(html: &str, found: Option<chrono::NaiveDate>) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let date = found?;
    if (date.month(), date.day()) != (1, 1) {
        return Some(date);
    }
    let fast = trafilatura::Options::default()
        .with_exclude_comments(true)
        .with_html_date_mode(trafilatura::HtmlDateMode::Fast);
    trafilatura::extract(html, &fast).ok()?.metadata.date.filter(|stated| *stated == date)
}

fn midnight_utc(date: chrono::NaiveDate) -> Option<OffsetDateTime> {
    use chrono::Datelike;
    let month = time::Month::try_from(u8::try_from(date.month()).ok()?).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    let date = time::Date::from_calendar_date(date.year(), month, day).ok()?;
    Some(date.midnight().assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<title>Port strike ends | Example News</title>
<meta property="og:title" content="Port strike ends after nine days">
<meta property="article:published_time" content="2024-08-06T09:30:00Z">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://news.example.com/port-strike">
<script>var tracking = "zzscriptword";</script><style>p { color: red }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article>
<h1>Port strike ends after nine days</h1>
<p>Dock workers at the port of Antwerp returned to work on Tuesday after a nine-day strike over pay that had left hundreds of container ships waiting offshore.</p>
<p>The union said its members had accepted an offer of a 6&nbsp;percent rise over two years, with a one-off payment of &euro;1,200 for every worker.</p>
<blockquote>We fought for every cent of this, said the union's leader, who asked the port authority for talks on safety next.</blockquote>
<table><tr><td>Ships waiting</td><td>312</td></tr></table>
<p>Shipping lines warned that clearing the backlog would take at least two weeks, and some retailers said deliveries before the autumn would be delayed.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Rail strike looms</a></li></ul></aside>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"#;

    #[test]
    fn reads_main_text_title_date_author_and_url() {
        let docs = read(PAGE.as_bytes()).unwrap();
        let doc = &docs[0];
        assert_eq!(doc.title, "Port strike ends after nine days");
        let date = doc.published.unwrap().date();
        assert_eq!(date.to_string(), "2024-08-06");
        assert_eq!(doc.author.as_deref(), Some("Jane Doe"));
        assert_eq!(doc.url.as_deref(), Some("https://news.example.com/port-strike"));
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert!(texts[0].starts_with("Dock workers at the port of Antwerp"), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("6 percent rise") && t.contains("€1,200")));
        let all = texts.join("\n");
        for boilerplate in ["cookies", "Related stories", "Copyright", "zzscriptword", "Home"] {
            assert!(!all.contains(boilerplate), "{boilerplate} kept: {all}");
        }
    }

    /// A year in the text or a copyright line does not date a page; a
    /// January 1st the page states does.
    #[test]
    fn only_a_stated_date_dates_a_page() {
        let article = "<article><h1>Port strike ends</h1>\
            <p>Dock workers in Klaipeda returned to work after the union accepted a new pay \
            offer from the port authority, ending a strike that had halted container traffic.</p>\
            <p>Founded in 1998, the union represents about 1,200 workers across three terminals \
            and had demanded a raise of twelve percent over two years of talks.</p></article>\
            <footer>© 2019 Baltic Wire</footer>";
        let undated =
            format!("<html><head><title>Port strike</title></head><body>{article}</body></html>");
        assert_eq!(read(undated.as_bytes()).unwrap()[0].published, None);
        let stated = format!(
            "<html><head><title>Port strike</title><meta property=\"article:published_time\" \
             content=\"2025-01-01T09:00:00Z\"></head><body>{article}</body></html>"
        );
        let published = read(stated.as_bytes()).unwrap()[0].published.unwrap();
        assert_eq!(published.date().to_string(), "2025-01-01");
    }

    #[test]
    fn blocks_split_paragraphs_and_join_table_rows() {
        let html = "<div><h2>Head</h2><p>One <b>bold</b>\n word.</p><ul><li>a</li><li>b</li></ul>\
                    <table><tr><td>x</td><td>1</td></tr></table><script>no()</script></div>";
        assert_eq!(blocks(html), ["Head", "One bold word.", "a", "b", "x 1"]);
    }

    #[test]
    fn a_page_of_site_chrome_only_is_skipped() {
        let pages = [
            "<html><body><nav>menu</nav></body></html>",
            "<html><head><title>Login required</title></head><body><nav><a href=\"/\">Home</a>\
             </nav><div class=\"cookie-banner\">We use cookies. Accept all?</div>\
             <footer>Copyright 2024 Example Media.</footer></body></html>",
        ];
        for page in pages {
            let err = read(page.as_bytes()).unwrap_err();
            assert!(matches!(err, ReadError::Skipped(_)), "{page}: {err:?}");
        }
        // A short notice keeps its text.
        let notice =
            "<html><body><nav>Home</nav><p>The office is closed on Friday.</p></body></html>";
        let doc = &read(notice.as_bytes()).unwrap()[0];
        assert_eq!(doc.title, "The office is closed on Friday.");
    }

    #[test]
    fn a_page_with_no_body_is_skipped() {
        let err = read(b"<html><head><title>Empty</title></head></html>").unwrap_err();
        assert!(matches!(err, ReadError::Skipped(_)), "{err:?}");
    }
}
