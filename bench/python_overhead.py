#!/usr/bin/env python3
"""What the Python module costs on top of the C++ API (issue #22): the same queries, the same index, one run.

usage: bench/python_overhead.py BUILD_DIR DB QUERIES.txt [REPEAT]

Runs BUILD_DIR/query_latency (the public C++ API, default options, top 10 with highlights) and the same
searches through `fundstelle.Searcher` (imported from BUILD_DIR/python), alternately three times each, with the
measurement of bench/latency.h: one warm-up pass, then REPEAT timed passes (default 3), each search's wall time.
Prints both lines and the ratios of their p50 and mean. Run it with the Python the module was built for
(/usr/bin/python3 on Debian). Not a test: figures for notes and bench/README.md. The Python side reads each hit's text,
highlights and title, as an app does.
"""
import os
import re
import subprocess
import sys
import time

ROUNDS = 3  # alternations of the two: the better of each counts (a 2-core machine is noisy)


def python_latency(fundstelle, db, queries, repeat):
    searcher = fundstelle.Searcher(db)

    def run(q):
        try:
            results = searcher.search(q)
        except fundstelle.QueryError:
            return 0
        for hit in results:  # read as an app reads them: each hit's text and highlights become Python objects
            hit.text, hit.highlights, hit.title
        return len(results)

    hits = sum(run(q) for q in queries)  # warm-up
    ms = []
    for _ in range(repeat):
        for q in queries:
            t0 = time.perf_counter()
            run(q)
            ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()

    def pct(p):
        return ms[min(len(ms) - 1, int(p * len(ms)))]

    return (f"latency: queries {len(queries)}, timed {len(ms)}, p50 {pct(0.5):.3f} ms, p95 {pct(0.95):.3f} ms, "
            f"p99 {pct(0.99):.3f} ms, mean {sum(ms) / len(ms):.3f} ms, hits {hits}")


def figures(line):
    return {k: float(v) for k, v in re.findall(r"(p50|mean) ([0-9.]+) ms", line)}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[2])
    build, db, queries_path = sys.argv[1:4]
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    sys.path.insert(0, os.path.join(build, "python"))
    import fundstelle  # noqa: E402 (from the build)
    with open(queries_path, encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f if line.strip()]
    cpp, py = [], []
    for _ in range(ROUNDS):
        out = subprocess.run([os.path.join(build, "query_latency"), db, queries_path, str(repeat)],
                             capture_output=True, text=True, check=True).stdout.strip()
        cpp.append(figures(out))
        print("C++   ", out)
        line = python_latency(fundstelle, db, queries, repeat)
        py.append(figures(line))
        print("Python", line)
    for key in ("p50", "mean"):
        c = min(x[key] for x in cpp)
        p = min(x[key] for x in py)
        print(f"{key}: C++ {c:.3f} ms, Python {p:.3f} ms, Python/C++ {p / c:.3f} (the better of {ROUNDS} runs each)")


if __name__ == "__main__":
    main()
