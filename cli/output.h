// How results look: on a terminal (highlighted when colour is on) and as JSON Lines.
#pragma once

#include <ostream>
#include <string>

#include "fundstelle/fundstelle.h"

namespace fundstelle::cli {

void print_hit_terminal(std::ostream& out, const Hit& hit, bool color);
void print_hit_json(std::ostream& out, const Hit& hit);
// One line of the query with a caret under the code point at `position`.
std::string caret_line(const std::string& query, std::size_t position);

}  // namespace fundstelle::cli
