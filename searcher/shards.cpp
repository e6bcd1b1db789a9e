#include "searcher/shards.h"

#include <charconv>
#include <exception>
#include <thread>

#include "fundstelle/error.h"
#include "index/layout.h"
#include "index/open.h"
#include "index/origin.h"

namespace fundstelle::searcher {

namespace {

Xapian::Database open_remote(const index::ShardLine& s, const std::string& stub, const OpenOptions& options) {
  const auto timeout = static_cast<useconds_t>(options.timeout_ms);
  if (s.what[0] == ':') {  // remote :PROGRAM ARGS (xapian-progsrv, say through ssh)
    const auto space = s.what.find(' ');
    return Xapian::Remote::open(s.what.substr(1, space == std::string::npos ? std::string::npos : space - 1),
                                space == std::string::npos ? std::string() : s.what.substr(space + 1), timeout);
  }
  const auto colon = s.what.rfind(':');
  unsigned port = 0;
  const char* end = s.what.data() + s.what.size();
  if (colon == std::string::npos || colon == 0 || std::from_chars(s.what.data() + colon + 1, end, port).ptr != end ||
      port == 0 || port > 65535)
    throw IndexError(stub + ":" + std::to_string(s.line) + ": `remote " + s.what + "` is not HOST:PORT",
                     ErrorKind::BadInput);
  return Xapian::Remote::open(s.what.substr(0, colon), port, timeout, timeout);
}

}  // namespace

std::vector<Xapian::Document> ShardSet::documents(const std::vector<Xapian::docid>& docids) const {
  std::vector<Xapian::Document> out(docids.size());
  const std::size_t n = each.size();
  std::vector<std::vector<std::size_t>> asked(n);  // per shard: places in `docids`
  for (std::size_t i = 0; i < docids.size(); ++i) asked[shard_of(docids[i])].push_back(i);
  std::vector<std::exception_ptr> failed(n);
  const auto read = [&](std::size_t s) {
    try {
      for (const std::size_t i : asked[s]) out[i] = each[s].get_document(in_shard(docids[i]), Xapian::DOC_ASSUME_VALID);
    } catch (...) {
      failed[s] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  std::size_t last = n;  // the last shard asked, read on this thread
  for (std::size_t s = 0; s < n; ++s)
    if (!asked[s].empty()) {
      if (last != n) try {
          threads.emplace_back(read, last);
        } catch (...) {  // no thread to be had: read here
          read(last);
        }
      last = s;
    }
  if (last != n) read(last);
  for (auto& t : threads) t.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
  return out;
}

ShardSet open_shards(const std::string& path, const OpenOptions& options) {
  ShardSet set;
  if (!index::is_shard_list(path)) {
    set.add(index::open_for_read(path), path, false);
    return set;
  }
  set.stub = true;
  const std::string stub = index::shard_list_file(path);
  const auto lines = index::read_stub(stub);
  for (const auto& s : lines) {
    const std::string name = "shard " + s.what + " (" + stub + ":" + std::to_string(s.line) + ")";
    try {
      Xapian::Database db;
      try {
        db = s.type == "remote" ? open_remote(s, stub, options) : Xapian::Database(s.what);
      } catch (const Xapian::NetworkError& e) {
        throw IndexError(name + " cannot be reached: " + e.get_msg());
      } catch (const Xapian::Error& e) {
        throw IndexError(name + " cannot be opened: " + e.get_msg());
      }
      try {
        if (const auto origin = schema::index_origin(db); !origin.ours())
          throw IndexError(name + " is not an index of this version of Fundstelle (analyzer \"" + origin.analyzer +
                               "\")",
                           ErrorKind::ForeignIndex);
      } catch (const Xapian::Error& e) {
        throw IndexError(name + " cannot be read: " + e.get_msg());
      }
      set.add(db, s.what, s.type == "remote");
    } catch (const IndexError& e) {
      if (!options.allow_partial) throw;
      set.warnings.push_back(std::string(e.what()) + "; searching without it");
    }
  }
  if (set.each.empty()) throw IndexError("no shard of " + stub + " could be opened: " + set.warnings.front());
  return set;
}

}  // namespace fundstelle::searcher
