#include "page.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "output.h"

namespace fundstelle::cli {

namespace {

// `text` percent-encoded for a query string (RFC 3986 unreserved characters kept).
std::string url_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else base::append_percent_escaped(out, c);
  }
  return out;
}

// The page's own URL for this search at `offset` (as the script's pageUrl makes it), HTML-escaped.
std::string page_url(const PageSearch& s, const std::string& query, std::size_t offset) {
  std::string url = "?q=" + url_encoded(query);
  for (const auto& a : s.options.authors) url += "&author=" + url_encoded(a);
  for (const auto& t : s.options.tags) url += "&tag=" + url_encoded(t);
  if (!s.options.published_from.empty()) url += "&from=" + url_encoded(s.options.published_from);
  if (!s.options.published_to.empty()) url += "&to=" + url_encoded(s.options.published_to);
  if (s.options.per_article != SearchOptions{}.per_article)
    url += "&per_article=" + std::to_string(s.options.per_article);
  if (s.options.sort == SortOrder::Newest) url += "&sort=newest";
  if (s.options.sort == SortOrder::Oldest) url += "&sort=oldest";
  if (offset) url += "&offset=" + std::to_string(offset);
  return html_escape(url);
}

// 2025-01-10… → 10.01.2025; "" for anything else.
std::string date_de(const std::string& iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return {};
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

// The host of an http(s) URL, or "" (no link for anything else: a javascript: URL in a feed stays text).
std::string web_host(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://") ? host_of(url) : std::string();
}

std::string hit_html(const Hit& h) {
  std::string out = "<li class=\"hit\" data-article=\"" + html_escape(h.article) + "\"><h2>" +
                    html_escape(clip(h.title.empty() ? h.article : h.title, kMaxShownTitle)) + "</h2>";
  out += "<div class=\"meta\"><span class=\"kind " + std::string(to_string(h.kind)) + "\">" +
         (h.kind == PassageKind::Comment ? "Leserkommentar" : "Artikel") + "</span>";
  const std::string date = date_de(h.kind == PassageKind::Comment && !h.comment_published.empty() ? h.comment_published
                                                                                                  : h.published);
  if (!date.empty()) out += " · " + html_escape(date);
  if (!h.author.empty()) out += " · von " + html_escape(clip(h.author, kMaxShownTitle));
  if (const std::string host = web_host(h.url); !host.empty())
    out += " · <a href=\"" + html_escape(clip(h.url, kMaxShownUrl)) + "\" rel=\"noopener noreferrer\">" +
           html_escape(host) + "</a>";
  out += " · " + html_escape(h.article) + " · Stelle " + std::to_string(h.ordinal + 1) + "</div>";
  if (!h.section.empty()) out += "<h3 class=\"section\">" + html_escape(clip(h.section, kMaxShownTitle)) + "</h3>";
  out += "<p class=\"text\">" + snippet_html(h, SnippetTags{true, "<mark>", "</mark>"}) + "</p></li>";
  return out;
}

// The lines above the hits: a correction or suggestion, and "11–20 von ~240 Treffern".
std::string notes_html(const PageSearch& s) {
  if (!s.results) return "<span class=\"error\">" + html_escape(s.error) + "</span>";
  const SearchResults& r = *s.results;
  std::string out;
  const auto link = [&](const std::string& text) {
    PageSearch plain;
    plain.options.sort = s.options.sort;
    return "<a href=\"" + page_url(plain, text, 0) + "\">" + html_escape(text) + "</a>";
  };
  if (r.corrected && !r.suggestion.empty()) {
    std::string words;
    for (const auto& c : r.corrections) words += (words.empty() ? "" : ", ") + c.word;
    out += "Ergebnisse für " + link(r.suggestion) + " (statt: " + html_escape(words) + ")<br>";
  } else if (!r.suggestion.empty()) {
    out += "Meinten Sie: " + link(r.suggestion) + "<br>";
  }
  const std::size_t offset = s.options.offset, shown = r.hits.size();
  if (shown == 0) return out + (offset ? "Keine weiteren Treffer." : "Keine Treffer.");
  const std::size_t n = std::max<std::size_t>(r.total_estimate, offset + shown);
  const bool exact = n == offset + shown && n <= s.page_size;
  return out + std::to_string(offset + 1) + "–" + std::to_string(offset + shown) + " von " + (exact ? "" : "~") +
         std::to_string(n) + (n == 1 ? " Treffer" : " Treffern");
}

// Replaces the first `marker` in `page` with `with`; the page is ours, so a marker not found is a bug that
// the page tests show (the page is then served without that part).
void put(std::string& page, std::string_view marker, const std::string& with) {
  if (const auto at = page.find(marker); at != std::string::npos) page.replace(at, marker.size(), with);
}

}  // namespace

std::string german_error(int status, const std::string& parameter, long position) {
  if (position >= 0)
    return "Die Suchanfrage ist fehlerhaft (bei Zeichen " + std::to_string(position + 1) +
           "), z. B. ein Anführungszeichen ohne Gegenstück.";
  if (status == 400 && !parameter.empty()) return "Die Angabe „" + parameter + "“ ist ungültig.";
  if (status == 400) return "Die Suchanfrage ist ungültig.";
  if (status == 503) return "Der Index ist gerade nicht verfügbar. Bitte gleich noch einmal versuchen.";
  if (status == 413 || status == 414 || status == 429) return "Die Anfrage ist zu groß.";
  return "Die Suche ist fehlgeschlagen (HTTP " + std::to_string(status) + ").";
}

std::string page_with_results(const std::string& page, const PageSearch& s) {
  std::string out = page;
  put(out, "<title>Fundstelle</title>", "<title>" + html_escape(s.query) + " – Fundstelle</title>");
  put(out, "name=\"q\" value=\"\"", "name=\"q\" value=\"" + html_escape(s.query) + "\"");
  if (s.options.sort == SortOrder::Newest) put(out, "<option value=\"newest\">", "<option value=\"newest\" selected>");
  if (s.options.sort == SortOrder::Oldest) put(out, "<option value=\"oldest\">", "<option value=\"oldest\" selected>");
  put(out, "<p class=\"notes\" id=\"notes\" aria-live=\"polite\"></p>",
      "<p class=\"notes\" id=\"notes\" aria-live=\"polite\">" + notes_html(s) + "</p>");
  std::string hits;
  if (s.results)
    for (const auto& h : s.results->hits) hits += hit_html(h);
  put(out, "<ol id=\"hits\"></ol>", "<ol id=\"hits\">" + hits + "</ol>");
  // Paging by links (the script's buttons need the script).
  std::string links;
  if (s.results && s.options.offset > 0)
    links += "<a href=\"" + page_url(s, s.query, s.options.offset - std::min(s.options.offset, s.page_size)) +
             "\">← Zurück</a>";
  if (s.results && s.results->hits.size() == s.page_size && s.options.offset + s.page_size <= kMaxOffset)
    links += "<a href=\"" + page_url(s, s.query, s.options.offset + s.page_size) + "\">Weiter →</a>";
  if (!links.empty()) put(out, "<!--paging-without-script-->", "<noscript><nav>" + links + "</nav></noscript>");
  return out;
}

}  // namespace fundstelle::cli
