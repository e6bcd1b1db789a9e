// HTML article pages (.html, .htm, .xhtml): one page is one article. The page's bytes are decoded from the
// charset it declares (byte order mark, <meta charset>, http-equiv; else UTF-8 when valid, else windows-1252,
// as browsers do), parsed with gumbo (a spec-conformant HTML5 parser: broken markup is repaired as a browser
// repairs it) and reduced to what a reader of the article reads:
//   - metadata: title (og:title, the article's h1, else <title> without the site's name), date
//     (article:published_time, JSON-LD datePublished, <time datetime>), author (JSON-LD, meta author,
//     rel=author), canonical url (link rel=canonical, og:url), tags (article:tag, meta keywords), language;
//   - the main text: the page's blocks (paragraphs, headings, list items, quotes, table cells) without the page
//     frame. Elements that never hold article text (script, style, nav, header, footer, aside, form, ...) and
//     those whose class or id names page furniture (navigation, cookie, share, newsletter, related, ad, ...) are
//     left out; where the page marks its article (itemprop=articleBody, <article>, <main>) only that is read;
//     the rest is classified block by block by length, link density and share of stopwords (jusText's
//     measures), short blocks by their neighbours. Headings stay, each its own paragraph, so that the passages
//     under them get them as their section;
//   - reader comments where the page marks them (schema.org Comment, WordPress comment lists, elements whose
//     class or id says comment): each one a comment with its own author and date; comment forms and "reply"
//     links are not text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"

namespace fundstelle::indexer {

struct HtmlParse {
  Article article;
  std::string charset;                // the charset the bytes were decoded from (as ICU names it)
  std::string language;               // <html lang>, as written; empty when the page does not say
  std::vector<std::string> warnings;  // what a reader of the index should know (a page not in German, ...)
};

// Never throws on content. `raw` is the file's bytes in any charset; the article gets `id` and `source`.
// `transport_charset`, when not empty, is the charset the page came with (HTTP's Content-Type): it counts
// before what the page declares, as the HTML standard says.
HtmlParse parse_html_article(std::string_view raw, const std::string& id, const std::string& source,
                             const std::string& transport_charset = {});

// The charset of a Content-Type (`text/html; charset=x`, also a <meta http-equiv> content), lower case, or empty.
std::string charset_in_content(std::string_view content);

// The paragraphs of an HTML fragment in UTF-8 that is all article (a feed item's content: no page frame to
// leave out): every block of text, entities decoded, white space collapsed; scripts, styles, forms and the
// like are not text. Invalid UTF-8 is repaired.
std::vector<std::string> html_paragraphs(std::string_view html);

}  // namespace fundstelle::indexer
