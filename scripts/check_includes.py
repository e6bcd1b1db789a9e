#!/usr/bin/env python3
"""The dependency rule of the rooms (ARCHITECTURE.md): fails when a file includes a header of a room it may
not depend on. Reads only the `#include "room/..."` lines; a room's own headers are always allowed.

usage: scripts/check_includes.py [--self-test]
"""
import os
import re
import subprocess
import sys
import tempfile

# room -> the rooms whose headers it may include ("fundstelle" is the public API, include/fundstelle/).
ALLOWED = {
    "base": set(),
    "analyzers": {"base"},
    "index": {"base", "analyzers", "fundstelle"},
    "indexer": {"base", "analyzers", "index", "fundstelle"},
    "searcher": {"base", "analyzers", "index", "fundstelle"},
    # The CLI stands on the public API like any embedding app; base's header-only helpers are the exception.
    "cli": {"fundstelle", "base"},
    # The Python module stands on the public API only.
    "python": {"fundstelle"},
    "include/fundstelle": {"fundstelle"},
}
ROOMS = {"base", "analyzers", "index", "indexer", "searcher", "cli", "fundstelle", "python"}
# Folders that may include every room but cli/ (tests, benchmarks, fuzz targets, examples; tests/cli/ may include
# cli/json_writer.h, which the tests build in).
FREE = ("tests", "bench", "fuzz", "examples")
SOURCE = re.compile(r"\.(cpp|h|hpp|cc)$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def room_of(path):
    if path.startswith("include/fundstelle/"):
        return "include/fundstelle"
    top = path.split("/", 1)[0]
    if top in ALLOWED or top in FREE:
        return top
    return None


def violations(root, files):
    found = []
    for path in files:
        room = room_of(path)
        if room is None or not SOURCE.search(path):
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1).split("/", 1)[0] if "/" in m.group(1) else None
                if target not in ROOMS:
                    continue  # a header beside the file (cli's own "output.h"), or a build-made one
                if target == "cli":
                    # Nothing includes the CLI, but its JSON writer's test (the one piece of it built into tests).
                    allowed = path.startswith("tests/cli/") and m.group(1) == "cli/json_writer.h"
                elif room in FREE:
                    allowed = True
                else:
                    own = room.split("/")[-1]
                    allowed = target == own or target in ALLOWED[room]
                if not allowed:
                    found.append(f"{path}:{number}: {room}/ may not include {m.group(1)}")
    return found


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard"],
                             check=True, capture_output=True, text=True).stdout
        return [f for f in out.splitlines() if os.path.isfile(os.path.join(root, f))]
    except (OSError, subprocess.CalledProcessError):
        return [os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        tree = {"searcher/a.cpp": '#include "index/schema.h"\n#include "indexer/run.h"\n',
                "index/b.h": '#include "base/hash.h"\n',
                "tests/c.cpp": '#include "indexer/run.h"\n#include "cli/errors.h"\n',
                "tests/cli/g.cpp": '#include "cli/json_writer.h"\n#include "cli/output.h"\n',
                "cli/d.cpp": '#include "output.h"\n#include "fundstelle/fundstelle.h"\n#include "index/open.h"\n',
                "base/e.h": '#include <string>\n#include "fundstelle/error.h"\n',
                "analyzers/tools/f.cpp": '#include "analyzers/utf8.h"\n#include "index/schema.h"\n',
                "cli/page_data.cpp.in": '#include "indexer/run.h"\n'}  # a template: not checked
        for path, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        got = violations(root, sorted(tree))
        want = ["analyzers/tools/f.cpp:2: analyzers/ may not include index/schema.h",
                "base/e.h:2: base/ may not include fundstelle/error.h",
                "cli/d.cpp:3: cli/ may not include index/open.h",
                "searcher/a.cpp:2: searcher/ may not include indexer/run.h",
                "tests/c.cpp:2: tests/ may not include cli/errors.h",
                "tests/cli/g.cpp:2: tests/ may not include cli/output.h"]
        if got != want:
            print("include check self-test failed:\n  got  %s\n  want %s" % (got, want))
            return 1
    print("include check self-test: ok")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if sys.argv[1:]:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = tracked_files(root)
    found = violations(root, files)
    for v in found:
        print(v)
    checked = sum(1 for f in files if room_of(f) and SOURCE.search(f))
    if found:
        print(f"include check: {len(found)} forbidden includes in {checked} files (see ARCHITECTURE.md)")
        return 1
    print(f"include check: {checked} files, no forbidden includes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
