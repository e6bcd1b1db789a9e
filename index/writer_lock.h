// The writer's own lock: flock(2) on `fundstelle.lock` in the index folder, holding the writer's PID, so that
// a second writer can say which process holds the index (Xapian's own lock, taken as well, cannot tell).
// The kernel drops the lock with the process, so a killed writer never leaves a stale lock behind.
#pragma once

#include <string>

namespace fundstelle::index {

class WriterLock {
 public:
  // Creates `folder` if needed and locks it. Throws IndexError: Locked (naming the holder's PID) when another
  // process holds it, Io when the folder cannot be created, written or locked.
  explicit WriterLock(const std::string& folder);
  ~WriterLock();  // releases the lock
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace fundstelle::index
