// Helpers shared by the tests: the seed corpus, temporary folders, and running the fundstelle binary.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>

namespace fundstelle::test {

inline std::filesystem::path source_dir() { return FUNDSTELLE_SOURCE_DIR; }
inline std::filesystem::path corpus_dir() { return source_dir() / "corpus"; }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// The seed article whose file name starts with `prefix` ("003_").
inline std::filesystem::path seed(const std::string& prefix) {
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir()))
    if (e.path().filename().string().starts_with(prefix)) return e.path();
  return {};
}

// A fresh folder under the system temp folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("fundstelle-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// The code points [b, e) of UTF-8 `s` (spans in results and tokens count code points).
inline std::string slice_code_points(const std::string& s, std::size_t b, std::size_t e) {
  std::vector<std::size_t> at;  // byte offset of each code point
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
  at.push_back(s.size());
  return s.substr(at.at(b), at.at(e) - at.at(b));
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the fundstelle binary with the given arguments (each quoted for the shell).
inline RunResult run_fundstelle(const std::vector<std::string>& args) {
  static int counter = 0;
  const auto err_file = std::filesystem::temp_directory_path() /
                        ("fundstelle-test-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::string cmd = shell_quote(FUNDSTELLE_BINARY);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " 2>" + shell_quote(err_file.string()) + " </dev/null";
  RunResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text(err_file);
  std::filesystem::remove(err_file);
  return r;
}

}  // namespace fundstelle::test
