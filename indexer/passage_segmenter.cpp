#include "indexer/passage_segmenter.h"

#include "analyzers/normalize.h"

#include <algorithm>
#include <cstdint>

#include "analyzers/utf8.h"

namespace fundstelle::indexer {
namespace {

// Splits one over-long sentence (text without punctuation, tables, a 100 MB line) at spaces so that no piece
// passes `max` code points; a piece without any space is cut at a code point boundary.
std::vector<analyzers::Sentence> split_long(const std::string& text, const analyzers::Sentence& s, std::size_t max) {
  std::vector<analyzers::Sentence> out;
  std::size_t b = s.byte_begin, cp = s.cp_begin;
  while (s.cp_end - cp > max) {
    // Walk `max` code points forward, remembering the last space.
    std::size_t i = b, n = 0, space_byte = 0, space_cp = 0;
    while (n < max) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == ' ') space_byte = i, space_cp = cp + n;
      i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++n;
    }
    std::size_t end_byte = i, end_cp = cp + n;
    if (space_byte > b) end_byte = space_byte, end_cp = space_cp;
    while (end_byte > b && text[end_byte - 1] == ' ') --end_byte, --end_cp;  // a run of spaces belongs to no piece
    out.push_back({b, end_byte, cp, end_cp});
    b = end_byte, cp = end_cp;
    while (b < s.byte_end && text[b] == ' ') ++b, ++cp;
  }
  if (b < s.byte_end) out.push_back({b, s.byte_end, cp, s.cp_end});
  return out;
}

}  // namespace

std::string PassageSegmenter::body_text(const Article& article) {
  std::string body;
  for (const auto& p : article.paragraphs) {
    // Trimmed, so that a paragraph break is always exactly the blank line between two paragraphs.
    const std::string_view text = analyzers::trim_space(p);
    if (text.empty()) continue;
    if (!body.empty()) body += "\n\n";
    body += text;
  }
  return body;
}

// Whether block text `t` (one paragraph) reads as a heading: one short line of a few words that begins with a
// capital letter or a digit and has no sentence or clause punctuation in it or at its end (a full stop, colon,
// semicolon, comma or ellipsis): not an image caption ("Carlos Tavares, Ex-CEO Stellantis"), not an entry of
// a list of terms ("Umschalt+Leertaste: Auswahl des Bereichs"), not a sentence.
bool PassageSegmenter::heading_like(std::string_view t) const {
  if (t.empty() || t.find('\n') != std::string_view::npos) return false;
  if (analyzers::count_code_points(t) > options_.max_heading_chars) return false;
  if (std::count(t.begin(), t.end(), ' ') >= static_cast<std::ptrdiff_t>(options_.max_heading_words)) return false;
  for (const char c : {',', ':', ';'})
    if (t.find(c) != std::string_view::npos) return false;
  if (t.find(". ") != std::string_view::npos) return false;
  std::string_view end = t;
  for (std::string_view close : {"\"", "'", ")", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xC2\xAB", "\xC2\xBB"})
    if (end.size() > close.size() && end.ends_with(close)) end.remove_suffix(close.size());
  for (std::string_view stop : {".", "\xE2\x80\xA6"})
    if (end.ends_with(stop)) return false;
  return (t.front() >= '0' && t.front() <= '9') || analyzers::starts_upper(t);
}

void PassageSegmenter::windows(const std::string& text, PassageKind kind, std::size_t comment, bool paragraph_aware,
                               std::vector<Passage>& out) {
  std::vector<analyzers::Sentence> sentences;
  for (const auto& s : sentences_.split(text)) {
    if (s.cp_end - s.cp_begin > options_.max_chars) {
      for (const auto& piece : split_long(text, s, options_.max_chars)) sentences.push_back(piece);
    } else {
      sentences.push_back(s);
    }
  }
  const auto span = [&](std::size_t a, std::size_t b) { return sentences[b].cp_end - sentences[a].cp_begin; };
  const auto block_text = [&](std::size_t a, std::size_t b) {
    return std::string_view(text).substr(sentences[a].byte_begin, sentences[b].byte_end - sentences[a].byte_begin);
  };

  // Blocks: paragraphs (for the body) or the whole text (a comment).
  std::vector<std::pair<std::size_t, std::size_t>> blocks;  // [first, last] sentence
  for (std::size_t i = 0, first = 0; i < sentences.size(); ++i) {
    if (i + 1 == sentences.size() || (paragraph_aware && text.compare(sentences[i].byte_end, 2, "\n\n") == 0)) {
      blocks.emplace_back(first, i);
      first = i + 1;
    }
  }

  std::string section;  // the heading of the section being read
  Span section_span;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const auto [a, b] = blocks[k];
    // A heading (a line that reads like one, followed by a paragraph that does not) is no passage of its own:
    // it is the context of the passages after it, up to the next heading. A run of short lines is text.
    if (paragraph_aware && k + 1 < blocks.size() && heading_like(block_text(a, b)) &&
        !heading_like(block_text(blocks[k + 1].first, blocks[k + 1].second))) {
      section = std::string(block_text(a, b));
      section_span = Span{sentences[a].cp_begin, sentences[b].cp_end};
      continue;
    }
    // A paragraph is one passage when it fits; a longer one is cut at sentences into as few windows as the
    // limit allows, balanced in length, each but the first beginning with the last sentence of the one before
    // when that still fits (a sentence on the cut is read with both neighbours).
    const std::size_t windows_needed = (span(a, b) + options_.max_chars - 1) / options_.max_chars;
    const double target = static_cast<double>(span(a, b)) /
                          static_cast<double>(std::max<std::size_t>(1, windows_needed));
    std::size_t first = a, previous = a;  // the first sentence of this window and of the one before
    const auto emit = [&](std::size_t from, std::size_t to) {  // sentences [from, to]
      std::size_t begin = from;
      if (from > previous + 1 && span(from - 1, to) <= options_.max_chars) begin = from - 1;
      previous = from;
      out.push_back(Passage{kind, out.size(), comment, Span{sentences[begin].cp_begin, sentences[to].cp_end},
                            std::string(block_text(begin, to)), section, section_span});
    };
    for (std::size_t i = a + 1; i <= b; ++i) {
      const double without = static_cast<double>(span(first, i - 1)), with = static_cast<double>(span(first, i));
      if (with > static_cast<double>(options_.max_chars) || with - target > target - without) {
        emit(first, i - 1);
        first = i;
      }
    }
    emit(first, b);
  }
}

std::vector<Passage> PassageSegmenter::segment(const Article& article) {
  std::vector<Passage> out;
  // ICU may put a sentence boundary anywhere inside a paragraph but always at a paragraph break ("\n\n" is a
  // hard break for the sentence rules), so windows can be checked against paragraph ends cheaply.
  windows(body_text(article), PassageKind::Article, 0, true, out);
  for (std::size_t c = 0; c < article.comments.size(); ++c)
    windows(article.comments[c].text, PassageKind::Comment, c, false, out);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].ordinal = i;
  return out;
}

}  // namespace fundstelle::indexer
