// Turns passages into Xapian documents: positional terms from the analyzer, exact forms, title and section
// context terms, boolean
// terms for the article and kind, values, and the stored passage (index/passage_record.h) that results are
// built from.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "fundstelle/article.h"
#include "indexer/passage_segmenter.h"

namespace fundstelle::indexer {

class DocumentBuilder {
 public:
  explicit DocumentBuilder(analyzers::GermanAnalyzer& analyzer) : analyzer_(analyzer) {}
  // `title_terms` are the analyzed title terms of the article (computed once per article); `revision` is its
  // content hash (16 hex digits), stored with every passage so that `fundstelle check` can tell passages of two
  // versions apart.
  Xapian::Document build(const Article& article, const Passage& passage, const std::vector<std::string>& title_terms,
                         const std::string& revision);
  std::vector<std::string> title_terms(const Article& article);
  // The tokens of the passage last built (for the spelling dictionary).
  const std::vector<analyzers::Token>& last_tokens() const { return tokens_; }

 private:
  std::vector<std::string> context_terms(std::string_view prefix, std::string_view text);
  analyzers::GermanAnalyzer& analyzer_;
  std::vector<analyzers::Token> tokens_;
  std::string section_;  // the section heading last analysed, and its terms
  std::vector<std::string> section_terms_;
};

}  // namespace fundstelle::indexer
