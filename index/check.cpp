// fundstelle::check_index: Xapian's check of the tables, then our own invariants over one revision.
#include "fundstelle/check.h"

#include <xapian.h>

#include <map>
#include <sstream>

#include "analyzers/german_analyzer.h"
#include "base/hash.h"
#include "fundstelle/error.h"
#include "index/article_record.h"
#include "index/layout.h"
#include "index/open.h"
#include "index/origin.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "index/stored_text.h"

namespace fundstelle {
namespace {

struct Recorded {
  std::string id;
  std::string hash;
  std::size_t passages = 0;
};

// What Xapian's check printed, without its progress lines: the lines that say what is wrong.
std::string first_lines(const std::string& text, std::size_t max_lines) {
  std::istringstream in(text);
  std::string line, out;
  for (std::size_t n = 0; n < max_lines && std::getline(in, line);) {
    if (line.empty()) continue;
    out += (out.empty() ? "" : "; ") + line;
    ++n;
  }
  return out;
}

// Our invariants over the revision `db` holds open.
void check_invariants(const Xapian::Database& db, CheckReport& report) {
  auto& problems = report.problems;
  const auto origin = schema::index_origin(db);
  report.rebuild_needed = origin.rebuilding || !origin.ours();
  if (!origin.fresh) {
    if (!origin.our_schema())
      problems.push_back("the schema is \"" + origin.schema + "\", this Fundstelle writes " +
                         std::to_string(schema::kVersion));
    if (!origin.our_analyzer())
      problems.push_back("the analyzer fingerprint \"" + origin.analyzer + "\" is not this Fundstelle's \"" +
                         analyzers::GermanAnalyzer::fingerprint() + "\"");
  }
  if (origin.rebuilding) problems.push_back("a rebuild was interrupted");

  // The article records.
  std::map<std::string, Recorded> records;
  const std::string meta(schema::kMetaArticle);
  for (auto it = db.metadata_keys_begin(meta); it != db.metadata_keys_end(meta); ++it) {
    const std::string key = (*it).substr(meta.size());
    const auto rec = schema::decode_article(db.get_metadata(*it));
    if (!rec || !rec->has_passages) {  // its checksum wrong, not JSON, a field missing or of the wrong type
      problems.push_back("the record of article \"" + key + "\" is damaged");
      continue;
    }
    records[key] = Recorded{rec->id.empty() ? key : rec->id, rec->hash, rec->passages};
  }
  report.articles = records.size();

  // The passages, article by article.
  std::size_t with_article = 0;
  const std::string xa(schema::kArticle);
  for (auto term = db.allterms_begin(xa); term != db.allterms_end(xa); ++term) {
    const std::string key = (*term).substr(xa.size());
    const auto rec = records.find(key);
    const std::string name = "article \"" + (rec == records.end() ? key : rec->second.id) + "\"";
    std::map<long long, int> ordinals;
    std::size_t passages = 0, other_revision = 0, inconsistent = 0;
    for (auto p = db.postlist_begin(*term); p != db.postlist_end(*term); ++p) {
      ++passages;
      const Xapian::Document doc = db.get_document(*p);
      const auto data = schema::decode_passage(doc.get_data());
      if (!data || doc.get_value(schema::kValueArticle) != key) {  // damaged data, or of another article
        ++inconsistent;
        continue;
      }
      ++ordinals[static_cast<long long>(data->ordinal)];
      if (rec != records.end() && base::hex64(data->revision) != rec->second.hash) ++other_revision;
    }
    with_article += passages;
    if (rec == records.end()) {
      problems.push_back(name + ": " + std::to_string(passages) + " passages, but no article record");
      continue;
    }
    if (inconsistent)
      problems.push_back(name + ": " + std::to_string(inconsistent) +
                         " passages are damaged or disagree with their article's terms and values");
    if (other_revision)
      problems.push_back(name + ": " + std::to_string(other_revision) + " of " + std::to_string(passages) +
                         " passages are of another version of the article than its record");
    const std::size_t expected = rec->second.passages;
    bool contiguous = ordinals.size() == passages;
    for (long long i = 0; contiguous && i < static_cast<long long>(passages); ++i) contiguous = ordinals.count(i) == 1;
    if (passages != expected)
      problems.push_back(name + ": " + std::to_string(passages) + " passages in the index, " +
                         std::to_string(expected) + " recorded");
    else if (!contiguous)
      problems.push_back(name + ": its passages are not numbered 0 to " + std::to_string(passages - 1) +
                         " each once (some are missing or doubled)");
  }
  for (const auto& [key, rec] : records)
    if (rec.passages > 0 && !db.term_exists(xa + key))
      problems.push_back("article \"" + rec.id + "\": recorded with " + std::to_string(rec.passages) +
                         " passages, none in the index");
  // The articles' stored text (export, rebuilds): whole (zlib's checksum), and of an article recorded.
  // Articles without it were written by an earlier version: not a problem (export names them).
  const std::string text(schema::kMetaText);
  for (auto it = db.metadata_keys_begin(text); it != db.metadata_keys_end(text); ++it) {
    const std::string key = (*it).substr(text.size());
    const auto rec = records.find(key);
    if (rec == records.end()) {
      problems.push_back("the stored text of article \"" + key + "\" has no article record");
      continue;
    }
    const auto line = index::stored_feed_line(db, key);
    if (!line)
      problems.push_back("the stored text of article \"" + rec->second.id +
                         "\" cannot be read back: it or a passage holding part of it is damaged");
    else if (schema::feed_line_id(*line) != rec->second.id)
      problems.push_back("the stored text under article \"" + rec->second.id + "\" is of another article");
  }
  report.passages = db.get_doccount();
  if (with_article != report.passages)
    problems.push_back(std::to_string(report.passages - with_article) + " passages belong to no article");
}

// A single index (or one shard).
CheckReport check_single(const std::string& path) {
  CheckReport report;
  Xapian::Database db = index::open_for_read(path);
  // Xapian's check reads the tables as they are on disk: a commit meanwhile can look like damage, so it is
  // repeated (a few times) until no commit came between its start and its end.
  for (int attempt = 0;; ++attempt) {
    db.reopen();
    const Xapian::rev revision = db.get_revision();
    std::ostringstream out;
    std::string failure;
    std::size_t errors = 0;
    try {
      errors = Xapian::Database::check(path, 0, &out);
    } catch (const Xapian::Error& e) {
      errors = 1;
      failure = e.get_description();
    }
    db.reopen();
    if (errors && db.get_revision() != revision && attempt < 5) continue;
    report.xapian_errors = errors;
    if (!failure.empty()) report.problems.push_back("Xapian's check failed: " + failure);
    else if (errors)
      report.problems.push_back("Xapian's check found " + std::to_string(errors) +
                                " errors in the tables: " + first_lines(out.str(), 5));
    break;
  }
  // Our invariants, on one revision: a writer committing meanwhile makes Xapian throw; start again then.
  for (int attempt = 0;; ++attempt) {
    CheckReport ours;
    try {
      check_invariants(db, ours);
      report.articles = ours.articles;
      report.passages = ours.passages;
      report.rebuild_needed = ours.rebuild_needed;
      report.problems.insert(report.problems.end(), ours.problems.begin(), ours.problems.end());
      return report;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 10) throw IndexError("the index at " + path + " changed too often during the check; try again");
      db.reopen();
    } catch (const Xapian::Error& e) {
      report.problems.push_back("reading the index failed: " + e.get_description());
      return report;
    }
  }
}

// A sharded index: each shard checked as an index of its own, and that it is the shard the list says and
// holds only articles that belong in it.
CheckReport check_shards(const std::string& path) {
  const unsigned n = index::shard_count(path, "check each shard's folder (on its own machine for remote shards)");
  CheckReport report;
  for (unsigned k = 0; k < n; ++k) {
    const std::string folder = index::shard_folder(path, k), name = "shard-" + std::to_string(k) + ": ";
    CheckReport shard;
    try {
      shard = check_single(folder);
    } catch (const IndexError& e) {
      report.problems.push_back(name + e.what());
      continue;
    }
    report.articles += shard.articles;
    report.passages += shard.passages;
    report.xapian_errors += shard.xapian_errors;
    report.rebuild_needed |= shard.rebuild_needed;
    for (auto& p : shard.problems) report.problems.push_back(name + p);
    try {
      const Xapian::Database db(folder);
      const std::string place = db.get_metadata(std::string(schema::kMetaShard));
      if (place != index::shard_label(k, n))
        report.problems.push_back(name + "it records that it is \"" + place + "\", the shard list says \"" +
                                  index::shard_label(k, n) + "\"");
      std::size_t elsewhere = 0;
      std::string example;
      const std::string meta(schema::kMetaArticle);
      for (auto it = db.metadata_keys_begin(meta); it != db.metadata_keys_end(meta); ++it) {
        const std::string key = (*it).substr(meta.size());
        if (schema::shard_of_key(key, n) == k) continue;
        if (++elsewhere == 1) example = key;
      }
      report.rebuild_needed |= elsewhere > 0;
      if (elsewhere)
        report.problems.push_back(name + std::to_string(elsewhere) + " articles belong in another shard (\"" + example +
                                  "\", say): their id's hash picks another, so indexing them again would leave two "
                                  "versions");
    } catch (const Xapian::Error& e) {
      report.problems.push_back(name + "reading it failed: " + e.get_description());
    }
  }
  return report;
}

}  // namespace

CheckReport check_index(const std::string& path) {
  CheckReport report = index::is_shard_list(path) ? check_shards(path) : check_single(path);
  if (report.articles == 0 && index::first_import_kept(path)) report.notes.push_back(index::kFirstImportKeptNote);
  return report;
}

}  // namespace fundstelle
