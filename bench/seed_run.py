#!/usr/bin/env python3
"""Runs the development queries of a judgments file through `fundstelle search --json` and writes a run
file for shared/eval/score.py. usage: seed_run.py FUNDSTELLE DB JUDGMENTS OUT.jsonl [extra search args]"""
import json, subprocess, sys

def main():
    exe, db, judgments, out = sys.argv[1:5]
    extra = sys.argv[5:]
    queries = json.load(open(judgments, encoding="utf-8"))["queries"]
    with open(out, "w", encoding="utf-8") as w:
        for q in queries:
            r = subprocess.run([exe, "search", "--db", db, "--json", "--limit", "10", *extra, "--", q["query"]],
                               capture_output=True, text=True)
            if r.returncode not in (0, 1):
                print(f'{q["qid"]}: exit {r.returncode}: {r.stderr.strip()}', file=sys.stderr)
            for line in r.stdout.splitlines():
                hit = json.loads(line)
                if hit.get("type") != "hit":
                    continue  # the closing summary
                w.write(json.dumps({"qid": q["qid"], "rank": hit["rank"], "text": hit["text"]}, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main()
