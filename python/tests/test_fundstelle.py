"""The Python module as a Python program meets it (issue #22): results equal to the CLI's `--json` for the
development queries, errors as exceptions of their kind, the Indexer as a context manager, threads.

Run by CTest ("python: ..."), with PYTHONPATH at the built module and FUNDSTELLE_BINARY, FUNDSTELLE_SOURCE_DIR
and FUNDSTELLE_EVAL set (tests/CMakeLists.txt).
"""
import json
import os
import shutil
import signal
import subprocess
import threading

import pytest

import fundstelle

BINARY = os.environ["FUNDSTELLE_BINARY"]
SOURCE = os.environ["FUNDSTELLE_SOURCE_DIR"]
CORPUS = os.path.join(SOURCE, "corpus")
EVAL = os.environ.get("FUNDSTELLE_EVAL", os.path.join(SOURCE, "..", "shared", "eval"))

# Queries of several kinds, for when the development judgments are not beside the repository.
FALLBACK_QUERIES = ["Entwicklungszentrum München", "Beteiligung", "Partnerschaften", "Muenchen", "Zentrum",
                    "\"Xiaomi SU7\"", "Leapmotor -Stellantis", "title:Xiaomi", "Anteil"]


def development_queries():
    path = os.path.join(EVAL, "seed-queries.json")
    if not os.path.exists(path):
        return FALLBACK_QUERIES
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    queries = data["queries"] if isinstance(data, dict) else data
    return [q["query"] for q in queries] + FALLBACK_QUERIES


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("py") / "index")
    with fundstelle.Indexer(path) as ix:
        report = ix.index_paths([CORPUS])
    assert report["added"] == 5 and report["skipped"] == 0
    return path


def cli_hits(index, query, limit):
    run = subprocess.run([BINARY, "search", "--db", index, "--json", "-n", str(limit), "--", query],
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    return [line for line in lines if line.get("type") == "hit"], [l for l in lines if l.get("type") == "summary"]


@pytest.mark.parametrize("query", development_queries())
def test_search_equals_the_cli(index, query):
    searcher = fundstelle.Searcher(index)
    results = searcher.search(query, limit=10)
    hits, summary = cli_hits(index, query, 10)
    assert len(results) == len(hits)
    for hit, cli in zip(results, hits):
        assert hit.rank == cli["rank"]
        assert hit.article == cli["article"]
        assert hit.kind == cli["kind"]
        assert hit.ordinal == cli["ordinal"]
        assert hit.text == cli["text"]
        assert hit.score == pytest.approx(cli["score"])
        assert [list(h) for h in hit.highlights] == cli["highlights"]
        assert list(hit.span) == cli["span"]
        assert hit.title == cli["title"]
        # Highlights are Python string offsets: each one is a whole word of the text.
        for start, end in hit.highlights:
            assert hit.text[start:end].strip() == hit.text[start:end] != ""
    assert results.total_estimate == summary[0]["total_estimate"]
    assert [e["word"] for e in results.expansions] == [e["word"] for e in summary[0]["expansions"]]


def test_results_read_as_a_list_and_carry_the_query_record(index):
    searcher = fundstelle.Searcher(index)
    results = searcher.search("Entwicklungszentrum München", limit=3)
    assert 0 < len(results) <= 3
    assert results[0].rank == 1 and results[-1].rank == len(results)
    assert [h.rank for h in results] == [h.rank for h in results.hits]
    assert any(e["kind"] == "parts" for e in results.expansions)
    corrected = searcher.search("Entwicklungszentrun")
    assert corrected.suggestion
    assert corrected.corrections and corrected.corrections[0][0] == "Entwicklungszentrun"
    with pytest.raises(IndexError):
        results[99]
    article = searcher.article(results[0].article)
    assert article["id"] == results[0].article and article["passages"]
    assert searcher.article("no such id") is None
    assert searcher.stats()["articles"] == 5
    assert searcher.suggest("Entwick")[0]["word"].startswith("Entwick")
    assert results[0].explanation is None
    explained = searcher.search("Entwicklungszentrum München", limit=1, explain=True)[0].explanation
    assert explained["concepts"] == 2 and explained["bm25"] > 0 and explained["terms"]


def test_errors_are_exceptions_of_their_kind(index, tmp_path):
    searcher = fundstelle.Searcher(index)
    with pytest.raises(fundstelle.QueryError) as bad:
        searcher.search("Xiaomi AND")
    assert isinstance(bad.value, fundstelle.Error) and bad.value.position > 0
    with pytest.raises(fundstelle.IndexNotFoundError):
        fundstelle.Searcher(str(tmp_path / "nothing"))
    with pytest.raises(ValueError):
        searcher.search("Xiaomi", sort="alphabetical")
    with fundstelle.Indexer(str(tmp_path / "locked")) as first:
        with pytest.raises(fundstelle.IndexLockedError):
            fundstelle.Indexer(str(tmp_path / "locked"))
        with pytest.raises(fundstelle.InputError):
            first.add({"id": "x"})  # no body
        with pytest.raises(fundstelle.InputError):
            first.add({"id": 5, "body": "Eine Zahl als Kennung."})
    assert issubclass(fundstelle.IndexLockedError, fundstelle.IndexAccessError)


def test_an_indexer_that_raises_leaves_the_last_commit(tmp_path):
    path = str(tmp_path / "index")
    with fundstelle.Indexer(path) as ix:
        assert ix.add({"id": "a1", "title": "Fähre", "body": "Die Fähre nach Helgoland fährt wieder täglich."}) == "added"
    with pytest.raises(RuntimeError):
        with fundstelle.Indexer(path) as ix:
            ix.add({"id": "a2", "body": "Der Leuchtturm von Westerhever wird saniert."})
            assert ix.remove("a1")
            raise RuntimeError("the block fails")
    searcher = fundstelle.Searcher(path)
    assert [h.article for h in searcher.search("Helgoland")] == ["a1"]
    assert len(searcher.search("Leuchtturm")) == 0
    # Without an exception the block commits; the lock is free again afterwards.
    with fundstelle.Indexer(path) as ix:
        assert ix.add({"id": "a1", "title": "Fähre", "body": "Die Fähre nach Helgoland fährt wieder täglich."}) \
            == "unchanged"
        ix.add({"id": "a2", "body": "Der Leuchtturm von Westerhever wird saniert.",
                "comments": [{"author": "Kim", "text": "Endlich wird der Leuchtturm gestrichen."}]})
    comment = fundstelle.Searcher(path).search("gestrichen", kind="comment")
    assert [(h.article, h.kind, h.author) for h in comment] == [("a2", "comment", "Kim")]
    closed = fundstelle.Indexer(path)
    closed.close()
    with pytest.raises(ValueError):
        closed.commit()


def test_eight_threads_find_what_one_finds(index):
    searcher = fundstelle.Searcher(index)
    queries = development_queries()
    expected = {q: [(h.article, h.ordinal, h.kind, h.score) for h in searcher.search(q)] for q in queries}
    found, errors = {}, []

    def work(k):
        try:
            for _ in range(5):
                for q in queries[k % len(queries):] + queries[:k % len(queries)]:
                    got = [(h.article, h.ordinal, h.kind, h.score) for h in searcher.search(q)]
                    if got != expected[q]:
                        found[(k, q)] = got
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert not found


def test_one_indexer_shared_by_threads(tmp_path):
    # Each call waits for the others (one writer), without the GIL held while it waits: no deadlock.
    path = str(tmp_path / "index")
    with fundstelle.Indexer(path) as ix:
        def work(k):
            for i in range(15):
                ix.add({"id": f"t{k}-{i}", "body": f"Der Pegel der Weser stieg am Tag {i} um {k} Zentimeter."})
                if i % 5 == 0:
                    ix.commit()
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
    assert fundstelle.Searcher(path).stats()["articles"] == 60


def test_help_reads_well():
    assert "passages" in fundstelle.__doc__
    assert "Opens the index" in fundstelle.Searcher.__init__.__doc__
    assert "feed format" in fundstelle.Indexer.add.__doc__
    assert fundstelle.__version__.count(".") == 2
    stub = os.path.join(os.path.dirname(fundstelle.__file__), "fundstelle.pyi")
    assert os.path.exists(stub)


def test_ctrl_c_stops_index_paths_with_what_was_done_committed(tmp_path):
    # Enough text that indexing it takes seconds (a first import: read into the shards' queues at once, then
    # written by their threads); a SIGINT a moment after the start, while the queues are still written.
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(4000):
        text = " ".join(f"Die Stadtwerke Nummer {i} bauen am Marktplatz {k} eine Ladesäule." for k in range(30))
        (folder / f"artikel{i:05d}.txt").write_text(f"Artikel {i}\n\n{text}", encoding="utf-8")
    path = str(tmp_path / "index")
    timer = threading.Timer(0.25, lambda: os.kill(os.getpid(), signal.SIGINT))
    ix = fundstelle.Indexer(path)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            ix.index_paths([str(folder)])
    finally:
        timer.cancel()
        ix.close()
    # What was done is committed: in the index, or (a first import on several threads) kept beside it while the
    # index stays empty; the later run finds it unchanged and indexes the rest.
    stats = fundstelle.Searcher(path).stats()
    assert stats["articles"] < 4000
    if (os.cpu_count() or 1) > 1:
        assert stats["articles"] == 0  # a first import on several threads: nothing searchable before its end
        assert os.path.exists(os.path.join(path, ".parallel-build", "build"))
    with fundstelle.Indexer(path) as again:
        report = again.index_paths([str(folder)])
    assert report["added"] + report["unchanged"] == 4000
    assert report["unchanged"] >= stats["articles"]
    assert not os.path.exists(os.path.join(path, ".parallel-build"))
    assert fundstelle.Searcher(path).stats()["articles"] == 4000
