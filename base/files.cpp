#include "base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace fundstelle::base {

bool sync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool write_file_atomically(const std::string& path, std::string_view content) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return false;
  }
  const std::string parent = std::filesystem::path(path).parent_path().string();
  sync_folder(parent.empty() ? "." : parent);
  return true;
}

bool is_under(const std::string& path, const std::string& root) {
  if (path == root) return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         (root.back() == '/' || path[root.size()] == '/');
}

std::string moved_path(const std::string& path, const std::string& from, const std::string& to) {
  std::string rest = path.substr(std::min(from.size(), path.size()));
  if (!rest.empty() && rest.front() != '/') rest.insert(rest.begin(), '/');  // `from` was "/"
  std::string out = to == "/" ? std::string() : to;
  out += rest;
  return out.empty() ? "/" : out;
}

}  // namespace fundstelle::base
