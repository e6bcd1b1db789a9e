// fundstelle::Indexer, the public writer: a thin shell over the Writer (one index or N shards) it opened and
// the IndexRun that drives it. Every Xapian error that escapes becomes an IndexError here (Writer::fail).
#include "fundstelle/indexer.h"

#include <xapian.h>

#include "fundstelle/error.h"
#include "index/schema.h"
#include "indexer/run.h"
#include "indexer/writer.h"

namespace fundstelle {

struct Indexer::Impl {
  std::unique_ptr<indexer::Writer> writer;
};

Indexer::Indexer(const std::string& path, bool rebuild, unsigned shards)
    : impl_(std::make_unique<Impl>(Impl{indexer::open_writer(path, rebuild, shards)})) {}

Indexer::~Indexer() = default;

ChangeKind Indexer::put(const Article& article, std::size_t* passages_written) {
  if (passages_written) *passages_written = 0;
  if (article.id.empty()) throw InputError("an article needs an id", article.source);
  return impl_->writer->put(article, passages_written);
}

bool Indexer::remove(const std::string& article_id) { return impl_->writer->remove(schema::article_key(article_id)); }

void Indexer::commit() {
  try {
    impl_->writer->finish_rebuild();
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
  impl_->writer->commit();
}

IndexReport Indexer::index_jsonl(std::istream& in, const std::string& source) {
  try {
    return indexer::index_stream(*impl_->writer, in, source);
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

IndexReport Indexer::index_paths(const std::vector<std::string>& paths, const IndexOptions& options) {
  try {
    indexer::IndexRun run(*impl_->writer, options);
    return run.run(paths);
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

}  // namespace fundstelle
