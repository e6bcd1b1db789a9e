// How much an indexing run lets its writers buffer before a commit, and how large an article is for that.
#pragma once

#include <algorithm>
#include <cstddef>

#include "fundstelle/article.h"
#include "fundstelle/indexer.h"

namespace fundstelle::indexer {

// How much of an article a writer has to analyse (title, paragraphs, comments, in bytes): the bounds on
// queues and batches count this.
inline std::size_t text_bytes(const Article& a) {
  std::size_t n = a.title.size();
  for (const auto& p : a.paragraphs) n += p.size();
  for (const auto& c : a.comments) n += c.text.size();
  return n;
}

// Bytes of writer memory (Xapian's buffered changes, the documents on their way) per byte of article text
// written since the last commit: six to seven were measured on the benchmark corpus; ten leaves room.
inline constexpr std::size_t kBufferBytesPerTextByte = 10;

// The article text a commit may wait for under IndexOptions::memory_mb, for `writers` writers at once.
inline std::size_t batch_text_bytes(const IndexOptions& options, unsigned writers) {
  const std::size_t budget = std::max<std::size_t>(16, options.memory_mb) << 20;
  return std::max<std::size_t>(1 << 20, budget / kBufferBytesPerTextByte / std::max(1u, writers));
}

// Counts one written article in `report`; false when it was unchanged (nothing written).
inline bool tally(IndexReport& report, ChangeKind change, std::size_t passages, std::size_t comments) {
  switch (change) {
    case ChangeKind::Added: ++report.added; break;
    case ChangeKind::Replaced: ++report.replaced; break;
    case ChangeKind::Unchanged: ++report.unchanged; return false;
  }
  report.passages += passages;
  report.comments += comments;
  return true;
}

// Adds the counts of `part` (not its problems) to `total`.
inline void add_counts(IndexReport& total, const IndexReport& part) {
  total.added += part.added;
  total.replaced += part.replaced;
  total.unchanged += part.unchanged;
  total.passages += part.passages;
  total.comments += part.comments;
}

}  // namespace fundstelle::indexer
