// Cuts an article into passages, the unit of the index: sentence-aware windows over the body that never cross
// into the comments, and one passage per reader comment (one longer than max_chars is split at sentences).
// Body windows stay inside a paragraph, balanced in length; a paragraph shorter than min_chars (a heading, a
// caption) and of fewer than max_sentences sentences is read together with the paragraph after it.
//
// Invariants (tested): every sentence of the body and of each comment lies in exactly one passage; passages
// are in text order; ordinals run 0..n-1 (body first, then comments); each passage's text is exactly its span
// of the body (paragraphs joined by a blank line) or of its comment.
//
// Thread safety: holds a SentenceSplitter; use one per thread.
#pragma once

#include <string>
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
};

struct SegmenterOptions {
  std::size_t max_chars = 500;    // a window stops growing before it would pass this many code points
  std::size_t min_chars = 160;    // a paragraph shorter than this (unless it holds max_sentences) goes with the next
  std::size_t max_sentences = 3;  // body windows hold a few sentences; comments are split by length only
};

class PassageSegmenter {
 public:
  explicit PassageSegmenter(SegmenterOptions options = {}) : options_(options) {}
  std::vector<Passage> segment(const Article& article);

  // The body as passages address it: the paragraphs joined by a blank line.
  static std::string body_text(const Article& article);

 private:
  void windows(const std::string& text, PassageKind kind, std::size_t comment, bool paragraph_aware,
               std::vector<Passage>& out);
  SegmenterOptions options_;
  analyzers::SentenceSplitter sentences_;
};

}  // namespace fundstelle::indexer
