// An index on several shards, searched as one: a Xapian stub database (a file, or a folder holding a file
// named XAPIANDB) lists the shards, one a line, in Xapian's own stub format (index/layout.h).
//
// Xapian opens such stubs itself, but with fixed timeouts (ten seconds) and without telling which shard
// failed; Fundstelle reads the list, opens each shard itself (remote ones with OpenOptions::timeout_ms) and
// combines them with Database::add_database, which searches them as one index with statistics over all
// shards. A single index (a folder with Xapian's iamglass) is a set of one shard.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "fundstelle/searcher.h"

namespace fundstelle::searcher {

struct ShardSet {
  Xapian::Database all;                // the shards searched as one
  std::vector<Xapian::Database> each;  // the same shards, in the order of `all`
  std::vector<std::string> names;      // what the stub calls each (a path, or HOST:PORT)
  std::vector<bool> remote;
  std::vector<std::string> warnings;  // shards left out (OpenOptions::allow_partial)
  bool stub = false;                  // opened from a stub (even of one line)

  // The shard holding a document of `all`: Xapian interleaves the shards' document ids.
  std::size_t shard_of(Xapian::docid docid) const { return (docid - 1) % each.size(); }
  // Its document id within that shard.
  Xapian::docid in_shard(Xapian::docid docid) const {
    return (docid - 1) / static_cast<Xapian::docid>(each.size()) + 1;
  }
  // Opens another connection to shard i (remote shards; empty for a local one).
  std::vector<std::function<Xapian::Database()>> connect;
  // The further connections to each remote shard that documents() uses (see there): open or not yet, and
  // whether the index may have changed since each was last (re)opened (reopen).
  struct Connection {
    Xapian::Database db;
    bool open = false, stale = false;
    bool failed = false;  // it could not be opened or answered: closed after the read
  };
  mutable std::vector<std::vector<Connection>> extra;
  // Per shard: no further connection is opened before this time (set when opening one failed, so that a
  // shard server that refuses more connections does not cost every search a connection timeout).
  mutable std::vector<std::chrono::steady_clock::time_point> no_more_until;
  // What documents() did, for tests and diagnostics: documents read over further connections, and shares of
  // them that the shard's own connection read instead.
  mutable std::size_t read_further = 0, fell_back = 0;

  // The documents `docids` (of `all`), in their order, each read from its shard; the shards' share read at
  // once, each on a thread of its own when more than one shard is asked. A remote shard answers one document
  // an exchange (Xapian 1.4 has no batch of documents, and its remote MSet::fetch does not pipeline them), so
  // with a network's latency a shard's share costs one round trip a document: a share of more than
  // kDocumentsPerConnection is split over up to kConnectionsPerShard connections to the shard (the further
  // ones opened on first need, each on its reading thread, and kept), read at once too. A further
  // connection that fails to answer (closed by the server as idle, say) is opened once more and asked again.
  // A further connection may read another revision of the shard than the one the search matched, and that is
  // safe: Fundstelle's writer only adds and deletes documents (index_writer.cpp), so within one database (its
  // uuid) a document id holds the same document in every revision that has it. So a further connection is used
  // while its database is the shard's own (same uuid, else it is reopened); a document it does not find
  // (deleted since, or newer than its revision), or any error of it, has that share read by the shard's own
  // connection (the shards' such shares at once), which answers as the search matched.
  // Each searcher keeps up to kConnectionsPerShard connections to each remote shard: a `fundstelle serve`
  // with T threads up to T times that (xapian-tcpsrv serves each connection in a process of its own).
  std::vector<Xapian::Document> documents(const std::vector<Xapian::docid>& docids) const;
  static constexpr std::size_t kConnectionsPerShard = 4;
  static constexpr std::size_t kDocumentsPerConnection = 4;
  static constexpr std::chrono::seconds kNoMoreConnectionsFor{60};
  // Database::reopen of `all`, each remote shard's exchange on a thread of its own (Xapian reopens the shards
  // of `all` one after another, a round trip each): true when any shard may have changed, and then the
  // further connections are reopened before their next use (one exchange, on their own threads), so that
  // they do not keep missing new documents.
  bool reopen();

  // Appends a shard (to `all` and to the lists above); `connector` opens another connection to a remote one.
  void add(const Xapian::Database& shard, const std::string& name, bool is_remote,
           std::function<Xapian::Database()> connector = {}) {
    all.add_database(shard);
    each.push_back(shard);
    names.push_back(name);
    remote.push_back(is_remote);
    connect.push_back(std::move(connector));
    extra.emplace_back();
    no_more_until.emplace_back();
  }
};

// Opens the index or the shards a stub lists. Throws IndexError when there is no index, a stub line cannot
// be read, a shard cannot be opened or reached (unless options.allow_partial, which leaves it out with a
// warning, as long as one shard is left), or a shard was built by another version of Fundstelle.
ShardSet open_shards(const std::string& path, const OpenOptions& options);

}  // namespace fundstelle::searcher
