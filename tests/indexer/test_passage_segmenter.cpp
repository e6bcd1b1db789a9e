// Passage segmentation invariants, on every seed article and on synthetic articles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/sentence_splitter.h"
#include "analyzers/utf8.h"
#include "indexer/passage_segmenter.h"
#include "indexer/txt_parser.h"
#include "test_support.h"

namespace fundstelle::indexer {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Byte offset of code point `cp` in valid UTF-8 `s` (s.size() for the end).
std::size_t byte_of(const std::string& s, std::size_t cp) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (n == cp) return i;
    ++n;
  }
  REQUIRE(n == cp);
  return s.size();
}

std::string cp_substr(const std::string& s, Span span) {
  const std::size_t b = byte_of(s, span.begin), e = byte_of(s, span.end);
  return s.substr(b, e - b);
}

// Checks that the passages of one text (the body, or one comment) cover its sentences as promised.
void check_text_passages(const std::string& text, const std::vector<const Passage*>& passages,
                         const SegmenterOptions& options, analyzers::SentenceSplitter& splitter) {
  const std::size_t n = analyzers::count_code_points(text);
  const auto sentences = splitter.split(text);
  const Passage* prev = nullptr;
  std::vector<Span> headings;
  for (const Passage* p : passages) {
    REQUIRE(p->span.begin < p->span.end);
    REQUIRE(p->span.end <= n);
    if (prev) {  // in order; two windows of one paragraph may share one sentence
      CHECK(p->span.begin > prev->span.begin);
      CHECK(p->span.end > prev->span.end);
      if (p->span.begin < prev->span.end) {
        const bool one_sentence = std::any_of(sentences.begin(), sentences.end(), [&](const auto& s) {
          return s.cp_begin == p->span.begin && s.cp_end == prev->span.end;
        });
        CHECK(one_sentence);
      }
    }
    prev = p;
    CHECK(p->text == cp_substr(text, p->span));
    CHECK(analyzers::count_code_points(p->text) == p->span.end - p->span.begin);
    CHECK(p->span.end - p->span.begin <= options.max_chars);
    CHECK_FALSE(is_space(p->text.front()));
    CHECK_FALSE(is_space(p->text.back()));
    if (!p->section.empty()) {  // the heading stands before the passage, as written, and is no passage text
      CHECK(cp_substr(text, p->section_span) == p->section);
      CHECK(p->section_span.end < p->span.begin);
      CHECK(p->section.find('\n') == std::string::npos);
      CHECK(analyzers::count_code_points(p->section) <= options.max_heading_chars);
      if (headings.empty() || !(headings.back() == p->section_span)) headings.push_back(p->section_span);
    }
  }
  for (const Span& h : headings)
    for (const Passage* p : passages) CHECK((p->span.end <= h.begin || p->span.begin >= h.end));
  // Every sentence lies inside one passage or two (the overlap of two windows), or in a heading; an
  // over-long sentence is covered by pieces inside it.
  for (const auto& s : sentences) {
    std::size_t containing = 0, overlapping = 0;
    for (const Passage* p : passages) {
      if (p->span.end <= s.cp_begin || p->span.begin >= s.cp_end) continue;
      ++overlapping;
      if (p->span.begin <= s.cp_begin && s.cp_end <= p->span.end) ++containing;
    }
    INFO("sentence at code points " << s.cp_begin << ".." << s.cp_end);
    const bool in_heading = std::any_of(headings.begin(), headings.end(),
                                        [&](const Span& h) { return h.begin <= s.cp_begin && s.cp_end <= h.end; });
    if (in_heading) {
      CHECK(overlapping == 0);
    } else if (s.cp_end - s.cp_begin <= options.max_chars) {
      CHECK((containing == 1 || containing == 2));
      CHECK(overlapping == containing);
    } else {
      CHECK(overlapping >= 2);
      CHECK(containing == 0);
    }
  }
  // Nothing but white space and headings is left out.
  std::vector<bool> in_passage(n, false);
  for (const Passage* p : passages)
    for (std::size_t i = p->span.begin; i < p->span.end; ++i) in_passage[i] = true;
  for (const Span& h : headings)
    for (std::size_t i = h.begin; i < h.end; ++i) in_passage[i] = true;
  std::size_t cp = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (!in_passage[cp]) CHECK(is_space(text[i]));
    ++cp;
  }
}

// All invariants of one article's passages.
void check_invariants(const Article& article, const std::vector<Passage>& passages,
                      const SegmenterOptions& options = {}) {
  analyzers::SentenceSplitter splitter;
  const std::string body = PassageSegmenter::body_text(article);
  std::vector<const Passage*> body_passages;
  std::vector<std::vector<const Passage*>> comment_passages(article.comments.size());
  bool in_comments = false;
  std::size_t last_comment = 0;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    CHECK(p.ordinal == i);
    if (p.kind == PassageKind::Article) {
      CHECK_FALSE(in_comments);  // body passages come first
      body_passages.push_back(&p);
    } else {
      in_comments = true;
      REQUIRE(p.comment < article.comments.size());
      CHECK(p.comment >= last_comment);  // comments in order
      last_comment = p.comment;
      comment_passages[p.comment].push_back(&p);
    }
  }
  check_text_passages(body, body_passages, options, splitter);
  for (std::size_t c = 0; c < article.comments.size(); ++c) {
    INFO("comment " << c);
    const std::string& text = article.comments[c].text;
    bool blank = true;
    for (const char ch : text) blank &= is_space(ch);
    if (!blank) CHECK_FALSE(comment_passages[c].empty());
    check_text_passages(text, comment_passages[c], options, splitter);
  }
}

Article seed_article(const std::string& prefix) {
  const auto path = test::seed(prefix);
  REQUIRE_FALSE(path.empty());
  return parse_txt_article(test::read_text(path), prefix, path.string()).article;
}

std::size_t count_kind(const std::vector<Passage>& ps, PassageKind kind) {
  std::size_t n = 0;
  for (const auto& p : ps) n += p.kind == kind;
  return n;
}

std::string sentences(std::size_t count, const std::string& word) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (!out.empty()) out += ' ';
    out += "Satz Nummer " + std::to_string(i + 1) + " handelt von " + word + " und ist nicht sehr lang.";
  }
  return out;
}

}  // namespace

TEST_CASE("body_text joins paragraphs with a blank line", "[indexer][passages]") {
  Article a;
  CHECK(PassageSegmenter::body_text(a).empty());
  a.paragraphs = {"Eins.", "Zwei.", "Drei."};
  CHECK(PassageSegmenter::body_text(a) == "Eins.\n\nZwei.\n\nDrei.");
}

TEST_CASE("seed articles satisfy the passage invariants", "[indexer][passages][seed]") {
  const std::size_t expected_comments[] = {0, 8, 0, 0, 0};
  const char* prefixes[] = {"000_", "001_", "002_", "003_", "004_"};
  for (std::size_t k = 0; k < 5; ++k) {
    INFO("seed " << prefixes[k]);
    const Article a = seed_article(prefixes[k]);
    PassageSegmenter segmenter;
    const auto passages = segmenter.segment(a);
    REQUIRE_FALSE(passages.empty());
    check_invariants(a, passages);
    CHECK(count_kind(passages, PassageKind::Article) >= 3);
    CHECK(a.comments.size() == expected_comments[k]);
    CHECK(count_kind(passages, PassageKind::Comment) >= a.comments.size());
    // Paragraphs, not sentences: fewer passages than sentences, but never one giant passage.
    CHECK(count_kind(passages, PassageKind::Article) <
          analyzers::SentenceSplitter().split(PassageSegmenter::body_text(a)).size());
    for (const auto& p : passages)
      if (p.kind == PassageKind::Article) CHECK(p.text.find("\n\n") == std::string::npos);  // in one paragraph
    // The same article gives the same passages again.
    const auto again = segmenter.segment(a);
    REQUIRE(again.size() == passages.size());
    for (std::size_t i = 0; i < again.size(); ++i) CHECK(again[i].span == passages[i].span);
  }
}

TEST_CASE("seed articles with small windows still satisfy the invariants", "[indexer][passages][seed]") {
  SegmenterOptions options;
  options.max_chars = 100;  // smaller than many sentences: exercises the splitting of long sentences
  for (const char* prefix : {"000_", "001_", "002_", "003_", "004_"}) {
    INFO("seed " << prefix);
    const Article a = seed_article(prefix);
    PassageSegmenter segmenter(options);
    const auto passages = segmenter.segment(a);
    check_invariants(a, passages, options);
    for (const auto& p : passages) CHECK(p.text.find("\n\n") == std::string::npos);
  }
}

TEST_CASE("seed 001: comment passages hold comment text only", "[indexer][passages][seed]") {
  const Article a = seed_article("001_");
  PassageSegmenter segmenter;
  const auto passages = segmenter.segment(a);
  for (const auto& p : passages) {
    if (p.kind == PassageKind::Comment) {
      CHECK(a.comments[p.comment].text.find(p.text) != std::string::npos);
      CHECK(p.text.find("Ferrari spricht jetzt mit Leapmotor") == std::string::npos);  // a body subheading
    } else {
      CHECK(p.text.find("krass") == std::string::npos);              // comment 3
      CHECK(p.text.find("Ne halbe Millione") == std::string::npos);  // comment 7
    }
  }
  // Comments are split by length only: all eight are shorter than max_chars, so one passage each (comment 4
  // has five sentences and still stays whole).
  std::vector<std::size_t> per_comment(a.comments.size(), 0);
  for (const auto& p : passages)
    if (p.kind == PassageKind::Comment) ++per_comment[p.comment];
  CHECK(per_comment == std::vector<std::size_t>{1, 1, 1, 1, 1, 1, 1, 1});
  for (const auto& p : passages)
    if (p.kind == PassageKind::Comment) CHECK(p.text == a.comments[p.comment].text);
}

TEST_CASE("an empty article gives no passages", "[indexer][passages]") {
  PassageSegmenter segmenter;
  Article a;
  CHECK(segmenter.segment(a).empty());
  a.title = "Nur ein Titel";
  a.tags = {"tag"};
  CHECK(segmenter.segment(a).empty());
}

TEST_CASE("an article with only comments gives comment passages from ordinal 0", "[indexer][passages]") {
  Article a;
  a.comments.push_back(Comment{"c1", "", "", "Erster Kommentar."});
  a.comments.push_back(Comment{"c2", "", "", "Zweiter Kommentar. Mit zwei S\xC3\xA4tzen."});
  PassageSegmenter segmenter;
  const auto ps = segmenter.segment(a);
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].kind == PassageKind::Comment);
  CHECK(ps[0].ordinal == 0);
  CHECK(ps[0].comment == 0);
  CHECK(ps[0].text == "Erster Kommentar.");
  CHECK(ps[1].comment == 1);
  CHECK(ps[1].span == Span{0, 35});
  check_invariants(a, ps);
}

TEST_CASE("body passages never contain comment text and vice versa", "[indexer][passages]") {
  Article a;
  a.paragraphs = {sentences(4, "BODYMARK"), "Kurzer Absatz mit BODYMARK.", sentences(2, "BODYMARK")};
  a.comments.push_back(Comment{"", "", "", sentences(3, "COMMENTMARK")});
  a.comments.push_back(Comment{"", "", "", "Nur COMMENTMARK."});
  PassageSegmenter segmenter;
  const auto ps = segmenter.segment(a);
  check_invariants(a, ps);
  for (const auto& p : ps) {
    if (p.kind == PassageKind::Article) {
      CHECK(p.text.find("COMMENTMARK") == std::string::npos);
      CHECK(p.text.find("BODYMARK") != std::string::npos);
    } else {
      CHECK(p.text.find("BODYMARK") == std::string::npos);
      CHECK(p.text.find("COMMENTMARK") != std::string::npos);
    }
  }
  CHECK(count_kind(ps, PassageKind::Comment) >= 2);
}

TEST_CASE("a paragraph that fits is one passage, however many sentences it has", "[indexer][passages]") {
  Article a;
  a.paragraphs = {sentences(8, "Xiaomi"), "Kurz.", sentences(2, "BYD")};  // 8 sentences of about 55 code points
  REQUIRE(analyzers::count_code_points(a.paragraphs[0]) <= SegmenterOptions{}.max_chars);
  PassageSegmenter segmenter;
  const auto ps = segmenter.segment(a);
  check_invariants(a, ps);
  REQUIRE(ps.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(ps[i].text == a.paragraphs[i]);  // not cut, not merged
}

TEST_CASE("a long paragraph is cut into balanced windows that overlap by one sentence", "[indexer][passages]") {
  Article a;
  a.paragraphs = {sentences(20, "Xiaomi")};  // about 1,180 code points: more than one window, less than two
  const std::size_t length = analyzers::count_code_points(a.paragraphs[0]), max = SegmenterOptions{}.max_chars;
  REQUIRE(length > max);
  REQUIRE(length + 2 * 60 < 2 * max);  // two windows, each with room for the shared sentence
  PassageSegmenter segmenter;
  const auto ps = segmenter.segment(a);
  check_invariants(a, ps);
  REQUIRE(ps.size() == 2);
  analyzers::SentenceSplitter splitter;
  const auto first = splitter.split(ps[0].text), second = splitter.split(ps[1].text);
  CHECK(first.size() + second.size() == 21);  // 20 sentences, one of them in both
  const auto& last = first.back();
  CHECK(ps[1].text.starts_with(ps[0].text.substr(last.byte_begin, last.byte_end - last.byte_begin)));
  CHECK(ps[1].span.begin < ps[0].span.end);
}

TEST_CASE("a heading is the section of the passages after it, not a passage", "[indexer][passages]") {
  PassageSegmenter segmenter;
  SECTION("long paragraphs stay apart") {
    Article a;
    const std::string long_sentence =
        "Dieser Absatz besteht aus einem einzigen, recht langen Satz, der weit mehr als hundertsechzig Zeichen "
        "umfasst, damit er allein schon die Mindestl\xC3\xA4nge eines Fensters erreicht und somit abschlie\xC3\x9Ft.";
    a.paragraphs = {long_sentence, long_sentence, long_sentence};
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() == 3);
    for (const auto& p : ps) CHECK(p.text == long_sentence);
    for (const auto& p : ps) CHECK(p.section.empty());
  }
  SECTION("headings open sections") {
    Article a;
    a.paragraphs = {"Einleitung ohne \xC3\x9C"
                    "berschrift.",
                    "Fazit",
                    "Das Treffen war kein Einzelfall.",
                    "Lee besuchte auch BYD.",
                    "Was kommt jetzt?",
                    "Niemand wei\xC3\x9F es."};
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].section.empty());
    CHECK(ps[1].text == "Das Treffen war kein Einzelfall.");
    CHECK(ps[1].section == "Fazit");
    CHECK(ps[2].section == "Fazit");
    CHECK(ps[3].section == "Was kommt jetzt?");
  }
  SECTION("a run of short lines, a line ended like a sentence, and a last line are text") {
    Article a;
    a.paragraphs = {"Teilen", "Drucken", "Ein Satz.", "Kurz und b\xC3\xBCndig:", "Noch ein Satz.", "Ende"};
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() == 5);  // "Drucken" is the heading of "Ein Satz." and what follows
    CHECK(ps[0].text == "Teilen");
    CHECK(ps[1].text == "Ein Satz.");
    CHECK(ps[1].section == "Drucken");
    CHECK(ps[2].text == "Kurz und b\xC3\xBCndig:");
    CHECK(ps[4].text == "Ende");
    CHECK(ps[4].section == "Drucken");
  }
  SECTION("comments have no headings") {
    Article a;
    a.paragraphs = {"Text."};
    a.comments.push_back(Comment{"", "", "", "Fazit\n\nDas war es."});
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() == 2);
    CHECK(ps[1].text == "Fazit\n\nDas war es.");
    CHECK(ps[1].section.empty());
  }
}

TEST_CASE("a long comment is split into several passages", "[indexer][passages]") {
  Article a;
  a.paragraphs = {"Kurzer Text."};
  a.comments.push_back(Comment{"", "", "", sentences(20, "Elektroautos")});
  REQUIRE(analyzers::count_code_points(a.comments[0].text) > SegmenterOptions{}.max_chars);
  PassageSegmenter segmenter;
  const auto ps = segmenter.segment(a);
  check_invariants(a, ps);
  REQUIRE(ps.size() >= 3);
  CHECK(ps[0].kind == PassageKind::Article);
  for (std::size_t i = 1; i < ps.size(); ++i) {
    CHECK(ps[i].kind == PassageKind::Comment);
    CHECK(ps[i].comment == 0);
  }
  CHECK(count_kind(ps, PassageKind::Comment) >= 2);
}

TEST_CASE("a 20,000-character sentence without punctuation is split", "[indexer][passages]") {
  PassageSegmenter segmenter;
  const std::size_t max = SegmenterOptions{}.max_chars;  // pieces of 20,000 characters at most this long
  SECTION("words separated by spaces: cut at spaces") {
    std::string text;
    while (text.size() < 20000) text += text.empty() ? "wort" : " wort";
    Article a;
    a.paragraphs = {text};
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() >= 20000 / max);
    for (std::size_t i = 0; i < ps.size(); ++i) {
      const auto& p = ps[i];
      CHECK(p.text.starts_with("wort"));
      CHECK(p.text.ends_with("wort"));
      CHECK(p.span.end - p.span.begin <= max);
      if (i + 1 < ps.size()) CHECK(p.span.end - p.span.begin >= max - 50);  // all but the remainder nearly full
    }
  }
  SECTION("umlauts without any space: cut at code points") {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "\xC3\xA4";  // ä, two bytes each
    Article a;
    a.paragraphs = {text};
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(20000 % max == 0);
    REQUIRE(ps.size() == 20000 / max);
    for (std::size_t i = 0; i < ps.size(); ++i) {
      CHECK(ps[i].span == Span{max * i, max * (i + 1)});
      CHECK(ps[i].text.size() == 2 * max);
      CHECK(analyzers::is_valid_utf8(ps[i].text));
    }
  }
  SECTION("in a comment, with multi-byte words and double spaces") {
    std::string text;
    while (analyzers::count_code_points(text) < 20000)
      text += "Gr\xC3\xBC\xC3\x9F"
              "e  aus  \xF0\x9F\x98\x80 ";
    Article a;
    a.comments.push_back(Comment{"", "", "", text});
    const auto ps = segmenter.segment(a);
    check_invariants(a, ps);
    REQUIRE(ps.size() >= 20000 / max);
    for (const auto& p : ps) CHECK(p.kind == PassageKind::Comment);
  }
}

}  // namespace fundstelle::indexer
