#include "index/writer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "fundstelle/error.h"

namespace fundstelle::index {

WriterLock::WriterLock(const std::string& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw IndexError("cannot create the index folder " + folder + ": " + ec.message());
  if (::access(folder.c_str(), W_OK) != 0) {
    const int err = errno;
    throw IndexError("cannot write to the index at " + folder + ": " + std::strerror(err) +
                     (err == EACCES || err == EROFS ? " (the folder is read-only for this user)" : ""));
  }
  const std::string file = folder + "/fundstelle.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  // Another user's lock file in a folder shared for writing: flock works on it read-only too.
  if (fd_ < 0 && errno == EACCES) fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    throw IndexError("cannot lock the index at " + folder + ": " + std::strerror(err));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    ::close(fd_);
    if (err != EWOULDBLOCK) throw IndexError("cannot lock the index at " + folder + ": " + std::strerror(err));
    const long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
    throw IndexError("the index at " + folder + " is locked by " +
                         (pid > 0 ? "process " + std::to_string(pid) : std::string("another process")),
                     ErrorKind::Locked);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Best effort: the PID only improves the message a second writer gets.
  if (::ftruncate(fd_, 0) == 0) [[maybe_unused]]
    const ssize_t written = ::pwrite(fd_, pid.data(), pid.size(), 0);
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace fundstelle::index
