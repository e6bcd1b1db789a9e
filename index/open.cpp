#include "index/open.h"

#include "fundstelle/error.h"

namespace fundstelle::index {

Xapian::Database open_for_read(const std::string& path) {
  try {
    return Xapian::Database(path);
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
