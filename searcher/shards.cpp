#include "searcher/shards.h"

#include <charconv>
#include <filesystem>
#include <fstream>

#include "fundstelle/error.h"
#include "indexer/index_origin.h"
#include "searcher/open_index.h"

namespace fundstelle::searcher {

namespace fs = std::filesystem;

namespace {

// One line of a stub: how to open the shard, and the name messages give it.
struct ShardLine {
  std::string type, what;  // "auto", "glass" or "remote"; the path or HOST:PORT (or :PROGRAM ARGS)
  std::size_t line = 0;
};

std::vector<ShardLine> read_stub(const std::string& stub) {
  std::ifstream in(stub);
  if (!in) throw IndexError("cannot read the shard list " + stub);
  std::vector<ShardLine> out;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    ShardLine s{line.substr(0, space), space == std::string::npos ? std::string() : line.substr(space + 1), n};
    if ((s.type != "auto" && s.type != "glass" && s.type != "remote") || s.what.empty())
      throw IndexError(stub + ":" + std::to_string(n) +
                       ": not a shard line (Fundstelle reads `auto PATH`, `glass PATH` and `remote HOST:PORT`)");
    if (s.type != "remote" && fs::path(s.what).is_relative())
      s.what = (fs::path(stub).parent_path() / s.what).lexically_normal().string();
    out.push_back(std::move(s));
  }
  if (out.empty()) throw IndexError("the shard list " + stub + " lists no shards");
  return out;
}

Xapian::Database open_remote(const ShardLine& s, const std::string& stub, const OpenOptions& options) {
  const auto timeout = static_cast<useconds_t>(options.timeout_ms);
  if (s.what[0] == ':') {  // remote :PROGRAM ARGS (xapian-progsrv, say through ssh)
    const auto space = s.what.find(' ');
    return Xapian::Remote::open(s.what.substr(1, space == std::string::npos ? std::string::npos : space - 1),
                                space == std::string::npos ? std::string() : s.what.substr(space + 1), timeout);
  }
  const auto colon = s.what.rfind(':');
  unsigned port = 0;
  const char* end = s.what.data() + s.what.size();
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(s.what.data() + colon + 1, end, port).ptr != end || port == 0 || port > 65535)
    throw IndexError(stub + ":" + std::to_string(s.line) + ": `remote " + s.what + "` is not HOST:PORT");
  return Xapian::Remote::open(s.what.substr(0, colon), port, timeout, timeout);
}

}  // namespace

ShardSet open_shards(const std::string& path, const OpenOptions& options) {
  ShardSet set;
  if (!schema::is_shard_list(path)) {
    set.add(open_index(path), path, false);
    return set;
  }
  set.stub = true;
  const std::string stub = schema::shard_list_file(path);
  const auto lines = read_stub(stub);
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
                           "\"); rebuild it with `fundstelle index --rebuild`");
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
