#include "index/layout.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/files.h"
#include "fundstelle/error.h"

namespace fundstelle::index {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFirstImportHead = "fundstelle first import";  // the first line of kFirstImportMarker
constexpr unsigned kMaxFirstImportShards = 1024;

bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

bool is_single_index(const std::string& path) { return fs::exists(path + "/iamglass"); }

bool is_shard_list(const std::string& path) {
  return is_file(path) || (!is_file(path + "/iamglass") && is_file(path + "/XAPIANDB"));
}

std::string shard_list_file(const std::string& path) { return fs::is_regular_file(path) ? path : path + "/XAPIANDB"; }

std::string shard_folder(const std::string& index, unsigned k) { return index + "/shard-" + std::to_string(k); }

std::string first_import_folder(const std::string& index) { return index + "/.parallel-build"; }

bool write_first_import_marker(const std::string& folder, unsigned shards) {
  return base::write_file_atomically(folder + "/" + kFirstImportMarker,
                                     std::string(kFirstImportHead) + "\nshards " + std::to_string(shards) + "\n");
}

std::optional<unsigned> first_import_marker(const std::string& folder) {
  std::ifstream in(folder + "/" + kFirstImportMarker);
  std::string head, word;
  unsigned shards = 0;
  if (!std::getline(in, head) || head != kFirstImportHead || !(in >> word >> shards) || word != "shards" ||
      shards == 0 || shards > kMaxFirstImportShards)
    return std::nullopt;
  return shards;
}

bool first_import_kept(const std::string& index) { return first_import_marker(first_import_folder(index)).has_value(); }

std::string shard_label(unsigned k, unsigned n) { return "shard-" + std::to_string(k) + " of " + std::to_string(n); }

unsigned shard_count(const std::string& path, const std::string& instead) {
  if (!is_shard_list(path)) return 0;
  const auto not_ours = [&](const std::string& why) {
    return IndexError(path +
                          " lists the shards of an index (a Xapian stub) that Fundstelle's sharded writer did not "
                          "write (" +
                          why + "); " + instead,
                      ErrorKind::BadInput);
  };
  if (fs::is_regular_file(path)) throw not_ours("a stub file, not a folder");
  const std::string list = shard_list_file(path);
  std::ifstream in(list);
  if (!in) throw IndexError("cannot read the shard list " + list, ErrorKind::Io);
  unsigned n = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line != "auto shard-" + std::to_string(n)) throw not_ours("its line \"" + line + "\"");
    ++n;
  }
  if (n == 0) throw not_ours("no shards");
  return n;
}

void write_shard_list(const std::string& path, unsigned shards) {
  std::ostringstream text;
  text << "# Fundstelle: an index in " << shards << " shards, written by `fundstelle index --shards " << shards
       << "`.\n# Searched as one index; each article lives in one shard, chosen by a stable hash of its id.\n";
  for (unsigned k = 0; k < shards; ++k) text << "auto shard-" << k << "\n";
  const std::string file = path + "/XAPIANDB";
  if (!base::write_file_atomically(file, text.str()))
    throw IndexError("cannot write the shard list " + file, ErrorKind::Io);
}

std::vector<ShardLine> read_stub(const std::string& stub) {
  std::ifstream in(stub);
  if (!in) throw IndexError("cannot read the shard list " + stub, ErrorKind::Io);
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
                           ": not a shard line (Fundstelle reads `auto PATH`, `glass PATH` and `remote HOST:PORT`)",
                       ErrorKind::BadInput);
    if (s.type != "remote" && fs::path(s.what).is_relative())
      s.what = (fs::path(stub).parent_path() / s.what).lexically_normal().string();
    out.push_back(std::move(s));
  }
  if (out.empty()) throw IndexError("the shard list " + stub + " lists no shards", ErrorKind::BadInput);
  return out;
}

}  // namespace fundstelle::index
