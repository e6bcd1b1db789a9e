#!/usr/bin/env python3
"""Builds the German corpus for bench/speed.sh, at any size.

usage: bench/build_corpus.py OUT.jsonl [--scale SIZE] [--seed N] [--eval DIR] [--seeds DIR] [--base FEED]

The base is the collection of DIR/build_collection.py (DIR: --eval, else $FUNDSTELLE_EVAL, else ../shared/eval
beside the repository; seed articles from --seeds, default the repository's corpus/; needs libreoffice-help-de,
manpages-de, fortunes-de), written to OUT as it is. --base FEED takes an already built base instead (copied to
OUT), which saves the builder's few minutes when only the scale changes.

--scale SIZE (200M, 1G, 1.5G, 500k, or bytes; decimal units as speed.sh counts MB) appends generated articles
until the text (title, body and comment texts in UTF-8 bytes, as speed.sh measures it) reaches SIZE. The
generator is a word-level Markov chain of order 2 (falling back to order 1, then to unigrams, for a state never
seen) trained on the base's body paragraphs, and a second one trained on its comments; titles come from the
body chain, short. Paragraphs per article, words per paragraph, comments per article, words per comment and
words per title are drawn from the base's own distributions. Articles are `scaled/000001`, ... with a url,
a published date-time and an author derived from their number and the seed; comments have an id, an author
and a date-time. Same --seed (default 1) and SIZE give the same bytes; memory does not grow with SIZE.

Prints one line to stderr: articles, paragraphs and comments, MB of text, seconds. Exit 2 for a bad SIZE or a
missing builder or package.
"""
import argparse, datetime, json, os, random, re, shutil, subprocess, sys, time

PACKAGES = [  # what build_collection.py reads: (package, path that must exist)
    ("libreoffice-help-de", "/usr/share/libreoffice/help/de/text"),
    ("manpages-de", "/usr/share/man/de"),
    ("fortunes-de", "/usr/share/games/fortunes/de"),
]
AUTHORS = ["Anna Becker", "Jonas Schmidt", "Lea Wagner", "Lukas Hoffmann", "Marie Schäfer", "Felix Koch",
           "Sophie Richter", "Paul Klein", "Emma Wolf", "Leon Schröder", "Mia Neumann", "Noah Schwarz",
           "Hannah Zimmermann", "Elias Braun", "Lena Krüger", "Ben Hofmann", "Clara Hartmann", "Finn Lange",
           "Ida Schmitt", "Jakob Werner", "Greta Krause", "Moritz Meier", "Frieda Lehmann", "Karl Schmid"]
SENTENCE_END = (".", "!", "?", "\u201c", "\"")  # a word that may end a paragraph
TITLE_TAIL = set("der die das den dem des ein eine einen einem einer eines und oder mit von zu zum zur im in auf für "
                 "an am bei aus sie wie als ist sind wird werden nach über unter vor durch dass ob sich es nicht "
                 "the and of to a".split())  # words a generated title does not end in
START = datetime.datetime(2018, 1, 1, 6, 0)


def die(msg, code=2):
    print(f"build_corpus.py: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_size(s):
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([kKmMgGtT]?)[bB]?\s*", s)
    if not m:
        die(f"bad SIZE '{s}' (examples: 200M, 1G, 1.5G, 500k, 123456)")
    n = float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}[m.group(2).lower()]
    if n < 1:
        die(f"bad SIZE '{s}': must be at least one byte")
    return int(n)


def text_bytes(a):
    """The text of one article as speed.sh counts it: title, body and comment texts, UTF-8 bytes."""
    parts = [a.get("title") or "", a.get("body") or ""] + [c.get("text") or "" for c in a.get("comments") or []]
    return sum(len(p.encode("utf-8")) for p in parts)


class Chain:
    """Word-level Markov chain of order 2 over paragraphs. A state is a pair of words (word 0 is the start of a
    paragraph), numbered from 1; state 0 is the end of a paragraph and state 1 its start. Each state keeps the
    list of the states that followed it in training, repeats included, so a uniform draw from that list is a draw
    by frequency (what cumulative weights and bisect would give, in O(1)), and generating needs no dict."""

    def __init__(self, vocab):
        self.vocab = vocab            # shared by the chains: word -> id, id 0 = no word
        self.key = {0: 1}             # (w1 << 32) | w2 -> state; only while training
        self.succ = [None, []]        # state -> [next states]
        self.word = [0, 0]            # state -> its last word id
        self.order1 = None            # the fallbacks, made only if ever needed: word -> [next states]
        self.unigram = None           # every state entered in training, repeats included

    def train(self, words):
        vocab, key, succ = self.vocab, self.key, self.succ
        s, b = 1, 0
        for w in words:
            c = vocab.setdefault(w, len(vocab))
            k = (b << 32) | c
            t = key.get(k)
            if t is None:
                t = key[k] = len(succ)
                succ.append([])
                self.word.append(c)
            succ[s].append(t)
            s, b = t, c
        succ[s].append(0)

    def done(self):
        """Ends the training: frees what only training needs."""
        self.key = None

    def may_end(self, words):
        """Per state: whether a paragraph may end there (it ended one in training, or its word ends a sentence)."""
        return [bool(nexts) and (0 in nexts or words[w].endswith(SENTENCE_END))
                for nexts, w in zip(self.succ, self.word)]

    def fallback(self, s):
        """Successors for a state that has none (order 1 on its last word, else every word): cannot happen for
        a chain that only reaches states it saw followed, kept for any other use."""
        if self.order1 is None:
            self.order1, self.unigram = {}, []
            for st, nexts in enumerate(self.succ):
                if nexts:
                    self.order1.setdefault(self.word[st], []).extend(nexts)
                    self.unigram.extend(t for t in nexts if t)
        return self.order1.get(self.word[s]) or self.unigram

    def generate(self, rnd, target, ends, early=0.7, cap=None):
        """States (words) of about `target` words: stops at the first sentence end once `target` is reached, at
        the chain's paragraph end once `early * target` is reached (a paragraph end before that starts a new
        sentence), and at `cap` words at the latest (default: a quarter more, at most 30 words more; with these
        defaults the lengths come out close to the targets' distribution)."""
        if cap is None:
            cap = target + min(30, max(1, target // 4))
        succ = self.succ
        out = []
        s = 1
        while True:
            nexts = succ[s] or self.fallback(s)
            s = nexts[int(rnd() * len(nexts))]
            if not s:
                if len(out) >= early * target:
                    return out
                s = 1
                continue
            out.append(s)
            n = len(out)
            if (n >= target and ends[s]) or n >= cap:
                return out


def run_builder(out, eval_dir, seeds):
    builder = os.path.join(eval_dir, "build_collection.py")
    if not os.path.isfile(builder):
        die(f"the builder {builder} is missing (set --eval or FUNDSTELLE_EVAL to the folder of build_collection.py)")
    if not os.path.isdir(seeds):
        die(f"the seed folder {seeds} is missing (--seeds)")
    missing = [pkg for pkg, path in PACKAGES if not os.path.isdir(path) or not os.listdir(path)]
    if not shutil.which("man"):
        missing.append("man-db (the man command)")
    if missing:
        die("missing package(s): " + ", ".join(missing) + " (apt-get install libreoffice-help-de manpages-de "
            "fortunes-de man-db)")
    r = subprocess.run([sys.executable, builder, out, "--seeds", seeds], stdout=subprocess.PIPE)
    if r.returncode != 0:
        sys.stderr.write(r.stdout.decode("utf-8", "replace"))
        die(f"{builder} failed (exit {r.returncode})", 1)


def main():
    ap = argparse.ArgumentParser(description="German benchmark corpus for bench/speed.sh (see the module doc)")
    ap.add_argument("out", metavar="OUT.jsonl")
    ap.add_argument("--scale", metavar="SIZE", help="text size to reach with generated articles: 200M, 1G, ...")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    ap.add_argument("--eval", metavar="DIR", help="folder of build_collection.py (default $FUNDSTELLE_EVAL, "
                    "else ../shared/eval beside the repository)")
    ap.add_argument("--seeds", metavar="DIR", help="seed articles for the builder (default: the repository's corpus/)")
    ap.add_argument("--base", metavar="FEED", help="an already built base corpus to start from instead of the builder")
    args = ap.parse_args()
    size = parse_size(args.scale) if args.scale is not None else None
    t0 = time.time()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if args.base:
        if not os.path.isfile(args.base):
            die(f"no base corpus {args.base}")
        if os.path.exists(args.out) and os.path.samefile(args.base, args.out):
            die("--base and OUT are the same file")
        shutil.copyfile(args.base, args.out)
    else:
        eval_dir = args.eval or os.environ.get("FUNDSTELLE_EVAL") or os.path.join(root, "..", "shared", "eval")
        run_builder(args.out, eval_dir, args.seeds or os.path.join(root, "corpus"))

    # Read the base: its size, and (to scale) the chains and the distributions.
    scale = size is not None
    vocab = {"": 0}
    body, comm = Chain(vocab), Chain(vocab)
    n_paras, para_len, n_comments, comment_len, title_len = [], [], [], [], []
    articles = units = total = 0
    with open(args.out, encoding="utf-8") as f:
        for line in f:
            try:
                a = json.loads(line)
            except ValueError:
                continue
            articles += 1
            total += text_bytes(a)
            paras = [p.split() for p in (a.get("body") or "").split("\n\n")]
            paras = [p for p in paras if p]
            comments = [(c.get("text") or "").split() for c in a.get("comments") or []]
            comments = [c for c in comments if c]
            units += len(paras) + len(comments)
            if not scale:
                continue
            if paras:
                n_paras.append(len(paras))
            n_comments.append(len(comments))
            title = (a.get("title") or "").split()
            if title:
                title_len.append(len(title))
            for p in paras:
                para_len.append(len(p))
                body.train(p)
            for c in comments:
                comment_len.append(len(c))
                comm.train(c)
    base_articles = articles
    if scale and total < size:
        title_len = title_len or [3]
        if not para_len or not comment_len:
            die("the base corpus has no paragraphs or no comments to learn from", 1)
        body.done()
        comm.done()
        vocab_words = [""] * len(vocab)
        for w, i in vocab.items():
            vocab_words[i] = w
        vocab = None
        # Per state of each chain: its word, and whether the word may end a paragraph.
        bwords, cwords = [vocab_words[i] for i in body.word], [vocab_words[i] for i in comm.word]
        bends, cends = body.may_end(vocab_words), comm.may_end(vocab_words)
        rng = random.Random(args.seed)
        rnd = rng.random
        pick = lambda xs: xs[int(rnd() * len(xs))]
        join = " ".join
        with open(args.out, "a", encoding="utf-8") as w:
            k = 0
            while total < size:
                k += 1
                aid = f"scaled/{k:06d}"
                when = START + datetime.timedelta(minutes=17 * k)
                tl = min(max(pick(title_len), 2), 10)
                title = [bwords[i] for i in body.generate(rnd, tl, bends, early=0, cap=tl + 3)]
                while len(title) > 1 and title[-1].lower().rstrip(",;:-") in TITLE_TAIL:
                    title.pop()
                title = join(title).rstrip(",;:-")
                paras = []
                for _ in range(pick(n_paras)):
                    t = pick(para_len)
                    paras.append(join([bwords[i] for i in body.generate(rnd, t, bends)]))
                comments = []
                for j in range(pick(n_comments)):
                    t = pick(comment_len)
                    at = when + datetime.timedelta(minutes=13 * (j + 1))
                    comments.append({"id": f"{aid}/c{j + 1}", "author": f"leser{rng.randrange(1, 10000)}",
                                     "published": at.strftime("%Y-%m-%dT%H:%M:00Z"),
                                     "text": join([cwords[i] for i in comm.generate(rnd, t, cends)])})
                rec = {"id": aid, "title": title, "url": f"https://www.example.org/{aid}",
                       "published": when.strftime("%Y-%m-%dT%H:%M:00Z"), "author": pick(AUTHORS),
                       "body": "\n\n".join(paras), "comments": comments}
                w.write(json.dumps(rec, ensure_ascii=False) + "\n")
                articles += 1
                units += len(paras) + len(comments)
                total += text_bytes(rec)
    generated = articles - base_articles
    print(f"build_corpus.py: {articles} articles ({base_articles} base, {generated} generated), {units} paragraphs "
          f"and comments, {total / 1e6:.1f} MB of text, {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
