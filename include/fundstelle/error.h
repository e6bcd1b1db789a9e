// Errors of the Fundstelle API. The library never prints; every failure reaches the caller as one of these.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "fundstelle/export.h"

namespace fundstelle {

// What went wrong, for a program to act on (an exit code, an HTTP status, a retry) without reading the
// message, which is for a person.
enum class ErrorKind {
  NotFound,      // there is no index where one was expected
  Locked,        // another writer holds the index; try again later
  ForeignIndex,  // the index was built by another version of Fundstelle, or a rebuild of it was interrupted:
                 // rebuilding it from all its sources (Indexer with `rebuild`) fixes it
  Corrupt,       // the index is damaged
  Io,            // reading or writing failed: disk full, permissions, a shard that does not answer
  BadQuery,      // a malformed query (QueryError)
  BadInput,      // an input that cannot be read or understood (InputError), or an argument that does not fit
                 // (another number of shards than the index has, a destination that exists)
};

// Base of every error the library throws.
class FUNDSTELLE_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::Io)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// An input (file, feed line) could not be read or understood. `source` names the file; `line` (1-based) says
// where, when known (0 otherwise).
class FUNDSTELLE_API InputError : public Error {
 public:
  InputError(const std::string& message, std::string source, std::uint64_t line = 0)
      : Error(message, ErrorKind::BadInput), source_(std::move(source)), line_(line) {}
  const std::string& source() const noexcept { return source_; }
  std::uint64_t line() const noexcept { return line_; }

 private:
  std::string source_;
  std::uint64_t line_;
};

// A malformed query. `position` is the 0-based offset, in Unicode code points, of the offending character.
class FUNDSTELLE_API QueryError : public Error {
 public:
  QueryError(const std::string& message, std::size_t position)
      : Error(message, ErrorKind::BadQuery), position_(position) {}
  std::size_t position() const noexcept { return position_; }

 private:
  std::size_t position_;
};

// The index is missing, locked, damaged or was built with another analyzer; kind() says which.
class FUNDSTELLE_API IndexError : public Error {
 public:
  explicit IndexError(const std::string& message, ErrorKind kind = ErrorKind::Io) : Error(message, kind) {}
};

}  // namespace fundstelle
