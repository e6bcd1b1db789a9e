// Sentence boundaries: ICU's German sentence rules, then a boundary is taken back where the word before it is
// an abbreviation ("z. B.", "Jay Y. Lee", "am 22. März", "5 Mio. Euro", "bzw.") or the text after it goes on
// in lower case. A line break always ends a sentence.
//
// Thread safety: holds an ICU iterator; use one per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace fundstelle::analyzers {

struct Sentence {
  std::size_t byte_begin, byte_end;  // in the UTF-8 text, surrounding white space trimmed
  std::size_t cp_begin, cp_end;      // the same range in code points
};

class SentenceSplitter {
 public:
  SentenceSplitter();
  ~SentenceSplitter();
  SentenceSplitter(const SentenceSplitter&) = delete;
  SentenceSplitter& operator=(const SentenceSplitter&) = delete;

  // The sentences of valid UTF-8 `text`, in order; white space between them belongs to none.
  std::vector<Sentence> split(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle::analyzers
