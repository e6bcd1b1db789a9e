// How results look: on a terminal (highlighted when colour is on) and as JSON Lines.
#pragma once

#include <ostream>
#include <string>

#include "fundstelle/fundstelle.h"

namespace fundstelle::cli {

void print_hit_terminal(std::ostream& out, const Hit& hit, bool color);
void print_hit_json(std::ostream& out, const Hit& hit);
// The query (or, when long, the part around `position`) and a line with a caret under that code point.
std::string query_with_caret(const std::string& query, std::size_t position);

}  // namespace fundstelle::cli
