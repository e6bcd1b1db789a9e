#include "indexer/passage_segmenter.h"

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
    if (!body.empty()) body += "\n\n";
    body += p;
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
  std::size_t first = 0;  // first sentence of the open window
  auto close = [&](std::size_t last) {  // window = sentences [first, last]
    const auto& a = sentences[first];
    const auto& b = sentences[last];
    out.push_back(Passage{kind, out.size(), comment, Span{a.cp_begin, b.cp_end},
                          text.substr(a.byte_begin, b.byte_end - a.byte_begin)});
    first = last + 1;
  };
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    if (i > first) {
      const std::size_t len = sentences[i].cp_end - sentences[first].cp_begin;
      const bool paragraph_break =
          paragraph_aware && text.compare(sentences[i - 1].byte_end, 2, "\n\n") == 0 &&
          sentences[i - 1].cp_end - sentences[first].cp_begin >= options_.min_chars;
      if (len > options_.max_chars || i - first >= options_.max_sentences || paragraph_break) close(i - 1);
    }
  }
  if (first < sentences.size()) close(sentences.size() - 1);
}

std::vector<Passage> PassageSegmenter::segment(const Article& article) {
  std::vector<Passage> out;
  // ICU may put a sentence boundary anywhere inside a paragraph but always at a paragraph break ("\n\n" is a
  // hard break for the sentence rules), so windows can be checked against paragraph ends cheaply.
  windows(body_text(article), PassageKind::Article, 0, true, out);
  for (std::size_t c = 0; c < article.comments.size(); ++c) windows(article.comments[c].text, PassageKind::Comment, c, false, out);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].ordinal = i;
  return out;
}

}  // namespace fundstelle::indexer
