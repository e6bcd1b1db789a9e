// The small helpers every room uses: they must give the same values forever (hashes are stored in indexes).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "base/edit_distance.h"
#include "base/files.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "base/varint.h"
#include "test_support.h"

namespace fundstelle::base {
namespace {

TEST_CASE("the FNV-1a hash and the id hash keep their values", "[base]") {
  // Not the published FNV-1a: our offset basis lacks the last digit of 14695981039346656037. Indexes store
  // these values (content hashes, keys of long ids, shard routing), so they stay as they are.
  CHECK(fnv1a("") == 1469598103934665603ULL);
  CHECK(fnv1a("a") == 0x44bd8ad473cd9906ULL);
  CHECK(fnv1a("bar", fnv1a("foo")) == fnv1a("foobar"));  // continuing a hash
  CHECK(hex64(0x0123456789abcdefULL) == "0123456789abcdef");
  CHECK(hex64(0) == "0000000000000000");
  const IdHash h = id_hash("artikel-1");
  CHECK(h.a == fnv1a("artikel-1"));
  CHECK(h.b != h.a);
  CHECK(id_hash("artikel-1") == h);
  CHECK_FALSE(id_hash("artikel-2") == h);
}

TEST_CASE("varints round-trip, and a cut one is refused", "[base]") {
  for (const std::uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, 1ULL << 35, ~0ULL}) {
    std::string out;
    put_varint(out, v);
    CHECK(out.size() == (v == 0 ? 1 : (64 - static_cast<std::size_t>(__builtin_clzll(v)) + 6) / 7));
    std::string_view in = out;
    std::uint64_t back = 0;
    REQUIRE(get_varint(in, back));
    CHECK(back == v);
    CHECK(in.empty());
    std::string_view cut = std::string_view(out).substr(0, out.size() - 1);
    if (!cut.empty()) CHECK_FALSE(get_varint(cut, back));
  }
}

TEST_CASE("closest_name finds the name meant by a mistyped one, within two edits", "[base]") {
  using fundstelle::base::closest_name;
  const std::vector<std::string> commands = {"index", "check", "compact", "export", "sources", "search", "serve"};
  CHECK(closest_name("serch", commands) == "search");
  CHECK(closest_name("sarch", commands) == "search");
  CHECK(closest_name("indx", commands) == "index");
  CHECK(closest_name("frobnicate", commands).empty());  // nothing near: no guess
  CHECK(closest_name("xy", commands).empty());
  CHECK(closest_name("qq", {"q", "limit"}) == "q");
  CHECK(closest_name("q", {"limit"}).empty());
  CHECK(closest_name("grün", {"grau", "grünt"}) == "grünt");  // code points, not bytes
  CHECK(fundstelle::base::edit_distance("münchen", "munchen", 2) == 1);
}

TEST_CASE("UTF-8 stepping counts code points, not bytes", "[base]") {
  const std::string text = "M\xC3\xBCnchen \xF0\x9F\x98\x80!";  // München 😀!
  CHECK(count_code_points(text) == 10);
  CHECK(next_code_point(text, 0) == 1);
  CHECK(next_code_point(text, 1) == 3);   // ü is two bytes
  CHECK(next_code_point(text, 9) == 13);  // 😀 is four
  CHECK(next_code_point(text, text.size()) == text.size());
  CHECK(byte_offset(text, 2) == 3);
  CHECK(byte_offset(text, 9) == 13);
  CHECK(byte_offset(text, 99) == text.size());
  CHECK(is_boundary(text, 0));
  CHECK(is_boundary(text, 1));
  CHECK_FALSE(is_boundary(text, 2));  // inside ü
  CHECK(is_boundary(text, text.size()));
}

TEST_CASE("a file written atomically is whole or absent, and paths are contained by components", "[base]") {
  test::TempDir dir;
  const std::string file = (dir / "list").string();
  REQUIRE(write_file_atomically(file, "eins\n"));
  REQUIRE(write_file_atomically(file, "zwei\n"));
  CHECK(test::read_text(file) == "zwei\n");
  CHECK_FALSE(std::filesystem::exists(file + ".tmp"));
  CHECK_FALSE(write_file_atomically((dir / "missing" / "list").string(), "x"));
  CHECK(sync_folder(dir.path().string()));
  CHECK_FALSE(sync_folder((dir / "missing").string()));

  CHECK(is_under("/a/b", "/a/b"));
  CHECK(is_under("/a/b/c.txt", "/a/b"));
  CHECK(is_under("/a/b/c.txt", "/a/b/"));
  CHECK_FALSE(is_under("/a/bc/d.txt", "/a/b"));
  CHECK_FALSE(is_under("/a", "/a/b"));
}

}  // namespace
}  // namespace fundstelle::base
