#include "indexer/sources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "analyzers/utf8.h"
#include "base/file_kinds.h"
#include "indexer/limits.h"

namespace fundstelle::indexer {
namespace fs = std::filesystem;
namespace {

bool type_of(const fs::path& p, SourceType& type) {
  const std::string ext = p.extension().string();
  if (ext == ".txt") return type = SourceType::Txt, true;
  if (base::is_html_name(p.filename().string())) return type = SourceType::Html, true;
  if (base::is_feed_name(p.filename().string())) return type = SourceType::Feed, true;
  if (ext == ".jsonl" || ext == ".ndjson") return type = SourceType::Jsonl, true;
  return false;
}

void skipped(std::vector<Problem>& problems, const std::string& source, std::string message) {
  problems.push_back(Problem{source, 0, 0, false, true, std::move(message)});
}

}  // namespace

std::string txt_id(const fs::path& relative) { return analyzers::escape_invalid_utf8(relative.generic_string()); }

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  std::string out = p.lexically_normal().string();
  // A folder given as `corpus/` is the same folder as `corpus` (one source folder, one scope for --prune).
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::vector<SourceFile> find_sources(const std::vector<std::string>& paths, std::vector<Problem>& problems,
                                     std::vector<std::string>* unreadable, bool follow_links,
                                     const std::string& within) {
  std::vector<SourceFile> out;
  for (const auto& given : paths) {
    std::error_code ec;
    const fs::path root = fs::path(absolute_path(given));
    // Where a link's target must lie (resolved: the folder may itself be reached through links).
    const fs::path fence = fs::weakly_canonical(within.empty() ? root : fs::path(within), ec);
    const auto inside = [&](const fs::path& link) {
      std::error_code cec;
      const fs::path target = fs::canonical(link, cec);
      if (cec) return false;
      const auto rel = target.lexically_relative(fence);
      return !rel.empty() && *rel.begin() != "..";
    };
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      skipped(problems, given, "no such file or folder");
      continue;
    }
    SourceType type;
    if (fs::is_directory(status)) {
      // Our own walk rather than recursive_directory_iterator: a folder that cannot be read must be reported
      // (and its articles kept by --prune), not skipped silently. Links to folders are not followed, so
      // links cannot loop.
      std::vector<SourceFile> found;
      std::vector<fs::path> pending{root};
      while (!pending.empty()) {
        const fs::path folder = pending.back();
        pending.pop_back();
        std::error_code dec;
        fs::directory_iterator it(folder, dec), end;
        for (; !dec && it != end; it.increment(dec)) {
          std::error_code fec;
          const auto& entry = *it;
          if (entry.is_symlink(fec)) {
            const auto target = fs::status(entry.path(), fec);
            if (fec && type_of(entry.path(), type))  // a loop (ELOOP) or a link to nothing
              skipped(problems, entry.path().string(), "cannot follow the link: " + fec.message());
            else if (fs::is_directory(target))
              problems.push_back(Problem{entry.path().string(), 0, 0, false, false,
                                         "a link to a folder: not followed (so that links cannot loop); "
                                         "name the folder itself to index it"});
            else if (fs::is_regular_file(target) && type_of(entry.path(), type)) {
              if (follow_links || inside(entry.path()))
                found.push_back(
                    {entry.path().lexically_normal().string(), txt_id(entry.path().lexically_relative(root)), type});
              else
                skipped(problems, entry.path().string(),
                        "a link to a file outside " + fence.string() + ": not indexed (--follow-links indexes it)");
            }
            continue;
          }
          if (entry.is_directory(fec)) pending.push_back(entry.path());
          else if (entry.is_regular_file(fec) && type_of(entry.path(), type))
            found.push_back(
                {entry.path().lexically_normal().string(), txt_id(entry.path().lexically_relative(root)), type});
        }
        if (dec) {
          skipped(problems, folder.string(), "cannot read folder: " + dec.message());
          if (unreadable) unreadable->push_back(folder.lexically_normal().string());
        }
      }
      std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
      out.insert(out.end(), found.begin(), found.end());
    } else if (!type_of(root, type)) {
      skipped(problems, given, "not a .txt or .html article, a .jsonl feed or an RSS or Atom feed");
    } else if (!fs::is_regular_file(status)) {
      skipped(problems, given, "not a regular file (a device, socket or pipe)");
    } else {
      out.push_back({root.string(), txt_id(root.filename()), type, true});
    }
  }
  return out;
}

bool read_file(const std::string& path, std::string& out, std::vector<Problem>& problems, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    skipped(problems, path, "cannot open file (permission denied or vanished)");
    return false;
  }
  std::error_code ec;
  if (const auto size = fs::file_size(path, ec); !ec && size > max_bytes) {
    skipped(problems, path,
            std::string(max_bytes == kMaxArticleBytes ? "too large for one article (" : "too large (") +
                std::to_string(size) + " bytes; at most " + std::to_string(max_bytes >> 20) + " MiB)");
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    skipped(problems, path, "read error");
    return false;
  }
  return true;
}

}  // namespace fundstelle::indexer
