// query_latency: Fundstelle's query latency inside the process, through the public API (as an app embedding
// the library sees it): default search options, top 10 passages with their text and highlights.
//
//   query_latency DB QUERIES.txt [REPEAT] [facets|suggest]
//
// One query per line; REPEAT timed passes, default 3. `facets`: the same searches with the counts by author,
// tag, month and year. `suggest`: search as you type instead, Searcher::suggest for every keystroke of each
// query's first word from its third letter on (at most its eighth).
#include <cstdlib>
#include <iostream>

#include "fundstelle/fundstelle.h"
#include "latency.h"

int main(int argc, char** argv) try {
  const std::string mode = argc == 5 ? argv[4] : "";
  if (argc < 3 || argc > 5 || (argc == 5 && mode != "facets" && mode != "suggest")) {
    std::cerr << "usage: query_latency DB QUERIES.txt [REPEAT] [facets|suggest]\n";
    return 2;
  }
  auto queries = fundstelle::bench::read_queries(argv[2]);
  const int repeat = argc >= 4 ? std::atoi(argv[3]) : 3;
  fundstelle::Searcher searcher(argv[1]);
  fundstelle::SearchOptions options;
  if (mode == "facets") options.facets = {"author", "tag", "month", "year"};
  if (mode == "suggest") {
    std::vector<std::string> typed;
    for (const auto& q : queries) {
      const std::string word = q.substr(0, q.find(' '));
      for (std::size_t n = 3; n <= word.size() && n <= 8; ++n) typed.push_back(word.substr(0, n));
    }
    queries = std::move(typed);
  }
  fundstelle::bench::measure_latency(
      queries, repeat,
      [&](const std::string& q) -> std::size_t {
        try {
          if (mode == "suggest") return searcher.suggest(q).size();
          return searcher.search(q, options).hits.size();
        } catch (const fundstelle::QueryError&) {
          return 0;  // counted like an empty result: the time to say so is latency too
        }
      },
      std::cout);
  return 0;
} catch (const fundstelle::Error& e) {
  std::cerr << "query_latency: " << e.what() << '\n';
  return 2;
}
