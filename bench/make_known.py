#!/usr/bin/env python3
"""Makes known-item queries with judgments from a corpus, in the form of the eval folder's lo-known.json.

usage: bench/make_known.py CORPUS.jsonl OUT.json [--count N] [--seed S] [--source-prefix lo/]

The development queries (lo-known.json) are few (50); this draws more of the same kinds from the collection
itself, so that a ranking change can be checked on queries nobody tuned for. Each query names one body
paragraph of an article whose id begins with the source prefix (default `lo/`, the LibreOffice help): its
anchor is the paragraph's first words (at most 10, and only anchors found in at most 3 paragraphs), and its
words are nouns of the paragraph (capitalised, not its first word; 4 letters or more, not stopwords, in at most
2 % of all paragraphs), as most of the development queries are, typed
as users type them (the `note`):
  plain     2 or 3 words as the paragraph writes them;
  compound  a compound of the paragraph typed as its two parts (Tabellendokument: "Tabellen Dokument"), the
            parts nouns of 4 letters or more that the collection writes capitalised in 5 paragraphs or more (a
            linking element none, s, es, n, en, e or er between them; not the engine's splitter), and 0 or 1
            other word;
  inflect   one word replaced by another form of it that the collection holds (the same letters once a
            common ending is taken off: Eintrags -> Eintrag), and 1 or 2 other words as written;
  umlaut    a word with ä, ö, ü or ß typed with ae, oe, ue, ss, and 1 or 2 other words.
About half are plain, a quarter compound, a fifth inflected, the rest umlaut. Same corpus and seed give the same
file. Score a run with the eval folder's score.py (bench/relevance.sh --known OUT.json runs all engines).
"""
import argparse, collections, json, os, random, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_queries  # noqa: E402 (beside this script)

# The word pattern, the stop list and the transliteration of the speed benchmark's query maker, plus the
# imperatives of help pages (Wählen Sie, Klicken Sie), which open a sentence but name nothing.
STOP = make_queries.STOP | {"wählen", "klicken", "möchten", "lassen", "geben"}
WORD = make_queries.WORD
ENDINGS = ["ern", "en", "er", "es", "em", "e", "n", "s"]
LINKS = ["", "s", "es", "n", "en", "e", "er"]
TRANSLIT = make_queries.TRANSLIT


def paragraphs(article):
    for p in article.get("body", "").split("\n\n"):
        p = " ".join(p.split())
        if p:
            yield p


def key_of(word):
    w = word.lower()
    for e in ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 4:
            return w[: -len(e)]
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source-prefix", default="lo/")
    a = ap.parse_args()
    rnd = random.Random(a.seed)

    df = collections.Counter()  # paragraphs holding a word, case-insensitive
    nouns = collections.Counter()  # paragraphs writing a word capitalised, not as their first word
    anchors = collections.Counter()  # paragraphs beginning with the same first words
    candidates = []  # (article id, paragraph)
    total = 0
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            art = json.loads(line)
            texts = list(paragraphs(art)) + [" ".join(c.get("text", "").split()) for c in art.get("comments", [])]
            for p in texts:
                total += 1
                ws = WORD.findall(p)
                df.update({w.lower() for w in ws})
                nouns.update({w.lower() for w in ws[1:] if w[0].isupper()})
            for p in paragraphs(art):
                words = p.split()
                anchors[" ".join(words[:10])] += 1
                if art["id"].startswith(a.source_prefix) and 12 <= len(words) <= 80:
                    candidates.append((art["id"], p))
    max_df = max(3, int(total * 0.02))
    vocab = {w for w, n in df.items() if n >= 3}
    forms = collections.defaultdict(list)  # key_of -> words of the vocabulary
    for w in sorted(vocab):  # (in order: a set's order changes from run to run)
        if len(w) >= 5:
            forms[key_of(w)].append(w)

    def content(p):
        seen, out = set(), []
        for k, w in enumerate(WORD.findall(p)):
            lw = w.lower()
            if k > 0 and w[0].isupper() and len(w) >= 4 and lw not in STOP and 2 <= df[lw] <= max_df and lw not in seen:
                seen.add(lw)
                out.append(w)
        return out

    def split_compound(w):
        lw = w.lower()
        best = None
        for i in range(3, len(lw) - 3):
            head = lw[i:]
            if len(head) < 4 or nouns[head] < 5:
                continue
            for link in LINKS:
                mod = lw[: i - len(link)] if link else lw[:i]
                if link and not lw[:i].endswith(link):
                    continue
                if len(mod) >= 4 and nouns[mod] >= 5:
                    score = min(df[mod], df[head])
                    if best is None or score > best[0]:
                        best = (score, mod, head)
        return best

    def cap(w):
        return w[:1].upper() + w[1:]

    rnd.shuffle(candidates)
    kinds = ["plain"] * 10 + ["compound"] * 5 + ["inflect"] * 4 + ["umlaut"]
    queries, used = [], set()
    for art_id, p in candidates:
        if len(queries) >= a.count:
            break
        words = p.split()
        anchor = " ".join(words[:10])
        if anchors[anchor] > 3:
            continue
        ws = content(p)
        if len(ws) < 3:
            continue
        kind = kinds[len(queries) % len(kinds)]
        if kind == "plain":
            q = rnd.sample(ws, rnd.choice([2, 2, 3]))
        elif kind == "compound":
            comps = [(w, split_compound(w)) for w in ws if len(w) >= 10 and w[0].isupper()]
            comps = [(w, s) for w, s in comps if s]
            if not comps:
                continue
            w, (_, mod, head) = rnd.choice(comps)
            others = [x for x in ws if x != w]
            q = [cap(mod), cap(head)] + rnd.sample(others, rnd.choice([0, 1]))
        elif kind == "inflect":
            opts = []
            for w in ws:
                alts = [v for v in forms.get(key_of(w), []) if v != w.lower()]
                if alts:
                    opts.append((w, max(alts, key=lambda v: (df[v], v))))
            if not opts:
                continue
            w, v = rnd.choice(opts)
            v = cap(v) if w[0].isupper() else v
            others = [x for x in ws if x != w]
            q = [v] + rnd.sample(others, min(len(others), rnd.choice([1, 2])))
        else:
            um = [w for w in ws if make_queries.UMLAUT.search(w)]
            if not um:
                continue
            w = rnd.choice(um)
            others = [x for x in ws if x != w]
            q = ["".join(TRANSLIT.get(c, c) for c in w)] + rnd.sample(others, min(len(others), rnd.choice([1, 2])))
        text = " ".join(q)
        if text.lower() in used:
            continue
        used.add(text.lower())
        queries.append({"qid": f"g{len(queries) + 1:03d}", "query": text, "expect_empty": False, "note": kind,
                        "article": art_id, "anchors": [{"grade": 2, "text": anchor}]})
    json.dump({"collection": a.corpus, "queries": queries}, open(a.out, "w", encoding="utf-8"), ensure_ascii=False,
              indent=1)
    print(collections.Counter(q["note"] for q in queries), file=sys.stderr)


if __name__ == "__main__":
    main()
