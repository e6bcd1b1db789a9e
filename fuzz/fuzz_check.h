// What the fuzz targets share: a check that stops the fuzzer with a message (libFuzzer keeps the input that
// triggered it), the invariants of sentences and passages, and the indexing of an article (passages and
// documents), which both article readers lead to.
#pragma once

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/sentence_splitter.h"
#include "analyzers/utf8.h"
#include "fundstelle/article.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "indexer/document_builder.h"
#include "indexer/passage_segmenter.h"

// Not assert(): it must hold in every build type, and the message says which promise broke.
#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

namespace fundstelle::fuzz {

// Xapian's limit on the length of a term (glass backend).
inline constexpr std::size_t kMaxXapianTerm = 245;

inline bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline bool trimmed(std::string_view s) {
  return s.empty() || (!is_ascii_space(s.front()) && !is_ascii_space(s.back()));
}

// Valid UTF-8 except that it may hold NUL bytes (which JSON can carry as \u0000).
inline bool valid_utf8_allowing_nul(std::string_view s) {
  std::string copy(s);
  for (char& c : copy)
    if (c == '\0') c = ' ';
  return analyzers::is_valid_utf8(copy);
}

// Whether valid UTF-8 `s` holds nothing but white space (Unicode's, as the sentence splitter trims it).
inline bool only_white_space(std::string_view s) {
  for (int32_t i = 0, len = static_cast<int32_t>(s.size()); i < len;) {
    UChar32 c;
    U8_NEXT(s.data(), i, len, c);
    if (!u_isUWhiteSpace(c)) return false;
  }
  return true;
}

inline bool is_code_point_start(std::string_view s, std::size_t byte) {
  return byte == s.size() || (byte < s.size() && (static_cast<unsigned char>(s[byte]) & 0xC0) != 0x80);
}

// Byte offset of code point `cp` in valid UTF-8 `s` (s.size() for the end; npos past it).
inline std::size_t byte_of(std::string_view s, std::size_t cp) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (n == cp) return i;
    ++n;
  }
  return n == cp ? s.size() : std::string_view::npos;
}

// The sentences of `text` as SentenceSplitter promises them: in order, not overlapping, trimmed, never across a
// line break, byte and code point offsets agreeing.
inline void check_sentences(std::string_view text, const std::vector<analyzers::Sentence>& sentences) {
  std::size_t prev_end = 0;
  for (const auto& s : sentences) {
    FUZZ_CHECK(s.byte_begin < s.byte_end && s.byte_end <= text.size());
    FUZZ_CHECK(s.byte_begin >= prev_end);
    prev_end = s.byte_end;
    FUZZ_CHECK(is_code_point_start(text, s.byte_begin) && is_code_point_start(text, s.byte_end));
    FUZZ_CHECK(s.cp_begin == analyzers::count_code_points(text.substr(0, s.byte_begin)));
    FUZZ_CHECK(s.cp_end - s.cp_begin ==
               analyzers::count_code_points(text.substr(s.byte_begin, s.byte_end - s.byte_begin)));
    const std::string_view sentence = text.substr(s.byte_begin, s.byte_end - s.byte_begin);
    FUZZ_CHECK(trimmed(sentence));
    FUZZ_CHECK(sentence.find('\n') == std::string_view::npos);
  }
}

// The passages of one text (the body, or one comment), as passage_segmenter.h promises them (the same checks as
// tests/indexer/test_passage_segmenter.cpp).
inline void check_text_passages(const std::string& text, const std::vector<const indexer::Passage*>& passages,
                                const indexer::SegmenterOptions& options, analyzers::SentenceSplitter& splitter) {
  const std::size_t n = analyzers::count_code_points(text);
  const auto sentences = splitter.split(text);
  check_sentences(text, sentences);
  const indexer::Passage* prev = nullptr;
  std::vector<Span> headings;
  for (const indexer::Passage* p : passages) {
    FUZZ_CHECK(p->span.begin < p->span.end && p->span.end <= n);
    if (prev) {  // in order; two windows of one paragraph may share one sentence
      FUZZ_CHECK(p->span.begin > prev->span.begin && p->span.end > prev->span.end);
      if (p->span.begin < prev->span.end)
        FUZZ_CHECK(std::any_of(sentences.begin(), sentences.end(), [&](const auto& s) {
          return s.cp_begin == p->span.begin && s.cp_end == prev->span.end;
        }));
    }
    prev = p;
    const std::size_t b = byte_of(text, p->span.begin), e = byte_of(text, p->span.end);
    FUZZ_CHECK(p->text == text.substr(b, e - b));
    FUZZ_CHECK(p->span.end - p->span.begin <= options.max_chars);
    FUZZ_CHECK(trimmed(p->text));
    if (!p->section.empty()) {  // the heading stands before the passage, as written
      const std::size_t hb = byte_of(text, p->section_span.begin), he = byte_of(text, p->section_span.end);
      FUZZ_CHECK(p->section == text.substr(hb, he - hb) && p->section_span.end < p->span.begin);
      if (headings.empty() || !(headings.back() == p->section_span)) headings.push_back(p->section_span);
    }
  }
  for (const Span& h : headings)
    for (const indexer::Passage* p : passages) FUZZ_CHECK(p->span.end <= h.begin || p->span.begin >= h.end);
  // Every sentence lies in one passage or two (the overlap of two windows), or in a heading; an over-long one
  // is cut into pieces that lie inside it.
  for (const auto& s : sentences) {
    std::size_t containing = 0, overlapping = 0;
    for (const indexer::Passage* p : passages) {
      if (p->span.end <= s.cp_begin || p->span.begin >= s.cp_end) continue;
      ++overlapping;
      if (p->span.begin <= s.cp_begin && s.cp_end <= p->span.end) ++containing;
    }
    const bool in_heading = std::any_of(headings.begin(), headings.end(),
                                        [&](const Span& h) { return h.begin <= s.cp_begin && s.cp_end <= h.end; });
    if (in_heading) {
      FUZZ_CHECK(overlapping == 0);
    } else if (s.cp_end - s.cp_begin <= options.max_chars) {
      FUZZ_CHECK((containing == 1 || containing == 2) && overlapping == containing);
    } else {
      FUZZ_CHECK(containing == 0 && overlapping >= 2);
    }
  }
  // Nothing but white space (as the sentence splitter trims it) and headings is left out.
  std::vector<bool> in_passage(n, false);
  for (const indexer::Passage* p : passages)
    for (std::size_t i = p->span.begin; i < p->span.end; ++i) in_passage[i] = true;
  for (const Span& h : headings)
    for (std::size_t i = h.begin; i < h.end; ++i) in_passage[i] = true;
  std::size_t cp = 0;
  for (int32_t i = 0, len = static_cast<int32_t>(text.size()); i < len; ++cp) {
    UChar32 c;
    U8_NEXT(text.data(), i, len, c);
    if (!in_passage[cp]) FUZZ_CHECK(u_isUWhiteSpace(c));
  }
}

// All passages of an article: body first, then comments in order, ordinals 0..n-1, each text covered.
inline void check_passages(const Article& article, const std::vector<indexer::Passage>& passages,
                           const indexer::SegmenterOptions& options, analyzers::SentenceSplitter& splitter) {
  std::vector<const indexer::Passage*> body;
  std::vector<std::vector<const indexer::Passage*>> comments(article.comments.size());
  bool in_comments = false;
  std::size_t last_comment = 0;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const indexer::Passage& p = passages[i];
    FUZZ_CHECK(p.ordinal == i);
    FUZZ_CHECK(!p.text.empty() && analyzers::is_valid_utf8(p.text));
    if (p.kind == PassageKind::Article) {
      FUZZ_CHECK(!in_comments);
      body.push_back(&p);
    } else {
      in_comments = true;
      FUZZ_CHECK(p.comment < article.comments.size() && p.comment >= last_comment);
      last_comment = p.comment;
      comments[p.comment].push_back(&p);
    }
  }
  check_text_passages(indexer::PassageSegmenter::body_text(article), body, options, splitter);
  for (std::size_t c = 0; c < article.comments.size(); ++c) {
    const std::string& text = article.comments[c].text;
    if (!only_white_space(text)) FUZZ_CHECK(!comments[c].empty());
    check_text_passages(text, comments[c], options, splitter);
  }
}

// What Indexer::put does with an article of valid UTF-8: passages, then one Xapian document per passage. Checks
// the passages and that every document is one Xapian accepts and the searcher can read back.
inline void check_indexing(const Article& article) {
  static analyzers::GermanAnalyzer analyzer;
  static indexer::PassageSegmenter segmenter;
  static indexer::DocumentBuilder builder(analyzer);
  static analyzers::SentenceSplitter splitter;
  const auto passages = segmenter.segment(article);
  check_passages(article, passages, indexer::SegmenterOptions{}, splitter);

  const auto title_terms = builder.title_terms(article);
  for (const auto& p : passages) {
    const Xapian::Document doc = builder.build(article, p, title_terms, std::string(16, '0'));
    Xapian::termpos max_position = 0;  // Xapian's positions are the analyzer's plus 1
    for (const auto& t : builder.last_tokens()) max_position = std::max<Xapian::termpos>(max_position, t.position + 1);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      FUZZ_CHECK(!term.empty() && term.size() <= kMaxXapianTerm);
      FUZZ_CHECK(valid_utf8_allowing_nul(term));
      for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos)
        FUZZ_CHECK(*pos >= 1 && *pos <= max_position);
    }
    FUZZ_CHECK(doc.get_value(schema::kValueArticle) == schema::article_key(article.id));
    const auto data = schema::decode_passage(doc.get_data());
    FUZZ_CHECK(data && data->text == p.text && data->ordinal == p.ordinal && data->span == p.span);
    FUZZ_CHECK(data->kind == p.kind && data->comment == p.comment);
  }
}

}  // namespace fundstelle::fuzz
