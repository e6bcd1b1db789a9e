// Passages: the unit that is indexed, ranked and returned.
#pragma once

#include <cstddef>
#include <string>

namespace fundstelle {

enum class PassageKind { Article, Comment };

inline const char* to_string(PassageKind kind) { return kind == PassageKind::Article ? "article" : "comment"; }

// A half-open range [begin, end) of Unicode code points.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Span&) const = default;
};

}  // namespace fundstelle
