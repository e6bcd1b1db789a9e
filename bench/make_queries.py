#!/usr/bin/env python3
"""Makes the query set of bench/speed.sh from a corpus: one query per line, UTF-8.

usage: bench/make_queries.py CORPUS.jsonl OUT.txt [--count N] [--seed S] [--eval DIR]

The set starts with every development query of the eval folder (DIR/*.json, key "queries"; DIR: --eval, else
$FUNDSTELLE_EVAL, else ../shared/eval beside the repository) and the two card queries (`Beteiligung`,
`Entwicklungszentrum München`, if not among them), then fills up to N (default 300) with queries drawn from the
corpus's own words. A
document is a body paragraph or a comment; a word is a run of letters (umlauts and ß included) of 3 or more,
not in a small stop list; document frequency (df) counts it case-insensitively. Bands: frequent (top 1 % of the
vocabulary by df), middle (below that, df 6 or more), rare (df 2 to 5). Kinds of generated query: a word of
each band; a compound (12 letters or more, ending in a frequent word of 4 letters or more), as a whole or as
its head only; a word with ä, ö, ü or ß, as written, transliterated (ae, oe, ue, ss) or stripped (a, o, u, ss),
as users type. About 40 % have one word, 40 % two, 20 % three; the other words come from the same paragraph
(often) or from the frequent and middle bands. About a third are lower-cased, the rest as in the text.
Duplicates (case-insensitive) are dropped. Same corpus and seed give the same file; memory does not grow with
the corpus (the paragraphs to draw from are a fixed-size sample). Prints the counts per kind to stderr.
"""
import argparse, collections, glob, json, os, random, re, sys

CARDS = ["Beteiligung", "Entwicklungszentrum München"]
STOP = set("""
aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bereits bin bis bist
bzw da dabei dadurch dafür daher damit dann darauf darin das dass daß dem den denen denn der deren des
deshalb dessen die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines
er es etwa euch euer für gegen hat hatte hätte haben habe hier ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres
im in ins ist ja jede jedem jeden jeder jedes kann kein keine keinem keinen keiner können könnte man mehr mit
muss muß müssen nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem seinen seiner seit
sich sie sind so soll sollen sollte sondern sowie um und uns unser unter vom von vor wann war waren warum was
weil welche welchem welchen welcher welches wenn wer werden wie wir wird wo wurde wurden würde zu zum zur
zwar zwischen über sollten worden einige immer wieder jedoch etwas kann
and are but can for from has have not that the this with you your was were will which
""".split())
WORD = re.compile(r"[^\W\d_]{3,}")  # words of 3 letters or more
KINDS = [("frequent", 25), ("middle", 25), ("rare", 20), ("compound", 15), ("umlaut", 15)]
UMLAUT = re.compile(r"[äöüÄÖÜß]")
TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
STRIPPED = {"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"}
SAMPLE = 20000  # paragraphs kept to draw words and pairs from


def die(msg, code=2):
    print(f"make_queries.py: {msg}", file=sys.stderr)
    sys.exit(code)


def content(tokens):
    """The query-worthy words of a token list, as written: 3 letters or more, not a stop word."""
    return [t for t in tokens if len(t) >= 3 and t.lower() not in STOP]


def read_corpus(path, rng):
    """Document frequencies (lower-cased word -> df), the most frequent spelling of each word, and a uniform
    sample of SAMPLE documents (reservoir sampling, so one pass and bounded memory)."""
    df, spellings, sample = collections.Counter(), collections.Counter(), []
    seen = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                a = json.loads(line)
            except ValueError:
                continue
            docs = (a.get("body") or "").split("\n\n") + [c.get("text") or "" for c in a.get("comments") or []]
            for d in docs:
                tokens = WORD.findall(d.replace("\u2010 ", "").replace("\u00ad", ""))  # man's hyphenation
                if not tokens:
                    continue
                spellings.update(tokens)
                df.update(dict.fromkeys(map(str.lower, tokens)).keys())  # keys(): counted in C, in text order
                seen += 1
                if len(sample) < SAMPLE:
                    sample.append(tokens)
                else:
                    j = int(rng.random() * seen)
                    if j < SAMPLE:
                        sample[j] = tokens
    spelling, best = {}, {}
    for w, n in spellings.items():  # the most frequent spelling, the first seen on a tie
        low = w.lower()
        if n > best.get(low, 0):
            spelling[low], best[low] = w, n
    return df, spelling, sample


def dev_queries(eval_dir):
    paths = sorted(glob.glob(os.path.join(eval_dir, "*.json")))
    if not paths:
        die(f"no development queries in {eval_dir} (set --eval or FUNDSTELLE_EVAL)")
    out = []
    for p in paths:
        for q in json.load(open(p, encoding="utf-8")).get("queries", []):
            out.append(q["query"])
    return out


def main():
    ap = argparse.ArgumentParser(description="query set for bench/speed.sh (see the module doc)")
    ap.add_argument("corpus", metavar="CORPUS.jsonl")
    ap.add_argument("out", metavar="OUT.txt")
    ap.add_argument("--count", type=int, default=300, help="number of queries (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--eval", metavar="DIR", help="folder of the development queries (default $FUNDSTELLE_EVAL, "
                    "else ../shared/eval beside the repository)")
    args = ap.parse_args()
    if not os.path.isfile(args.corpus):
        die(f"no corpus {args.corpus}")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    eval_dir = args.eval or os.environ.get("FUNDSTELLE_EVAL") or os.path.join(root, "..", "shared", "eval")
    rng = random.Random(args.seed)
    rnd = rng.random

    queries, keys = [], set()
    counts = {}

    def add(q, kind):
        q = " ".join(q.split())  # no tabs, no line breaks, single spaces
        if q and q.lower() not in keys:
            keys.add(q.lower())
            queries.append(q)
            counts[kind] = counts.get(kind, 0) + 1
            return True
        return False

    for q in dev_queries(eval_dir):
        add(q, "development")
    cards_in_dev = sum(q.lower() in keys for q in CARDS)
    for q in CARDS:
        add(q, "card")

    df, spelling, sample = read_corpus(args.corpus, rng)
    vocab = sorted((w for w in df if w not in STOP), key=lambda w: (-df[w], w))
    if len(vocab) < 100 or not sample:
        die(f"the corpus {args.corpus} has too few words ({len(vocab)}) to draw queries from", 1)
    top = max(1, len(vocab) // 100)
    frequent_set = set(vocab[:top])
    band_of = {}
    for i, w in enumerate(vocab):
        band_of[w] = "frequent" if i < top else "middle" if df[w] >= 6 else "rare" if df[w] >= 2 else None
    # Where each word occurs in the sample (sample documents in order), and the candidates of each kind, in a
    # fixed order (df descending, then the word).
    where = {}
    for i, tokens in enumerate(sample):
        for t in dict.fromkeys(content(tokens)):
            where.setdefault(t.lower(), []).append(i)
    cands = {k: [] for k, _ in KINDS}
    heads = {}
    for w in vocab:
        if w not in where:
            continue
        if band_of[w]:
            cands[band_of[w]].append(w)
            if UMLAUT.search(w):
                cands["umlaut"].append(w)
        if len(w) >= 12:
            for i in range(4, len(w) - 3):  # the longest frequent suffix that leaves 4 letters or more before it
                if w[i:] in frequent_set:
                    heads[w] = w[i:]
                    cands["compound"].append(w)
                    break
    # A small corpus may lack a kind (no word of document frequency 2-5, say): the others share its slots.
    kinds = [(k, w) for k, w in KINDS if cands[k]]
    if not kinds:
        die("the corpus has no candidate words for any kind of query", 1)
    missing = [k for k, _ in KINDS if not cands[k]]
    if missing:
        print(f"make_queries.py: no candidates for {', '.join(missing)}; the other kinds take their share",
              file=sys.stderr)
    extra_pool = cands["frequent"] + cands["middle"]

    def pick(xs):
        return xs[int(rnd() * len(xs))]

    def quota(shares, n):
        """n slots shared out by the weights (largest remainders), in a random order."""
        total = sum(w for _, w in shares)
        got = [(k, n * w // total) for k, w in shares]
        rest = n - sum(c for _, c in got)
        order = sorted(range(len(shares)), key=lambda i: (-(n * shares[i][1] % total), i))
        got = [(k, c + (1 if i in order[:rest] else 0)) for i, (k, c) in enumerate(got)]
        plan = [k for k, c in got for _ in range(c)]
        rng.shuffle(plan)
        return plan

    todo = max(0, args.count - len(queries))
    plan = list(zip(quota(kinds, todo), quota([(1, 40), (2, 40), (3, 20)], todo)))
    attempts = 0
    # A kind with few candidates (the rare words of a scaled corpus, whose Markov chain repeats words) runs
    # out of queries not made yet: after 200 tries in vain its slot goes to the kind with the most candidates.
    largest = max((k for k, _ in kinds), key=lambda k: len(cands[k]))
    for kind, n in plan:
        tries = 0
        while True:
            attempts += 1
            tries += 1
            if attempts > 100 * args.count:
                die(f"could only make {len(queries)} distinct queries", 1)
            if tries > 200 and kind != largest:
                kind, tries = largest, 0
            low = pick(cands[kind])
            doc = sample[pick(where[low])]
            words = content(doc)
            main = next((t for t in words if t.lower() == low), spelling[low])
            sub = ""
            if kind == "compound":
                if rnd() < 0.5:
                    sub = "whole"
                else:
                    sub = "head"
                    head = main[len(main) - len(heads[low]):]
                    main = head[0].upper() + head[1:] if main[0].isupper() else head
            q = [main]
            others = list(dict.fromkeys(t for t in words if t.lower() != low))
            while len(q) < n:
                if others and rnd() < 0.8:  # co-occurring in the paragraph
                    w = others.pop(int(rnd() * len(others)))
                else:
                    w = spelling[pick(extra_pool)]
                if w.lower() not in (x.lower() for x in q):
                    q.append(w)
                elif not others:
                    break
            text = " ".join(q)
            if kind == "umlaut":
                r = rnd()
                if r < 0.4:
                    sub = "as written"
                elif r < 0.7:
                    sub, text = "transliterated", UMLAUT.sub(lambda m: TRANSLIT[m.group()], text)
                else:
                    sub, text = "stripped", UMLAUT.sub(lambda m: STRIPPED[m.group()], text)
            lower = rnd() < 1 / 3
            if lower:
                text = text.lower()
            if add(text, kind):
                keys_of = [f"{kind}: {sub}"] if sub else []
                for key in keys_of + [f"{len(q)} word", "lower-cased" if lower else "as written"]:
                    counts[key] = counts.get(key, 0) + 1
                break

    with open(args.out, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(q + "\n")
    generated = len(queries) - counts.get("card", 0) - counts.get("development", 0)
    c = lambda k: counts.get(k, 0)
    print(f"make_queries.py: {len(queries)} queries: {c('development')} development, card queries "
          f"{c('card') + cards_in_dev} ({cards_in_dev} among the development ones), {generated} generated: "
          f"frequent {c('frequent')}, middle {c('middle')}, rare {c('rare')}, compound {c('compound')} "
          f"(whole {c('compound: whole')}, head {c('compound: head')}), umlaut {c('umlaut')} (as written "
          f"{c('umlaut: as written')}, transliterated {c('umlaut: transliterated')}, "
          f"stripped {c('umlaut: stripped')}); "
          f"generated by words 1/2/3: {c('1 word')}/{c('2 word')}/{c('3 word')}, lower-cased {c('lower-cased')}",
          file=sys.stderr)
    print(f"make_queries.py: vocabulary {len(vocab)} words, frequent = top {top} (df >= {df[vocab[top - 1]]}), "
          f"candidates in the sample of {len(sample)} documents: "
          + ", ".join(f"{k} {len(cands[k])}" for k, _ in KINDS), file=sys.stderr)


if __name__ == "__main__":
    main()
