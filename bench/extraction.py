#!/usr/bin/env python3
"""Extraction benchmark: how well `fundstelle index` reads HTML pages (issue #21).

usage: bench/extraction.py [BUILD_DIR] [--pages DIR] [--verbose] [--min-f1 F]

Each page DIR/NAME.html (default: bench/extraction/) has its expected reading in NAME.expected.json, written
and checked by hand: {"title", "published", "author", "body": [paragraphs], "comments": [texts]}. The pages
are indexed as a reader of the project would index them (`fundstelle index` on a copy of the folder, then
`fundstelle export`), and compared sentence by sentence: precision, recall and F1 of the body's sentences and
of the comments' sentences (multisets of sentences, white space collapsed), summed over all pages, and the
share of pages whose title, date and author are right. Not a test: it prints the table (and with --verbose
each sentence missed or extra). With --min-f1 F it exits 1 when the body's or the comments' F1 is below F, the
title or the date is right on less than 98% of the pages, or the author on less than 90% (the CTest guard).
Exit 2 for a usage error or a page without its expected file.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def sentences(paragraphs):
    """The sentences of some paragraphs: split after . ! ? (and a closing quote) before a space."""
    out = []
    for p in paragraphs:
        p = " ".join(p.split())
        for s in re.split(r'(?<=[.!?…])[“”"»«]?\s+(?=[A-ZÄÖÜ„"»0-9])', p):
            s = s.strip()
            if s:
                out.append(s)
    return collections.Counter(out)


def prf(expected, got):
    hit = sum((expected & got).values())
    e, g = sum(expected.values()), sum(got.values())
    p = hit / g if g else (1.0 if not e else 0.0)
    r = hit / e if e else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return hit, e, g, p, r, f


def main():
    args = sys.argv[1:]
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    min_f1 = None
    if "--min-f1" in args:
        i = args.index("--min-f1")
        if i + 1 >= len(args):
            sys.exit("usage: bench/extraction.py [BUILD_DIR] [--pages DIR] [--verbose] [--min-f1 F]")
        min_f1 = float(args[i + 1])
        del args[i:i + 2]
    pages = os.path.join(HERE, "extraction")
    if "--pages" in args:
        i = args.index("--pages")
        if i + 1 >= len(args):
            sys.exit("usage: bench/extraction.py [BUILD_DIR] [--pages DIR] [--verbose] [--min-f1 F]")
        pages = args[i + 1]
        del args[i:i + 2]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: bench/extraction.py [BUILD_DIR] [--pages DIR] [--verbose] [--min-f1 F]", file=sys.stderr)
        sys.exit(2)
    build = args[0] if args else os.path.join(HERE, "..", "build")
    binary = os.path.join(build, "fundstelle")
    if not os.access(binary, os.X_OK):
        print(f"extraction.py: no {binary} (build it first)", file=sys.stderr)
        sys.exit(2)
    names = sorted(f[:-5] for f in os.listdir(pages) if f.endswith(".html"))
    expected = {}
    for n in names:
        path = os.path.join(pages, n + ".expected.json")
        if not os.path.exists(path):
            print(f"extraction.py: {n}.html has no {n}.expected.json", file=sys.stderr)
            sys.exit(2)
        with open(path, encoding="utf-8") as f:
            expected[n] = json.load(f)

    tmp = tempfile.mkdtemp()
    try:
        folder = os.path.join(tmp, "pages")
        os.makedirs(folder)
        for n in names:
            shutil.copy(os.path.join(pages, n + ".html"), folder)
        db = os.path.join(tmp, "index")
        subprocess.run([binary, "index", "--db", db, folder], capture_output=True, text=True)
        out = subprocess.run([binary, "export", "--db", db], capture_output=True, text=True, check=True).stdout
    finally:
        got = {}
        shutil.rmtree(tmp, ignore_errors=True)
    for line in out.splitlines():
        a = json.loads(line)
        got[a["id"][:-5]] = a

    totals = {"body": [0, 0, 0], "comments": [0, 0, 0]}
    failed = []
    fields = collections.Counter()
    print(f"{'page':28} {'body P':>7} {'R':>6} {'F1':>6}  {'comments F1':>11}  title date author")
    for n in names:
        e = expected[n]
        a = got.get(n, {})
        body = [p for p in a.get("body", "").split("\n\n") if p]
        comments = [c["text"] for c in a.get("comments", [])]
        row = []
        for kind, exp, have in (("body", e["body"], body), ("comments", e["comments"], comments)):
            es, gs = sentences(exp), sentences(have)
            hit, ne, ng, p, r, f = prf(es, gs)
            t = totals[kind]
            t[0] += hit
            t[1] += ne
            t[2] += ng
            row.append((p, r, f))
            if verbose:
                for s in (es - gs):
                    print(f"  {n}: {kind} missed: {s}")
                for s in (gs - es):
                    print(f"  {n}: {kind} extra:  {s}")
        marks = []
        for field in ("title", "published", "author"):
            right = a.get(field, "") == e.get(field, "")
            fields[field] += right
            marks.append("ok" if right else "--")
            if verbose and not right:
                print(f"  {n}: {field} {a.get(field, '')!r}, expected {e.get(field, '')!r}")
        print(f"{n:28} {row[0][0]:7.3f} {row[0][1]:6.3f} {row[0][2]:6.3f}  {row[1][2]:11.3f}  "
              f"{marks[0]:>5} {marks[1]:>4} {marks[2]:>6}")
    print()
    for kind, (hit, ne, ng) in totals.items():
        p = hit / ng if ng else 1.0
        r = hit / ne if ne else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:9} sentences: expected {ne}, extracted {ng}, right {hit}: "
              f"precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
        if min_f1 is not None and f < min_f1:
            failed.append(f"{kind} F1 {f:.3f} below {min_f1}")
    n = len(names)
    print(f"pages {n}: title right {fields['title']}/{n} ({fields['title'] / n:.2f}), date {fields['published']}/{n} "
          f"({fields['published'] / n:.2f}), author {fields['author']}/{n} ({fields['author'] / n:.2f})")
    if min_f1 is not None:
        # Issue #21's targets: title and date right on at least 98% of the pages; the author (no target there)
        # on at least 90%, so that a regression shows.
        for field, share in (("title", 0.98), ("published", 0.98), ("author", 0.90)):
            if fields[field] < share * n:
                failed.append(f"{field} wrong on {n - fields[field]} of {n} pages")
        if failed:
            print("extraction: " + "; ".join(failed), file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
