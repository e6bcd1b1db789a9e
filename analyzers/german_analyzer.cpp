#include "analyzers/german_analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/compound_rules.h"
#include "analyzers/compound_splitter.h"
#include "analyzers/normalize.h"
#include "analyzers/stopwords.h"

namespace fundstelle::analyzers {
namespace {

constexpr std::size_t kMaxChainParts = 8;  // longer chains (hyphens, full stops) are cut into chains of 8

bool is_hyphen(UChar c) { return c == u'-' || c == 0x2010 || c == 0x2011; }
// The full stops ICU's word rules keep inside a word (MidNumLet): ASCII, one-dot leader, small and full-width.
bool is_full_stop(UChar c) { return c == u'.' || c == 0x2024 || c == 0xFE52 || c == 0xFF0E; }
// A letter, or a combining mark after one (decomposed text: the e and the accent of "Café").
bool is_letter_or_mark(UChar32 c) { return u_isalpha(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0; }
bool is_space_in_number(UChar c) { return c == u' ' || c == 0x00A0 || c == 0x202F; }
bool is_percent_sign(UChar32 c) { return c == u'%' || c == 0xFF05; }  // and the full-width one

bool has_digit(std::string_view s) {
  for (const char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// A word segment found by ICU, in UTF-16 units of the analysed text.
struct Segment {
  int32_t begin, end;
  bool numeric;
  bool dot_next = false;  // the next segment follows after a full stop inside one ICU word (ui.GetDocument)
};

}  // namespace

struct GermanAnalyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_cf = nullptr;
  Xapian::Stem stemmer{"german2"};
  std::unordered_set<std::string> stopwords;
  icu::UnicodeString text16;
  std::vector<Segment> segments;
  std::vector<uint32_t> cp_at;  // code point offset of each UTF-16 index (size = length + 1)
  const CompoundSplitter& compounds = CompoundSplitter::german();
  // What a form (normalized word without digits) becomes, worked out once: its stem, and its compound parts
  // once a token asked for them. Stemming every word again was a tenth of the time to analyse the passages
  // shown for a query.
  struct Form {
    std::string term;
    bool split = false;                                             // parts and inner are filled
    std::vector<std::pair<std::string, std::string>> parts, inner;  // (form, term)
  };
  // Emptied when full: the memory of an analyzer must not grow with the corpus (at about 150 bytes an entry
  // this is about 10 MB; the forms that come back often are back in it at once).
  static constexpr std::size_t kFormCacheEntries = 1 << 16;
  std::unordered_map<std::string, Form> forms;

  Form& form(const std::string& f) {
    auto it = forms.find(f);
    if (it != forms.end()) return it->second;
    if (forms.size() >= kFormCacheEntries) forms.clear();
    Form entry;
    entry.term = stem(f);
    return forms.emplace(f, std::move(entry)).first->second;
  }

  // German2's stem, and the singular's where German2 keeps a plural or genitive -s after a vowel (Autos,
  // Kameras, Taxis, Koreas): when the form without it is a noun of at least four letters that the word
  // lists hold. (Of the 922 such forms in wngerman, 5 have inflections of their own: Karos, Kulis.)
  std::string stem(const std::string& f) const {
    if (f.size() >= 5 && f.back() == 's' && std::string_view("aiouy").find(f[f.size() - 2]) != std::string_view::npos) {
      const std::string_view singular(f.data(), f.size() - 1);
      if (compounds.listed_noun(singular)) return stemmer(std::string(singular));
    }
    return stemmer(f);
  }
};

GermanAnalyzer::GermanAnalyzer() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getGerman(), status));
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(status));
  impl_->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC_Casefold: ") + u_errorName(status));
  for (const auto& w : german_stopword_list()) impl_->stopwords.insert(normalize(w));
}

GermanAnalyzer::~GermanAnalyzer() = default;

std::string GermanAnalyzer::fingerprint() {
  // Bump the version when tokenization, joining, normalization or stemming changes.
  // Computed once: every article's content hash includes it.
  static const std::string fingerprint =
      "fundstelle-german/7 icu-word-de nfkc_cf hyphen-join(" + std::to_string(kMaxChainParts) +
      ") dot-split percent-join stem=german2+vowel-s maxterm=" + std::to_string(kMaxTermBytes) +
      " icu=" U_ICU_VERSION " " + CompoundSplitter::german().fingerprint() + " " + CompoundSplitter::rules();
  return fingerprint;
}

std::string GermanAnalyzer::normalize(std::string_view word) { return nfkc_casefold(word); }

std::string GermanAnalyzer::term_for_form(const std::string& form) {
  if (form.empty() || has_digit(form)) return form;
  // (From the analyser's forms: a query asks for a few dozen spellings of its compounds, Xapian's stemmer
  // takes about 10,000 instructions a word, and the same words come back in later queries.)
  return impl_->form(form).term;
}

bool GermanAnalyzer::is_unit_sign(std::string_view sign) {
  const icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(sign.data(), static_cast<int32_t>(sign.size())));
  return s.countChar32() == 1 && is_percent_sign(s.char32At(0));
}

namespace {

// `first` joined to `second` by each linking element, appended to `out` unless there already or equal to `skip`.
void join_by_links(std::string_view first, std::string_view second, std::string_view skip,
                   std::vector<std::string>& out) {
  for (const std::string_view link : compound::kLinks) {
    std::string joined = std::string(first) + std::string(link) + std::string(second);
    if (joined != skip && std::find(out.begin(), out.end(), joined) == out.end()) out.push_back(std::move(joined));
  }
}

}  // namespace

std::vector<std::string> GermanAnalyzer::compound_joins(std::string_view first, std::string_view second) {
  std::vector<std::string> out;
  const auto letters = [](std::string_view w) {
    return w.size() >= compound::kMinPart && std::all_of(w.begin(), w.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (static_cast<unsigned char>(c) & 0x80);
           });
  };
  if (!letters(first) || !letters(second)) return out;
  join_by_links(first, second, {}, out);
  if (first.ends_with('e')) out.push_back(std::string(first.substr(0, first.size() - 1)) + std::string(second));
  return out;
}

std::string GermanAnalyzer::chain_joined(std::string_view form) {
  // The separators run() joins chains across (is_hyphen, is_full_stop), left out code point by code point.
  std::string out;
  const auto n = static_cast<int32_t>(form.size());
  for (int32_t i = 0; i < n;) {
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(form.data(), i, n, c);
    if (c >= 0 && c <= 0xFFFF && (is_hyphen(static_cast<UChar>(c)) || is_full_stop(static_cast<UChar>(c)))) continue;
    out.append(form.data() + begin, static_cast<std::size_t>(i - begin));
  }
  return out;
}

std::vector<std::string> GermanAnalyzer::compound_variants(std::string_view form,
                                                           const std::vector<std::string>& parts) {
  std::vector<std::string> out;
  if (parts.size() < 2 || !form.ends_with(parts.back())) return out;
  const std::string& head = parts.back();
  const std::string_view before = form.substr(0, form.size() - head.size());
  // The modifier without the linking element it was written with (any that leaves a part long enough).
  std::vector<std::string_view> modifiers = {before};
  for (const std::string_view link : compound::kLinks)
    if (!link.empty() && before.ends_with(link) && before.size() - link.size() >= compound::kMinPart)
      modifiers.push_back(before.substr(0, before.size() - link.size()));
  std::vector<std::string> heads = {head};
  for (const auto& [singular, plural] : compound::kIrregularHeads) {
    if (head.ends_with(singular)) heads.push_back(head.substr(0, head.size() - singular.size()) + std::string(plural));
    if (head.ends_with(plural)) heads.push_back(head.substr(0, head.size() - plural.size()) + std::string(singular));
  }
  for (const auto modifier : modifiers)
    for (const auto& h : heads) join_by_links(modifier, h, form, out);
  return out;
}

std::vector<std::string> GermanAnalyzer::number_variants(std::string_view form) {
  std::vector<std::string> out;
  const CompoundSplitter& words = CompoundSplitter::german();
  if (!words.listed_noun(form)) return out;
  const auto add = [&](std::string_view ending, std::string_view other) {
    if (form.size() < ending.size() + 2 || !form.ends_with(ending)) return;
    std::string v(form.substr(0, form.size() - ending.size()));
    v += other;
    if (v != form && words.listed_noun(v) && std::find(out.begin(), out.end(), v) == out.end())
      out.push_back(std::move(v));
  };
  // A form that reads as the plural of a listed singular is that plural (praktika: praktikum, never praktiken
  // as if it were a singular in -a); else the plural of a singular.
  for (const auto& [singular, plural] : compound::kIrregularPlurals) add(plural, singular);
  if (!out.empty()) return out;
  for (const auto& [singular, plural] : compound::kIrregularPlurals) add(singular, plural);
  return out;
}

bool GermanAnalyzer::is_stopword(std::string_view form) const { return impl_->stopwords.count(std::string(form)) > 0; }

void GermanAnalyzer::analyze(std::string_view text, std::vector<Token>& out) { run(text, nullptr, out); }

void GermanAnalyzer::analyze_at(std::string_view text, const std::vector<std::uint32_t>& positions,
                                std::vector<Token>& out) {
  run(text, &positions, out);
}

void GermanAnalyzer::run(std::string_view text, const std::vector<std::uint32_t>* only, std::vector<Token>& out) {
  Impl& m = *impl_;
  // Whether any position in [first, last] is asked for (all are without `only`).
  const auto wanted = [&](uint32_t first, uint32_t last) {
    if (!only) return true;
    const auto at = std::lower_bound(only->begin(), only->end(), first);
    return at != only->end() && *at <= last;
  };
  m.text16 = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString& t = m.text16;
  const int32_t n = t.length();

  m.cp_at.assign(static_cast<std::size_t>(n) + 1, 0);
  uint32_t cp = 0;
  for (int32_t i = 0; i < n; ++i) {
    m.cp_at[i] = cp;
    if (!U16_IS_TRAIL(t.charAt(i))) ++cp;
    else m.cp_at[i] = cp - 1;
  }
  m.cp_at[n] = cp;

  // 1. ICU word segments (letters, numbers, kana, ideographs; not spaces or punctuation).
  m.segments.clear();
  m.words->setText(t);
  for (int32_t b = m.words->first(), e = m.words->next(); e != icu::BreakIterator::DONE; b = e, e = m.words->next()) {
    const int32_t status = m.words->getRuleStatus();
    if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
    const bool numeric = status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT;
    // A full stop between letters inside one word (ICU joins them: heise.de, ui.GetDocument, Ende.Der where
    // the space is missing) separates words: each is its own segment, and they join as a chain (below), so
    // "heise" finds "heise.de" and "heise.de" still finds it whole. Numbers (1.234) stay whole.
    int32_t from = b;
    for (int32_t i = b + 1; !numeric && i + 1 < e; ++i)
      if (is_full_stop(t.charAt(i)) && is_letter_or_mark(t.char32At(i - 1)) && u_isalpha(t.char32At(i + 1))) {
        m.segments.push_back({from, i, false, true});
        from = i + 1;
      }
    m.segments.push_back({from, e, numeric});
  }

  // Whether the word at b begins with a capital letter inside a sentence: back over spaces, quotes, brackets
  // and dashes to the text before it, which must not end a sentence. A full stop right between two letters
  // joins a chain (ui.GetDocument), it ends no sentence.
  auto capital_inside_sentence = [&](int32_t b) {
    if (!u_isupper(t.char32At(b))) return false;
    if (b >= 2 && is_full_stop(t.charAt(b - 1)) && is_letter_or_mark(t.char32At(t.moveIndex32(b - 1, -1)))) return true;
    for (int32_t i = b; i > 0;) {
      i = t.moveIndex32(i, -1);
      const UChar32 c = t.char32At(i);
      if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_QUOTATION_MARK) || u_charType(c) == U_DASH_PUNCTUATION ||
          u_charType(c) == U_START_PUNCTUATION)
        continue;
      return !(c == '.' || c == '!' || c == '?' || c == ':' || c == 0x2026);
    }
    return false;
  };

  uint32_t position = 0;
  auto emit = [&](std::string form, int32_t b, int32_t e, uint32_t pos, TokenRole role) {
    if (form.empty() || form.size() > kMaxTermBytes) return;
    if (has_digit(form)) {  // numbers and model names are their own term, never split
      out.push_back(Token{form, form, pos, m.cp_at[b], m.cp_at[e], role, false});
      return;
    }
    Impl::Form& f = m.form(form);  // stays valid: nothing below adds to the cache (which may empty it)
    const bool splittable = role != TokenRole::Whole && role != TokenRole::Quantity;
    out.push_back(Token{f.term, splittable ? form : std::move(form), pos, m.cp_at[b], m.cp_at[e], role,
                        splittable && capital_inside_sentence(b)});
    if (!splittable) return;
    // 4. Compound parts at the compound's position and with its span, so that a part finds the compound and
    //    highlighting marks the whole word.
    if (!f.split) {
      std::vector<std::string> inner;
      // (Stemmed here, not through term_for_form, whose cache of forms is the one `f` lives in.)
      const auto part_term = [&](const std::string& part) {
        return part.empty() || has_digit(part) ? part : m.stem(part);
      };
      for (auto& part : m.compounds.split(out.back().form, &inner)) {
        std::string term = part_term(part);
        f.parts.emplace_back(std::move(part), std::move(term));
      }
      for (auto& part : inner) {
        std::string term = part_term(part);
        f.inner.emplace_back(std::move(part), std::move(term));
      }
      f.split = true;
    }
    for (const auto& [part, part_term] : f.parts)
      out.push_back(Token{part_term, part, pos, m.cp_at[b], m.cp_at[e], TokenRole::Split, false});
    for (const auto& [part, part_term] : f.inner)
      out.push_back(Token{part_term, part, pos, m.cp_at[b], m.cp_at[e], TokenRole::Inner, false});
  };
  auto norm_segment = [&](const Segment& s) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString norm = m.nfkc_cf->normalize(t.tempSubStringBetween(s.begin, s.end), status);
    std::string form;
    if (U_SUCCESS(status)) norm.toUTF8String(form);
    return form;
  };

  // 2. Hyphen chains (EV-Partnerschaft, Know-how-Transfers) and words joined by a full stop (heise.de): parts
  //    at their own positions, plus the joined whole at the first part's position, so both "EV-Partnerschaft"
  //    and "Partnerschaft" find it.
  for (std::size_t i = 0; i < m.segments.size();) {
    std::size_t j = i;
    while (j + 1 < m.segments.size() && j + 1 - i < kMaxChainParts &&
           m.segments[j + 1].begin == m.segments[j].end + 1 &&
           (m.segments[j].dot_next || is_hyphen(t.charAt(m.segments[j].end))))
      ++j;
    if (j > i) {
      const uint32_t first = position;
      if (!wanted(first, first + static_cast<uint32_t>(j - i))) {
        position += static_cast<uint32_t>(j - i + 1);
        i = j + 1;
        continue;
      }
      std::string whole;
      for (std::size_t k = i; k <= j; ++k) {
        std::string form = norm_segment(m.segments[k]);
        whole += form;
        emit(std::move(form), m.segments[k].begin, m.segments[k].end, position++, TokenRole::Part);
      }
      emit(std::move(whole), m.segments[i].begin, m.segments[j].end, first, TokenRole::Whole);
      i = j + 1;
      continue;
    }
    const Segment& s = m.segments[i];
    if (!wanted(position, position)) {
      ++position;
      ++i;
      continue;
    }
    std::string form = norm_segment(s);
    // 3. "20 %" and "20%": the number, plus the number with its percent sign at the same position.
    int32_t after = s.end;
    if (s.numeric && after < n && is_space_in_number(t.charAt(after))) ++after;
    const bool percent = s.numeric && after < n && is_percent_sign(t.charAt(after));
    const uint32_t pos = position++;
    if (percent) {
      std::string with_sign = form + "%";
      emit(std::move(form), s.begin, s.end, pos, TokenRole::Part);
      emit(std::move(with_sign), s.begin, after + 1, pos, TokenRole::Quantity);
    } else {
      emit(std::move(form), s.begin, s.end, pos, TokenRole::Word);
    }
    ++i;
  }
}

}  // namespace fundstelle::analyzers
