// cli::JsonWriter and cli::JsonObject write what nlohmann::json's dump writes for the same values (the CLI's
// and the service's answers were written by it before, and clients may compare bytes).
#include "cli/json_writer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

using fundstelle::cli::JsonObject;
using fundstelle::cli::JsonWriter;

std::string nlohmann_dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const std::string& text) {
  std::string out;
  JsonWriter(out).string(text);
  return out;
}

std::string written(double value) {
  std::string out;
  JsonWriter(out).number(value);
  return out;
}

}  // namespace

TEST_CASE("the JSON writer escapes strings as nlohmann::json does, invalid UTF-8 included", "[cli]") {
  std::vector<std::string> texts = {"",
                                    "plain",
                                    "Entwicklungszentrum München",
                                    "quote \" and backslash \\ and slash /",
                                    "tab\tnew\nline\rreturn\bback\fform",
                                    std::string("nul \0 inside", 12),
                                    "\x7f delete",
                                    "emoji \xF0\x9F\x98\x80 and \xE2\x80\xA6",
                                    "lone continuation \x80 byte",
                                    "truncated \xC3",
                                    "truncated \xE2\x80",
                                    "overlong \xC0\x80",
                                    "surrogate \xED\xA0\x80",
                                    "overlong three \xE0\x80\x80",
                                    "overlong four \xF0\x80\x80\x80",
                                    "truncated four \xF0\x9F\x98",
                                    "beyond U+10FFFF \xF4\x90\x80\x80",
                                    "\xF5\x80\x80\x80",
                                    "Latin-1 M\xfcller and M\xf6ller",
                                    "mixed \xC3\xA4\xFF\xC3\xB6"};
  for (int c = 0; c < 0x20; ++c) texts.push_back(std::string("x") + static_cast<char>(c) + "y");
  std::mt19937 random(20261206);
  for (int i = 0; i < 2000; ++i) {  // random bytes, mostly valid text with some broken sequences
    std::string t;
    const int n = static_cast<int>(random() % 12);
    for (int k = 0; k < n; ++k) {
      const unsigned r = random() % 10;
      if (r < 5) t += static_cast<char>('a' + random() % 26);
      else if (r < 7) t += "\xC3\xA4";
      else t += static_cast<char>(random() % 256);
    }
    texts.push_back(t);
  }
  for (const auto& t : texts) {
    INFO(nlohmann_dump(nlohmann::json::array({t})));
    CHECK(written(t) == nlohmann_dump(nlohmann::json(t)));
  }
}

TEST_CASE("the JSON writer writes numbers as nlohmann::json does", "[cli]") {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.5,
                                0.1,
                                1e-7,
                                1e21,
                                123456.789,
                                9.786041,
                                1.0 / 3.0,
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                std::nan(""),
                                std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> score(0, 40);
  for (int i = 0; i < 1000; ++i) values.push_back(score(random));
  for (const double v : values) CHECK(written(v) == nlohmann_dump(nlohmann::json(v)));
  for (const std::uint64_t n : {std::uint64_t{0}, std::uint64_t{7}, std::numeric_limits<std::uint64_t>::max()}) {
    std::string out;
    JsonWriter(out).number(n);
    CHECK(out == nlohmann_dump(nlohmann::json(n)));
  }
  for (const std::int64_t n : {std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()}) {
    std::string out;
    JsonWriter(out).number(n);
    CHECK(out == nlohmann_dump(nlohmann::json(n)));
  }
}

TEST_CASE("a JSON object's members come sorted by key, as nlohmann::json writes them", "[cli]") {
  const std::vector<std::string> keys = {"text", "article", "rank", "Zeta", "\xC3\xA4rger", "a", "ab", "b", "_x"};
  JsonObject o;
  nlohmann::json expected = nlohmann::json::object();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i % 4 == 0) o.add(keys[i], keys[i]), expected[keys[i]] = keys[i];
    else if (i % 4 == 1) o.add(keys[i], i), expected[keys[i]] = i;
    else if (i % 4 == 2)
      o.add(keys[i], 0.25 * static_cast<double>(i)), expected[keys[i]] = 0.25 * static_cast<double>(i);
    else o.add_json(keys[i], "[1,\"x\"]"), expected[keys[i]] = nlohmann::json::array({1, "x"});
  }
  o.add_bool("flag", true);
  expected["flag"] = true;
  o.add_owned("owned", std::string("kept \"here\""));
  expected["owned"] = "kept \"here\"";
  CHECK(o.str() == nlohmann_dump(expected));
}
