// query_latency: Fundstelle's query latency inside the process, through the public API (as an app embedding
// the library sees it): default search options, top 10 passages with their text and highlights.
//
//   query_latency DB QUERIES.txt [REPEAT]      (one query per line; REPEAT timed passes, default 3)
#include <cstdlib>
#include <iostream>

#include "fundstelle/fundstelle.h"
#include "latency.h"

int main(int argc, char** argv) try {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: query_latency DB QUERIES.txt [REPEAT]\n";
    return 2;
  }
  const auto queries = fundstelle::bench::read_queries(argv[2]);
  const int repeat = argc == 4 ? std::atoi(argv[3]) : 3;
  fundstelle::Searcher searcher(argv[1]);
  fundstelle::bench::measure_latency(
      queries, repeat,
      [&](const std::string& q) -> std::size_t {
        try {
          return searcher.search(q).hits.size();
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
