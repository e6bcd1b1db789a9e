#include "searcher/shards.h"

#include <algorithm>
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

// Runs task(0) ... task(n - 1) at once, each but the last on a thread of its own (here, when no thread can be
// had), the last here, and returns when all have ended. The tasks catch what they throw.
void at_once(std::size_t n, const std::function<void(std::size_t)>& task) {
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k + 1 < n; ++k) try {
      threads.emplace_back(task, k);
    } catch (...) {
      task(k);
    }
  if (n > 0) task(n - 1);
  for (auto& t : threads) t.join();
}

}  // namespace

bool ShardSet::reopen() {
  std::vector<std::size_t> remotes;
  bool changed = false;
  for (std::size_t s = 0; s < each.size(); ++s) {
    if (remote[s]) remotes.push_back(s);
    else if (each[s].reopen()) changed = true;  // (a local shard: reads its version file)
  }
  std::vector<char> changed_remote(remotes.size(), 0);
  std::vector<std::exception_ptr> failed(remotes.size());
  at_once(remotes.size(), [&](std::size_t k) {
    try {
      changed_remote[k] = each[remotes[k]].reopen();
    } catch (...) {
      failed[k] = std::current_exception();
    }
  });
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
  if (!changed && std::find(changed_remote.begin(), changed_remote.end(), 1) == changed_remote.end()) return false;
  // The further connections are reopened before their next use, so that they do not keep missing new documents.
  for (auto& shard : extra)
    for (auto& c : shard) c.stale = true;
  return true;
}

std::vector<Xapian::Document> ShardSet::documents(const std::vector<Xapian::docid>& docids) const {
  std::vector<Xapian::Document> out(docids.size());
  const std::size_t n = each.size();
  std::vector<std::vector<std::size_t>> asked(n);  // per shard: places in `docids`
  for (std::size_t i = 0; i < docids.size(); ++i) asked[shard_of(docids[i])].push_back(i);
  // The reads: a share of a shard's documents on one connection (0: the shard's own; k: extra[shard][k - 1]).
  struct Read {
    std::size_t shard, connection;
    std::vector<std::size_t> places;
    std::exception_ptr failed;
    bool fall_back = false;  // a further connection that could not read it: the shard's own does
  };
  std::vector<Read> reads;
  std::vector<std::string> uuid(n);
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < n; ++s) {
    if (asked[s].empty()) continue;
    std::size_t connections = 1;
    if (remote[s] && connect[s]) {
      connections = std::min(kConnectionsPerShard,
                             (asked[s].size() + kDocumentsPerConnection - 1) / kDocumentsPerConnection);
      if (now < no_more_until[s]) connections = std::min(connections, extra[s].size() + 1);
      if (extra[s].size() + 1 < connections) extra[s].resize(connections - 1);  // (opened by their reads)
      if (connections > 1) uuid[s] = each[s].get_uuid();  // (a remote database's is known without an exchange)
    }
    const std::size_t per = (asked[s].size() + connections - 1) / connections;
    for (std::size_t k = 0; k * per < asked[s].size(); ++k) {
      const auto from = asked[s].begin() + static_cast<std::ptrdiff_t>(k * per);
      const auto to = asked[s].begin() + static_cast<std::ptrdiff_t>(std::min(asked[s].size(), (k + 1) * per));
      reads.push_back(Read{s, k, std::vector<std::size_t>(from, to), nullptr});
    }
  }
  const auto read_on = [&](const Xapian::Database& db, const Read& r) {
    for (const std::size_t i : r.places) out[i] = db.get_document(in_shard(docids[i]), Xapian::DOC_ASSUME_VALID);
  };
  // On a further connection: opened if it is not, reopened if the index changed or it reads another database,
  // then asked; once more on a new connection if it fails to answer.
  const auto ask_further = [&](Connection& c, const Read& r) {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!c.open) {
          c.db = connect[r.shard]();
          c.open = true;
          c.stale = false;
        }
        if (c.stale || c.db.get_uuid() != uuid[r.shard]) {
          c.db.reopen();
          c.stale = false;
        }
        if (c.db.get_uuid() != uuid[r.shard]) return false;
        read_on(c.db, r);
        return true;
      } catch (const Xapian::NetworkError&) {
        if (!c.open || attempt > 0) {
          c.failed = true;
          return false;
        }
        c.open = false;
      } catch (const Xapian::Error&) {  // a document it does not hold (yet): reopened before its next use
        c.stale = true;
        return false;
      }
    }
  };
  at_once(reads.size(), [&](std::size_t k) {
    Read& r = reads[k];
    try {
      if (r.connection == 0) read_on(each[r.shard], r);
      else r.fall_back = !ask_further(extra[r.shard][r.connection - 1], r);
    } catch (...) {
      r.failed = std::current_exception();
    }
  });
  // The shares that fell back, each shard's on its own connection, the shards at once.
  std::vector<std::vector<Read*>> back(n);
  for (auto& r : reads) {
    if (r.connection > 0 && !r.fall_back) read_further += r.places.size();
    if (r.fall_back) {
      back[r.shard].push_back(&r);
      ++fell_back;
    }
  }
  std::erase_if(back, [](const std::vector<Read*>& shares) { return shares.empty(); });
  at_once(back.size(), [&](std::size_t k) {
    for (Read* r : back[k]) try {
        read_on(each[r->shard], *r);
      } catch (...) {
        r->failed = std::current_exception();
      }
  });
  for (std::size_t s = 0; s < n; ++s) {
    const auto failed = [](const Connection& c) { return c.failed; };
    if (std::any_of(extra[s].begin(), extra[s].end(), failed)) {
      if (std::any_of(extra[s].begin(), extra[s].end(), [](const Connection& c) { return c.failed && !c.open; }))
        no_more_until[s] = now + kNoMoreConnectionsFor;  // (could not be opened at all)
      std::erase_if(extra[s], failed);
    }
  }
  for (const auto& r : reads)
    if (r.failed) std::rethrow_exception(r.failed);
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
      std::function<Xapian::Database()> connector;
      if (s.type == "remote") connector = [s, stub, options] { return open_remote(s, stub, options); };
      try {
        db = connector ? connector() : Xapian::Database(s.what);
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
      set.add(db, s.what, s.type == "remote", connector);
    } catch (const IndexError& e) {
      if (!options.allow_partial) throw;
      set.warnings.push_back(std::string(e.what()) + "; searching without it");
    }
  }
  if (set.each.empty()) throw IndexError("no shard of " + stub + " could be opened: " + set.warnings.front());
  return set;
}

}  // namespace fundstelle::searcher
