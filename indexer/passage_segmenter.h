// Cuts an article into passages, the unit of the index. Passages follow the author's paragraphs: a paragraph
// of the body is one passage, a reader comment is one passage; only one longer than max_chars is cut, at
// sentences, into balanced windows that overlap by one sentence where that fits. A short paragraph is never
// cut and never merged into another. A heading (a short line not ended like a sentence, followed by a
// paragraph that is not one) is no passage: it is the `section` of the body passages after it, up to the
// next heading, indexed as their context like the article's title.
//
// Invariants (tested): every sentence of the body and of each comment lies in one passage, or in two that
// overlap by exactly that sentence, or is a heading that is the section of the passage after it; passages
// are in text order (begins and ends increasing); ordinals run 0..n-1 (body first, then comments); each
// passage's text is exactly its span of the body (paragraphs joined by a blank line) or of its comment, and
// no longer than max_chars unless it is one piece of an over-long sentence.
//
// Thread safety: holds a SentenceSplitter; use one per thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/sentence_splitter.h"
#include "fundstelle/article.h"
#include "fundstelle/passage.h"

namespace fundstelle::indexer {

struct Passage {
  PassageKind kind;
  std::size_t ordinal;
  std::size_t comment;  // index of the comment, for comment passages
  Span span;            // code points in the body text or the comment text
  std::string text;
  std::string section;  // the heading the passage stands under (body only), or empty
  Span section_span;    // where that heading lies in the body
};

struct SegmenterOptions {
  std::size_t max_chars = 800;         // a paragraph or comment longer than this is cut into windows
  std::size_t max_heading_chars = 80;  // a heading is at most this long
  std::size_t max_heading_words = 10;  // and has at most this many words
};

class PassageSegmenter {
 public:
  explicit PassageSegmenter(SegmenterOptions options = {}) : options_(options) {}
  std::vector<Passage> segment(const Article& article);

  // The body as passages address it: the paragraphs joined by a blank line.
  static std::string body_text(const Article& article);

 private:
  bool heading_like(std::string_view block) const;
  void windows(const std::string& text, PassageKind kind, std::size_t comment, bool paragraph_aware,
               std::vector<Passage>& out);
  SegmenterOptions options_;
  analyzers::SentenceSplitter sentences_;
};

}  // namespace fundstelle::indexer
