#include "indexer/feed_parser.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "analyzers/normalize.h"
#include "analyzers/utf8.h"
#include "base/dates.h"
#include "indexer/html_parser.h"

namespace fundstelle::indexer {
namespace {

using analyzers::collapse_space;

constexpr std::string_view kAtom = "http://www.w3.org/2005/Atom";
constexpr std::string_view kContentModule = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDublinCore = "http://purl.org/dc/elements/1.1/";

std::string_view name_of(const xmlNode* n) { return n->name ? reinterpret_cast<const char*>(n->name) : ""; }

std::string_view ns_of(const xmlNode* n) {
  return n->ns && n->ns->href ? reinterpret_cast<const char*>(n->ns->href) : "";
}

// (xmlFree is a variable holding libxml2's deallocator, not a function)
struct XmlFree {
  void operator()(xmlChar* p) const { xmlFree(p); }
};

// libxml2's strings are UTF-8, except where a feed names an encoding libxml2 does not know: then its bytes
// come through as they are, and are repaired here.
std::string valid(const xmlChar* s) {
  if (!s) return {};
  const std::string_view v(reinterpret_cast<const char*>(s));
  return analyzers::is_valid_utf8(v) ? std::string(v) : analyzers::repair_utf8(v);
}

std::string text_of(const xmlNode* n) {
  std::unique_ptr<xmlChar, XmlFree> c(xmlNodeGetContent(n));
  return valid(c.get());
}

std::string attribute(const xmlNode* n, const char* name) {
  std::unique_ptr<xmlChar, XmlFree> v(xmlGetProp(n, reinterpret_cast<const xmlChar*>(name)));
  return valid(v.get());
}

std::vector<const xmlNode*> elements(const xmlNode* n) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Paragraphs as one line, joined by spaces.
std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back(' ');
    out += p;
  }
  return out;
}

// Text that may hold HTML (a title, an author) as one line of text.
std::string html_line(std::string_view html) { return joined(html_paragraphs(html)); }

// Plain text as paragraphs: split at blank lines, each collapsed.
std::vector<std::string> text_paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = collapse_space(text.substr(start, end - start));
    if (line.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      if (!current.empty()) current.push_back(' ');
      current += line;
    }
    start = end + 1;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// The markup inside an element (Atom's type="xhtml": the div's children), as HTML source.
std::string inner_markup(const xmlNode* n) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
  for (const xmlNode* c = n->children; c; c = c->next) xmlNodeDump(buffer.get(), n->doc, const_cast<xmlNode*>(c), 0, 0);
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

// An Atom text construct (title, content, summary) by its type: text, html or xhtml.
std::vector<std::string> atom_text(const xmlNode* n) {
  const std::string type = attribute(n, "type");
  if (type == "xhtml") {
    const auto kids = elements(n);
    return html_paragraphs(kids.size() == 1 ? inner_markup(kids[0]) : inner_markup(n));
  }
  if (type == "html" || type == "text/html") return html_paragraphs(text_of(n));
  return text_paragraphs(text_of(n));
}

// "redaktion@example.org (Anna Muster)" -> Anna Muster; anything else as written.
std::string rss_author(std::string_view s) {
  const std::string line = collapse_space(s);
  const auto open = line.find(" (");
  if (open != std::string::npos && line.back() == ')' && line.substr(0, open).find('@') != std::string::npos)
    return collapse_space(line.substr(open + 2, line.size() - open - 3));
  return line;
}

std::string iso_or_empty(const std::string& s) {
  const std::string t = collapse_space(s);
  return base::is_iso8601(t) ? t : std::string();
}

void add_author(std::string& authors, const std::string& name) {
  if (name.empty() || authors.find(name) != std::string::npos) return;
  if (!authors.empty()) authors += ", ";
  authors += name;
}

// One RSS item (2.0, 1.0 or 0.9x) or Atom entry.
struct Item {
  std::string id, link, title, published, updated, authors;
  std::vector<std::string> tags;
  std::vector<std::string> content, description;
};

Item read_rss_item(const xmlNode* item) {
  Item it;
  if (std::string about = attribute(item, "about"); !about.empty()) it.id = collapse_space(about);  // RSS 1.0
  for (const xmlNode* e : elements(item)) {
    const std::string_view name = name_of(e), ns = ns_of(e);
    if (ns == kContentModule && name == "encoded") it.content = html_paragraphs(text_of(e));
    else if (ns == kDublinCore && name == "creator") add_author(it.authors, html_line(text_of(e)));
    else if (ns == kDublinCore && name == "date") it.published = iso_or_empty(text_of(e));
    else if (ns == kDublinCore && name == "subject") it.tags.push_back(collapse_space(text_of(e)));
    else if (ns == kAtom && name == "link" && it.link.empty()) it.link = collapse_space(attribute(e, "href"));
    else if (!ns.empty() && ns != "http://purl.org/rss/1.0/") continue;
    else if (name == "guid") it.id = collapse_space(text_of(e));
    else if (name == "link") it.link = collapse_space(text_of(e));
    else if (name == "title") it.title = html_line(text_of(e));
    else if (name == "pubDate") it.published = base::iso_from_rfc822(text_of(e)).value_or("");
    else if (name == "author") add_author(it.authors, rss_author(text_of(e)));
    else if (name == "category") it.tags.push_back(collapse_space(text_of(e)));
    else if (name == "description") it.description = html_paragraphs(text_of(e));
  }
  return it;
}

Item read_atom_entry(const xmlNode* entry) {
  Item it;
  std::string first_link;
  for (const xmlNode* e : elements(entry)) {
    if (ns_of(e) != kAtom) continue;
    const std::string_view name = name_of(e);
    if (name == "id") it.id = collapse_space(text_of(e));
    else if (name == "title") it.title = joined(atom_text(e));
    else if (name == "link") {
      const std::string rel = attribute(e, "rel"), href = collapse_space(attribute(e, "href"));
      if ((rel.empty() || rel == "alternate") && it.link.empty()) it.link = href;
      if (first_link.empty()) first_link = href;
    } else if (name == "published") it.published = iso_or_empty(text_of(e));
    else if (name == "updated") it.updated = iso_or_empty(text_of(e));
    else if (name == "author") {
      for (const xmlNode* a : elements(e))
        if (name_of(a) == "name") add_author(it.authors, collapse_space(text_of(a)));
    } else if (name == "category") {
      std::string term = collapse_space(attribute(e, "label"));
      if (term.empty()) term = collapse_space(attribute(e, "term"));
      it.tags.push_back(term);
    } else if (name == "content" && attribute(e, "src").empty()) it.content = atom_text(e);
    else if (name == "summary") it.description = atom_text(e);
  }
  if (it.link.empty()) it.link = first_link;
  if (it.published.empty()) it.published = it.updated;
  return it;
}

// The encoding the XML declaration names, lower case; "utf-8" when it names none (XML's default).
std::string declared_encoding(std::string_view raw) {
  const std::string_view head = raw.substr(0, std::min<std::size_t>(raw.size(), 200));
  if (!head.starts_with("<?xml")) return "utf-8";
  const auto end = head.find("?>");
  const auto at = head.find("encoding");
  if (at == std::string_view::npos || (end != std::string_view::npos && at > end)) return "utf-8";
  std::size_t i = at + 8;
  while (i < head.size() && (head[i] == '=' || head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
  std::string name;
  for (; i < head.size() && head[i] != '"' && head[i] != '\'' && !is_space(head[i]) && head[i] != '?'; ++i)
    name.push_back(head[i] >= 'A' && head[i] <= 'Z' ? static_cast<char>(head[i] - 'A' + 'a') : head[i]);
  return name == "utf8" ? "utf-8" : name;
}

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

}  // namespace

FeedParse parse_feed(std::string_view raw, const std::string& source) {
  FeedParse out;
  init_libxml();
  // libxml2 reads the charset of the XML declaration; bytes that are not UTF-8 in a UTF-8 feed would end
  // its reading, so they are repaired first (reported as a warning).
  std::string bytes(raw);
  if (declared_encoding(raw) == "utf-8" && !analyzers::is_valid_utf8(bytes)) {
    bytes = analyzers::repair_utf8(bytes);
    out.problems.push_back(Problem{source, 0, 0, false, false, "invalid UTF-8 replaced by U+FFFD"});
  }
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER |
                      XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1u << 30)), source.c_str(),
                    nullptr, options),
      xmlFreeDoc);
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    out.error = e && e->message ? analyzers::repair_utf8(collapse_space(e->message)) : "not XML";
    return out;
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root) {
    out.error = "no root element";
    return out;
  }
  const std::string_view root_name = name_of(root);
  std::vector<Item> items;
  if (root_name == "feed" && ns_of(root) == kAtom) {
    out.is_feed = true;
    for (const xmlNode* e : elements(root))
      if (name_of(e) == "entry" && ns_of(e) == kAtom) items.push_back(read_atom_entry(e));
  } else if (root_name == "rss" || root_name == "RDF") {
    out.is_feed = true;
    // RSS 2.0 and 0.9x: items inside the channel; RSS 1.0: beside it.
    for (const xmlNode* e : elements(root)) {
      if (name_of(e) == "item") items.push_back(read_rss_item(e));
      if (name_of(e) == "channel")
        for (const xmlNode* i : elements(e))
          if (name_of(i) == "item") items.push_back(read_rss_item(i));
    }
  } else {
    out.root = valid(root->name);
    return out;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    Item& it = items[i];
    const std::string where = "item " + std::to_string(i + 1);
    Article a;
    a.id = !it.id.empty() ? it.id : it.link;
    if (a.id.empty()) {
      out.problems.push_back(Problem{source, 0, 0, false, true, where + ": no guid, id or link: not indexed"});
      continue;
    }
    a.title = it.title;
    a.url = it.link;
    a.published = !it.published.empty() ? it.published : it.updated;
    a.author = it.authors;
    for (auto& t : it.tags)
      if (!t.empty() && std::find(a.tags.begin(), a.tags.end(), t) == a.tags.end()) a.tags.push_back(std::move(t));
    a.paragraphs = !it.content.empty() ? std::move(it.content) : std::move(it.description);
    a.source = source;
    if (a.paragraphs.empty()) {
      out.problems.push_back(Problem{source, 0, 0, false, true, where + " (" + a.id + "): no text: not indexed"});
      continue;
    }
    out.articles.push_back(std::move(a));
  }
  return out;
}

}  // namespace fundstelle::indexer
