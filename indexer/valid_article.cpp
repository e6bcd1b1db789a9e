#include "indexer/valid_article.h"

#include "analyzers/utf8.h"

namespace fundstelle::indexer {

Article with_valid_utf8(const Article& in) {
  Article a = in;
  const auto repair = [](std::string& s) {
    if (!analyzers::is_valid_utf8(s)) s = analyzers::repair_utf8(s);
  };
  for (std::string* f : {&a.id, &a.title, &a.url, &a.published, &a.author, &a.source}) repair(*f);
  for (auto& t : a.tags) repair(t);
  for (auto& p : a.paragraphs) repair(p);
  for (auto& c : a.comments)
    for (std::string* f : {&c.id, &c.author, &c.published, &c.text}) repair(*f);
  return a;
}

}  // namespace fundstelle::indexer
