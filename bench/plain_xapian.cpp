// plain_xapian: the baseline of bench/relevance.sh. Plain Xapian 1.4 with the german2 stemmer and nothing
// else: no clutter removal, no passage segmentation (one document per line of a .txt article, per
// paragraph of a feed body, per comment), no reranking.
//
//   plain_xapian index DB INPUT...                       INPUT: .txt/.jsonl/.ndjson files or folders of them
//   plain_xapian search DB JUDGMENTS.json OUT.jsonl [--stem-some]
//   plain_xapian latency DB QUERIES.txt [REPEAT]   query latency (bench/latency.h): top 10 with snippets
#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "latency.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kTopK = 10;

int usage() {
  std::cerr << "usage: plain_xapian index DB INPUT...\n"
               "       plain_xapian search DB JUDGMENTS.json OUT.jsonl [--stem-some]\n"
               "       plain_xapian latency DB QUERIES.txt [REPEAT]\n";
  return 2;
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  });
}

std::string chomp(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

bool has_ext(const fs::path& p, std::initializer_list<std::string_view> exts) {
  const std::string e = p.extension().string();
  return std::any_of(exts.begin(), exts.end(), [&](std::string_view x) { return e == x; });
}

bool is_source(const fs::path& p) { return has_ext(p, {".txt", ".jsonl", ".ndjson"}); }

class Writer {
 public:
  explicit Writer(const std::string& db) : db_(db, Xapian::DB_CREATE_OR_OVERWRITE) {
    gen_.set_stemmer(Xapian::Stem("german2"));  // default stemming strategy (STEM_SOME), default flags
  }

  void add(const std::string& text) {
    if (blank(text)) return;
    Xapian::Document doc;
    doc.set_data(text);
    gen_.set_document(doc);
    gen_.index_text(text);
    db_.add_document(doc);
    ++count_;
  }

  void commit() { db_.commit(); }
  long count() const { return count_; }

 private:
  Xapian::WritableDatabase db_;
  Xapian::TermGenerator gen_;
  long count_ = 0;
};

// Every non-empty line of the file is one document, the title line included.
void index_txt(Writer& w, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "warning: " << file.string() << ": cannot read\n";
    return;
  }
  std::string line;
  while (std::getline(in, line)) w.add(chomp(line));
}

// Body paragraphs (split at blank lines) and comment texts, each one document.
void index_jsonl(Writer& w, const fs::path& file, long& bad_lines) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "warning: " << file.string() << ": cannot read\n";
    return;
  }
  std::string line;
  long lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (blank(line)) continue;
    json rec;
    try {
      rec = json::parse(line);
    } catch (const json::exception& e) {
      std::cerr << "warning: " << file.string() << ':' << lineno << ": not JSON (" << e.what() << "); skipped\n";
      ++bad_lines;
      continue;
    }
    if (!rec.is_object() || !rec.contains("body") || !rec["body"].is_string()) {
      std::cerr << "warning: " << file.string() << ':' << lineno << ": no string 'body'; skipped\n";
      ++bad_lines;
      continue;
    }
    // Paragraphs: runs of non-blank lines.
    const std::string& body = rec["body"].get_ref<const std::string&>();
    std::string para;
    std::size_t pos = 0;
    while (pos <= body.size()) {
      std::size_t nl = body.find('\n', pos);
      if (nl == std::string::npos) nl = body.size();
      std::string_view l(body.data() + pos, nl - pos);
      if (blank(l)) {
        w.add(para);
        para.clear();
      } else {
        if (!para.empty()) para += '\n';
        para.append(l);
      }
      pos = nl + 1;
    }
    w.add(para);
    if (rec.contains("comments") && rec["comments"].is_array()) {
      for (const auto& c : rec["comments"]) {
        if (c.is_object() && c.contains("text") && c["text"].is_string()) w.add(c["text"].get<std::string>());
      }
    }
  }
}

int cmd_index(const std::string& db, const std::vector<std::string>& inputs) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<fs::path> files;
  int rc = 0;
  for (const auto& input : inputs) {
    const fs::path p(input);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && is_source(it->path())) found.push_back(it->path());
      }
      if (ec) {
        std::cerr << "warning: " << input << ": " << ec.message() << '\n';
        rc = 2;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec) && is_source(p)) {
      files.push_back(p);
    } else {
      std::cerr << "warning: " << input << ": not a folder or a .txt/.jsonl/.ndjson file; skipped\n";
      rc = 2;
    }
  }
  Writer w(db);
  long bad_lines = 0;
  for (const auto& f : files) {
    if (has_ext(f, {".txt"})) {
      index_txt(w, f);
    } else {
      index_jsonl(w, f, bad_lines);
    }
  }
  w.commit();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "files: " << files.size() << ", documents: " << w.count() << " indexed, bad feed lines: " << bad_lines
            << " in " << std::fixed << std::setprecision(2) << secs << " s\n";
  return rc;
}

int cmd_search(const std::string& db_path, const std::string& judgments, const std::string& out_path, bool stem_some) {
  std::ifstream jin(judgments);
  if (!jin) {
    std::cerr << "plain_xapian: cannot read " << judgments << '\n';
    return 2;
  }
  const json j = json::parse(jin);
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("german2"));
  qp.set_stemming_strategy(stem_some ? Xapian::QueryParser::STEM_SOME : Xapian::QueryParser::STEM_ALL_Z);
  qp.set_default_op(Xapian::Query::OP_OR);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());

  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::cerr << "plain_xapian: cannot write " << out_path << '\n';
    return 2;
  }
  for (const auto& q : j.at("queries")) {
    const std::string text = q.at("query").get<std::string>();
    Xapian::Query query;
    try {
      query = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT);
    } catch (const Xapian::QueryParserError& e) {
      std::cerr << "warning: " << q.at("qid").dump() << ": query " << json(text).dump()
                << " does not parse: " << e.get_msg() << "; no results written\n";
      continue;
    }
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, kTopK);
    int rank = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      json hit = {{"qid", q.at("qid")}, {"rank", ++rank}, {"text", it.get_document().get_data()}};
      out << hit.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    }
  }
  return out ? 0 : 2;
}

// As a user of plain Xapian would search: QueryParser (german2, STEM_SOME, OR), BM25, top 10, and a snippet of
// each hit from its stored text (MSet::snippet, 200 bytes, highlighted).
int cmd_latency(const std::string& db_path, const std::string& queries_path, int repeat) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  const Xapian::Stem stem("german2");
  qp.set_stemmer(stem);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_OR);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  std::size_t snippet_bytes = 0;
  fundstelle::bench::measure_latency(
      fundstelle::bench::read_queries(queries_path), repeat,
      [&](const std::string& text) -> std::size_t {
        try {
          enquire.set_query(qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT));
        } catch (const Xapian::QueryParserError&) {
          return 0;
        }
        const Xapian::MSet mset = enquire.get_mset(0, kTopK);
        for (auto it = mset.begin(); it != mset.end(); ++it)
          snippet_bytes += mset.snippet(it.get_document().get_data(), 200, stem).size();
        return mset.size();
      },
      std::cout);
  return snippet_bytes > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "index") {
    return cmd_index(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
  }
  if ((args.size() == 4 || args.size() == 5) && args[0] == "search") {
    bool stem_some = false;
    if (args.size() == 5) {
      if (args[4] != "--stem-some") return usage();
      stem_some = true;
    }
    return cmd_search(args[1], args[2], args[3], stem_some);
  }
  if ((args.size() == 3 || args.size() == 4) && args[0] == "latency")
    return cmd_latency(args[1], args[2], args.size() == 4 ? std::stoi(args[3]) : 3);
  return usage();
} catch (const Xapian::Error& e) {
  std::cerr << "plain_xapian: " << e.get_description() << '\n';
  return 2;
} catch (const std::exception& e) {
  std::cerr << "plain_xapian: " << e.what() << '\n';
  return 2;
}
