#include "analyzers/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace fundstelle::analyzers {

namespace {

// Abbreviations that are followed by a period inside German news sentences (compared in lower case).
// Single letters ("Jay Y. Lee", "z. B."), dotted forms ("z.B.", "d.h.") and ordinals ("am 22. März") are
// recognised by their shape and need no entry.
constexpr std::string_view kAbbreviations[] = {
    "abb",  "abs", "abt", "allg", "bd",   "bspw", "bzgl", "bzw", "ca",  "chr",  "co",  "corp",
    "dr",   "ebd", "etc", "evtl", "gegr", "geb",  "gest", "ggf", "hr",  "hrsg", "inc", "inkl",
    "insb", "jh",  "kap", "lt",   "ltd",  "max",  "min",  "mio", "mrd", "mr",   "mrs", "nr",
    "prof", "rd",  "sog", "st",   "str",  "tel",  "tsd",  "usw", "vgl", "vs",   "zzgl"};

bool ends_with_abbreviation(std::string_view sentence) {
  if (!sentence.ends_with('.')) return false;
  const std::size_t start = sentence.find_last_of(" \t(\"'");
  std::string_view word = sentence.substr(start == std::string_view::npos ? 0 : start + 1);
  word.remove_suffix(1);  // the period
  if (word.empty()) return false;
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (word.size() == 1 && is_alpha(word[0])) return true;  // an initial or one-letter abbreviation
  if (word.size() <= 2 && std::all_of(word.begin(), word.end(), is_digit)) return true;  // an ordinal
  if (word.find('.') != std::string_view::npos)  // z.B, d.h, u.a: letters and dots only
    return std::all_of(word.begin(), word.end(), [&](char c) { return is_alpha(c) || c == '.'; });
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), lower) != std::end(kAbbreviations);
}

// German sentences start with a capital letter, a digit or punctuation; a lower-case start means the break
// before it was an abbreviation ICU did not know. (ASCII and ä ö ü.)
bool starts_lower_case(std::string_view sentence) {
  if (sentence.empty()) return false;
  if (sentence[0] >= 'a' && sentence[0] <= 'z') return true;
  return sentence.starts_with("\xC3\xA4") || sentence.starts_with("\xC3\xB6") || sentence.starts_with("\xC3\xBC");
}

}  // namespace

struct SentenceSplitter::Impl {
  std::unique_ptr<icu::BreakIterator> sentences;
};

SentenceSplitter::SentenceSplitter() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // Plain German rules: ICU 72's abbreviation suppressions for de ("de@ss=standard") also match word endings,
  // so "Er kam. Er ging." stayed one sentence. Abbreviations are re-joined below instead.
  impl_->sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getGerman(), status));
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
  const auto join_previous = [&](const Sentence& next) {
    if (out.empty()) return false;
    const Sentence& prev = out.back();
    const std::string_view between = text.substr(prev.byte_end, next.byte_begin - prev.byte_end);
    if (between.find('\n') != std::string_view::npos) return false;  // a line break is a hard end
    return ends_with_abbreviation(text.substr(prev.byte_begin, prev.byte_end - prev.byte_begin)) ||
           starts_lower_case(text.substr(next.byte_begin, next.byte_end - next.byte_begin));
  };
  for (int32_t b = impl_->sentences->first(), e = impl_->sentences->next(); e != icu::BreakIterator::DONE;
       b = e, e = impl_->sentences->next()) {
    int32_t lo = b, hi = e;
    while (lo < hi && u_isUWhiteSpace(t.char32At(lo))) lo = t.moveIndex32(lo, 1);
    while (hi > lo && u_isUWhiteSpace(t.char32At(t.moveIndex32(hi, -1)))) hi = t.moveIndex32(hi, -1);
    if (lo >= hi) continue;
    const Sentence next{byte_at[lo], byte_at[hi], cp_at[lo], cp_at[hi]};
    if (join_previous(next)) {
      out.back().byte_end = next.byte_end;
      out.back().cp_end = next.cp_end;
    } else {
      out.push_back(next);
    }
  }
  return out;
}

}  // namespace fundstelle::analyzers
