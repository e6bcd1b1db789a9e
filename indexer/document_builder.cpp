#include "indexer/document_builder.h"

#include <cstdlib>

#include "base/dates.h"
#include "index/passage_record.h"
#include "index/schema.h"

namespace fundstelle::indexer {

std::vector<std::string> DocumentBuilder::context_terms(std::string_view prefix, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : analyzer_.analyze(text)) out.push_back(std::string(prefix) + t.term);
  return out;
}

std::vector<std::string> DocumentBuilder::title_terms(const Article& article) {
  return context_terms(schema::kTitle, article.title);
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
    // Every word also in the very form written (without positions): a query ranks its typed form first.
    if (t.role != analyzers::TokenRole::Whole && t.role != analyzers::TokenRole::Quantity)
      doc.add_term(std::string(schema::kExact) + t.form);
    if (t.capitalised) doc.add_term(std::string(schema::kCapitalised) + t.form);
  }
  // The title gives context to every passage of the article text, through its own prefix so that it can weigh
  // less. Not to comments: a reader's comment is found by its own words, or it would match every query on
  // the title without containing a word of it.
  if (passage.kind == PassageKind::Article) {
    for (const auto& t : title_terms) doc.add_term(t);
    // So does the heading of the passage's section (the same heading for a run of passages: analysed once).
    if (passage.section != section_) {
      section_ = passage.section;
      section_terms_ = context_terms(schema::kSection, section_);
    }
    if (!passage.section.empty())
      for (const auto& t : section_terms_) doc.add_term(t);
  }
  for (const auto& tag : article.tags) {
    const std::string form = analyzer_.normalize(tag);
    if (!form.empty() && form.size() <= analyzers::GermanAnalyzer::kMaxTermBytes)
      doc.add_boolean_term(std::string(schema::kTag) + form);
  }
  if (!article.tags.empty()) doc.add_value(schema::kValueTags, schema::join_tags(article.tags));
  // The passage's author: the article's, or for a comment the comment's own (none when the feed gave none).
  const Comment* comment = passage.kind == PassageKind::Comment && passage.comment < article.comments.size()
                               ? &article.comments[passage.comment]
                               : nullptr;
  const std::string& author = comment ? comment->author : article.author;
  if (!author.empty()) {
    const std::string form = analyzer_.normalize(author);
    if (!form.empty() && form.size() <= analyzers::GermanAnalyzer::kMaxTermBytes) {
      doc.add_boolean_term(std::string(schema::kAuthor) + form);
      doc.add_value(schema::kValueAuthor, author);
    }
  }
  const std::string key = schema::article_key(article.id);
  doc.add_boolean_term(std::string(schema::kArticle) + key);
  doc.add_boolean_term(std::string(schema::kKind) + to_string(passage.kind));
  doc.add_value(schema::kValueArticle, key);
  doc.add_value(schema::kValueText, schema::text_key(passage.text));
  if (!article.published.empty()) doc.add_value(schema::kValuePublished, base::comparable_date(article.published));

  schema::PassageRecord record;
  record.kind = passage.kind;
  record.ordinal = passage.ordinal;
  record.comment = passage.comment;
  record.span = passage.span;
  record.revision = std::strtoull(revision.c_str(), nullptr, 16);
  record.section = passage.section;
  if (comment) {
    record.author = comment->author;
    record.published = comment->published;
  }
  record.text = passage.text;
  doc.set_data(schema::encode_passage(record));
  return doc;
}

}  // namespace fundstelle::indexer
