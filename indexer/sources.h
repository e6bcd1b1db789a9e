// Finding and reading input files: .txt articles and .jsonl feeds, as files or folders (recursively).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "fundstelle/article.h"

namespace fundstelle::indexer {

enum class SourceType { Txt, Jsonl };

struct SourceFile {
  std::string path;  // absolute, normalized
  std::string id;    // for .txt: the path relative to the folder it was found in (or its file name)
  SourceType type;
};

// Expands files and folders into source files, sorted by path within each given folder. Folders are walked
// recursively without following symbolic links to folders (so links cannot loop); a link to a file found in
// a folder is followed only when the file lies inside that folder (or inside `within`, when given), unless
// `follow_links`: a link to /etc/shadow in a corpus must not put it in the index. Files that are neither
// .txt nor .jsonl are ignored inside folders and reported when named directly. Missing or unreadable paths
// are reported as skipped; folders that could not be read are also listed in `unreadable`.
std::vector<SourceFile> find_sources(const std::vector<std::string>& paths, std::vector<Problem>& problems,
                                     std::vector<std::string>* unreadable = nullptr, bool follow_links = false,
                                     const std::string& within = {});

// The article id of a .txt file at `relative` (its path under the folder given, or its name): the path with
// '/' between folders, bytes that are not UTF-8 escaped (analyzers::escape_invalid_utf8).
std::string txt_id(const std::filesystem::path& relative);

// Reads a whole file; false (with a skipped Problem) if it cannot be read.
bool read_file(const std::string& path, std::string& out, std::vector<Problem>& problems);

// The absolute, lexically normalized form of a path, without a trailing '/' (used as an article's source, for
// --prune and for source folders).
std::string absolute_path(const std::string& path);

}  // namespace fundstelle::indexer
