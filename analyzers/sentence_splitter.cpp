#include "analyzers/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <string>

namespace fundstelle::analyzers {

struct SentenceSplitter::Impl {
  std::unique_ptr<icu::BreakIterator> sentences;
};

SentenceSplitter::SentenceSplitter() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale("de@ss=standard"), status));
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU sentence iterator: ") + u_errorName(status));
}

SentenceSplitter::~SentenceSplitter() = default;

std::vector<Sentence> SentenceSplitter::split(std::string_view text) {
  const icu::UnicodeString t =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Byte and code point offsets of each UTF-16 index.
  std::vector<std::size_t> byte_at(static_cast<std::size_t>(t.length()) + 1), cp_at(byte_at.size());
  std::size_t bytes = 0, cps = 0;
  for (int32_t i = 0; i < t.length();) {
    const UChar32 c = t.char32At(i);
    const int32_t units = U16_LENGTH(c);
    for (int32_t k = 0; k < units; ++k) {
      byte_at[i + k] = bytes;
      cp_at[i + k] = cps;
    }
    bytes += U8_LENGTH(c);
    ++cps;
    i += units;
  }
  byte_at[t.length()] = bytes;
  cp_at[t.length()] = cps;

  std::vector<Sentence> out;
  impl_->sentences->setText(t);
  for (int32_t b = impl_->sentences->first(), e = impl_->sentences->next(); e != icu::BreakIterator::DONE;
       b = e, e = impl_->sentences->next()) {
    int32_t lo = b, hi = e;
    while (lo < hi && u_isUWhiteSpace(t.char32At(lo))) lo = t.moveIndex32(lo, 1);
    while (hi > lo && u_isUWhiteSpace(t.char32At(t.moveIndex32(hi, -1)))) hi = t.moveIndex32(hi, -1);
    if (lo < hi) out.push_back({byte_at[lo], byte_at[hi], cp_at[lo], cp_at[hi]});
  }
  return out;
}

}  // namespace fundstelle::analyzers
