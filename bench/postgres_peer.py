#!/usr/bin/env python3
"""postgres_peer: the PostgreSQL 15 full-text-search peer of bench/speed.sh, done the way a PostgreSQL user
would do it: a table of documents with a generated `tsvector` column (to_tsvector('german', ...)), a GIN index
on it, queries parsed by plainto_tsquery('german', ...) and OR-ed, ranked by ts_rank_cd, top 10 with
ts_headline snippets. It mirrors bench/plain_xapian.cpp (same documents, same output lines) and
bench/latency.h (same latency measurement).

  postgres_peer.py index DATA_DIR FEED.jsonl          a fresh cluster in DATA_DIR, loaded and indexed, stopped
  postgres_peer.py latency DATA_DIR QUERIES.txt [REPEAT]   query latency (as bench/latency.h): top 10 with snippets

Needs the PostgreSQL 15 server binaries (default /usr/lib/postgresql/15/bin; override with PG_BINDIR) and
psycopg2 (Debian: python3-psycopg2, which is installed for /usr/bin/python3 only; when started by another
python3 without psycopg2 the script re-executes itself with /usr/bin/python3, same process id, so
/usr/bin/time still measures it). PostgreSQL refuses to run as root: when run as root, initdb and pg_ctl run
as the `postgres` user (runuser), DATA_DIR is given to that user, and any directory above DATA_DIR that the
postgres user cannot enter gets the search bit for others (o+x; e.g. a `mktemp -d` folder), with a note on
stderr. The server listens only on a unix socket in DATA_DIR (no TCP). Server settings are the defaults of
initdb (fsync on, shared_buffers 128MB, maintenance_work_mem 64MB, ...); only the connection settings change.

Errors: a message on stderr and exit status 2.
"""
import os
import sys

try:
    import psycopg2
except ImportError:
    _SYSTEM_PYTHON = "/usr/bin/python3"
    if (os.path.exists(_SYSTEM_PYTHON) and not os.environ.get("POSTGRES_PEER_REEXEC")
            and os.path.realpath(sys.executable) != os.path.realpath(_SYSTEM_PYTHON)):
        os.environ["POSTGRES_PEER_REEXEC"] = "1"
        os.execv(_SYSTEM_PYTHON, [_SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    sys.stderr.write("postgres_peer: psycopg2 is missing (Debian: apt-get install python3-psycopg2)\n")
    sys.exit(2)

import json
import pwd
import stat
import subprocess
import time

PG_BINDIR = os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin")
PG_USER = "postgres"  # the cluster's superuser (initdb -U), whoever runs the server
PORT = 5432  # only names the socket file (DATA_DIR/.s.PGSQL.5432); no TCP
TOP_K = 10
BLANK = " \t\r\n\f\v"  # plain_xapian's blank()

# The table: one row per document. `tsv` is a stored generated column, the usual way since PostgreSQL 12 (the
# documentation's "12.2.2 Creating Indexes" example): the backend computes to_tsvector('german', text) for
# every row while COPY loads it, and it stays in step with `text` without triggers. Indexes are built after
# the load (the documentation's advice for populating a database), then ANALYZE, as a bulk loader would.
SCHEMA = """
CREATE TABLE docs (
    id integer NOT NULL,
    article text NOT NULL,
    text text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('german', text)) STORED
)"""
INDEXES = [
    "CREATE INDEX docs_tsv ON docs USING gin (tsv)",
    "ALTER TABLE docs ADD CONSTRAINT docs_pkey PRIMARY KEY (id)",
    "ANALYZE docs",
]

# One statement per query, top 10 with snippets.
# - The query: plainto_tsquery('german', q) parses the text as the documents are parsed (german snowball
#   stemmer, german stop words dropped) and ANDs the lexemes; the other peers OR the words of a query
#   (Xapian QueryParser with OP_OR), so the ANDs become ORs. websearch_to_tsquery is the usual parser for
#   user input, but its output can hold negations ("-word" gives & !'word'), which an & -> | rewrite would
#   turn into "| !'word'" (matching nearly every row); plainto_tsquery only ever produces & between words
#   and <-> inside a word the parser splits (E-Mail-Adresse), and its text form quotes every lexeme and
#   writes the operator as " & ", which no lexeme can contain (the parser splits at spaces), so replacing
#   " & " by " | " in the text form and casting back is exact. The eval queries have no syntax anyway. A
#   query of stop words only gives an empty tsquery, which matches nothing (PostgreSQL prints a NOTICE).
#   All of it is immutable on a literal, so the planner folds it into a constant for the GIN index scan.
# - Ranking: ts_rank_cd (cover density), ties by id.
# - Snippets: ts_headline('german', text, query) with its defaults (MinWords 15, MaxWords 35, <b>..</b>),
#   computed in the outer query only for the 10 rows the LIMIT subquery keeps.
QUERY = """
SELECT top.id, ts_headline('german', top.text, top.q), top.rank
FROM (
    SELECT d.id, d.text, q.q, ts_rank_cd(d.tsv, q.q) AS rank
    FROM docs d,
         (SELECT replace(plainto_tsquery('german', %s)::text, ' & ', ' | ')::tsquery AS q) q
    WHERE d.tsv @@ q.q
    ORDER BY rank DESC, d.id
    LIMIT 10
) top
ORDER BY top.rank DESC, top.id"""


class Fail(Exception):
    pass


def usage():
    sys.stderr.write("usage: postgres_peer.py index DATA_DIR FEED.jsonl\n"
                     "       postgres_peer.py latency DATA_DIR QUERIES.txt [REPEAT]\n")
    return 2


def is_root():
    return os.geteuid() == 0


def pg_binary(name):
    path = os.path.join(PG_BINDIR, name)
    if not os.access(path, os.X_OK):
        raise Fail(f"{path} is missing (install postgresql-15, or set PG_BINDIR)")
    return path


def run_as_server_user(argv):
    """Runs a PostgreSQL program: as the postgres user when we are root, else directly. Returns its output."""
    if is_root():
        argv = ["runuser", "-u", PG_USER, "--"] + argv
    try:
        # cwd "/": the postgres user may not be allowed into our working directory (e.g. /root).
        res = subprocess.run(argv, cwd="/", stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except OSError as e:
        raise Fail(f"cannot run {argv[0]}: {e}")
    if res.returncode != 0:
        raise Fail(f"{' '.join(argv)} failed (exit {res.returncode}):\n{res.stdout}{res.stderr}".rstrip())
    return res.stdout


def server_user():
    try:
        return pwd.getpwnam(PG_USER)
    except KeyError:
        raise Fail(f"running as root, but there is no user '{PG_USER}' to run the server as")


def let_server_user_reach(path):
    """As root: make sure the postgres user can enter every directory above `path`."""
    pw = server_user()
    groups = set(os.getgrouplist(pw.pw_name, pw.pw_gid))
    d = os.path.dirname(path)
    while True:
        st = os.stat(d)
        if st.st_uid == pw.pw_uid:
            ok = st.st_mode & stat.S_IXUSR
        elif st.st_gid in groups:
            ok = st.st_mode & stat.S_IXGRP
        else:
            ok = st.st_mode & stat.S_IXOTH
        if not ok:
            os.chmod(d, stat.S_IMODE(st.st_mode) | stat.S_IXOTH)
            sys.stderr.write(f"postgres_peer: note: gave others search permission (o+x) on {d} so that the "
                             f"'{PG_USER}' user can reach the data directory\n")
        if d == "/":
            break
        d = os.path.dirname(d)


def check_socket_path(data_dir):
    sock = os.fsencode(os.path.join(data_dir, f".s.PGSQL.{PORT}"))
    if len(sock) > 107:  # sizeof(sun_path) - 1 on Linux
        raise Fail(f"DATA_DIR path too long for a unix socket ({len(sock)} bytes with the socket name, 107 at most)")


def start_server(data_dir):
    if not os.path.exists(os.path.join(data_dir, "PG_VERSION")):
        raise Fail(f"{data_dir} is not a PostgreSQL data directory (run 'index' first)")
    if os.path.exists(os.path.join(data_dir, "postmaster.pid")):
        raise Fail(f"{data_dir}/postmaster.pid exists: a server is running there, or was not stopped cleanly "
                   f"(stop it: pg_ctl -D {data_dir} stop)")
    if is_root():
        let_server_user_reach(data_dir)
    log = os.path.join(data_dir, "server.log")
    try:
        run_as_server_user([pg_binary("pg_ctl"), "-D", data_dir, "-l", log, "-w", "-t", "120", "start"])
    except Fail as e:
        tail = ""
        try:
            with open(log, encoding="utf-8", errors="replace") as f:
                tail = "".join(f.readlines()[-15:])
        except OSError:
            pass
        raise Fail(f"{e}\nserver log ({log}):\n{tail}".rstrip())


def stop_server(data_dir):
    if not os.path.exists(os.path.join(data_dir, "postmaster.pid")):
        return
    try:
        run_as_server_user([pg_binary("pg_ctl"), "-D", data_dir, "-m", "fast", "-w", "stop"])
    except Fail as e:
        sys.stderr.write(f"postgres_peer: warning: could not stop the server: {e}\n")


def connect(data_dir):
    # host = a directory: the unix socket there. Every connection setting explicit, so PG* variables of the
    # environment do not matter.
    conn = psycopg2.connect(host=data_dir, port=PORT, user=PG_USER, dbname="postgres", sslmode="disable")
    conn.autocommit = True
    return conn


def vm_hwm_kb(pid):
    """Peak resident set size (VmHWM) of a process, in KB; 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(ppid):
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == ppid:  # fields after "(comm)": state, ppid, ...
            out.append(int(name))
    return out


# ---- index ----

def copy_escape(s):
    # COPY text format: backslash, tab, newline and carriage return escaped; NUL cannot be stored in a
    # PostgreSQL text value (it separates no words for Xapian either), so it is dropped.
    return s.translate(COPY_ESCAPES)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": ""})


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN/Infinity, nlohmann::json does not


def feed_documents(feed, stats):
    """Yields (article, text) per document the way plain_xapian's index_jsonl makes them: every body
    paragraph (a run of non-blank lines, split at blank lines, lines joined with \\n) and every comment text,
    skipping blank ones; the title is not indexed. Lines that are not valid UTF-8 JSON objects with a string
    'body' are counted as bad, with a warning, as in plain_xapian."""
    with open(feed, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip(BLANK.encode()):
                continue
            try:
                rec = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
            except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                sys.stderr.write(f"warning: {feed}:{lineno}: not JSON ({e}); skipped\n")
                stats["bad"] += 1
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("body"), str):
                sys.stderr.write(f"warning: {feed}:{lineno}: no string 'body'; skipped\n")
                stats["bad"] += 1
                continue
            article = rec.get("id")
            article = article if isinstance(article, str) else str(lineno if article is None else article)
            texts = []
            para = []
            for line in rec["body"].split("\n"):
                if line.strip(BLANK):
                    para.append(line)
                elif para:
                    texts.append("\n".join(para))
                    para = []
            if para:
                texts.append("\n".join(para))
            comments = rec.get("comments")
            if isinstance(comments, list):
                for c in comments:
                    if isinstance(c, dict) and isinstance(c.get("text"), str) and c["text"].strip(BLANK):
                        texts.append(c["text"])
            for t in texts:
                yield article, t


class CopySource:
    """A file-like object for cursor.copy_expert that produces the COPY text-format rows while COPY reads,
    so the feed is never held in memory as a whole."""

    def __init__(self, feed, stats):
        self.docs = feed_documents(feed, stats)
        self.stats = stats

    def read(self, size=-1):
        pieces, n = [], 0
        for article, text in self.docs:
            # Lone surrogates (from \\uD800-style escapes) are not UTF-8: nlohmann::json rejects such a line,
            # here the document is skipped.
            try:
                row = f"{self.stats['docs'] + 1}\t{copy_escape(article)}\t{copy_escape(text)}\n".encode("utf-8")
            except UnicodeEncodeError:
                sys.stderr.write(f"warning: a document of article {article!r} is not valid Unicode; skipped\n")
                continue
            self.stats["docs"] += 1
            pieces.append(row)
            n += len(row)
            if 0 <= size <= n:
                break
        return b"".join(pieces)


def cmd_index(data_dir, feed):
    t0 = time.perf_counter()
    data_dir = os.path.abspath(data_dir)
    initdb = pg_binary("initdb")
    pg_binary("pg_ctl")
    if not os.path.isfile(feed) or not os.access(feed, os.R_OK):
        raise Fail(f"cannot read {feed}")
    if os.path.exists(data_dir):
        if not os.path.isdir(data_dir):
            raise Fail(f"{data_dir} exists and is not a directory")
        if os.listdir(data_dir):
            raise Fail(f"{data_dir} is not empty (index makes a fresh cluster)")
    else:
        os.makedirs(data_dir)
    check_socket_path(data_dir)
    if is_root():
        pw = server_user()
        os.chown(data_dir, pw.pw_uid, pw.pw_gid)
        let_server_user_reach(data_dir)

    phases = []
    t = time.perf_counter()
    # Locale C.UTF-8 with UTF8 encoding: byte-order collation like C (no glibc collation cost, nothing we
    # sort by text), but the character classes and case mapping of Unicode, which the text-search parser
    # and lowercasing use: under plain C, "Über" would not be lowercased to "über" (only ASCII is), so the
    # same word would be indexed differently at the start of a sentence.
    run_as_server_user([initdb, "-D", data_dir, "-U", PG_USER, "--auth=trust", "--locale=C.UTF-8",
                        "--encoding=UTF8"])
    # Connections: the unix socket in DATA_DIR only. The only settings changed from initdb's defaults.
    with open(os.path.join(data_dir, "postgresql.conf"), "a", encoding="utf-8") as f:
        f.write("\n# bench/postgres_peer.py: a unix socket in the data directory only, no TCP\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{data_dir.replace(chr(39), chr(39) * 2)}'\n"
                f"port = {PORT}\n")
    phases.append(("initdb", time.perf_counter() - t))

    t = time.perf_counter()
    start_server(data_dir)
    stats = {"docs": 0, "bad": 0}
    try:
        conn = connect(data_dir)
        phases.append(("start", time.perf_counter() - t))
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        t = time.perf_counter()
        cur.execute(SCHEMA)
        cur.copy_expert("COPY docs (id, article, text) FROM STDIN", CopySource(feed, stats), size=1 << 20)
        phases.append(("load + tsvector", time.perf_counter() - t))
        t = time.perf_counter()
        for sql in INDEXES:
            cur.execute(sql)
        phases.append(("GIN + primary key + analyze", time.perf_counter() - t))
        t = time.perf_counter()
        cur.execute("CHECKPOINT")  # durable; the shutdown below checkpoints again (little left to write)
        phases.append(("checkpoint", time.perf_counter() - t))
        cur.execute("SELECT pg_total_relation_size('docs'), pg_table_size('docs'), "
                    "pg_relation_size('docs_tsv'), pg_relation_size('docs_pkey')")
        total, table, gin, pkey = cur.fetchone()
        # Server memory: /usr/bin/time sees only its own process tree, and the postmaster is not in it (pg_ctl
        # leaves it running on its own), so the peak of the server is read here: VmHWM (peak resident set)
        # of the postmaster plus that of the backend that did the work (COPY with to_tsvector, index builds).
        # Both count the pages of shared memory (shared_buffers 128MB) they touched, so a shared page touched
        # by both is counted twice; the postmaster touches few. Not counted: the other server processes
        # (checkpointer, background writer, WAL writer, autovacuum; their peaks are mostly the same shared
        # buffers) and parallel workers of the primary-key build (gone by now); reported in parentheses.
        with open(os.path.join(data_dir, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        pm_kb, be_kb = vm_hwm_kb(postmaster), vm_hwm_kb(backend)
        others = [vm_hwm_kb(p) for p in children_of(postmaster) if p != backend]
        conn.close()
    finally:
        t = time.perf_counter()
        stop_server(data_dir)
        phases.append(("stop", time.perf_counter() - t))
    secs = time.perf_counter() - t0
    print(f"files: 1, documents: {stats['docs']} indexed, bad feed lines: {stats['bad']} in {secs:.2f} s")
    print(f"index size: {total} bytes (table with TOAST {table}, GIN {gin}, primary key {pkey})")
    print(f"server peak: {round((pm_kb + be_kb) / 1024)} MB (VmHWM of postmaster {pm_kb} KB + loading backend "
          f"{be_kb} KB; {len(others)} other server processes not counted, largest {max(others, default=0)} KB)")
    print("phases: " + ", ".join(f"{name} {s:.2f} s" for name, s in phases))
    return 0


# ---- latency ----

def read_queries(path):
    """One query per line, blank lines (only spaces, tabs, CRs) skipped: bench/latency.h's read_queries."""
    out = []
    with open(path, "rb") as f:
        for line in f.read().split(b"\n"):
            if line.strip(b" \t\r"):
                out.append(line.decode("utf-8", errors="replace"))
    return out


def measure_latency(queries, repeat, run):
    """bench/latency.h's measure_latency: one warm-up pass (counting hits), then `repeat` timed passes."""
    hits = 0
    for q in queries:
        hits += run(q)
    ms = []
    for _ in range(repeat):
        for q in queries:
            t0 = time.perf_counter()
            run(q)
            ms.append((time.perf_counter() - t0) * 1000.0)
    ms.sort()

    def pct(p):
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else 0.0

    mean = sum(ms) / len(ms) if ms else 0.0
    print(f"latency: queries {len(queries)}, timed {len(ms)}, p50 {pct(0.50):.3f} ms, p95 {pct(0.95):.3f} ms, "
          f"p99 {pct(0.99):.3f} ms, mean {mean:.3f} ms, hits {hits}")


def cmd_latency(data_dir, queries_path, repeat):
    data_dir = os.path.abspath(data_dir)
    pg_binary("pg_ctl")
    try:
        queries = read_queries(queries_path)
    except OSError as e:
        raise Fail(f"cannot read {queries_path}: {e}")
    check_socket_path(data_dir)
    start_server(data_dir)
    try:
        conn = connect(data_dir)
        cur = conn.cursor()
        # Not timed: which queries lose every word to the german stop-word list (they match nothing here,
        # while the Xapian peers search every word).
        empty = []
        for q in queries:
            cur.execute("SELECT numnode(plainto_tsquery('german', %s)) = 0", (q,))
            if cur.fetchone()[0]:
                empty.append(q)
        if empty:
            sys.stderr.write(f"postgres_peer: note: {len(empty)} queries have only stop words (no hits): "
                             + ", ".join(repr(q) for q in empty[:10]) + "\n")
        snippet_bytes = 0

        def run(q):
            nonlocal snippet_bytes
            cur.execute(QUERY, (q,))
            rows = cur.fetchall()
            snippet_bytes += sum(len(r[1]) for r in rows)
            return len(rows)

        measure_latency(queries, repeat, run)
        conn.close()
    finally:
        stop_server(data_dir)
    return 0 if snippet_bytes > 0 else 1  # as plain_xapian: 1 when no query produced a snippet


def main(argv):
    args = argv[1:]
    if len(args) == 3 and args[0] == "index":
        return cmd_index(args[1], args[2])
    if len(args) in (3, 4) and args[0] == "latency":
        try:
            repeat = int(args[3]) if len(args) == 4 else 3
        except ValueError:
            return usage()
        if repeat < 0:
            return usage()
        return cmd_latency(args[1], args[2], repeat)
    return usage()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Fail as e:
        sys.stderr.write(f"postgres_peer: {e}\n")
        sys.exit(2)
    except psycopg2.Error as e:
        sys.stderr.write(f"postgres_peer: PostgreSQL: {str(e).strip()}\n")
        sys.exit(2)
    except OSError as e:
        sys.stderr.write(f"postgres_peer: {e}\n")
        sys.exit(2)
