// The Python module `fundstelle` (issue #22): the public C++ API (include/fundstelle/) as Python classes, built
// with pybind11. Nothing here knows the library's inside; what Python sees is documented in fundstelle.pyi.
//
// Threads: the GIL is released while a search or an indexing call runs. A C++ Searcher is not thread-safe, so
// a Python Searcher keeps a small pool of them: a search takes a free one (or opens one more) and gives it
// back, and eight threads searching one Python Searcher search in parallel. An Indexer is used by one thread
// at a time (a mutex), as the C++ one must be.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fundstelle/fundstelle.h"

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

// The exception classes, made in the module's init (below).
struct Exceptions {
  py::object error, query, input, index, not_found, locked, foreign, corrupt;
};
Exceptions& exceptions() {
  static Exceptions* e = new Exceptions();  // (never destroyed: Python may outlive static destructors)
  return *e;
}

// Sets the Python error: an exception of `type` with `message` and `attributes`.
void set_error(const py::object& type, const std::string& message, const py::dict& attributes = {}) {
  py::object exc = type(message);
  for (auto item : attributes) py::setattr(exc, item.first, item.second);
  PyErr_SetObject(type.ptr(), exc.ptr());
}

// A library error as the Python exception of its kind.
void translate(const fundstelle::Error& e) {
  auto& x = exceptions();
  if (const auto* q = dynamic_cast<const fundstelle::QueryError*>(&e))
    return set_error(x.query, e.what(), py::dict("position"_a = q->position()));
  if (const auto* i = dynamic_cast<const fundstelle::InputError*>(&e))
    return set_error(x.input, e.what(), py::dict("source"_a = i->source(), "line"_a = i->line()));
  switch (e.kind()) {
    case fundstelle::ErrorKind::NotFound: return set_error(x.not_found, e.what());
    case fundstelle::ErrorKind::Locked: return set_error(x.locked, e.what());
    case fundstelle::ErrorKind::ForeignIndex: return set_error(x.foreign, e.what());
    case fundstelle::ErrorKind::Corrupt: return set_error(x.corrupt, e.what());
    case fundstelle::ErrorKind::BadQuery: return set_error(x.query, e.what(), py::dict("position"_a = 0));
    case fundstelle::ErrorKind::BadInput: return set_error(x.input, e.what(), py::dict("source"_a = "", "line"_a = 0));
    case fundstelle::ErrorKind::Io: break;
  }
  set_error(x.index, e.what());
}

fundstelle::SynonymMode synonym_mode(const std::string& s) {
  if (s == "none") return fundstelle::SynonymMode::None;
  if (s == "domain") return fundstelle::SynonymMode::Domain;
  if (s == "all") return fundstelle::SynonymMode::All;
  throw py::value_error("synonyms must be 'none', 'domain' or 'all', not '" + s + "'");
}

fundstelle::SortOrder sort_order(const std::string& s) {
  if (s == "relevance") return fundstelle::SortOrder::Relevance;
  if (s == "newest") return fundstelle::SortOrder::Newest;
  if (s == "oldest") return fundstelle::SortOrder::Oldest;
  throw py::value_error("sort must be 'relevance', 'newest' or 'oldest', not '" + s + "'");
}

std::optional<fundstelle::PassageKind> passage_kind(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  if (*s == "article") return fundstelle::PassageKind::Article;
  if (*s == "comment") return fundstelle::PassageKind::Comment;
  throw py::value_error("kind must be 'article', 'comment' or None, not '" + *s + "'");
}

py::dict stored_article(const fundstelle::StoredArticle& a) {
  py::list passages;
  for (const auto& p : a.passages)
    passages.append(py::dict("kind"_a = fundstelle::to_string(p.kind), "ordinal"_a = p.ordinal, "comment"_a = p.comment,
                             "section"_a = p.section, "author"_a = p.author, "text"_a = p.text));
  return py::dict("id"_a = a.id, "title"_a = a.title, "url"_a = a.url, "published"_a = a.published,
                  "author"_a = a.author, "tags"_a = a.tags, "passages"_a = passages);
}

py::dict index_report(const fundstelle::IndexReport& r) {
  py::list problems;
  for (const auto& p : r.problems)
    problems.append(
        py::dict("source"_a = p.source, "line"_a = p.line, "skipped"_a = p.skipped, "message"_a = p.message));
  return py::dict("added"_a = r.added, "replaced"_a = r.replaced, "unchanged"_a = r.unchanged, "removed"_a = r.removed,
                  "skipped"_a = r.skipped, "passages"_a = r.passages, "comments"_a = r.comments,
                  "problems"_a = problems, "seconds"_a = r.seconds, "interrupted"_a = r.interrupted);
}

// A Searcher for Python: a pool of C++ Searchers on one index (see the top of the file).
class PySearcher {
 public:
  PySearcher(std::string path, bool allow_partial, unsigned timeout_ms) : path_(std::move(path)) {
    options_.allow_partial = allow_partial;
    options_.timeout_ms = timeout_ms;
    give_back(open());  // opened at once: a missing index fails here, not at the first search
  }

  // `f(searcher)` without the GIL, on a searcher of the pool.
  template <typename F>
  auto with_searcher(F&& f) {
    auto s = take();
    auto result = [&] {
      py::gil_scoped_release released;
      return f(*s);
    }();
    give_back(std::move(s));
    return result;
  }

  const std::string& path() const { return path_; }

 private:
  std::unique_ptr<fundstelle::Searcher> open() {
    py::gil_scoped_release released;
    return std::make_unique<fundstelle::Searcher>(path_, options_);
  }
  std::unique_ptr<fundstelle::Searcher> take() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
    }
    return open();
  }
  void give_back(std::unique_ptr<fundstelle::Searcher> s) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(s));
  }

  std::string path_;
  fundstelle::OpenOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<fundstelle::Searcher>> free_;
};

// An Indexer for Python: closed by close() or at the end of a `with` block (committing on success,
// discarding what was not committed on an exception).
class PyIndexer {
 public:
  PyIndexer(const std::string& path, bool rebuild, unsigned shards) {
    py::gil_scoped_release released;
    indexer_ = std::make_unique<fundstelle::Indexer>(path, rebuild, shards);
  }

  // (called without the GIL: throws a C++ exception, which pybind11 turns into ValueError with the GIL back)
  fundstelle::Indexer& get() {
    if (!indexer_) throw std::invalid_argument("the Indexer is closed");
    return *indexer_;
  }
  std::mutex& mutex() { return mutex_; }
  void close() {
    py::gil_scoped_release released;
    std::lock_guard lock(mutex_);
    indexer_.reset();  // discards what was not committed, and unlocks the index
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<fundstelle::Indexer> indexer_;
};

}  // namespace

PYBIND11_MODULE(fundstelle, m) {
  m.doc() = "Fundstelle: full-text search for German news that returns the best passages, ranked and highlighted.\n\n"
            "    import fundstelle\n"
            "    with fundstelle.Indexer('index') as ix:\n"
            "        ix.index_paths(['corpus'])\n"
            "    for hit in fundstelle.Searcher('index').search('Entwicklungszentrum München'):\n"
            "        print(hit.title, hit.text)\n";
  m.attr("__version__") = FUNDSTELLE_VERSION_STRING;

  auto& x = exceptions();
  x.error = py::reinterpret_borrow<py::object>(
      PyErr_NewExceptionWithDoc("fundstelle.Error", "Every error of the library.", PyExc_Exception, nullptr));
  const auto sub = [&](const char* name, const char* doc, py::object base) {
    const std::string full = std::string("fundstelle.") + name;
    py::object type =
        py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(full.c_str(), doc, base.ptr(), nullptr));
    m.attr(name) = type;
    return type;
  };
  m.attr("Error") = x.error;
  x.query = sub("QueryError", "A malformed query; .position is the code point where it goes wrong.", x.error);
  x.input = sub("InputError", "An input that cannot be read as an article; .source and .line say where.", x.error);
  x.index = sub("IndexAccessError", "The index cannot be read or written (I/O, a shard that does not answer).",
                x.error);
  x.not_found = sub("IndexNotFoundError", "There is no index at the path.", x.index);
  x.locked = sub("IndexLockedError", "Another writer holds the index; try again later.", x.index);
  x.foreign = sub("ForeignIndexError", "The index was built by another version (index it again with rebuild=True).",
                  x.index);
  x.corrupt = sub("CorruptIndexError", "The index is damaged.", x.index);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const fundstelle::Error& e) {
      translate(e);
    }
  });

  py::class_<fundstelle::Hit>(m, "Hit", "One passage found: an article's paragraphs or one reader comment.")
      .def_readonly("rank", &fundstelle::Hit::rank, "1-based, counting from the first result (offset included)")
      .def_readonly("score", &fundstelle::Hit::score)
      .def_readonly("article", &fundstelle::Hit::article, "the article's id")
      .def_readonly("title", &fundstelle::Hit::title)
      .def_readonly("url", &fundstelle::Hit::url)
      .def_readonly("published", &fundstelle::Hit::published, "the article's date (ISO 8601), or ''")
      .def_readonly("author", &fundstelle::Hit::author, "the article's, or a comment's own")
      .def_readonly("tags", &fundstelle::Hit::tags)
      .def_readonly("comment_published", &fundstelle::Hit::comment_published)
      .def_property_readonly(
          "kind", [](const fundstelle::Hit& h) { return fundstelle::to_string(h.kind); }, "'article' or 'comment'")
      .def_readonly("ordinal", &fundstelle::Hit::ordinal, "the passage's number in its article, from 0")
      .def_readonly("comment", &fundstelle::Hit::comment, "for comments: which comment of the article, from 0")
      .def_readonly("section", &fundstelle::Hit::section, "the heading the passage stands under, or ''")
      .def_readonly("text", &fundstelle::Hit::text)
      .def_property_readonly(
          "highlights",
          [](const fundstelle::Hit& h) {
            std::vector<std::pair<std::size_t, std::size_t>> out;
            for (const auto& s : h.highlights) out.emplace_back(s.begin, s.end);
            return out;
          },
          "matched words as (start, end) offsets into text: text[start:end] is the word")
      .def_property_readonly(
          "span", [](const fundstelle::Hit& h) { return std::make_pair(h.span.begin, h.span.end); },
          "where the passage lies in the article's body (or its comment), in characters")
      .def_property_readonly(
          "explanation",
          [](const fundstelle::Hit& h) -> py::object {
            if (!h.explanation) return py::none();
            const auto& e = *h.explanation;
            py::list terms;
            for (const auto& t : e.terms)
              terms.append(
                  py::dict("term"_a = t.term, "kind"_a = t.kind, "weight"_a = t.weight, "factor"_a = t.factor));
            return py::dict("bm25"_a = e.bm25, "covered"_a = e.covered, "concepts"_a = e.concepts, "typed"_a = e.typed,
                            "typed_factor"_a = e.typed_factor, "window"_a = e.window, "proximity"_a = e.proximity,
                            "terms"_a = terms);
          },
          "with search(..., explain=True): how the score came about (BM25 terms, coverage, proximity), else None")
      .def("__repr__", [](const fundstelle::Hit& h) {
        return "<Hit " + std::to_string(h.rank) + " " + h.article + " " + fundstelle::to_string(h.kind) + " " +
               std::to_string(h.ordinal) + ">";
      });

  py::class_<fundstelle::SearchResults>(m, "Results", "A page of passages and what the search did with the query.")
      .def_readonly("hits", &fundstelle::SearchResults::hits)
      .def(
          "__iter__",
          [](const fundstelle::SearchResults& r) { return py::make_iterator(r.hits.begin(), r.hits.end()); },
          py::keep_alive<0, 1>())
      .def("__len__", [](const fundstelle::SearchResults& r) { return r.hits.size(); })
      .def("__getitem__",
           [](const fundstelle::SearchResults& r, long i) {
             const long n = static_cast<long>(r.hits.size());
             if (i < 0) i += n;
             if (i < 0 || i >= n) throw py::index_error("hit index out of range");
             return r.hits[static_cast<std::size_t>(i)];
           })
      .def_readonly("total_estimate", &fundstelle::SearchResults::total_estimate)
      .def_readonly("suggestion", &fundstelle::SearchResults::suggestion, "'did you mean', or ''")
      .def_readonly("corrected", &fundstelle::SearchResults::corrected,
                    "True when the hits are for the suggestion (nothing was found for the query)")
      .def_property_readonly(
          "corrections",
          [](const fundstelle::SearchResults& r) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const auto& c : r.corrections) out.emplace_back(c.word, c.corrected);
            return out;
          },
          "the words the suggestion changed: (as typed, corrected)")
      .def_property_readonly(
          "expansions",
          [](const fundstelle::SearchResults& r) {
            py::list out;
            for (const auto& e : r.expansions)
              out.append(
                  py::dict("word"_a = e.word, "synonyms"_a = e.synonyms, "kind"_a = fundstelle::to_string(e.kind)));
            return out;
          },
          "what was searched besides the words typed")
      .def_readonly("ignored", &fundstelle::SearchResults::ignored)
      .def_readonly("unknown", &fundstelle::SearchResults::unknown)
      .def_readonly("warnings", &fundstelle::SearchResults::warnings)
      .def_property_readonly(
          "facets",
          [](const fundstelle::SearchResults& r) {
            py::dict out;
            for (const auto& f : r.facets) {
              std::vector<std::pair<std::string, std::size_t>> values;
              for (const auto& v : f.values) values.emplace_back(v.value, v.count);
              out[py::str(f.name)] = values;
            }
            return out;
          },
          "{name: [(value, passages), ...]} for the facets asked for")
      .def("__repr__", [](const fundstelle::SearchResults& r) {
        return "<Results " + std::to_string(r.hits.size()) + " hits of about " + std::to_string(r.total_estimate) + ">";
      });

  py::class_<PySearcher>(m, "Searcher",
                         "Searches an index. Safe to share between threads: searches run in parallel, without the GIL.")
      .def(py::init<std::string, bool, unsigned>(), "path"_a, py::kw_only(), "allow_partial"_a = false,
           "timeout_ms"_a = 10000u,
           "Opens the index at path (raises IndexNotFoundError, ForeignIndexError, ...). allow_partial: search a "
           "sharded index even when some shards do not answer; timeout_ms: how long to wait for a remote shard.")
      .def(
          "search",
          [](PySearcher& s, const std::string& query, std::size_t limit, std::size_t offset,
             const std::optional<std::string>& kind, std::size_t per_article, bool exact, const std::string& synonyms,
             const std::string& sort, const std::optional<std::string>& published_from,
             const std::optional<std::string>& published_to, const std::vector<std::string>& authors,
             const std::vector<std::string>& tags, const std::vector<std::string>& facets, std::size_t facet_limit,
             bool explain, double time_limit) {
            fundstelle::SearchOptions o;
            o.limit = limit;
            o.offset = offset;
            o.kind = passage_kind(kind);
            o.per_article = per_article;
            o.exact = exact;
            o.synonyms = synonym_mode(synonyms);
            o.sort = sort_order(sort);
            o.published_from = published_from.value_or("");
            o.published_to = published_to.value_or("");
            o.authors = authors;
            o.tags = tags;
            o.facets = facets;
            o.facet_limit = facet_limit;
            o.explain = explain;
            o.time_limit = time_limit;
            return s.with_searcher([&](fundstelle::Searcher& c) { return c.search(query, o); });
          },
          "query"_a, py::kw_only(), "limit"_a = 10, "offset"_a = 0, "kind"_a = py::none(), "per_article"_a = 2,
          "exact"_a = false, "synonyms"_a = "domain", "sort"_a = "relevance", "published_from"_a = py::none(),
          "published_to"_a = py::none(), "authors"_a = std::vector<std::string>{},
          "tags"_a = std::vector<std::string>{}, "facets"_a = std::vector<std::string>{}, "facet_limit"_a = 10,
          "explain"_a = false, "time_limit"_a = 0.0,
          "The best passages for query (words, \"phrases\", -word, AND/OR/NOT, title:; see the README), as the CLI's "
          "`fundstelle search` finds them. Raises QueryError for a malformed query.")
      .def(
          "article",
          [](PySearcher& s, const std::string& id) -> py::object {
            auto a = s.with_searcher([&](fundstelle::Searcher& c) { return c.article(id); });
            if (!a) return py::none();
            return stored_article(*a);
          },
          "id"_a, "The article with this id as a dict (its passages in order), or None.")
      .def(
          "suggest",
          [](PySearcher& s, const std::string& typed, std::size_t limit) {
            auto list = s.with_searcher([&](fundstelle::Searcher& c) { return c.suggest(typed, limit); });
            py::list out;
            for (const auto& one : list)
              out.append(py::dict("text"_a = one.text, "word"_a = one.word, "passages"_a = one.passages));
            return out;
          },
          "typed"_a, "limit"_a = 8, "Completions of the last word typed, the most frequent first (search as you type).")
      .def(
          "stats",
          [](PySearcher& s) {
            const auto st = s.with_searcher([](fundstelle::Searcher& c) { return c.stats(); });
            return py::dict("articles"_a = st.articles, "passages"_a = st.passages, "bytes"_a = st.bytes,
                            "last_commit"_a = st.last_commit, "revision"_a = st.revision, "shards"_a = st.shards);
          },
          "Articles, passages, bytes on disk, the last commit's time of the index.")
      .def_property_readonly("path", &PySearcher::path);

  py::class_<PyIndexer>(m, "Indexer",
                        "Writes an index (one writer at a time). As a context manager it commits when the block ends "
                        "and discards what was not committed when it raises.")
      .def(py::init<const std::string&, bool, unsigned>(), "path"_a, py::kw_only(), "rebuild"_a = false,
           "shards"_a = 0u,
           "Opens (or creates) the index at path for writing. Raises IndexLockedError when another writer holds it.")
      .def(
          "add",
          [](PyIndexer& ix, const py::object& article) {
            // The feed format, read by the same reader as a .jsonl line: one definition of an article.
            const std::string line = py::module_::import("json").attr("dumps")(article).cast<std::string>();
            fundstelle::ChangeKind change;
            {
              py::gil_scoped_release released;  // (first: a thread waiting for the mutex must not hold the GIL)
              std::lock_guard lock(ix.mutex());
              change = ix.get().put(fundstelle::article_from_json(line));
            }
            return change == fundstelle::ChangeKind::Added      ? "added"
                   : change == fundstelle::ChangeKind::Replaced ? "replaced"
                                                                : "unchanged";
          },
          "article"_a,
          "Adds or replaces one article, a dict in the feed format ({'id', 'body', 'title', 'url', 'published', "
          "'author', 'tags', 'comments'}); 'added', 'replaced' or 'unchanged'. Visible after commit(). Raises "
          "InputError for a dict that is no article.")
      .def(
          "index_paths",
          [](PyIndexer& ix, const std::vector<std::string>& paths, bool prune, bool follow_links) {
            fundstelle::IndexOptions o;
            o.prune = prune;
            o.follow_links = follow_links;
            // Ctrl-C (any signal whose Python handler raises) is looked for before each article, with the
            // GIL taken for that moment: the run then stops as the command's does, commits what it did (a
            // first import keeps it for the next run), and the exception is raised here. Only the main thread runs
            // Python's handlers: called from another one, the run goes to its end without taking the GIL. (A handler
            // runs while this Indexer is busy: one that uses the same Indexer would wait for itself.)
            bool raised = false;
            const auto threading = py::module_::import("threading");
            if (threading.attr("current_thread")().is(threading.attr("main_thread")()))
              o.stop = [&raised] {
                if (!raised) {
                  py::gil_scoped_acquire held;
                  raised = PyErr_CheckSignals() != 0;
                }
                return raised;
              };
            fundstelle::IndexReport r;
            try {
              py::gil_scoped_release released;
              std::lock_guard lock(ix.mutex());
              r = ix.get().index_paths(paths, o);
            } catch (...) {
              if (raised) throw py::error_already_set();  // (the interrupt first: it is what the user did)
              throw;
            }
            if (raised) throw py::error_already_set();
            return index_report(r);
          },
          "paths"_a, py::kw_only(), "prune"_a = false, "follow_links"_a = false,
          "Indexes files, folders and feed URLs as `fundstelle index` does, and commits; the report as a dict. "
          "Ctrl-C stops it after the article being written, with what was done committed (a first import "
          "keeps it beside the index for the next run), and raises KeyboardInterrupt.")
      .def(
          "remove",
          [](PyIndexer& ix, const std::string& id) {
            py::gil_scoped_release released;
            std::lock_guard lock(ix.mutex());
            return ix.get().remove(id);
          },
          "id"_a, "Removes an article and its passages (after commit()); False if it was not there.")
      .def(
          "commit",
          [](PyIndexer& ix) {
            py::gil_scoped_release released;
            std::lock_guard lock(ix.mutex());
            ix.get().commit();
          },
          "Makes every change since the last commit visible, atomically.")
      .def("close", &PyIndexer::close, "Discards what was not committed and lets other writers in.")
      .def(
          "__enter__", [](PyIndexer& ix) -> PyIndexer& { return ix; }, py::return_value_policy::reference)
      .def("__exit__", [](PyIndexer& ix, const py::object& type, const py::object&, const py::object&) {
        try {
          if (type.is_none()) {
            py::gil_scoped_release released;
            std::lock_guard lock(ix.mutex());
            ix.get().commit();
          }
        } catch (...) {
          ix.close();  // a failed commit still lets the lock go
          throw;
        }
        ix.close();
        return false;  // an exception goes on
      });
}
