#include "json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace fundstelle::cli {

namespace {

// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), which is
// what nlohmann::json's decoder accepts.
bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  const auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
    if (in(c, 0xC2, 0xDF)) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) n = 3;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (in(c, 0xF1, 0xF3)) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return false;
    if (static_cast<std::size_t>(end - p) < n || !in(p[1], lo, hi)) return false;
    for (std::size_t k = 2; k < n; ++k)
      if (!in(p[k], 0x80, 0xBF)) return false;
    p += n;
  }
  return true;
}

}  // namespace

void JsonWriter::string(std::string_view text) {
  if (!valid_utf8(text)) {  // rare (the indexer repairs text): nlohmann's own replacement of the bad bytes
    out_ += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out_ += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\f': out_ += "\\f"; break;
      case '\r': out_ += "\\r"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xF];
      }
    }
  }
  out_.append(text, run, text.size() - run);
  out_ += '"';
}

void JsonWriter::number(double value) {
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  // nlohmann's own shortest round-trip form (its serializer calls this; not its public API, but part of the
  // same header-only library, so the two cannot drift apart within one version).
  std::array<char, 64> buffer{};
  const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void JsonWriter::integer(std::uint64_t magnitude, bool negative) {
  std::array<char, 24> buffer{};
  char* at = buffer.data();
  if (negative) *at++ = '-';
  at = std::to_chars(at, buffer.data() + buffer.size(), magnitude).ptr;
  out_.append(buffer.data(), static_cast<std::size_t>(at - buffer.data()));
}

void JsonObject::write(JsonWriter& w) {
  std::stable_sort(members_.begin(), members_.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  w.raw("{");
  for (std::size_t i = 0; i < members_.size(); ++i) {
    const Member& m = members_[i];
    if (i) w.raw(",");
    w.string(m.key);
    w.raw(":");
    switch (m.kind) {
      case Kind::Text: w.string(m.text); break;
      case Kind::Owned: w.string(m.owned); break;
      case Kind::Double: w.number(m.value); break;
      case Kind::Unsigned: w.number(m.count); break;
      case Kind::Bool: w.raw(m.count ? "true" : "false"); break;
      case Kind::Json: w.raw(m.owned); break;
    }
  }
  w.raw("}");
}

std::string JsonObject::str() {
  std::string out;
  JsonWriter w(out);
  write(w);
  return out;
}

std::string json_strings(const std::vector<std::string>& items) {
  JsonArray a;
  for (const auto& item : items) a.add(item);
  return a.str();
}

}  // namespace fundstelle::cli
