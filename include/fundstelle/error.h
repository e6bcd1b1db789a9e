// Errors of the Fundstelle API. The library never prints; every failure reaches the caller as one of these.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "fundstelle/export.h"

namespace fundstelle {

// Base of every error the library throws.
class FUNDSTELLE_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An input (file, feed line) could not be read or understood. `source` names the file; `line` (1-based) says
// where, when known (0 otherwise).
class FUNDSTELLE_API InputError : public Error {
 public:
  InputError(const std::string& message, std::string source, std::uint64_t line = 0)
      : Error(message), source_(std::move(source)), line_(line) {}
  const std::string& source() const noexcept { return source_; }
  std::uint64_t line() const noexcept { return line_; }

 private:
  std::string source_;
  std::uint64_t line_;
};

// A malformed query. `position` is the 0-based offset, in Unicode code points, of the offending character.
class FUNDSTELLE_API QueryError : public Error {
 public:
  QueryError(const std::string& message, std::size_t position) : Error(message), position_(position) {}
  std::size_t position() const noexcept { return position_; }

 private:
  std::size_t position_;
};

// The index is missing, locked, damaged or was built with another analyzer.
class FUNDSTELLE_API IndexError : public Error {
 public:
  using Error::Error;
};

}  // namespace fundstelle
