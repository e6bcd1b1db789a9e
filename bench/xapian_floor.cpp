// xapian_floor: what Xapian 1.4 itself costs for Fundstelle's index, without any of Fundstelle's work, to see
// how close bench/speed.sh's figures are to the floor the storage and the matcher set.
//
//   xapian_floor write INDEX OUT [SHARDS] [OPTION...]
//                                             Xapian's writing alone: loads every document of a finished index
//                                             (its terms, positions, values and data) into memory, then times
//                                             only add_document and commit, SHARDS writers on their own threads
//                                             (default 2), each committing every 10,000 documents (Xapian's
//                                             default flush), and the compaction of the shards into OUT/index.
//                                             Options (Xapian's faster settings for a private build folder):
//                                             no-sync (DB_NO_SYNC), dangerous (DB_DANGEROUS), commit=N (a
//                                             commit every N documents instead).
//   xapian_floor match INDEX QUERIES [REPEAT] Xapian's matcher alone (bench/latency.h): for each query the OR of
//                                             its words' bare terms (as plain Xapian asks), BM25, top 10, no
//                                             snippets, no expansion, no reranking.
#include <xapian.h>

#include <cctype>
#include <chrono>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "latency.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int usage() {
  std::cerr << "usage: xapian_floor write INDEX OUT [SHARDS] [no-sync] [dangerous] [commit=N]\n"
               "       xapian_floor match INDEX QUERIES [REPEAT]\n";
  return 2;
}

int write_floor(const std::string& index, const std::string& out, unsigned shards, int flags, std::size_t every) {
  const Xapian::Database source(index);
  std::vector<Xapian::Document> docs;
  docs.reserve(source.get_doccount());
  for (auto id = source.postlist_begin(""); id != source.postlist_end(""); ++id) {
    const Xapian::Document from = source.get_document(*id);
    Xapian::Document doc;
    for (auto t = from.termlist_begin(); t != from.termlist_end(); ++t) {
      if (t.positionlist_count() == 0) {
        doc.add_term(*t, t.get_wdf());
        continue;
      }
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) doc.add_posting(*t, *p);
    }
    for (auto v = from.values_begin(); v != from.values_end(); ++v) doc.add_value(v.get_valueno(), *v);
    doc.set_data(from.get_data());
    docs.push_back(std::move(doc));
  }
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const auto shard_path = [&](unsigned s) { return out + "/shard-" + std::to_string(s); };

  const auto start = Clock::now();
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(shards);
  for (unsigned s = 0; s < shards; ++s)
    threads.emplace_back([&, s] {
      try {
        Xapian::WritableDatabase db(shard_path(s), Xapian::DB_CREATE | flags);
        std::size_t added = 0;
        for (std::size_t i = s; i < docs.size(); i += shards) {
          db.add_document(docs[i]);
          if (++added % every == 0) db.commit();
        }
        db.commit();
      } catch (...) {
        errors[s] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  const double write = seconds_since(start);

  const auto compact_start = Clock::now();
  Xapian::Database all;
  for (unsigned s = 0; s < shards; ++s) all.add_database(Xapian::Database(shard_path(s)));
  all.compact(out + "/index", Xapian::Compactor::FULL);
  const double compact = seconds_since(compact_start);
  std::cout << std::fixed << std::setprecision(2) << "write floor: " << docs.size() << " documents, " << shards
            << " writers: write " << write << " s, compact " << compact << " s, total " << write + compact << " s\n";
  return 0;
}

int match_floor(const std::string& index, const std::string& queries, int repeat) {
  const Xapian::Database db(index);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  fundstelle::analyzers::GermanAnalyzer analyzer;
  std::vector<Xapian::Query> words;
  fundstelle::bench::measure_latency(
      fundstelle::bench::read_queries(queries), repeat,
      [&](const std::string& q) {
        words.clear();
        for (const auto& t : analyzer.analyze(q))
          if (t.role == fundstelle::analyzers::TokenRole::Word) words.emplace_back(t.term);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
        return static_cast<std::size_t>(enquire.get_mset(0, 10).size());
      },
      std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 3 && args[0] == "write") {
      int flags = 0;
      std::size_t every = 10000;
      // SHARDS, when given, comes before the options.
      const bool shards_given = args.size() >= 4 && !args[3].empty() &&
                                std::isdigit(static_cast<unsigned char>(args[3][0]));
      for (std::size_t i = shards_given ? 4 : 3; i < args.size(); ++i) {
        if (args[i] == "no-sync") flags |= Xapian::DB_NO_SYNC;
        else if (args[i] == "dangerous") flags |= Xapian::DB_DANGEROUS;
        else if (args[i].starts_with("commit=") && std::stoul(args[i].substr(7)) > 0)
          every = std::stoul(args[i].substr(7));
        else return usage();
      }
      return write_floor(args[1], args[2], shards_given ? static_cast<unsigned>(std::stoul(args[3])) : 2u, flags,
                         every);
    }
    if (args.size() >= 3 && args.size() <= 4 && args[0] == "match")
      return match_floor(args[1], args[2], args.size() == 4 ? std::stoi(args[3]) : 3);
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "xapian_floor: " << e.what() << '\n';
    return 2;
  } catch (const Xapian::Error& e) {
    std::cerr << "xapian_floor: " << e.get_description() << '\n';
    return 2;
  }
}
