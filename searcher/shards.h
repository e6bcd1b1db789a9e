// An index on several shards, searched as one: a Xapian stub database (a file, or a folder holding a file
// named XAPIANDB) lists the shards, one a line, in Xapian's own stub format (index/layout.h).
//
// Xapian opens such stubs itself, but with fixed timeouts (ten seconds) and without telling which shard
// failed; Fundstelle reads the list, opens each shard itself (remote ones with OpenOptions::timeout_ms) and
// combines them with Database::add_database, which searches them as one index with statistics over all
// shards. A single index (a folder with Xapian's iamglass) is a set of one shard.
#pragma once

#include <xapian.h>

#include <cstddef>
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
  // The documents `docids` (of `all`), in their order, each read from its shard; the shards' share read at
  // once, each on a thread of its own when more than one shard is asked. A remote shard answers one document
  // an exchange (Xapian 1.4 has no batch of documents): so the exchanges of different shards overlap.
  std::vector<Xapian::Document> documents(const std::vector<Xapian::docid>& docids) const;
  // Appends a shard (to `all` and to the lists above).
  void add(const Xapian::Database& shard, const std::string& name, bool is_remote) {
    all.add_database(shard);
    each.push_back(shard);
    names.push_back(name);
    remote.push_back(is_remote);
  }
};

// Opens the index or the shards a stub lists. Throws IndexError when there is no index, a stub line cannot
// be read, a shard cannot be opened or reached (unless options.allow_partial, which leaves it out with a
// warning, as long as one shard is left), or a shard was built by another version of Fundstelle.
ShardSet open_shards(const std::string& path, const OpenOptions& options);

}  // namespace fundstelle::searcher
