// Searches a Fundstelle index and prints the best passages: embed INDEX QUERY...
#include <fundstelle/fundstelle.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embed INDEX QUERY...\n";
    return 2;
  }
  std::string query;
  for (int i = 2; i < argc; ++i) query += (i > 2 ? " " : "") + std::string(argv[i]);
  try {
    fundstelle::Searcher searcher(argv[1]);
    fundstelle::SearchOptions options;
    options.limit = 3;
    const fundstelle::SearchResults results = searcher.search(query, options);
    for (const fundstelle::Hit& hit : results.hits)
      std::cout << hit.rank << '\t' << hit.article << '\t' << hit.text << '\n';
    std::cerr << "fundstelle " << FUNDSTELLE_VERSION_STRING << ": " << results.hits.size() << " of about "
              << results.total_estimate << " passages\n";
    return results.hits.empty() ? 1 : 0;
  } catch (const fundstelle::Error& e) {
    std::cerr << "embed: " << e.what() << '\n';
    return 2;
  }
}
