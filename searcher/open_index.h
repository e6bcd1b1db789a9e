// Opening an index for reading, with the errors every reader gives (searching, checking).
#pragma once

#include <xapian.h>

#include <string>

namespace fundstelle::searcher {

// Throws IndexError when there is no index at `path` (saying how to create one) or it cannot be opened.
Xapian::Database open_index(const std::string& path);

}  // namespace fundstelle::searcher
