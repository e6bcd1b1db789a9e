// JSON written straight into a string, for the answers that are written most (a search's hits): building an
// nlohmann::json tree of every hit and dumping it was a twentieth of the server's processor time under load.
// The output is byte for byte what nlohmann::json::dump(-1) writes for the same values with invalid UTF-8
// replaced (cli::dump): members of an object sorted by key (nlohmann::json keeps them in a std::map), the same
// escapes and the same shortest form of a double (tests/cli/test_json_writer.cpp checks the two against each other).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace fundstelle::cli {

// Appends JSON values to a string.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  void string(std::string_view text);
  void number(double value);
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void number(T value) {
    if constexpr (std::is_signed_v<T>) integer(static_cast<std::int64_t>(value), value < 0);
    else integer(static_cast<std::uint64_t>(value), false);
  }
  void number(bool) = delete;  // (not a number: write true or false)
  void raw(std::string_view json) { out_ += json; }

 private:
  void integer(std::uint64_t magnitude, bool negative);
  void integer(std::int64_t value, bool negative) {
    integer(negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value), negative);
  }
  std::string& out_;
};

// One JSON object: members added in any order, written sorted by key. A string member's text and every key
// must outlive write().
class JsonObject {
 public:
  void add(std::string_view key, std::string_view text) { members_.push_back({key, Kind::Text, text, {}, 0, 0}); }
  void add(std::string_view key, const char* text) { add(key, std::string_view(text)); }
  void add(std::string_view key, std::string&& text) = delete;  // a temporary would dangle: add_owned
  void add(std::string_view key, double value) { members_.push_back({key, Kind::Double, {}, {}, 0, value}); }
  void add(std::string_view key, bool value) = delete;  // would be written as a number: add_bool
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void add(std::string_view key, T value) {
    static_assert(std::is_unsigned_v<T>, "counts only");
    members_.push_back({key, Kind::Unsigned, {}, {}, static_cast<std::uint64_t>(value), 0});
  }
  // A string member whose text the object keeps.
  void add_owned(std::string_view key, std::string text) {
    members_.push_back({key, Kind::Owned, {}, std::move(text), 0, 0});
  }
  void add_bool(std::string_view key, bool value) { members_.push_back({key, Kind::Bool, {}, {}, value, 0}); }
  // A value already written as JSON (an array, an object).
  void add_json(std::string_view key, std::string json) {
    members_.push_back({key, Kind::Json, {}, std::move(json), 0, 0});
  }
  void write(JsonWriter& w);
  // The object written to a string of its own.
  std::string str();

 private:
  enum class Kind { Text, Owned, Double, Unsigned, Bool, Json };
  struct Member {
    std::string_view key;
    Kind kind;
    std::string_view text;
    std::string owned;  // Owned: the text; Json: the JSON
    std::uint64_t count;
    double value;
  };
  std::vector<Member> members_;
};

// One JSON array: elements appended in order.
class JsonArray {
 public:
  void add(std::string_view text) {
    next();
    JsonWriter(out_).string(text);
  }
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void add(T value) {
    next();
    JsonWriter(out_).number(value);
  }
  // An element already written as JSON (an object, an array).
  void add_json(std::string_view json) {
    next();
    out_ += json;
  }
  // An element that is a pair of counts, [first,second] (a span), written in place.
  void add_pair(std::size_t first, std::size_t second) {
    next();
    out_ += '[';
    JsonWriter(out_).number(first);
    out_ += ',';
    JsonWriter(out_).number(second);
    out_ += ']';
  }
  std::string str() const { return out_ + ']'; }

 private:
  void next() { out_ += out_.size() > 1 ? "," : ""; }
  std::string out_ = "[";
};

// An array of strings as JSON.
std::string json_strings(const std::vector<std::string>& items);

}  // namespace fundstelle::cli
