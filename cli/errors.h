// How the library's errors reach a person: the message with what to do about it (the library says what is
// wrong, the CLI says which command fixes it) and the HTTP status, by the error's kind. (Every library error
// ends a command with exit code 2: cli/main.cpp.)
#pragma once

#include <string>

#include "fundstelle/error.h"

namespace fundstelle::cli {

// The message of `e` for a person, with a hint for its kind; `db` is the index the command was given.
std::string describe(const Error& e, const std::string& db);

// The HTTP status for `e`: 400 for a bad query or input, 409 for a locked index, 503 otherwise (the index is
// missing, of another version, damaged or unreachable: the service cannot answer now).
int http_status(const Error& e);

}  // namespace fundstelle::cli
