// fundstelle::Indexer, the public writer: a thin shell over the Writer (one index or N shards) it opened and
// the IndexRun that drives it. Every Xapian error that escapes becomes an IndexError here (Writer::fail).
#include "fundstelle/indexer.h"

#include <xapian.h>

#include <algorithm>

#include "base/files.h"
#include "fundstelle/error.h"
#include "index/schema.h"
#include "indexer/jsonl_reader.h"
#include "indexer/run.h"
#include "indexer/sources.h"
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

std::vector<std::string> Indexer::source_folders() {
  try {
    return impl_->writer->source_folders();
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

namespace {

// Where the folder at `place` (given as `given`) stands among the source folders of the index at `index`;
// InputError if it is not one of them.
std::size_t remembered_at(const std::vector<std::string>& folders, const std::string& place, const std::string& given,
                          const std::string& index) {
  const auto at = std::find(folders.begin(), folders.end(), place);
  if (at == folders.end()) throw InputError("\"" + place + "\" is not a source folder of the index at " + index, given);
  return static_cast<std::size_t>(at - folders.begin());
}

}  // namespace

std::size_t Indexer::move_source_folder(const std::string& from, const std::string& to) {
  const std::string old_place = indexer::absolute_path(from), new_place = indexer::absolute_path(to);
  try {
    const auto folders = impl_->writer->source_folders();
    const auto at = folders.begin() +
                    static_cast<std::ptrdiff_t>(remembered_at(folders, old_place, from, impl_->writer->path()));
    if (std::find(folders.begin(), folders.end(), new_place) != folders.end())
      throw InputError("\"" + new_place + "\" is a source folder of the index already", to);
    // The folder and those remembered inside it move together, in their order; they are put before any other
    // folder that holds their new place (else that one would name their files anew).
    std::vector<std::string> moving, staying;
    for (const auto& f : folders) {
      if (base::is_under(f, old_place)) moving.push_back(base::moved_path(f, old_place, new_place));
      else staying.push_back(f);
    }
    const auto holder = std::find_if(folders.begin(), at, [&](const auto& f) { return base::is_under(new_place, f); });
    const auto place = static_cast<std::size_t>(holder - folders.begin());
    std::size_t before = 0;  // staying folders ahead of `place` in the old order
    for (std::size_t i = 0; i < place; ++i) before += base::is_under(folders[i], old_place) ? 0 : 1;
    staying.insert(staying.begin() + static_cast<std::ptrdiff_t>(before), moving.begin(), moving.end());
    impl_->writer->remember_source_folders(staying);
    const std::size_t moved = impl_->writer->move_sources(old_place, new_place);
    impl_->writer->commit();
    return moved;
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

void Indexer::forget_source_folder(const std::string& folder) {
  const std::string place = indexer::absolute_path(folder);
  try {
    auto folders = impl_->writer->source_folders();
    folders.erase(folders.begin() +
                  static_cast<std::ptrdiff_t>(remembered_at(folders, place, folder, impl_->writer->path())));
    impl_->writer->remember_source_folders(folders);
    impl_->writer->commit();
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
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

Article article_from_json(std::string_view line, std::vector<Problem>* warnings) {
  Article article;
  std::vector<Problem> problems;
  const bool ok = indexer::parse_jsonl_line(line, "", 1, article, problems);
  if (!ok) {
    const auto skipped = std::find_if(problems.begin(), problems.end(), [](const Problem& p) { return p.skipped; });
    throw InputError(skipped != problems.end() ? skipped->message : "not an article", "", 1);
  }
  if (warnings)
    for (auto& p : problems) warnings->push_back(std::move(p));
  return article;
}

IndexReport Indexer::index_jsonl(std::istream& in, const std::string& source) {
  try {
    return indexer::index_stream(*impl_->writer, in, source);
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

IndexReport Indexer::index_html(std::string_view page, const std::string& id, const std::string& source,
                                std::string_view content_type) {
  try {
    return indexer::index_html_page(*impl_->writer, page, id, source, content_type);
  } catch (const Xapian::Error& e) {
    impl_->writer->fail(e);
  }
}

IndexReport Indexer::index_feed(std::string_view feed, const std::string& source) {
  try {
    return indexer::index_feed_document(*impl_->writer, feed, source);
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
