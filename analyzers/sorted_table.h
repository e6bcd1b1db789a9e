// A read-only table of lines "key\tvalue...", sorted by key bytes, searched in place (the build-time tables
// embedded in the program: compound dictionary, synonym table).
//
// Thread safety: immutable; find() may be called from any number of threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fundstelle::analyzers {

class SortedTable {
 public:
  explicit SortedTable(std::string_view data = {}) : data_(data) {
    for (std::size_t at = 0; at < data_.size();) {
      lines_.push_back(static_cast<std::uint32_t>(at));
      const std::size_t nl = data_.find('\n', at);
      at = nl == std::string_view::npos ? data_.size() : nl + 1;
    }
  }

  // The rest of the line after the key's tab (without the newline), or nothing if the key is not there.
  std::optional<std::string_view> find(std::string_view key) const {
    const auto it = std::lower_bound(lines_.begin(), lines_.end(), key,
                                     [&](std::uint32_t off, std::string_view k) { return key_at(off) < k; });
    if (it == lines_.end() || key_at(*it) != key) return std::nullopt;
    std::string_view rest = data_.substr(*it + key.size());
    if (!rest.empty() && rest.front() == '\t') rest.remove_prefix(1);
    return rest.substr(0, rest.find('\n'));
  }

  std::size_t size() const { return lines_.size(); }
  std::string_view data() const { return data_; }

 private:
  std::string_view key_at(std::uint32_t off) const {
    const std::string_view rest = data_.substr(off);
    return rest.substr(0, std::min(rest.find('\t'), rest.find('\n')));
  }

  std::string_view data_;
  std::vector<std::uint32_t> lines_;  // offset of each line
};

}  // namespace fundstelle::analyzers
