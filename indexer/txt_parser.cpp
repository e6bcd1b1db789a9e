#include "indexer/txt_parser.h"

#include <algorithm>
#include <array>

#include "analyzers/normalize.h"
#include "analyzers/utf8.h"
#include "base/utf8.h"

namespace fundstelle::indexer {
namespace {

// Clutter is always short; long lines are body text and are never tested against the rules (this also keeps
// the work per line bounded on huge single-line files).
constexpr std::size_t kMaxClutterLine = 300;
// A first line longer than this, or with more than one sentence, is body text rather than a headline.
constexpr std::size_t kMaxHeadline = 200;
constexpr std::size_t kDerivedTitle = 120;

std::string_view trim(std::string_view s) {
  // A byte order mark or no-break spaces at the edges are not content either, nor the spaces they hid
  // ("\xC2\xA0 Samsung", found by the fuzzer).
  for (bool again = true; again;) {
    again = false;
    s = analyzers::trim_space(s);
    for (std::string_view edge : {std::string_view("\xEF\xBB\xBF"), std::string_view("\xC2\xA0")}) {
      if (s.starts_with(edge)) s.remove_prefix(edge.size()), again = true;
      if (s.ends_with(edge)) s.remove_suffix(edge.size()), again = true;
    }
  }
  return s;
}

// ASCII lower case; other bytes unchanged (the phrases below are written in lower case already).
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

template <typename Prefixes>
bool starts_with_any(std::string_view lowered, const Prefixes& prefixes) {
  return std::any_of(std::begin(prefixes), std::end(prefixes),
                     [&](std::string_view p) { return lowered.starts_with(p); });
}
bool starts_with_any(std::string_view lowered, std::initializer_list<std::string_view> prefixes) {
  return starts_with_any<std::initializer_list<std::string_view>>(lowered, prefixes);
}

// Ad labels stand alone on their line.
bool is_ad_label(std::string_view lowered) {
  std::string_view s = lowered;
  while (!s.empty() && (s.front() == '-' || s.front() == ' ' || s.front() == '[')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '-' || s.back() == ' ' || s.back() == ':' || s.back() == ']')) s.remove_suffix(1);
  for (std::string_view label :
       {"werbung", "anzeige", "advertisement", "sponsored", "gesponsert", "promotion", "ad", "reklame"})
    if (s == label) return true;
  return false;
}

// An image file name or slug left behind by a CMS: one token, no spaces, either ending in an image
// extension or made of at least three lower-case ASCII words joined by hyphens ("carlos-tavares-leapmotor").
bool is_image_slug(std::string_view line) {
  if (line.empty() || line.find(' ') != std::string_view::npos) return false;
  const std::string l = lower(line);
  for (std::string_view ext : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
    if (l.ends_with(ext)) return true;
  if (l != line) return false;  // slugs are lower case
  std::size_t groups = 1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '-' || c == '_') {
      if (i == 0 || i + 1 == line.size() || line[i - 1] == '-' || line[i - 1] == '_') return false;
      ++groups;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return groups >= 3;
}

constexpr std::array<std::string_view, 13> kCreditWords = {"foto:",   "foto ",   "fotos:",    "bild:",  "bildquelle",
                                                           "quelle:", "credit:", "credits:",  "image:", "photo:",
                                                           "©",       "(c) ",    "copyright "};

// A photo credit on its own line ("Foto: dpa", "© Hersteller").
bool is_credit_line(std::string_view lowered) {
  return lowered.size() <= 100 && starts_with_any(lowered, kCreditWords);
}

// A caption may end with its credit after the last sentence ("…, Zhu Jiangming. Foto Planet Electric Krabs"):
// the caption carries facts and stays; the credit goes. Returns the length to keep.
std::size_t strip_trailing_credit(std::string_view line) {
  const std::string l = lower(line);
  for (std::size_t i = 0; i + 2 < l.size(); ++i) {
    if ((l[i] == '.' || l[i] == '!' || l[i] == '?' || l[i] == '|') && l[i + 1] == ' ') {
      const std::string_view rest = std::string_view(l).substr(i + 2);
      if (rest.size() <= 80 && starts_with_any(rest, kCreditWords)) return i + 1;
    }
  }
  return line.size();
}

// The comment form that blogs print under an article (German and English WordPress wording and its variants).
bool is_comment_form(std::string_view lowered) {
  if (starts_with_any(lowered, {"schreibe einen kommentar",
                                "hinterlasse einen kommentar",
                                "kommentar verfassen",
                                "kommentar abschicken",
                                "kommentar schreiben",
                                "deine e-mail-adresse wird nicht",
                                "ihre e-mail-adresse wird nicht",
                                "deine email-adresse wird nicht",
                                "erforderliche felder sind",
                                "meinen namen, meine e-mail-adresse",
                                "speichere meinen namen",
                                "benachrichtige mich",
                                "leave a reply",
                                "leave a comment",
                                "your email address will not be published",
                                "required fields are marked",
                                "save my name, email",
                                "notify me of",
                                "post comment",
                                "cancel reply",
                                "antworten abbrechen"}))
    return true;
  for (std::string_view field : {"name", "name *", "e-mail", "e-mail *", "email *", "website", "webseite", "kommentar",
                                 "kommentar *", "antworten", "reply", "comment *"})
    if (lowered == field) return true;
  return false;
}

bool is_pingback(std::string_view lowered) { return starts_with_any(lowered, {"pingback:", "trackback:"}); }

// The line after which reader comments follow: an HTML comment end ("-->") or a plain marker.
bool is_comment_separator(std::string_view lowered) {
  if (lowered == "-->" || lowered == "<!--" || lowered == "--->") return true;
  for (std::string_view marker : {"kommentare", "kommentare:", "leserkommentare", "leserkommentare:", "comments",
                                  "comments:", "reaktionen", "reaktionen:"})
    if (lowered == marker) return true;
  // "12 Kommentare", "1 Kommentar", "Kommentare (12)"
  std::size_t i = 0;
  while (i < lowered.size() && lowered[i] >= '0' && lowered[i] <= '9') ++i;
  if (i > 0 && (lowered.substr(i) == " kommentare" || lowered.substr(i) == " kommentar")) return true;
  return lowered.starts_with("kommentare (") && lowered.ends_with(")");
}

// "Tags: a, b" (or "Schlagwörter:"): returns the tag list, or nothing if the line is not a tag line.
bool parse_tags(std::string_view line, std::vector<std::string>& tags) {
  const std::string l = lower(line);
  std::size_t skip = 0;
  for (std::string_view p : {"tags:", "schlagwörter:", "schlagworte:", "stichwörter:", "themen:"})
    if (l.starts_with(p)) skip = p.size();
  if (skip == 0) return false;
  std::string_view rest = line.substr(skip);
  while (!rest.empty()) {
    const auto comma = rest.find_first_of(",;");
    const std::string_view tag = trim(rest.substr(0, comma));
    if (!tag.empty()) tags.emplace_back(tag);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return true;
}

bool ends_sentence_or_block(std::string_view s) {
  if (s.empty()) return true;
  for (std::string_view end : {".", "!", "?", ":", "\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xC2\xBB", "\xC2\xAB", ")"})
    if (s.ends_with(end)) return true;
  return false;
}

// A lower-case ASCII letter or ä, ö, ü, ß ("über zwei Zeilen" continues a hard-wrapped paragraph too).
bool starts_lower(std::string_view s) {
  if (!s.empty() && s.front() >= 'a' && s.front() <= 'z') return true;
  for (std::string_view german : {"\xC3\xA4", "\xC3\xB6", "\xC3\xBC", "\xC3\x9F"})
    if (s.starts_with(german)) return true;
  return false;
}

// Whether the . ! or ? at s[i] ends a sentence. A period after a one- or two-digit number ("Am 22. März") is an
// ordinal and one after a single letter ("Jay Y. Lee", "z. B.") an initial or abbreviation: neither ends one.
bool ends_sentence_at(std::string_view s, std::size_t i) {
  if (s[i] == '!' || s[i] == '?') return true;
  if (s[i] != '.') return false;
  std::size_t k = i;
  while (k > 0 && s[k - 1] != ' ') --k;
  const std::string_view word = s.substr(k, i - k);
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!word.empty() && word.size() <= 2 && std::all_of(word.begin(), word.end(), is_digit)) return false;
  if (word.size() == 1 && is_letter(word[0])) return false;
  return true;
}

// Number of sentence ends (. ! ? followed by a space) inside the line, a cheap headline test.
std::size_t inner_sentence_ends(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i + 1] == ' ' && i > 0 && s[i - 1] != ' ' &&
        ends_sentence_at(s, i))
      ++n;
  return n;
}

std::string derive_title(std::string_view paragraph) {
  // The first sentence, cut at a word boundary.
  std::size_t end = paragraph.size();
  for (std::size_t i = 0; i + 1 < paragraph.size(); ++i)
    if ((paragraph[i] == '.' || paragraph[i] == '!' || paragraph[i] == '?') && paragraph[i + 1] == ' ' &&
        ends_sentence_at(paragraph, i)) {
      end = i + 1;
      break;
    }
  std::string_view title = paragraph.substr(0, end);
  if (analyzers::count_code_points(title) <= kDerivedTitle) return std::string(title);
  // Cut at the last space within kDerivedTitle code points, or at that many code points if there is none.
  std::size_t cut = 0, cps = 0, i = 0;
  for (; i < title.size(); ++i) {
    if (!base::is_continuation(static_cast<unsigned char>(title[i])) && ++cps > kDerivedTitle) break;
    if (title[i] == ' ') cut = i;
  }
  return std::string(trim(title.substr(0, cut ? cut : i))) + "\xE2\x80\xA6";
}

}  // namespace

TxtParse parse_txt_article(std::string_view text, const std::string& id, const std::string& source) {
  TxtParse out;
  out.article.id = id;
  out.article.source = source;

  bool in_comments = false, have_title = false;
  std::string_view pending;  // the last body line, for joining hard-wrapped lines
  std::string paragraph;
  auto flush_paragraph = [&] {
    if (!paragraph.empty()) out.article.paragraphs.push_back(std::move(paragraph));
    paragraph.clear();
  };

  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty()) {
      if (!in_comments) flush_paragraph();
      if (nl == text.size()) break;
      continue;
    }

    if (line.size() <= kMaxClutterLine) {
      const std::string l = lower(line);
      const char* reason = nullptr;
      if (is_comment_separator(l)) {
        reason = "separator";
        in_comments = true;
        flush_paragraph();
      } else if (is_ad_label(l)) {
        reason = "ad";
      } else if (is_image_slug(line)) {
        reason = "image";
      } else if (is_credit_line(l)) {
        reason = "credit";
      } else if (is_comment_form(l)) {
        reason = "comment form";
      } else if (is_pingback(l)) {
        reason = "pingback";
      } else if (parse_tags(line, out.article.tags)) {
        reason = "tags";
      }
      if (reason) {
        out.dropped.push_back({line_no, std::string(line), reason});
        if (!in_comments) flush_paragraph();
        if (nl == text.size()) break;
        continue;
      }
      line = line.substr(0, strip_trailing_credit(line));
      line = trim(line);
    }

    if (!have_title && !in_comments) {
      have_title = true;
      if (analyzers::count_code_points(line) <= kMaxHeadline && inner_sentence_ends(line) == 0) {
        out.article.title = std::string(line);
        if (nl == text.size()) break;
        continue;
      }
      out.derived_title = true;
      out.article.title = derive_title(line);
    }

    if (in_comments) {
      out.article.comments.push_back(Comment{{}, {}, {}, std::string(line)});
    } else if (!paragraph.empty() && !ends_sentence_or_block(pending) && starts_lower(line)) {
      paragraph += ' ';  // a hard-wrapped line continues the paragraph
      paragraph += line;
    } else {
      flush_paragraph();
      paragraph = std::string(line);
    }
    pending = line;
    if (nl == text.size()) break;
  }
  flush_paragraph();
  return out;
}

bool prepare_txt(std::string& raw, const std::string& source, std::vector<Problem>& problems) {
  if (raw.find_first_not_of(" \t\r\n") == std::string::npos) {
    problems.push_back(Problem{source, 0, 0, false, true, "empty file"});
    return false;
  }
  if (const auto nul = std::string_view(raw).substr(0, 8192).find('\0'); nul != std::string_view::npos) {
    problems.push_back(Problem{source, 0, nul, true, true, "binary file (NUL byte), not an article"});
    return false;
  }
  if (const auto nul = raw.find('\0'); nul != std::string::npos) {  // past the first 8 KiB: text after all
    problems.push_back(Problem{source, 0, nul, true, false, "NUL bytes in the text, read as spaces"});
    std::replace(raw.begin(), raw.end(), '\0', ' ');
  }
  if (!analyzers::is_valid_utf8(raw)) {
    std::vector<std::size_t> bad;
    raw = analyzers::repair_utf8(raw, &bad);
    problems.push_back(Problem{source, 0, bad.front(), true, false, analyzers::describe_repair(bad)});
  }
  return true;
}

bool is_photo_credit(std::string_view line) { return is_credit_line(lower(line)); }

std::string without_trailing_credit(std::string_view line) {
  return std::string(line.substr(0, strip_trailing_credit(line)));
}

}  // namespace fundstelle::indexer
