#!/usr/bin/env python3
"""Spelling correction and names, measured on an index: how many names the index does not hold are
corrected into another word (they should not be), and how many typos of the index's capitalised words are
corrected back (they should be).

usage: bench/spelling_names.py FUNDSTELLE DB [--typos N] [--seed S]

Names: bench/names_de.txt (German politicians, companies, towns); those the index holds are left out.
Typos: N words that the index writes capitalised (its N terms, read with xapian-delve from the xapian-tools
package), drawn by how many passages write them, five to fourteen letters, each given one random edit
(deletion, insertion, substitution or swap of neighbours, at any position) and typed capitalised; typos that
are words the index knows are left out.
"""
import argparse, json, os, random, re, subprocess, sys


def search(fundstelle, db, text):
    out = subprocess.run([fundstelle, "search", "--db", db, text, "--json", "--limit", "1"],
                         capture_output=True, text=True).stdout.splitlines()
    # The closing summary line carries the query's fields (suggestion, corrected, unknown).
    last = json.loads(out[-1]) if out else {}
    return last, sum(1 for line in out if '"type":"hit"' in line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fundstelle")
    ap.add_argument("db")
    ap.add_argument("--typos", type=int, default=250)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()

    names = open(os.path.join(os.path.dirname(__file__), "names_de.txt"), encoding="utf-8").read().split()
    unknown = 0
    wrong = []
    for name in names:
        last, hits = search(args.fundstelle, args.db, name)
        if last.get("corrected"):
            unknown += 1
            wrong.append(f"{name} -> {last['suggestion']}")
        elif not last or last.get("unknown") or hits == 0:
            unknown += 1
    print(f"names the index does not hold: {unknown}; corrected into another word: {len(wrong)}"
          + (f" ({', '.join(wrong)})" if wrong else ""))

    delve = subprocess.run(["xapian-delve", "-v", "-A", "N", "-1", args.db], capture_output=True, text=True)
    words = []
    for line in delve.stdout.splitlines()[1:]:
        term, _, freq = line.rpartition(" ")
        w = term[1:]
        if 5 <= len(w) <= 14 and re.fullmatch("[a-zäöüß]+", w):
            words.append((w, int(freq)))
    if not words:
        sys.exit("spelling_names.py: no capitalised words in the index (is xapian-delve installed?)")
    rng = random.Random(args.seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzäöü"
    restored = other = left = known = suggested = 0
    for w in rng.choices([w for w, _ in words], weights=[f for _, f in words], k=args.typos):
        i = rng.randrange(len(w))
        op = rng.choice("dist")
        if op == "d":
            t = w[:i] + w[i + 1:]
        elif op == "i":
            t = w[:i] + rng.choice(alphabet) + w[i:]
        elif op == "s":
            t = w[:i] + rng.choice(alphabet.replace(w[i], "")) + w[i + 1:]
        else:
            i = min(i, len(w) - 2)
            t = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if t == w:
            continue
        last, hits = search(args.fundstelle, args.db, t[0].upper() + t[1:])
        if not last.get("corrected") and hits > 0 and not last.get("unknown"):
            known += 1
        elif last.get("corrected"):
            if last["suggestion"].lower() == w:
                restored += 1
            else:
                other += 1
        else:
            left += 1
            # Left as typed, with "did you mean" the word the typo was made of (a correction not sure enough
            # to make without asking).
            if last.get("suggestion", "").lower() == w:
                suggested += 1
    print(f"typos the index does not know: {restored + other + left}; restored {restored}, "
          f"corrected into another word {other}, left as typed {left}, of them with the word suggested "
          f"{suggested} (typos that are known words: {known})")


if __name__ == "__main__":
    main()
