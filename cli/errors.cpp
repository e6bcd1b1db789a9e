#include "errors.h"

namespace fundstelle::cli {

std::string describe(const Error& e, const std::string& db) {
  std::string message = e.what();
  switch (e.kind()) {
    case ErrorKind::NotFound: return message + "; create one with `fundstelle index --db " + db + " PATH...`";
    case ErrorKind::ForeignIndex: return message + "; run `fundstelle index --rebuild` over all sources";
    case ErrorKind::Locked:
      return message + " (another `fundstelle index` or a server accepting writes); try again when it is done";
    default: return message;
  }
}

int http_status(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::BadQuery:
    case ErrorKind::BadInput: return 400;
    case ErrorKind::Locked: return 409;
    default: return 503;
  }
}

}  // namespace fundstelle::cli
