#include "indexer/passage_segmenter.h"

#include "analyzers/normalize.h"

#include <algorithm>
#include <cstdint>

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
  // Comments are split by length only; the body also by sentence count, so that a passage stays a few
  // sentences that can be read at a glance.
  const std::size_t max_sentences = paragraph_aware ? options_.max_sentences : SIZE_MAX;
  const auto span = [&](std::size_t a, std::size_t b) { return sentences[b].cp_end - sentences[a].cp_begin; };
  const auto emit = [&](std::size_t a, std::size_t b) {  // sentences [a, b]
    out.push_back(Passage{kind, out.size(), comment, Span{sentences[a].cp_begin, sentences[b].cp_end},
                          text.substr(sentences[a].byte_begin, sentences[b].byte_end - sentences[a].byte_begin)});
  };

  // Blocks: paragraphs (for the body) or the whole text (a comment). A block shorter than min_chars (a heading,
  // a caption) and of fewer than max_sentences sentences is carried into the next block, so that it is read
  // with the text it introduces.
  std::vector<std::pair<std::size_t, std::size_t>> blocks;  // [first, last] sentence
  for (std::size_t i = 0, first = 0; i < sentences.size(); ++i) {
    const bool block_ends = i + 1 == sentences.size() ||
                            (paragraph_aware && text.compare(sentences[i].byte_end, 2, "\n\n") == 0);
    if (!block_ends) continue;
    if (i + 1 < sentences.size() && span(first, i) < options_.min_chars && i - first + 1 < max_sentences) continue;
    blocks.emplace_back(first, i);
    first = i + 1;
  }

  // Within a block: as few windows as the limits allow, balanced in length, so that no sentence is left
  // alone at the end of a paragraph.
  for (const auto& [a, b] : blocks) {
    const std::size_t n = b - a + 1;
    const std::size_t by_count = max_sentences == SIZE_MAX ? 1 : (n + max_sentences - 1) / max_sentences;
    const std::size_t windows_needed = std::max((span(a, b) + options_.max_chars - 1) / options_.max_chars, by_count);
    const double target = static_cast<double>(span(a, b)) /
                          static_cast<double>(std::max<std::size_t>(1, windows_needed));
    std::size_t first = a;
    for (std::size_t i = a + 1; i <= b; ++i) {
      const double without = static_cast<double>(span(first, i - 1)), with = static_cast<double>(span(first, i));
      if (with > static_cast<double>(options_.max_chars) || i - first >= max_sentences ||
          with - target > target - without) {
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
