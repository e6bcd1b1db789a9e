// Reading an article's stored text (schema::kMetaText, index/article_record.h) back as its feed line: the
// record, and the article's passages where the record leaves their text to them. For export, rebuilds and
// check alike.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>

namespace fundstelle::index {

// The article stored under `key` (schema::article_key) in `db`, as one feed line; nothing when it has no
// stored text (written by an earlier version), or the text or one of the passages it needs is damaged.
std::optional<std::string> stored_feed_line(const Xapian::Database& db, const std::string& key);

}  // namespace fundstelle::index
