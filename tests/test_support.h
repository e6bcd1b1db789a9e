// Helpers shared by the tests: the seed corpus, temporary folders, and running the fundstelle binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

// Built with AddressSanitizer (GCC says so with __SANITIZE_ADDRESS__, clang with __has_feature): the program
// the tests start is built the same way, and ASan keeps freed memory aside, so its peak memory means little.
#if defined(__SANITIZE_ADDRESS__)
#define FUNDSTELLE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUNDSTELLE_TEST_ASAN 1
#endif
#endif

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

// The number in environment variable `name`, or `fallback` when it is unset or empty (a test's scale).
inline long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 10) : fallback;
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

// Runs the fundstelle binary with the given arguments (each quoted for the shell). `shell_prefix` goes before
// the command, for limits and users: "ulimit -f 100;", "setpriv --reuid=65534 ...".
inline RunResult run_fundstelle(const std::vector<std::string>& args, const std::string& shell_prefix = {}) {
  static int counter = 0;
  const auto err_file = std::filesystem::temp_directory_path() /
                        ("fundstelle-test-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::string cmd = shell_prefix + " " + shell_quote(FUNDSTELLE_BINARY);
  for (const auto& a : args) cmd.append(" ").append(shell_quote(a));  // not " " + ...: GCC 12 -Wrestrict (bug 105329)
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

// The fundstelle binary running in the background, its output going to files; killed (SIGKILL) with the
// object unless it was waited for.
class Background {
 public:
  explicit Background(const std::vector<std::string>& args) {
    static int counter = 0;
    const auto stem = std::filesystem::temp_directory_path() /
                      ("fundstelle-test-bg-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    out_ = stem.string() + ".out";
    err_ = stem.string() + ".err";
    std::vector<std::string> argv_strings{FUNDSTELLE_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : argv_strings) argv.push_back(a.data());
      argv.push_back(nullptr);
      if (!std::freopen(out_.c_str(), "w", stdout) || !std::freopen(err_.c_str(), "w", stderr) ||
          !std::freopen("/dev/null", "r", stdin))
        ::_exit(127);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove(out_, ec);
    std::filesystem::remove(err_, ec);
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const { ::kill(pid_, sig); }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }
  // Polls `ready` every 20 ms until it holds (true) or `seconds` have passed (false).
  template <typename F>
  static bool wait_for(F ready, double seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ready()) return true;
      ::usleep(20000);
    }
    return ready();
  }
  // Waits for the process to end: its exit code, or 128 + the signal that ended it.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  bool waited_ = false;
  std::string out_, err_;
};

}  // namespace fundstelle::test
