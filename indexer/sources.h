// Finding and reading input files: .txt and .html articles, .jsonl feeds and RSS/Atom feeds (.rss, .atom,
// .xml), as files or folders (recursively).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "fundstelle/article.h"
#include "indexer/limits.h"

namespace fundstelle::indexer {

enum class SourceType { Txt, Html, Jsonl, Feed };

struct SourceFile {
  std::string path;  // absolute, normalized
  std::string id;    // for .txt and .html: the path relative to the folder it was found in (or its file name)
  SourceType type;
  bool named = false;  // given by itself, not found in a folder (a .xml that is no feed is then an error)
};

// Expands files and folders into source files, sorted by path within each given folder. Folders are walked
// recursively without following symbolic links to folders (so links cannot loop); a link to a file found in
// a folder is followed only when the file lies inside that folder (or inside `within`, when given), unless
// `follow_links`: a link to /etc/shadow in a corpus must not put it in the index. Files that are neither
// .txt, .html (.htm, .xhtml), .jsonl nor .rss, .atom or .xml are ignored inside folders and reported when named
// directly. Missing or unreadable paths are reported as skipped; folders that could not be read are also listed in
// `unreadable`.
std::vector<SourceFile> find_sources(const std::vector<std::string>& paths, std::vector<Problem>& problems,
                                     std::vector<std::string>* unreadable = nullptr, bool follow_links = false,
                                     const std::string& within = {});

// The article id of a .txt file at `relative` (its path under the folder given, or its name): the path with
// '/' between folders, bytes that are not UTF-8 escaped (analyzers::escape_invalid_utf8).
std::string txt_id(const std::filesystem::path& relative);

// Reads a whole file; false (with a skipped Problem) if it cannot be read or is larger than `max_bytes`
// (default: kMaxArticleBytes, one article's limit).
bool read_file(const std::string& path, std::string& out, std::vector<Problem>& problems,
               std::size_t max_bytes = kMaxArticleBytes);

// The absolute, lexically normalized form of a path, without a trailing '/' (used as an article's source, for
// --prune and for source folders).
std::string absolute_path(const std::string& path);

}  // namespace fundstelle::indexer
