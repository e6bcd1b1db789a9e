#include "indexer/html_parser.h"

#include <gumbo.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>

#include "analyzers/normalize.h"
#include "analyzers/stopwords.h"
#include "analyzers/utf8.h"
#include "base/dates.h"
#include "base/utf8.h"
#include "indexer/txt_parser.h"

namespace fundstelle::indexer {
namespace {

using analyzers::ascii_lower;
using analyzers::collapse_space;
using analyzers::trim_space;

// ---- Bytes to UTF-8 ----------------------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The charset a page declares in its first bytes, as the HTML standard's prescan finds it (a <meta charset> or
// a <meta http-equiv="Content-Type" content="...; charset=...">), lower case; empty when none.
std::string declared_charset(std::string_view raw) {
  const std::string head = ascii_lower(raw.substr(0, 4096));
  std::size_t at = 0;
  while ((at = head.find("<meta", at)) != std::string::npos) {
    std::size_t i = at + 5;
    at = i;
    std::string charset, http_equiv, content;
    while (i < head.size() && head[i] != '>') {
      while (i < head.size() && (is_space(head[i]) || head[i] == '/')) ++i;
      std::size_t name_end = i;
      while (name_end < head.size() && !is_space(head[name_end]) && head[name_end] != '=' && head[name_end] != '>' &&
             head[name_end] != '/')
        ++name_end;
      const std::string name = head.substr(i, name_end - i);
      i = name_end;
      while (i < head.size() && is_space(head[i])) ++i;
      std::string value;
      if (i < head.size() && head[i] == '=') {
        ++i;
        while (i < head.size() && is_space(head[i])) ++i;
        if (i < head.size() && (head[i] == '"' || head[i] == '\'')) {
          const char quote = head[i++];
          const std::size_t end = head.find(quote, i);
          if (end == std::string::npos) break;
          // (the original bytes: a content attribute's charset keeps its case, which ICU ignores anyway)
          value = head.substr(i, end - i);
          i = end + 1;
        } else {
          std::size_t end = i;
          while (end < head.size() && !is_space(head[end]) && head[end] != '>') ++end;
          value = head.substr(i, end - i);
          i = end;
        }
      }
      if (name.empty()) {
        if (i < head.size() && head[i] != '>') ++i;  // a stray byte: step over it
        continue;
      }
      if (name == "charset") charset = std::string(trim_space(value));
      else if (name == "http-equiv") http_equiv = std::string(trim_space(value));
      else if (name == "content") content = value;
    }
    if (!charset.empty()) return charset;
    if (http_equiv == "content-type") {
      std::string c = charset_in_content(content);
      if (!c.empty()) return c;
    }
  }
  return {};
}

// What a label means on the web (the WHATWG Encoding Standard): latin1 and ASCII are read as windows-1252,
// which they are in practice (curly quotes and the euro sign in 0x80-0x9F).
std::string web_charset(const std::string& label) {
  static const std::unordered_set<std::string> windows_1252 = {
      "iso-8859-1",   "iso8859-1", "iso_8859-1", "latin1", "l1",         "us-ascii",    "ascii",          "cp1252",
      "windows-1252", "x-cp1252",  "cp819",      "ibm819", "iso-ir-100", "csisolatin1", "iso_8859-1:1987"};
  if (windows_1252.count(label)) return "windows-1252";
  if (label == "utf8" || label == "unicode-1-1-utf-8") return "utf-8";
  return label;
}

bool icu_knows(const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* c = ucnv_open(charset.c_str(), &status);
  if (c) ucnv_close(c);
  return U_SUCCESS(status) && c;
}

// The page's text in UTF-8, and the charset it was read as: a byte order mark, else the charset the
// transport (HTTP's Content-Type) names, else the one the page declares (the HTML standard's order); a
// charset ICU does not know is passed over with a warning, for the next one.
std::string decode(std::string_view raw, const std::string& transport, std::string& charset,
                   std::vector<std::string>& warnings) {
  if (raw.starts_with("\xEF\xBB\xBF")) {
    charset = "UTF-8";
    raw.remove_prefix(3);
  } else if (raw.starts_with("\xFE\xFF") || raw.starts_with("\xFF\xFE")) {
    charset = raw.starts_with("\xFE\xFF") ? "UTF-16BE" : "UTF-16LE";
    raw.remove_prefix(2);
  } else {
    const auto usable = [&](const std::string& label, bool in_page) -> std::string {
      std::string c = web_charset(label);
      // A page declaring UTF-16 in ASCII bytes is not UTF-16 (the standard reads it as UTF-8).
      if (in_page && c.starts_with("utf-16")) c = "utf-8";
      if (icu_knows(c)) return c;
      warnings.push_back("unknown charset \"" + label + "\"" + (in_page ? "" : " (Content-Type)"));
      return {};
    };
    charset.clear();
    if (!transport.empty()) charset = usable(transport, false);
    if (charset.empty())
      if (const std::string declared = declared_charset(raw); !declared.empty()) charset = usable(declared, true);
    if (charset.empty()) charset = analyzers::is_valid_utf8(raw) ? "utf-8" : "windows-1252";
  }
  if (ascii_lower(charset) == "utf-8") {
    charset = "UTF-8";
    std::vector<std::size_t> bad;
    std::string out = analyzers::repair_utf8(raw, &bad);
    if (!bad.empty())
      warnings.push_back("invalid UTF-8 at byte " + std::to_string(bad.front()) + " (" + std::to_string(bad.size()) +
                         " places): replaced");
    return out;
  }
  const icu::UnicodeString text(raw.data(), static_cast<int32_t>(raw.size()), charset.c_str());
  std::string out;
  text.toUTF8String(out);
  return out;
}

// ---- The parse tree --------------------------------------------------------------------------------------

// gumbo 0.10 frees its tree recursively, which a page nested a few hundred thousand levels deep turns into a
// stack overflow. Its allocations are tracked here instead and freed in one go.
struct Allocations {
  std::unordered_set<void*> live;
  std::string capped;  // the text parsed, when capped_nesting changed it (the tree points into it)
  ~Allocations() {
    for (void* p : live) std::free(p);
  }
};

void* allocate(void* userdata, size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (!p) std::abort();  // as gumbo's own allocator: it cannot go on without memory
  static_cast<Allocations*>(userdata)->live.insert(p);
  return p;
}

void deallocate(void* userdata, void* p) {
  if (!p) return;
  static_cast<Allocations*>(userdata)->live.erase(p);
  std::free(p);
}

const char* attribute(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

std::string attribute_lower(const GumboNode* n, const char* name) {
  const char* v = attribute(n, name);
  return v ? ascii_lower(v) : std::string();
}

bool is_element(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE; }

GumboTag tag_of(const GumboNode* n) { return is_element(n) ? n->v.element.tag : GUMBO_TAG_UNKNOWN; }

const GumboVector* children_of(const GumboNode* n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (is_element(n)) return &n->v.element.children;
  return nullptr;
}

// The words of an element's class and id, lower case, split at anything but letters and digits
// (article-body -> article, body).
std::vector<std::string> name_words(const GumboNode* n) {
  std::vector<std::string> out;
  for (const char* name : {"class", "id"}) {
    const std::string v = attribute_lower(n, name);
    std::string word;
    for (const char c : v + " ") {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.push_back(c);
      } else if (!word.empty()) {
        out.push_back(word);
        word.clear();
      }
    }
  }
  return out;
}

bool has_word(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return std::find(any.begin(), any.end(), w) != any.end(); });
}

// Visits every node below `root` in document order, without recursion (pages may nest deeply). `enter`
// returns false to skip a node's children; `leave` is called after an element's children.
template <typename Enter, typename Leave>
void walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Frame> stack;
  if (!enter(root)) return;
  stack.push_back({root, 0});
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboVector* kids = children_of(f.node);
    if (!kids || f.next >= kids->length) {
      const GumboNode* done = f.node;
      stack.pop_back();
      leave(done);
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(kids->data[f.next++]);
    if (enter(child)) stack.push_back({child, 0});
  }
}

// Whether `n` is or holds an element `tag`.
bool holds(const GumboNode* n, GumboTag tag) {
  bool found = false;
  walk(
      n,
      [&](const GumboNode* x) {
        if (is_element(x) && tag_of(x) == tag) found = true;
        return !found && is_element(x);
      },
      [](const GumboNode*) {});
  return found;
}

// All text below `n` (of a script: its source), not collapsed.
std::string text_of(const GumboNode* n) {
  std::string out;
  walk(
      n,
      [&](const GumboNode* x) {
        const GumboTag t = tag_of(x);
        if (x != n && (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_TEMPLATE)) return false;
        if (x->type == GUMBO_NODE_TEXT || x->type == GUMBO_NODE_CDATA || x->type == GUMBO_NODE_WHITESPACE)
          out.append(x->v.text.text).push_back(' ');
        return true;
      },
      [](const GumboNode*) {});
  return out;
}

// ---- Metadata --------------------------------------------------------------------------------------------

// The text of `n`, collapsed, when it is one short run of text: at most `limit` bytes, and below it only text
// and inline markup (em, strong, b, i, span, small); else nothing (the walk stops there). A link or a line
// break inside ("Von Anna Berg<br>Redaktion", "Von Karl Brandt <a>Kommentare</a>") makes it no such run.
std::optional<std::string> short_text(const GumboNode* n, std::size_t limit) {
  std::string out;
  bool over = false;
  walk(
      n,
      [&](const GumboNode* x) {
        if (over) return false;
        const GumboTag t = tag_of(x);
        if (x != n && is_element(x) && t != GUMBO_TAG_EM && t != GUMBO_TAG_STRONG && t != GUMBO_TAG_B &&
            t != GUMBO_TAG_I && t != GUMBO_TAG_SPAN && t != GUMBO_TAG_SMALL) {
          over = true;
          return false;
        }
        if (x->type == GUMBO_NODE_TEXT || x->type == GUMBO_NODE_CDATA || x->type == GUMBO_NODE_WHITESPACE) {
          out.append(x->v.text.text).push_back(' ');
          over = out.size() > 2 * limit;  // (before collapsing)
        }
        return !over;
      },
      [](const GumboNode*) {});
  if (over) return std::nullopt;
  std::string text = collapse_space(out);
  if (text.size() > limit) return std::nullopt;
  return text;
}

// Whether `n` sits in a <nav> or an <aside> (a teaser there may name the author of another article).
bool inside_other_content(const GumboNode* n) {
  for (const GumboNode* p = n->parent; p; p = p->parent)
    if (tag_of(p) == GUMBO_TAG_NAV || tag_of(p) == GUMBO_TAG_ASIDE) return true;
  return false;
}

// Whether `word` is a word of a person's name: a capital letter first, then letters, hyphens, apostrophes
// or an initial's dot (Karl-Heinz, O'Neill, J.).
bool name_word(std::string_view word) {
  if (word.empty()) return false;
  const icu::UnicodeString w =
      icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  if (!u_isupper(w.char32At(0))) return false;
  for (int32_t i = 0; i < w.length(); i = w.moveIndex32(i, 1)) {
    const UChar32 c = w.char32At(i);
    if (!u_isalpha(c) && c != '-' && c != '\'' && c != 0x2019 && c != '.') return false;
  }
  return true;
}

// The name(s) of a byline shown as text, which a page marks up no further: "Von Karl-Heinz Brandt", "Text:
// Monika Rauch, Pressestelle der Stadt" (a role after a comma), "Von Anna Berg und Jan Ott" (as "Anna Berg,
// Jan Ott"); after "Von", "Text:", "Autor:", "Autorin:", "Text und Foto(s):", each name two to four words of
// a name (a "von", "van", "de", "zu" and the like between them). Anything else is not a byline: "Von Montag
// bis Freitag", "Von Berlin nach Hamburg", a photo credit.
std::string visible_byline(std::string_view line) {
  static constexpr std::string_view kLeads[] = {
      "Von ", "Text: ", "Autor: ", "Autorin: ", "Text und Foto: ", "Text und Fotos: ", "Texte: "};
  std::string_view rest;
  for (const auto lead : kLeads)
    if (line.starts_with(lead)) rest = line.substr(lead.size());
  if (rest.empty()) return {};
  rest = trim_space(rest.substr(0, rest.find_first_of(",|")));
  static constexpr std::string_view kParticles[] = {"von", "van", "de", "der", "den", "zu",
                                                    "vom", "zum", "di", "da",  "le",  "la"};
  std::string out;
  for (std::size_t from = 0, names = 0; from <= rest.size(); ++names) {
    std::size_t to = rest.find(" und ", from);
    if (to == std::string_view::npos) to = rest.size();
    const std::string_view name = rest.substr(from, to - from);
    if (names >= 2 || name.empty()) return {};
    std::size_t words = 0;
    bool last_particle = false;
    for (std::size_t w = 0; w <= name.size();) {
      std::size_t end = name.find(' ', w);
      if (end == std::string_view::npos) end = name.size();
      const std::string_view word = name.substr(w, end - w);
      last_particle = words > 0 &&
                      std::find(std::begin(kParticles), std::end(kParticles), word) != std::end(kParticles);
      if (!last_particle && !name_word(word)) return {};
      ++words;
      w = end + 1;
    }
    if (words < 2 || words > 4 || last_particle) return {};
    if (!out.empty()) out += ", ";
    out += name;
    from = to + 5;
    if (to == rest.size()) break;
  }
  return out;
}

// A URL as the URL standard reads an attribute's value: tabs and line breaks inside are dropped, spaces at
// the ends trimmed.
std::string url_of(std::string_view href) {
  std::string out;
  for (const char c : href)
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  return std::string(trim_space(out));
}

// A date as the index stores it (ISO 8601), from the forms pages use: ISO dates and date-times (with a
// time zone or none, fractions of a second).
std::string iso_date(std::string_view v) {
  const std::string s(trim_space(v));
  if (base::is_iso8601(s)) return s;
  // 2023-06-01T10:00:00.000+0200 and the like: the date-time to the minute, the date alone if that fails.
  if (s.size() >= 16 && base::is_iso8601(s.substr(0, 16))) return s.substr(0, 16);
  if (s.size() >= 10 && base::is_iso8601(s.substr(0, 10))) return s.substr(0, 10);
  return {};
}

struct Metadata {
  std::string og_title, ld_headline, title_tag, h1;
  std::string published, ld_published, time_published;
  std::string author, ld_author, rel_author, byline_author;
  bool byline_done = false;  // the byline author came from an hCard: no more are added
  std::string shown_author;  // a byline shown as text only ("Von Karl-Heinz Brandt"): visible_byline
  std::string canonical, og_url;
  std::vector<std::string> tags;
  std::string language;
};

std::string json_names(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("name")) return json_names(v["name"]);
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) {
      const std::string n = json_names(x);
      if (n.empty()) continue;
      if (!out.empty()) out += ", ";
      out += n;
    }
    return out;
  }
  return {};
}

// The entries of a comma-separated list ("Kultur, Bibliothek"), trimmed, the empty ones left out, added to `out`.
void add_listed(std::string_view list, std::vector<std::string>& out) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view entry = trim_space(list.substr(0, comma));
    if (!entry.empty()) out.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool is_article_type(const nlohmann::json& type) {
  static const std::unordered_set<std::string> kinds = {"Article",
                                                        "NewsArticle",
                                                        "BlogPosting",
                                                        "ReportageNewsArticle",
                                                        "AnalysisNewsArticle",
                                                        "OpinionNewsArticle",
                                                        "ReviewNewsArticle",
                                                        "LiveBlogPosting",
                                                        "Report",
                                                        "BackgroundNewsArticle"};
  if (type.is_string()) return kinds.count(type.get<std::string>()) > 0;
  if (type.is_array())
    return std::any_of(type.begin(), type.end(), [](const auto& t) { return t.is_string() && kinds.count(t); });
  return false;
}

// The article object of a JSON-LD block (the block itself, an element of it, or of its @graph).
void read_json_ld(const std::string& text, Metadata& m) {
  // nlohmann's parser recurses: JSON nested deeper than any article object is not read.
  int depth = 0, deepest = 0;
  for (const char c : text) {
    if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  if (deepest > 32 || text.size() > (1u << 20)) return;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return;
  // Names of the objects a graph refers to by "@id" (an author given as {"@id": "...#person"}).
  std::map<std::string, std::string> names;
  std::vector<const nlohmann::json*> todo{&json};
  while (!todo.empty()) {
    const nlohmann::json& j = *todo.back();
    todo.pop_back();
    if (j.is_array())
      for (const auto& x : j) todo.push_back(&x);
    if (!j.is_object()) continue;
    for (const auto& [key, value] : j.items())
      if (value.is_structured()) todo.push_back(&value);
    const auto id = j.find("@id"), name = j.find("name");
    if (id != j.end() && id->is_string() && name != j.end() && name->is_string())
      names.emplace(id->get<std::string>(), name->get<std::string>());
  }
  const auto resolved = [&](nlohmann::json a) {
    const auto fill = [&](nlohmann::json& x) {
      if (!x.is_object() || x.contains("name") || !x.contains("@id") || !x["@id"].is_string()) return;
      const auto found = names.find(x["@id"].get<std::string>());
      if (found != names.end()) x["name"] = found->second;
    };
    if (a.is_array())
      for (auto& x : a) fill(x);
    fill(a);
    return a;
  };
  todo = {&json};
  while (!todo.empty()) {
    const nlohmann::json& j = *todo.back();
    todo.pop_back();
    if (j.is_array()) {
      for (const auto& x : j) todo.push_back(&x);
      continue;
    }
    if (!j.is_object()) continue;
    if (j.contains("@graph")) todo.push_back(&j["@graph"]);
    if (!j.contains("@type") || !is_article_type(j["@type"])) continue;
    if (m.ld_headline.empty() && j.contains("headline") && j["headline"].is_string())
      m.ld_headline = collapse_space(j["headline"].get<std::string>());
    if (m.ld_published.empty() && j.contains("datePublished") && j["datePublished"].is_string())
      m.ld_published = iso_date(j["datePublished"].get<std::string>());
    if (m.ld_author.empty() && j.contains("author")) m.ld_author = collapse_space(json_names(resolved(j["author"])));
    if (m.tags.empty() && j.contains("keywords")) {
      const auto& k = j["keywords"];
      if (k.is_array()) {
        for (const auto& t : k)
          if (t.is_string()) m.tags.push_back(t.get<std::string>());
      } else if (k.is_string()) {
        add_listed(k.get<std::string>(), m.tags);
      }
    }
  }
}

bool is_comment_item(const GumboNode* n);

void read_metadata(const GumboNode* root, Metadata& m) {
  std::vector<std::string> keywords;
  walk(
      root,
      [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_DOCUMENT) return true;
        if (!is_element(n)) return false;
        if (is_comment_item(n)) return false;  // a comment's author and date are its own
        const bool microdata_author = attribute_lower(n, "itemprop") == "author";
        if (m.byline_author.empty() || (microdata_author && !m.byline_done)) {
          // schema.org's author (each of several, joined by ", "), or a byline's hCard (WordPress:
          // span.author.vcard > a.fn)
          const auto words = name_words(n);
          if (microdata_author || (has_word(words, {"author"}) && has_word(words, {"vcard"}))) {
            const GumboNode* name = nullptr;
            walk(
                n,
                [&](const GumboNode* x) {
                  if (name || !is_element(x)) return false;
                  const std::string prop = attribute_lower(x, "itemprop");
                  if (x != n && (prop == "name" || has_word(name_words(x), {"fn"}))) name = x;
                  return !name;
                },
                [](const GumboNode*) {});
            const std::string found = collapse_space(text_of(name ? name : n));
            if (!microdata_author) m.byline_done = true;  // an hCard: one author
            if (!found.empty() && m.byline_author.find(found) == std::string::npos) {
              if (!m.byline_author.empty()) m.byline_author += ", ";
              m.byline_author += found;
            }
          }
        }
        // (Looked for only while no marked-up author is known: those come first.)
        if (m.shown_author.empty() && m.ld_author.empty() && m.author.empty() && m.rel_author.empty() &&
            m.byline_author.empty())
          switch (tag_of(n)) {
            case GUMBO_TAG_P:
            case GUMBO_TAG_DIV:
            case GUMBO_TAG_SPAN:
            case GUMBO_TAG_EM:
            case GUMBO_TAG_I:
            case GUMBO_TAG_STRONG:
            case GUMBO_TAG_B:
            case GUMBO_TAG_SMALL:
            case GUMBO_TAG_ADDRESS:
              if (const auto text = short_text(n, 160); text && !inside_other_content(n))
                m.shown_author = visible_byline(*text);
              break;
            default: break;
          }
        switch (tag_of(n)) {
          case GUMBO_TAG_HTML:
            if (const char* lang = attribute(n, "lang")) m.language = trim_space(lang);
            break;
          case GUMBO_TAG_TITLE:
            if (m.title_tag.empty()) m.title_tag = collapse_space(text_of(n));
            return false;
          case GUMBO_TAG_H1:
            if (m.h1.empty()) m.h1 = collapse_space(text_of(n));
            return false;
          case GUMBO_TAG_META: {
            const std::string key = attribute_lower(n, attribute(n, "property") ? "property" : "name");
            const char* content = attribute(n, "content");
            if (!content) break;
            const std::string value = collapse_space(content);
            if (key == "og:title" && m.og_title.empty()) m.og_title = value;
            else if (key == "og:url" && m.og_url.empty()) m.og_url = url_of(content);
            else if ((key == "article:published_time" || key == "date" || key == "pubdate" || key == "publishdate" ||
                      key == "dc.date.issued" || key == "dc.date") &&
                     m.published.empty())
              m.published = iso_date(value);
            else if (key == "author" && m.author.empty()) m.author = value;
            else if (key == "article:tag" && !value.empty()) m.tags.push_back(value);
            else if (key == "keywords") keywords.push_back(value);
            if (const char* prop = attribute(n, "itemprop");
                prop && std::string_view(prop) == "datePublished" && m.published.empty())
              m.published = iso_date(value);
            break;
          }
          case GUMBO_TAG_LINK: {
            const std::string rel = attribute_lower(n, "rel");
            if (rel == "canonical" && m.canonical.empty())
              if (const char* href = attribute(n, "href")) m.canonical = url_of(href);
            break;
          }
          case GUMBO_TAG_A:
            if (attribute_lower(n, "rel") == "author" && m.rel_author.empty())
              m.rel_author = collapse_space(text_of(n));
            break;
          case GUMBO_TAG_TIME:
            if (m.time_published.empty())
              if (const char* dt = attribute(n, "datetime")) m.time_published = iso_date(dt);
            break;
          case GUMBO_TAG_SCRIPT:
            if (attribute_lower(n, "type") == "application/ld+json") read_json_ld(text_of(n), m);
            return false;
          case GUMBO_TAG_STYLE: return false;
          default: break;
        }
        return true;
      },
      [](const GumboNode*) {});
  if (m.tags.empty())
    for (const auto& k : keywords) add_listed(k, m.tags);
}

// A <title> without the site's name: "Artikel | Zeitung" -> "Artikel", the longest of its parts.
std::string strip_site_name(const std::string& title) {
  std::vector<std::string> parts{title};
  for (std::string_view sep : {" | ", " - ", " – ", " — ", " :: ", " · ", " » "}) {
    std::vector<std::string> next;
    for (const auto& p : parts) {
      std::size_t from = 0, at;
      while ((at = p.find(sep, from)) != std::string::npos) {
        next.push_back(p.substr(from, at - from));
        from = at + sep.size();
      }
      next.push_back(p.substr(from));
    }
    parts = std::move(next);
  }
  const auto longest = std::max_element(parts.begin(), parts.end(),
                                        [](const auto& a, const auto& b) { return a.size() < b.size(); });
  return std::string(trim_space(*longest));
}

// ---- Blocks of text --------------------------------------------------------------------------------------

// Elements that never hold article text.
bool never_text(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEAD: return true;
    default: return false;
  }
}

// Elements that begin and end a block of text (the others run inside one).
bool is_block(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL: return true;
    default: return false;
  }
}

int heading_level(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

// A class word made of a furniture word and a word for a part of a page: authorbox, relatedposts, sharebar.
bool furniture_compound(const std::vector<std::string>& w) {
  static constexpr std::string_view kHeads[] = {"author",  "related", "share",   "social",    "newsletter", "cookie",
                                                "consent", "promo",   "sponsor", "subscribe", "paywall"};
  static constexpr std::string_view kTails[] = {"box",       "bar",     "list",   "posts",  "links", "area",  "block",
                                                "container", "wrapper", "widget", "teaser", "items", "banner"};
  for (const auto& word : w)
    for (const auto head : kHeads)
      if (word.size() > head.size() && word.starts_with(head))
        for (const auto tail : kTails)
          if (word.size() == head.size() + tail.size() && word.ends_with(tail)) return true;
  return false;
}

// Class and id words of page furniture (Readability's "unlikely candidates", jusText's experience, and what
// German news sites call theirs), and of article text. An element named by one of the first is never text;
// one named by a weak one (teaser, banner, widget: words that also name an article's own parts, as in
// article-teaser) only when it does not also name the article.
bool furniture(const std::vector<std::string>& w) {
  return has_word(w, {"nav",         "navbar",          "navigation",   "menu",      "breadcrumb", "breadcrumbs",
                      "footer",      "sidebar",         "share",        "sharing",   "social",     "socials",
                      "cookie",      "cookies",         "consent",      "gdpr",      "newsletter", "related",
                      "recommended", "recommendations", "ad",           "ads",       "advert",     "advertisement",
                      "anzeige",     "werbung",         "promo",        "sponsor",   "sponsored",  "subscribe",
                      "paywall",     "popup",           "modal",        "overlay",   "toolbar",    "skiplink",
                      "login",       "signup",          "tags",         "taglist",   "outbrain",   "taboola",
                      "meta",        "byline",          "author",       "bio",       "credit",     "credits",
                      "copyright",   "bildnachweis",    "pingback",     "trackback", "support",    "donate",
                      "donation",    "spenden",         "unterstuetzen"}) ||
         furniture_compound(w);
}

bool weak_furniture(const std::vector<std::string>& w) {
  return has_word(w, {"teaser", "teasers", "banner", "widget", "print", "skip", "pager", "pagination", "masthead"});
}

bool article_words(const std::vector<std::string>& w) {
  return has_word(
      w, {"article", "artikel", "content", "body", "text", "story", "entry", "post", "main", "beitrag", "articlebody"});
}

bool hidden(const GumboNode* n) {
  if (attribute(n, "hidden")) return true;
  if (attribute_lower(n, "aria-hidden") == "true") return true;
  std::string style = attribute_lower(n, "style");
  style.erase(std::remove_if(style.begin(), style.end(), [](char c) { return is_space(c); }), style.end());
  return style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos;
}

// A reader comment's element: schema.org's Comment, or a list item, article or div with the class comment
// (WordPress: li.comment, also beside comment-author-NAME) or an id such as comment-12, not the comment list,
// form or parts of one comment (comment-body, comment-content), whose class names only begin with comment.
bool is_comment_item(const GumboNode* n) {
  const std::string type = attribute_lower(n, "itemtype");
  if (type.ends_with("schema.org/comment")) return true;
  const GumboTag t = tag_of(n);
  if (t != GUMBO_TAG_LI && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_DIV) return false;
  const std::string classes = " " + attribute_lower(n, "class") + " ";
  for (const char* name : {" comment ", " kommentar ", " comment-item ", " comment-entry ", " single-comment "})
    if (classes.find(name) != std::string::npos) return true;
  // comment-12, kommentar-3, comment12 (an element that is one comment, numbered)
  const std::string id = attribute_lower(n, "id");
  for (const std::string prefix : {"comment", "kommentar"}) {
    if (!id.starts_with(prefix)) continue;
    std::size_t i = prefix.size();
    if (i < id.size() && (id[i] == '-' || id[i] == '_')) ++i;
    if (i < id.size() &&
        std::all_of(id.begin() + static_cast<long>(i), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

// The element that holds a comment's own words (WordPress .comment-content, schema.org text).
bool is_comment_text(const GumboNode* n, const std::vector<std::string>& w) {
  const std::string prop = attribute_lower(n, "itemprop");
  if (prop == "text" || prop == "commenttext") return true;
  // A BEM element of a comment: comment__body, comment__text (WordPress's comment-body is the whole comment).
  const std::string classes = " " + attribute_lower(n, "class") + " ";
  for (const char* name : {"comment__body ", "comment__text ", "comment__content ", "kommentar__text "})
    if (classes.find(name) != std::string::npos) return true;
  // (not "body": WordPress's .comment-body is the whole comment, its author line and date included)
  return has_word(w, {"content", "text", "inhalt"}) && has_word(w, {"comment", "kommentar"});
}

bool is_comment_control(const std::vector<std::string>& w);

// The parts of a comment that are not its words: author, date, avatar, reply link.
bool is_comment_meta(const GumboNode* n, const std::vector<std::string>& w) {
  const std::string prop = attribute_lower(n, "itemprop");
  if (prop == "author" || prop == "datepublished" || prop == "datecreated") return true;
  return is_comment_control(w) || has_word(w, {"meta", "metadata", "author", "vcard", "fn", "says", "avatar", "date",
                                               "time", "header", "footer", "parent"});
}

// What a reader does with a comment (reply, vote, report, share), even inside its text element.
bool is_comment_control(const std::vector<std::string>& w) {
  return has_word(w, {"reply", "edit", "permalink", "actions", "vote", "votes", "like", "likes", "report", "melden",
                      "share", "antworten"});
}

struct Block {
  std::string text;
  std::size_t link_chars = 0;
  std::size_t bold_chars = 0;  // inside <b> or <strong>
  bool frame = false;          // no text: where a part of the page's frame was left out (always bad)
  int heading = 0;             // 1-6 for h1-h6
  int comment = -1;            // the comment it belongs to, or -1
  bool main = false;           // inside the element that marks the article (or no such element)
  bool comment_text = false;   // inside its comment's text element
  bool in_comments = false;    // inside a comment area but no comment of it
  bool code = false;           // program code (<pre>, <code>, schema.org SoftwareSourceCode): not prose, not clutter
  const GumboNode* container = nullptr;  // the element it stands in
};

struct CommentInfo {
  std::string author, published;
  bool has_text_element = false;
};

// The element that marks the article: the <article> with the most text (not a comment) when it holds the
// element marked itemprop=articleBody or there is no such element, else that element, else <main> (or
// role=main). Null when the page marks none.
const GumboNode* main_element(const GumboNode* root) {
  const GumboNode* body = nullptr;
  const GumboNode* best_article = nullptr;
  std::size_t best_chars = 0;
  const GumboNode* main = nullptr;
  // Text bytes seen so far, and where each open <article> began: its size when it ends (one pass, however
  // deeply articles nest).
  std::size_t chars = 0;
  std::vector<std::pair<const GumboNode*, std::size_t>> open;
  walk(
      root,
      [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) chars += collapse_space(n->v.text.text).size();
        if (n->type == GUMBO_NODE_DOCUMENT) return true;
        if (!is_element(n)) return false;
        const GumboTag t = tag_of(n);
        if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_HEAD) return false;
        if (is_comment_item(n)) return false;  // (comments are not the article, nor part of the page's text here)
        if (!body && attribute_lower(n, "itemprop") == "articlebody") body = n;
        if (t == GUMBO_TAG_ARTICLE) open.emplace_back(n, chars);
        if (!main && (t == GUMBO_TAG_MAIN || attribute_lower(n, "role") == "main")) main = n;
        return true;
      },
      [&](const GumboNode* n) {
        if (open.empty() || open.back().first != n) return;
        if (chars - open.back().second > best_chars) best_chars = chars - open.back().second, best_article = n;
        open.pop_back();
      });
  // The article element around the marked body is the better choice: its header holds the lead paragraph
  // (its share bars and footer are left out as furniture all the same). Sizes count the text outside comments.
  if (body) {
    for (const GumboNode* up = body; up; up = up->parent)
      if (up == best_article) return best_article;
    return body;
  }
  // An <article> that holds little of the page's text is a teaser card beside the real text, not the article.
  if (best_article && best_chars * 10 >= chars * 3) return best_article;
  return main;
}

class BlockReader {
 public:
  // `with_hidden`: also read hidden elements (see parse_html_article).
  explicit BlockReader(const GumboNode* main, bool with_hidden = false) : main_(main), with_hidden_(with_hidden) {}
  bool hidden_seen = false;  // a hidden element was left out

  void read(const GumboNode* root) {
    walk(
        root, [this](const GumboNode* n) { return enter(n); }, [this](const GumboNode* n) { leave(n); });
    flush();
  }

  std::vector<Block> blocks;
  std::vector<CommentInfo> comments;

 private:
  struct Context {
    const GumboNode* node;
    bool main, link, comment_text, comment_meta, in_comments, code, bold;
    int comment;
    int heading;
  };

  // A part of the page's frame left out: a bad block without text where it stood (for its neighbours).
  bool frame(const Context& c) {
    if (c.comment >= 0 || c.in_comments) return false;  // (only the article's text has neighbours to part)
    flush();
    Block b;
    b.frame = true;
    b.main = c.main;
    b.container = c.node;
    blocks.push_back(std::move(b));
    start(here());
    return false;
  }

  // A "teaser" without a link in it is an article's lead (Vorspann), not a teaser card of another article.
  static bool lead(const GumboNode* n, const std::vector<std::string>& words) {
    return has_word(words, {"teaser"}) && !holds(n, GUMBO_TAG_A);
  }

  // `n` is the <body> or <html>, or holds the marked article.
  bool holds_main(const GumboNode* n) const {
    const GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML) return true;
    for (const GumboNode* p = main_; p; p = p->parent)
      if (p == n) return true;
    return false;
  }

  Context here() const {
    return stack_.empty() ? Context{nullptr, main_ == nullptr, false, false, false, false, false, false, -1, 0}
                          : stack_.back();
  }

  bool enter(const GumboNode* n) {
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
      const Context c = here();
      if (c.comment_meta) return false;
      if (current_.text.empty() || current_.comment != c.comment || current_.main != c.main) {
        flush();  // (white space alone makes no block)
        start(c);
      }
      const std::string_view t = n->v.text.text;
      current_.text += t;
      if (c.link) current_.link_chars += collapse_space(t).size();
      if (c.bold) current_.bold_chars += collapse_space(t).size();
      return false;
    }
    if (n->type == GUMBO_NODE_DOCUMENT) return true;
    if (!is_element(n)) return false;
    const GumboTag t = tag_of(n);
    Context c = here();
    c.node = n;
    if (n == main_) c.main = true;
    const auto words = name_words(n);
    // The site's header; an article's own keeps its lead (one inside the marked article, or on a page that
    // marks none, one that holds the page's <h1>).
    // Left out, it still parts the text before it from the text after it, as the bad blocks it held did.
    if (t == GUMBO_TAG_HEADER && (!c.main || (!main_ && !holds(n, GUMBO_TAG_H1)))) return frame(c);
    if (never_text(t)) return false;
    if (!with_hidden_ && hidden(n)) {
      hidden_seen = true;
      return false;
    }
    if (has_word(words, {"pingback", "trackback"})) return false;
    if (is_comment_item(n)) {  // (a reply inside a comment is a comment of its own)
      // A comment a moderator removed is a placeholder, not a reader's words (its replies go with it).
      if (has_word(words, {"deleted", "removed", "moderated"})) return false;
      c.comment = static_cast<int>(comments.size());
      comments.push_back(read_comment(n));
      c.comment_text = false;
      c.comment_meta = false;
    } else if (c.comment >= 0) {
      if (is_comment_text(n, words)) c.comment_text = true;
      else if (is_comment_control(words) || (!c.comment_text && is_comment_meta(n, words))) c.comment_meta = true;
    } else if (has_word(words, {"comment", "comments", "kommentar", "kommentare", "respond", "disqus"})) {
      c.in_comments = true;
    } else if ((furniture(words) ||
                (weak_furniture(words) && is_block(t) && !article_words(words) && !lead(n, words))) &&
               !holds_main(n)) {
      // (a weak word on an inline element names the word's own markup: LibreOffice's <span class="widget">
      // around the name of a dialog's field is text)
      return false;  // (the page's <body class="right-sidebar"> or a wrapper of the marked article is not furniture)
    }
    if (c.comment_meta) return false;
    if (t == GUMBO_TAG_A) c.link = true;
    if (t == GUMBO_TAG_B || t == GUMBO_TAG_STRONG) c.bold = true;
    if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_CODE || attribute_lower(n, "itemtype").ends_with("softwaresourcecode") ||
        has_word(words, {"code", "bascode", "pycode", "sourcecode", "listing"}))
      c.code = true;
    if (const int h = heading_level(t)) c.heading = h;
    if (is_block(t)) flush();
    stack_.push_back(c);
    if (is_block(t)) start(c);
    return true;
  }

  void leave(const GumboNode* n) {
    if (!is_element(n) || stack_.empty() || stack_.back().node != n) return;
    const bool block = is_block(tag_of(n));
    if (block) flush();
    stack_.pop_back();
    if (block) start(here());
  }

  void start(const Context& c) {
    current_ = Block{};
    current_.heading = c.heading;
    current_.comment = c.comment;
    current_.main = c.main;
    current_.comment_text = c.comment_text;
    current_.in_comments = c.in_comments;
    current_.code = c.code;
    current_.container = c.node;
  }

  void flush() {
    Block b = std::move(current_);
    current_ = Block{};
    b.text = collapse_space(b.text);
    if (!b.text.empty()) blocks.push_back(std::move(b));
  }

  static CommentInfo read_comment(const GumboNode* item) {
    CommentInfo info;
    std::string author_block;
    walk(
        item,
        [&](const GumboNode* n) {
          if (!is_element(n)) return false;
          if (n != item && is_comment_item(n)) return false;  // a reply's own
          const auto words = name_words(n);
          const std::string prop = attribute_lower(n, "itemprop");
          if (is_comment_text(n, words)) info.has_text_element = true;
          if (info.author.empty() && (has_word(words, {"fn"}) || prop == "author" || prop == "name")) {
            std::string a = collapse_space(text_of(n));
            if (!a.empty()) info.author = a;
          }
          if (author_block.empty() && has_word(words, {"author"})) author_block = collapse_space(text_of(n));
          if (info.published.empty()) {
            if (const char* dt = attribute(n, "datetime")) info.published = iso_date(dt);
            else if (prop == "datepublished" || prop == "datecreated")
              if (const char* content = attribute(n, "content")) info.published = iso_date(content);
          }
          return true;
        },
        [](const GumboNode*) {});
    if (info.author.empty() && !author_block.empty()) {
      // "Anna sagt:" -> Anna
      for (std::string_view says : {" sagt:", " says:", " schreibt:", ":"})
        if (author_block.ends_with(says)) {
          author_block.resize(author_block.size() - says.size());
          break;
        }
      info.author = author_block;
    }
    return info;
  }

  const GumboNode* main_;
  bool with_hidden_;
  std::vector<Context> stack_;
  Block current_;
};

// ---- Which blocks are article text -----------------------------------------------------------------------

// Label: a short block without a single stopword ("Foto: dpa", a name, a table's label column): never text,
// but it says nothing of its neighbours either.
enum class Kind { Good, NearGood, Short, Label, Bad };

constexpr std::size_t kShort = 70;  // jusText's length_low (characters)
constexpr std::size_t kLong = 200;  // length_high
// jusText's thresholds (0.30 and 0.32) suit its own long stoplists; with the analyzer's (Snowball's 231 German
// words) a tenth of the paragraphs of the German LibreOffice help has a share below 0.25 and a fifth below 0.35,
// where menus, credits and copyright lines have next to none.
constexpr double kStopwordsLow = 0.20;
constexpr double kStopwordsHigh = 0.25;
constexpr double kMaxLinkDensity = 0.2;
constexpr std::string_view kSentenceEnds[] = {".", "!", "?", ":", "\"", ")", "“", "”", "»", "«"};

bool ends_sentence(std::string_view text) {
  return std::any_of(std::begin(kSentenceEnds), std::end(kSentenceEnds),
                     [&](std::string_view end) { return text.ends_with(end); });
}

Kind classify(const Block& b, bool marked) {
  const std::size_t chars = base::count_code_points(b.text);
  const double links = chars ? static_cast<double>(b.link_chars) / static_cast<double>(chars) : 0.0;
  const auto count = analyzers::count_stopwords(b.text);
  const double stop = count.words ? static_cast<double>(count.stopwords) / static_cast<double>(count.words) : 0.0;
  const bool sentence = ends_sentence(b.text);
  // A short sentence with a link in it ("Legt die Einstellungen für einen <a>Proxy-Server</a> fest."), not a
  // link with words around it: most of it is not link, and it reads as prose.
  const bool linked_sentence = chars < kShort && sentence && count.stopwords >= 3 && links <= 0.5;
  if (links > (marked ? 0.5 : kMaxLinkDensity) && !linked_sentence) return Kind::Bad;
  if (b.code) return Kind::NearGood;              // kept where the text around it is kept
  if (is_photo_credit(b.text)) return Kind::Bad;  // "Foto: Karl-Heinz Brandt" under a picture
  if (chars < kShort) {
    if (links > 0 && !linked_sentence) return Kind::Bad;
    if (count.stopwords == 0) return Kind::Label;
    return marked && sentence && count.words >= 4 ? Kind::Good : Kind::Short;
  }
  if (marked) return Kind::Good;  // inside the element the page marks as its article: prose unless link-heavy
  if (stop >= kStopwordsHigh) return chars > kLong ? Kind::Good : Kind::NearGood;
  if (stop >= kStopwordsLow) return Kind::NearGood;
  return Kind::Bad;
}

// The first row (<tr>) of `table`, or null.
const GumboNode* first_row_of(const GumboNode* table) {
  const GumboNode* first = nullptr;
  walk(
      table,
      [&](const GumboNode* x) {
        if (first || !is_element(x)) return false;
        if (x != table && tag_of(x) == GUMBO_TAG_TR) first = x;
        return !first;
      },
      [](const GumboNode*) {});
  return first;
}

// Whether `n` stands in a header cell of `table`: a <th>, or a cell of its <thead> or of `first_row`.
bool header_cell(const GumboNode* n, const GumboNode* table, const GumboNode* first_row) {
  for (const GumboNode* p = n; p && p != table; p = p->parent) {
    if (tag_of(p) == GUMBO_TAG_TH || tag_of(p) == GUMBO_TAG_THEAD) return true;
    if (tag_of(p) == GUMBO_TAG_TR) return p == first_row;
  }
  return false;
}

// A table of data, not of layout: more than one row, and no table inside it.
bool data_table(const GumboNode* table) {
  int rows = 0;
  bool nested = false;
  walk(
      table,
      [&](const GumboNode* n) {
        if (!is_element(n)) return false;
        if (n != table && tag_of(n) == GUMBO_TAG_TABLE) nested = true;
        if (tag_of(n) == GUMBO_TAG_TR) ++rows;
        return !nested;
      },
      [](const GumboNode*) {});
  return rows > 1 && !nested;
}

// Short and near-good blocks and headings take the class of their surroundings (jusText's context pass): a
// short block between good ones (or a good one and the page's edge) is good, beside a bad one bad; a near-good
// block is bad when one side is bad and neither good, else good; a heading is good when the next decided block
// is good. Labels are left out and are no one's side.
std::vector<bool> decide(const std::vector<Block>& blocks, const std::vector<std::size_t>& order, bool marked_page) {
  std::vector<Kind> kind;
  kind.reserve(order.size());
  // Headings, and paragraphs that are one short bold line without a link or a sentence's end: the
  // subheadings of sites that write <p><strong>Lehrstellen bleiben unbesetzt</strong></p>.
  std::vector<bool> heading;
  for (const std::size_t i : order) {
    const Block& b = blocks[i];
    const bool sentence = ends_sentence(b.text);
    heading.push_back(b.heading || (!b.frame && b.link_chars == 0 && b.bold_chars * 10 >= b.text.size() * 9 &&
                                    b.text.size() <= 120 && !sentence && b.comment < 0));
    // A heading that is a link is never text: a teaser's title, or a help page's link to a dialog of its own.
    // Like a label it is no one's side (a help page's text runs on past it), but it ends a run (below).
    const bool linked = b.link_chars * 2 > b.text.size();
    kind.push_back(b.frame          ? Kind::Bad
                   : heading.back() ? (linked ? Kind::Label : Kind::Short)
                                    : classify(b, marked_page && b.main));
  }
  // The nearest good or bad block on one side; Short for none (the page's edge, which jusText counts as bad:
  // that lost the text of short pages whose paragraphs are all near-good, such as help pages).
  const auto neighbour = [&](std::size_t i, int step) {
    for (auto j = static_cast<long>(i) + step; j >= 0 && j < static_cast<long>(kind.size()); j += step)
      if (kind[static_cast<std::size_t>(j)] == Kind::Good || kind[static_cast<std::size_t>(j)] == Kind::Bad)
        return kind[static_cast<std::size_t>(j)];
    return Kind::Short;
  };
  // A page without one good block (a short article of a few short paragraphs) has its text where its longest
  // run of near-good blocks stands (the most characters between two bad blocks or linked headings; short
  // blocks, labels and other headings do not end a run). Without near-good ones,
  // its short sentences are its text (a how-to of three steps: "Klicken Sie auf Drucken."), what is left of
  // its blocks once links, labels and furniture are out.
  const auto none_good = [&] { return std::none_of(kind.begin(), kind.end(), [](Kind k) { return k == Kind::Good; }); };
  if (none_good()) {
    std::size_t best_from = 0, best_to = 0, best_chars = 0, from = 0, chars = 0;
    for (std::size_t i = 0; i <= kind.size(); ++i) {
      if (i == kind.size() || kind[i] == Kind::Bad || (kind[i] == Kind::Label && blocks[order[i]].heading)) {
        if (chars > best_chars) best_from = from, best_to = i, best_chars = chars;
        from = i + 1, chars = 0;
      } else if (kind[i] == Kind::NearGood) {
        chars += blocks[order[i]].text.size();
      }
    }
    // The element around that run holds the text: its near-good blocks are good, wherever they stand in it
    // (a last paragraph after a "Lesen Sie auch" link), those outside it are not (a teaser card beside it).
    const auto ancestors = [](const GumboNode* n) {
      std::vector<const GumboNode*> up;
      for (; n; n = n->parent) up.push_back(n);
      return up;
    };
    std::vector<const GumboNode*> common;
    bool first = true;
    for (std::size_t i = best_from; i < best_to; ++i) {
      if (kind[i] != Kind::NearGood) continue;
      const auto up = ancestors(blocks[order[i]].container);
      if (first) {
        common = up;
        first = false;
        continue;
      }
      // (both chains end at the document: keep the common tail)
      std::size_t same = 0;
      while (same < common.size() && same < up.size() && common[common.size() - 1 - same] == up[up.size() - 1 - same])
        ++same;
      common.erase(common.begin(), common.end() - static_cast<long>(same));
    }
    const GumboNode* around = common.empty() ? nullptr : common.front();
    for (std::size_t i = 0; i < kind.size(); ++i) {
      if (kind[i] != Kind::NearGood) continue;
      const auto up = ancestors(blocks[order[i]].container);
      kind[i] = !around || std::find(up.begin(), up.end(), around) != up.end() ? Kind::Good : Kind::Bad;
    }
  }
  if (none_good())
    for (std::size_t i = 0; i < kind.size(); ++i)
      if (kind[i] == Kind::Short && !heading[i] && analyzers::count_stopwords(blocks[order[i]].text).words >= 3)
        kind[i] = Kind::Good;
  std::vector<Kind> settled = kind;
  for (std::size_t i = 0; i < kind.size(); ++i) {
    const Kind before = neighbour(i, -1), after = neighbour(i, +1);
    if (heading[i]) {
      settled[i] = kind[i] == Kind::Short && after == Kind::Good ? Kind::Good : Kind::Bad;
      continue;
    }
    if (kind[i] == Kind::NearGood)
      settled[i] = before != Kind::Good && after != Kind::Good && (before == Kind::Bad || after == Kind::Bad)
                       ? Kind::Bad
                       : Kind::Good;
    else if (kind[i] == Kind::Short)
      settled[i] = before != Kind::Bad && after != Kind::Bad && (before == Kind::Good || after == Kind::Good)
                       ? Kind::Good
                       : Kind::Bad;
    else if (kind[i] == Kind::Label) settled[i] = Kind::Bad;
  }
  // A data table is one unit: its cells are short (a party, a number, a parameter's name), so one by one they
  // would go with a bad neighbour. A run of blocks in one innermost table that holds no other table, with
  // more than one row and less than half of its text in links, is text when the nearest decided block on
  // either side of the run is (a layout table holds the page's frame and its article in cells: its long
  // blocks make it no run of short cells, see below).
  const auto table_of = [](const GumboNode* n) -> const GumboNode* {
    for (; n; n = n->parent)
      if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_TABLE) return n;
    return nullptr;
  };
  for (std::size_t i = 0; i < kind.size();) {
    const GumboNode* table = table_of(blocks[order[i]].container);
    std::size_t end = i + 1;
    while (end < kind.size() && table && table_of(blocks[order[end]].container) == table) ++end;
    if (table && data_table(table)) {
      std::size_t chars = 0, links = 0;
      bool long_block = false;
      for (std::size_t j = i; j < end; ++j) {
        chars += blocks[order[j]].text.size();
        links += blocks[order[j]].link_chars;
        long_block = long_block || kind[j] == Kind::Good;
      }
      const Kind before = i == 0 ? Kind::Short : neighbour(i, -1);
      const Kind after = neighbour(end - 1, +1);
      if (!long_block && links * 2 < chars && (before == Kind::Good || after == Kind::Good))
        for (std::size_t j = i; j < end; ++j)  // (labels too: a cell is one)
          if (!blocks[order[j]].frame) settled[j] = Kind::Good;
      // A table of text (some cells prose) keeps its header row: the heading of the columns below it.
      if (long_block) {
        const GumboNode* first_row = first_row_of(table);
        for (std::size_t j = i; j < end; ++j) {
          const Block& b = blocks[order[j]];
          if (!b.frame && b.link_chars == 0 && header_cell(b.container, table, first_row)) settled[j] = Kind::Good;
        }
      }
    }
    i = end;
  }
  std::vector<bool> out;
  out.reserve(settled.size());
  for (const Kind k : settled) out.push_back(k == Kind::Good);
  return out;
}

}  // namespace

namespace {

// How deep elements may nest: the depth WebKit's and Chromium's HTML parsers allow (they put deeper elements
// beside their parent instead). gumbo looks through the open elements for each tag it reads, so a page of N
// nested elements costs N^2 (200,000 nested <div>s: 200 s of processor time); past the limit the elements go
// and their content stays (for text, which is all that is read, the same as placing them beside).
constexpr std::size_t kMaxNesting = 512;

bool tag_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// `html` without the start tags that would nest deeper than kMaxNesting and the end tags that close them, or
// nothing when no element nests that deep. Counted by a light scan of the tags, not the parser's rules: void
// elements, self-closed tags and the elements a page often leaves open (p, li, td, option, …) do not count,
// comments and the text of script, style and the like are passed over. A page nested no deeper than the limit
// by this count is parsed exactly as written.
std::optional<std::string> capped_nesting(const std::string& html) {
  std::string out;
  bool changed = false;
  std::size_t depth = 0, dropped = 0, copied = 0;
  const auto drop = [&](std::size_t begin, std::size_t end) {
    out.append(html, copied, begin - copied);
    copied = end;
    changed = true;
  };
  const auto name_at = [&](std::size_t i) {
    std::size_t end = i;
    while (end < html.size() && tag_char(html[end])) ++end;
    return ascii_lower(std::string_view(html).substr(i, end - i));
  };
  for (std::size_t i = html.find('<'); i != std::string::npos && i + 1 < html.size(); i = html.find('<', i)) {
    const std::size_t begin = i;
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string::npos ? html.size() : end + 3;
      continue;
    }
    const bool closing = html[i + 1] == '/';
    const std::size_t at = i + (closing ? 2 : 1);
    if (at >= html.size() || !std::isalpha(static_cast<unsigned char>(html[at]))) {
      i = at;  // <!DOCTYPE>, <?…>, a lone '<': no element
      continue;
    }
    const std::string name = name_at(at);
    // The end of the tag: its '>' outside quoted attribute values.
    std::size_t end = at + name.size();
    for (char quote = 0; end < html.size() && (quote || html[end] != '>'); ++end)
      if (quote ? html[end] == quote : html[end] == '"' || html[end] == '\'') quote = quote ? 0 : html[end];
    const bool self_closed = end < html.size() && html[end - 1] == '/';
    end = std::min(end + 1, html.size());
    i = end;
    const bool uncounted =
        self_closed ||
        one_of(name, {"area",    "base",  "br",     "col",    "embed",    "hr",    "img",   "input", "link",
                      "meta",    "param", "source", "track",  "wbr",      "p",     "li",    "dt",    "dd",
                      "tr",      "td",    "th",     "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
                      "caption", "rb",    "rt",     "rp",     "html",     "head",  "body"});
    if (!closing && one_of(name, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                                  "noscript", "plaintext"})) {
      // Raw text up to its end tag: no tags in it.
      std::size_t close = i;
      while ((close = html.find("</", close)) != std::string::npos && name_at(close + 2) != name) close += 2;
      i = close == std::string::npos ? html.size() : close;
      continue;
    }
    if (uncounted) continue;
    if (closing) {
      if (dropped > 0) {
        --dropped;
        drop(begin, end);
      } else if (depth > 0) {
        --depth;
      }
    } else if (depth >= kMaxNesting) {
      ++dropped;
      drop(begin, end);
    } else {
      ++depth;
    }
  }
  if (!changed) return std::nullopt;
  out.append(html, copied, std::string::npos);
  return out;
}

// A parse tree of `text` (UTF-8, no NUL bytes), freed with `allocations`.
const GumboNode* parse_tree(const std::string& text, Allocations& allocations) {
  if (auto capped = capped_nesting(text)) allocations.capped = std::move(*capped);
  const std::string& parsed = allocations.capped.empty() ? text : allocations.capped;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = allocate;
  options.deallocator = deallocate;
  options.userdata = &allocations;
  options.max_errors = 0;  // errors are not read: none recorded
  // (the tree is freed with `allocations`, not by gumbo_destroy_output: see Allocations)
  return gumbo_parse_with_options(&options, parsed.data(), parsed.size())->document;
}

}  // namespace

std::vector<std::string> html_paragraphs(std::string_view html) {
  std::string text = analyzers::repair_utf8(html);
  std::replace(text.begin(), text.end(), '\0', ' ');
  Allocations allocations;
  BlockReader reader(nullptr);
  reader.read(parse_tree(text, allocations));
  std::vector<std::string> out;
  for (auto& b : reader.blocks)
    if (!b.frame) out.push_back(std::move(b.text));
  return out;
}

std::string charset_in_content(std::string_view content) {
  const std::string lower = ascii_lower(content);
  const auto at = lower.find("charset");
  if (at == std::string::npos) return {};
  std::size_t i = at + 7;
  while (i < lower.size() && is_space(lower[i])) ++i;
  if (i >= lower.size() || lower[i] != '=') return {};
  ++i;
  while (i < lower.size() && is_space(lower[i])) ++i;
  if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) ++i;
  std::size_t end = i;
  while (end < lower.size() && !is_space(lower[end]) && lower[end] != ';' && lower[end] != '"' && lower[end] != '\'')
    ++end;
  return lower.substr(i, end - i);
}

HtmlParse parse_html_article(std::string_view raw, const std::string& id, const std::string& source,
                             const std::string& transport_charset) {
  HtmlParse out;
  out.article.id = id;
  out.article.source = source;
  std::string text = decode(raw, transport_charset, out.charset, out.warnings);
  // gumbo reads up to a NUL byte as the end of a C string in places: none in what it is given.
  std::replace(text.begin(), text.end(), '\0', ' ');

  Allocations allocations;
  const GumboNode* root = parse_tree(text, allocations);

  Metadata m;
  read_metadata(root, m);
  out.language = m.language;
  const GumboNode* marked = main_element(root);
  BlockReader reader(marked);
  reader.read(root);

  Article& a = out.article;
  // An og:title that is the headline with the site's name after it ("Headline - Site") is the headline.
  if (!m.og_title.empty() && m.og_title != m.h1 && m.og_title != m.ld_headline) {
    const std::string stripped = strip_site_name(m.og_title);
    if (stripped != m.og_title && (stripped == m.h1 || stripped == m.ld_headline)) m.og_title = stripped;
  }
  a.title = !m.og_title.empty()      ? m.og_title
            : !m.ld_headline.empty() ? m.ld_headline
            : !m.h1.empty()          ? m.h1
                                     : strip_site_name(m.title_tag);
  a.published = !m.published.empty() ? m.published : !m.ld_published.empty() ? m.ld_published : m.time_published;
  a.author = !m.ld_author.empty()       ? m.ld_author
             : !m.author.empty()        ? m.author
             : !m.rel_author.empty()    ? m.rel_author
             : !m.byline_author.empty() ? m.byline_author
                                        : m.shown_author;
  a.url = !m.canonical.empty() ? m.canonical : m.og_url;
  std::unordered_set<std::string> seen_tags;
  for (const auto& t : m.tags) {
    const std::string tag = collapse_space(t);
    if (!tag.empty() && seen_tags.insert(tag).second) a.tags.push_back(tag);
  }

  // The article's text: the blocks outside comments, classified.
  const bool titled = !m.og_title.empty() || !m.ld_headline.empty() || !m.h1.empty();
  const auto read_paragraphs = [&](const BlockReader& r) {
    std::vector<std::size_t> body;
    for (std::size_t i = 0; i < r.blocks.size(); ++i) {
      const Block& b = r.blocks[i];
      if (b.comment >= 0 || b.in_comments) continue;
      if (marked && !b.main) continue;
      body.push_back(i);
    }
    const std::vector<bool> good = decide(r.blocks, body, marked != nullptr);
    // A page that names its article nowhere (no og:title, JSON-LD or <h1>: an old page whose <title> is its
    // site's) has it in the heading that opens the text.
    bool first = true;
    for (std::size_t k = 0; k < body.size(); ++k) {
      if (!good[k]) continue;
      const Block& b = r.blocks[body[k]];
      if (first) {
        first = false;
        if (b.heading && !titled) a.title = b.text;
        // The headline is the title, not a paragraph of the text.
        if (b.heading && (b.text == a.title || b.text == m.h1)) continue;
      }
      a.paragraphs.push_back(without_trailing_credit(b.text));
    }
  };
  read_paragraphs(reader);
  // A page whose whole text is hidden, to be shown by its scripts (LibreOffice's help hides every module's
  // variant and shows the one in use), is read with its hidden elements: a reader of the page sees one.
  if (a.paragraphs.empty() && reader.hidden_seen) {
    BlockReader all(marked, true);
    all.read(root);
    read_paragraphs(all);
  }
  // Comments: the words of each, from its text element when it has one.
  std::vector<std::string> comment_text(reader.comments.size());
  for (const Block& b : reader.blocks) {
    if (b.comment < 0) continue;
    const CommentInfo& info = reader.comments[static_cast<std::size_t>(b.comment)];
    if (info.has_text_element && !b.comment_text) continue;
    auto& t = comment_text[static_cast<std::size_t>(b.comment)];
    if (!t.empty()) t += "\n\n";
    t += b.text;
  }
  for (std::size_t i = 0; i < reader.comments.size(); ++i) {
    if (comment_text[i].empty()) continue;
    Comment c;
    c.author = reader.comments[i].author;
    c.published = reader.comments[i].published;
    c.text = std::move(comment_text[i]);
    a.comments.push_back(std::move(c));
  }
  if (a.title.empty() && !a.paragraphs.empty())
    a.title = trim_space(a.paragraphs.front().substr(0, base::byte_offset(a.paragraphs.front(), 120)));
  if (!m.language.empty()) {
    const std::string primary = ascii_lower(m.language.substr(0, m.language.find_first_of("-_")));
    if (primary != "de" && primary != "gsw")
      out.warnings.push_back("the page's language is \"" + m.language +
                             "\", not German: indexed with the German analysis all the same");
  }
  return out;
}

}  // namespace fundstelle::indexer
