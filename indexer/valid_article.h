// An article with every text field made valid UTF-8 (invalid sequences replaced by U+FFFD). The readers
// report what they repair; an article given through the API is repaired by Indexer::put, so that nothing
// after it can fail on it halfway.
#pragma once

#include "fundstelle/article.h"

namespace fundstelle::indexer {

Article with_valid_utf8(const Article& article);

}  // namespace fundstelle::indexer
