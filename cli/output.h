// How results look: on a terminal (highlighted when colour is on) and as JSON Lines.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "fundstelle/fundstelle.h"
#include "json_writer.h"

namespace fundstelle::cli {

// `s` for a terminal: line breaks become spaces, and control characters (C0, DEL, C1: escape sequences could
// retitle or recolour the terminal) become U+FFFD, one for one, so that offsets still count the same characters.
std::string one_line(std::string s);
// The lines above the hits: a spelling correction ("showing results for" / "did you mean"), the synonyms and
// other forms searched as well ("also searched"), the words the index holds nowhere and those left out, then a
// blank line (none with `blank_line` false, when no hits follow).
void print_notes_terminal(std::ostream& out, const SearchResults& results, bool color, bool blank_line = true);
void print_hit_terminal(std::ostream& out, const Hit& hit, bool color);
// The facet counts, a line each ("author: Anna Meier (3), …"); nothing when none were asked for.
void print_facets_terminal(std::ostream& out, const SearchResults& results, bool color);
// The facet counts as JSON: [{"name", "passages", "values": [{"value", "count"}]}].
nlohmann::json facets_json(const std::vector<Facet>& facets);
// Article fields shown with each hit are cut to this many code points, an ellipsis added: a title of a
// megabyte in one article must not make every answer that finds it a megabyte per hit. (The passage text is
// bounded by the segmenter; the article id is shown whole, as it is the key to the article.)
inline constexpr std::size_t kMaxShownTitle = 300;  // title and section heading
inline constexpr std::size_t kMaxShownUrl = 2048;
using base::clip;

// Whether a hit carries a `snippet` (the passage text, HTML-escaped, with tags around each highlight; asked
// for: it doubles the text in every answer), and its tags, inserted as given.
struct SnippetTags {
  bool wanted = false;
  std::string pre = "<mark>", post = "</mark>";
};
// The JSON members of one hit, without the query-level fields (query_members). Which of them: All (`search
// --json`), Search (the service's hits: the article's fields stand once per article beside them,
// article_members), Stored (a passage on its article's page: no rank, score, highlights, snippet, explanation
// or article fields, and an article passage's author given with the article).
enum class HitFields { All, Search, Stored };
void hit_members(JsonObject& o, const Hit& hit, const SnippetTags& tags, HitFields which);
// The fields of a hit that are its article's: title, url, published, tags.
void article_members(JsonObject& o, const Hit& hit);
// The passage text as HTML (escaped), each highlight between the tags.
std::string snippet_html(const Hit& hit, const SnippetTags& tags);
// The host of a URL (https://www.example.org:8080/a → www.example.org), or "" if it has none.
std::string host_of(const std::string& url);
// `text` with &, <, >, " and ' as HTML character references.
std::string html_escape(std::string_view text);
// The query-level fields: expansions, ignored, unknown, and suggestion, corrected and corrections where there
// is a correction.
void query_members(JsonObject& o, const SearchResults& results);
std::string dump(const nlohmann::json& j);

// One JSON object per hit; the query-level fields (expansions, suggestion, corrected) are repeated on each
// line so that every line stands alone.
void print_hit_json(std::ostream& out, const Hit& hit, const SearchResults& results, const SnippetTags& tags = {});
// The closing line of `search --json`, `"type": "summary"`: what was asked and found, and how long it took;
// also after no hits, so that a script tells "no more results" from a search that stopped.
void print_summary_json(std::ostream& out, const std::string& query, const SearchOptions& options,
                        const SearchResults& results, double milliseconds);
// Where an indexing run stands, as one terminal line (without its line end): phase, percentage, megabytes
// read of the total, articles read and written, passages, rate and time left, and the file being read.
std::string progress_line(const IndexProgress& p);
// The same as a JSON object, `"type": "progress"` (`index --progress json`).
nlohmann::json progress_json(const IndexProgress& p);

// The query (or, when long, the part around `position`) and a line with a caret under that code point.
std::string query_with_caret(const std::string& query, std::size_t position);

}  // namespace fundstelle::cli
