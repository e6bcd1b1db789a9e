// Text analysis on arbitrary bytes, in the order the indexer applies it: UTF-8 repair, then sentence splitting
// and the German analyzer on the repaired text; on the way the word-level helpers (normalization, stemming,
// stopwords, edit distance, capitalisation).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "analyzers/normalize.h"
#include "analyzers/sentence_splitter.h"
#include "analyzers/utf8.h"
#include "fuzz_check.h"

using namespace fundstelle;
using analyzers::Token;
using analyzers::TokenRole;

namespace {

// repair_utf8, is_valid_utf8 and count_code_points agree with one another (utf8.h).
std::string check_repair(std::string_view raw) {
  std::vector<std::size_t> bad;
  std::string repaired = analyzers::repair_utf8(raw, &bad);
  FUZZ_CHECK(analyzers::is_valid_utf8(repaired));
  FUZZ_CHECK(repaired.find('\0') == std::string::npos);
  FUZZ_CHECK(analyzers::repair_utf8(repaired) == repaired);
  if (analyzers::is_valid_utf8(raw)) {
    FUZZ_CHECK(bad.empty() && repaired == raw);
  } else {
    FUZZ_CHECK(!bad.empty() && !analyzers::describe_repair(bad, "of the line").empty());
    for (std::size_t i = 0; i < bad.size(); ++i) {
      FUZZ_CHECK(bad[i] < raw.size());
      FUZZ_CHECK(i == 0 || bad[i] > bad[i - 1]);
    }
    // Everything before the first bad byte is kept as it was.
    FUZZ_CHECK(std::string_view(repaired).substr(0, bad.front()) == raw.substr(0, bad.front()));
  }
  // Each replaced sequence becomes one U+FFFD (3 bytes) or one space; valid code points are copied.
  FUZZ_CHECK(repaired.size() <= raw.size() + 2 * bad.size());
  // Offsets in the repaired text map back in order: a kept byte to itself, a replacement to a bad offset.
  const std::size_t step = std::max<std::size_t>(1, repaired.size() / 64);
  std::size_t prev = 0;
  for (std::size_t j = 0; j < repaired.size(); j += step) {
    const std::size_t i = analyzers::offset_before_repair(raw, j);
    FUZZ_CHECK(i < raw.size() && i >= prev);
    prev = i;
    if (!std::binary_search(bad.begin(), bad.end(), i)) FUZZ_CHECK(raw[i] == repaired[j]);
  }
  FUZZ_CHECK(analyzers::offset_before_repair(raw, repaired.size()) == raw.size());
  return repaired;
}

std::string slice(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  const std::size_t b = fuzz::byte_of(text, begin), e = fuzz::byte_of(text, end);
  FUZZ_CHECK(b != std::string_view::npos && e != std::string_view::npos && b <= e);
  return std::string(text.substr(b, e - b));
}

// The tokens of `text` as german_analyzer.h describes them.
void check_tokens(analyzers::GermanAnalyzer& analyzer, std::string_view text, const std::vector<Token>& tokens) {
  const std::size_t length = analyzers::count_code_points(text);
  const Token* word = nullptr;  // the last Word or Part: what a Split or Inner belongs to
  bool have_word = false;
  std::uint32_t last_position = 0, last_end = 0;
  for (const Token& t : tokens) {
    FUZZ_CHECK(!t.term.empty() && t.term.size() <= analyzers::GermanAnalyzer::kMaxTermBytes);
    FUZZ_CHECK(!t.form.empty() && t.form.size() <= analyzers::GermanAnalyzer::kMaxTermBytes);
    FUZZ_CHECK(analyzers::is_valid_utf8(t.term) && analyzers::is_valid_utf8(t.form));
    FUZZ_CHECK(t.begin < t.end && t.end <= length);
    FUZZ_CHECK(t.term == analyzer.term_for_form(t.form));
    switch (t.role) {
      case TokenRole::Word:
      case TokenRole::Part:
        // In text order, one position each; the form is the normalized text of its span.
        FUZZ_CHECK(!have_word || t.position > last_position);
        FUZZ_CHECK(!have_word || t.begin >= last_end);
        FUZZ_CHECK(t.form == analyzer.normalize(slice(text, t.begin, t.end)));
        have_word = true;
        last_position = t.position, last_end = t.end;
        word = &t;
        break;
      case TokenRole::Whole:
      case TokenRole::Quantity:
        // The joined chain or "N%": at the position of its first part, which it follows.
        FUZZ_CHECK(have_word && t.position <= last_position && t.end >= last_end);
        word = nullptr;
        break;
      case TokenRole::Split:
      case TokenRole::Inner:
        // A compound part: right after its word, with the word's position and span, spelled as in it.
        FUZZ_CHECK(word != nullptr);
        FUZZ_CHECK(t.position == word->position && t.begin == word->begin && t.end == word->end);
        FUZZ_CHECK(word->form.find(t.form) != std::string::npos && t.form != word->form);
        break;
    }
  }
}

void check_words(analyzers::GermanAnalyzer& analyzer, const std::string& text) {
  const std::string form = analyzer.normalize(text);
  FUZZ_CHECK(analyzers::is_valid_utf8(form));
  FUZZ_CHECK(analyzer.normalize(form) == form);  // NFKC_Casefold is idempotent
  (void)analyzer.is_stopword(form);
  if (form.size() <= analyzers::GermanAnalyzer::kMaxTermBytes)
    FUZZ_CHECK(analyzers::is_valid_utf8(analyzer.term_for_form(form)));
  FUZZ_CHECK(analyzers::is_valid_utf8(analyzers::capitalize_like(text, form)));

  // Edit distance between the two halves of a word-sized prefix (split at a code point): symmetric, bounded,
  // zero to itself. (It is quadratic and meant for words: the spelling corrector compares words.)
  const std::size_t cps = std::min<std::size_t>(analyzers::count_code_points(text), 64);
  const std::string_view word = std::string_view(text).substr(0, fuzz::byte_of(text, cps));
  const std::size_t half = fuzz::byte_of(word, cps / 2);
  const std::string_view a = word.substr(0, half), b = word.substr(half);
  const std::size_t d = analyzers::edit_distance(a, b, 2);
  FUZZ_CHECK(d <= 3 && d == analyzers::edit_distance(b, a, 2));
  FUZZ_CHECK(analyzers::edit_distance(a, a, 2) == 0);
  FUZZ_CHECK((d == 0) == (a == b));
  const std::size_t la = analyzers::count_code_points(a), lb = analyzers::count_code_points(b);
  if (d <= 2) FUZZ_CHECK((la > lb ? la - lb : lb - la) <= d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static analyzers::GermanAnalyzer analyzer;
  static analyzers::SentenceSplitter splitter;
  const std::string text = check_repair(std::string_view(reinterpret_cast<const char*>(data), size));
  fuzz::check_sentences(text, splitter.split(text));
  check_tokens(analyzer, text, analyzer.analyze(text));
  check_words(analyzer, text);
  return 0;
}
