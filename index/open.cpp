#include "index/open.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "fundstelle/error.h"

namespace fundstelle::index {

void pause_after_commit(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt, 7), 100)));
}

Xapian::Database open_for_read(const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    try {
      return Xapian::Database(path);
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed twice while the tables were being opened (a server's thread opening its searcher
      // while articles are posted): the newest revision is opened again, backing off a little.
      if (attempt >= kOpenRetries)
        throw IndexError("cannot open the index at " + path + ": it keeps changing (" + e.get_msg() + ")",
                         ErrorKind::Io);
      pause_after_commit(attempt);
    } catch (const Xapian::DatabaseNotFoundError&) {
      throw IndexError("no index at " + path, ErrorKind::NotFound);
    } catch (const Xapian::DatabaseCorruptError& e) {
      throw IndexError("the index at " + path + " is damaged: " + e.get_msg(), ErrorKind::Corrupt);
    } catch (const Xapian::DatabaseOpeningError&) {
      throw IndexError("no index at " + path, ErrorKind::NotFound);
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + path + ": " + e.get_msg(), ErrorKind::Io);
    }
  }
}

Xapian::WritableDatabase open_for_write(const std::string& path) {
  try {
    return Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError("the index at " + path + " is locked by another writer", ErrorKind::Locked);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + path + " for writing: " + e.get_msg(), ErrorKind::Io);
  }
}

}  // namespace fundstelle::index
