#include "indexer/document_builder.h"

#include <cstdlib>

#include "index/passage_record.h"
#include "index/schema.h"

namespace fundstelle::indexer {

std::vector<std::string> DocumentBuilder::title_terms(const Article& article) {
  std::vector<std::string> out;
  for (const auto& t : analyzer_.analyze(article.title)) out.push_back(std::string(schema::kTitle) + t.term);
  return out;
}

Xapian::Document DocumentBuilder::build(const Article& article, const Passage& passage,
                                        const std::vector<std::string>& title_terms, const std::string& revision) {
  Xapian::Document doc;
  tokens_.clear();
  analyzer_.analyze(passage.text, tokens_);
  for (const auto& t : tokens_) {
    if (t.role == analyzers::TokenRole::Split || t.role == analyzers::TokenRole::Inner) {
      doc.add_posting(std::string(schema::kCompoundPart) + t.term, t.position + 1);
      continue;
    }
    doc.add_posting(t.term, t.position + 1);  // Xapian positions start at 1
    if (t.form != t.term && t.role != analyzers::TokenRole::Whole && t.role != analyzers::TokenRole::Quantity)
      doc.add_term(std::string(schema::kExact) + t.form);
  }
  // The title gives context to every passage of the article text, through its own prefix so that it can weigh
  // less. Not to comments: a reader's comment is found by its own words, or it would match every query on
  // the title without containing a word of it.
  if (passage.kind == PassageKind::Article)
    for (const auto& t : title_terms) doc.add_term(t);
  for (const auto& tag : article.tags) {
    const std::string form = analyzer_.normalize(tag);
    if (!form.empty() && form.size() <= analyzers::GermanAnalyzer::kMaxTermBytes)
      doc.add_boolean_term(std::string(schema::kTag) + form);
  }
  const std::string key = schema::article_key(article.id);
  doc.add_boolean_term(std::string(schema::kArticle) + key);
  doc.add_boolean_term(std::string(schema::kKind) + to_string(passage.kind));
  doc.add_value(schema::kValueArticle, key);
  if (!article.published.empty()) doc.add_value(schema::kValuePublished, article.published);

  schema::PassageRecord record;
  record.kind = passage.kind;
  record.ordinal = passage.ordinal;
  record.comment = passage.comment;
  record.span = passage.span;
  record.revision = std::strtoull(revision.c_str(), nullptr, 16);
  record.text = passage.text;
  doc.set_data(schema::encode_passage(record));
  return doc;
}

}  // namespace fundstelle::indexer
