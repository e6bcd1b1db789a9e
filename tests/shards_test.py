#!/usr/bin/env python3
"""Shards searched as one index, local and remote (issue #7).

usage: shards_test.py FUNDSTELLE ROOT

Indexes the seed corpus (and, when Debian's libreoffice-help-de is there, the LibreOffice collection of
shared/eval) into one index and into an index of three shards (`fundstelle index --shards 3`), serves each
shard with its own xapian-tcpsrv on a loopback port, and checks:
- the development queries (shared/eval) give the same ranking on one index, on the sharded index, on a
  hand-written stub listing its three shards, and on a stub of the three remote servers: the same scores in
  the same order and the same passages for each score (passages of equal score may stand in another order,
  as document ids differ);
- a stopped shard gives a clear error naming it (exit 2), and with --allow-partial results from the others
  with a warning; a shard that hangs (SIGSTOP) does the same after --shard-timeout, never a hang;
- a long-running `fundstelle serve` over the remote shards survives a shard going away mid-life: 503 with
  the shard named, or with --allow-partial 200 and a warning; and it goes on answering when the shard
  servers close its connections as idle, and when a shard server is restarted.
Skipped (77) without xapian-tcpsrv (Debian's xapian-tools) or without the development queries.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

fundstelle, root = sys.argv[1], sys.argv[2]
eval_dir = os.environ.get("FUNDSTELLE_EVAL", os.path.join(root, "..", "shared", "eval"))
tcpsrv = shutil.which("xapian-tcpsrv")
if not tcpsrv:
    print("skipped: xapian-tcpsrv (Debian: xapian-tools) is not installed")
    sys.exit(77)
if not os.path.isfile(os.path.join(eval_dir, "seed-queries.json")):
    print(f"skipped: no development queries at {eval_dir} (set FUNDSTELLE_EVAL)")
    sys.exit(77)

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args, timeout=60):
    started = time.monotonic()
    p = subprocess.run([fundstelle, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - started


def ranking(db, query, limit=10):
    code, out, err, _ = run("search", "--db", db, "--json", "--limit", str(limit), query)
    if code not in (0, 1):
        raise SystemExit(f"search {query!r} in {db} failed ({code}): {err}")
    # By text, not by article: a text that several articles hold is shown once, for the first of them in
    # document order, and document ids differ between one index and its shards.
    return [hit_key(h) for h in hits_of(out)]


def hit_key(h):
    """What must agree between one index and its shards; with the highlights, which remote shards mark from the
    analysed text and local ones from the positions the index holds."""
    return (round(h["score"], 6), h["text"], h["kind"], json.dumps(h["highlights"]))


def hits_of(out):
    """The hit lines of `search --json` (not its closing summary)."""
    return [h for h in map(json.loads, out.splitlines()) if h.get("type") == "hit"]


def suggestion(db, query):
    """The spelling suggestion the search offers (printed on the terminal, or its hits are for one), or None."""
    code, out, err, _ = run("search", "--db", db, "--color", "never", "--limit", "1", query)
    m = re.search(r"(?:did you mean|showing results for): (.*)", out + err)
    return m.group(1).strip() if m else None


def same_ranking(a, b):
    """Equal scores in order, and the same passages for each score but the last (cut off at the limit)."""
    if [s for s, *_ in a] != [s for s, *_ in b]:
        return False
    last = a[-1][0] if a else None
    groups = lambda r: {s: sorted(x for x in r if x[0] == s) for s, *_ in r if s != last}
    return groups(a) == groups(b)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """Whether something listens on the loopback port within five seconds."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def start_server(folder, port=None, *options):
    port = port or free_port()
    p = subprocess.Popen([tcpsrv, "--quiet", "--interface", "127.0.0.1", "--port", str(port), *options, folder],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)  # on SIGTERM it kills its process group (its forks)
    if not listening(port):
        raise SystemExit(f"xapian-tcpsrv on port {port} did not start")
    return p, port


def queries(name):
    with open(os.path.join(eval_dir, name), encoding="utf-8") as f:
        return [q["query"] for q in json.load(f)["queries"]]


tmp = tempfile.mkdtemp(prefix="fundstelle-shards-")
servers = []
try:
    # Collections: the seed articles, a file each, dealt to the shards; the LibreOffice feed line by line.
    sets = []
    seed = sorted(os.listdir(os.path.join(root, "corpus")))
    parts = [os.path.join(tmp, "seed", f"part{i}") for i in range(3)]
    for i, name in enumerate(seed):
        os.makedirs(parts[i % 3], exist_ok=True)
        shutil.copy(os.path.join(root, "corpus", name), parts[i % 3])
    sets.append(("seed", parts, queries("seed-queries.json")))
    if os.path.isdir("/usr/share/libreoffice/help/de") and os.path.isfile(os.path.join(eval_dir, "lo-known.json")):
        # The feed the test run built once (tests/lo_feed.sh), else one of its own.
        feed = os.environ.get("FUNDSTELLE_LO_FEED", "")
        if not os.path.isfile(feed):
            feed = os.path.join(tmp, "lo.jsonl")
            subprocess.run([sys.executable, os.path.join(eval_dir, "build_collection.py"), feed, "--seeds",
                            os.path.join(root, "corpus")], check=True, stdout=subprocess.DEVNULL)
        os.makedirs(os.path.join(tmp, "lo"))
        parts = [os.path.join(tmp, "lo", f"part{i}.jsonl") for i in range(3)]
        outs = [open(p, "w", encoding="utf-8") for p in parts]
        with open(feed, encoding="utf-8") as f:
            for i, line in enumerate(f):
                outs[i % 3].write(line)
        for o in outs:
            o.close()
        sets.append(("lo", parts, queries("lo-known.json")))
    else:
        print("note: without libreoffice-help-de only the seed corpus is checked")

    for name, parts, qs in sets:
        base = os.path.join(tmp, name)
        one = os.path.join(base, "one")
        code, _, err, _ = run("index", "-q", "--db", one, *parts, timeout=600)
        assert code == 0, err
        sharded = os.path.join(base, "sharded")
        code, _, err, _ = run("index", "-q", "--db", sharded, "--shards", "3", *parts, timeout=600)
        assert code == 0, err
        shards = [os.path.join(sharded, f"shard-{i}") for i in range(3)]
        local = os.path.join(base, "local-stub")
        with open(local, "w") as f:
            f.write("# three local shards\n" + "".join(f"auto sharded/shard-{i}\n" for i in range(3)))
        ports = []
        for s in shards:
            p, port = start_server(s)
            servers.append(p)
            ports.append(port)
        remote = os.path.join(base, "remote-stub")
        with open(remote, "w") as f:
            f.write("".join(f"remote 127.0.0.1:{port}\n" for port in ports))

        differ = []
        for q in qs:
            expected = ranking(one, q)
            for stub in (sharded, local, remote):
                got = ranking(stub, q)
                if not same_ranking(expected, got):
                    differ.append((q, os.path.basename(stub), expected, got))
        for q, stub, expected, got in differ[:3]:
            print(f"  {stub} {q!r}:\n    one:  {expected}\n    stub: {got}")
        check(not differ, f"{name}: {len(qs)} development queries rank alike on one index, on its three shards "
                          f"(the sharded index, a stub listing them) and on them served remotely")

        # Spelling suggestions: Xapian's remote backend serves no spelling data, so remote shards suggest from
        # their term lists (README, "Shards"); local shards merge their spelling data as one index does. Typos
        # made from the development queries' words (a letter dropped), every third word.
        words = sorted({w for q in qs for w in re.findall(r"\w+", q) if len(w) >= 6 and w.isalpha()})[::3]
        same_local = same_remote = offered = 0
        for w in words:
            typo = w[:2] + w[3:]
            expected = suggestion(one, typo)
            offered += expected is not None
            same_local += suggestion(sharded, typo) == expected
            same_remote += suggestion(remote, typo) == expected
        print(f"note: {name}: {len(words)} typos, {offered} with a suggestion on one index; the same suggestion on "
              f"local shards {same_local}, on remote shards {same_remote}")
        check(same_local == len(words), f"{name}: local shards suggest what one index does")
        check(same_remote >= 0.8 * len(words) and offered > len(words) / 2,
              f"{name}: remote shards suggest what one index does for at least 80% of the typos")

    # The remote shards of the last collection: one stopped, one hanging.
    q = sets[-1][2][0]
    full = ranking(one, q)
    servers[-3].terminate()
    servers[-3].wait()
    code, out, err, secs = run("search", "--db", remote, "--limit", "5", q)
    check(code == 2 and f"127.0.0.1:{ports[0]}" in err and "cannot be reached" in err,
          f"a stopped shard is an error naming it (exit {code}: {err.strip()})")
    code, out, err, secs = run("search", "--db", remote, "--json", "--allow-partial", "--limit", "10", q)
    partial = [hit_key(h) for h in hits_of(out)]
    check(code in (0, 1) and "warning" in err and f"127.0.0.1:{ports[0]}" in err,
          f"--allow-partial searches the other shards with a warning (exit {code}: {err.strip()})")
    everything = {x[1:] for x in ranking(os.path.join(base, "local-stub"), q, 200)}
    check(partial and {x[1:] for x in partial} <= everything,
          "the partial results are passages of the index (scored by the shards left)")

    os.kill(servers[-2].pid, signal.SIGSTOP)
    hanging = os.path.join(base, "hanging-stub")  # without the stopped shard
    with open(hanging, "w") as f:
        f.write("".join(f"remote 127.0.0.1:{port}\n" for port in ports[1:]))
    code, out, err, secs = run("search", "--db", hanging, "--shard-timeout", "1000", "--limit", "5", q, timeout=30)
    check(code == 2 and f"127.0.0.1:{ports[1]}" in err and secs < 10,
          f"a hanging shard is an error after the timeout, in {secs:.1f} s (exit {code}: {err.strip()})")
    code, out, err, secs = run("search", "--db", remote, "--shard-timeout", "1000", "--allow-partial", "--limit", "5", q,
                               timeout=30)
    check(code in (0, 1) and err.count("warning") == 2 and secs < 10,
          f"--allow-partial leaves out the stopped and the hanging shard, in {secs:.1f} s (exit {code})")
    os.kill(servers[-2].pid, signal.SIGCONT)

    # A server whose shard connections are closed as idle (xapian-tcpsrv's idle timeout, a minute by default,
    # here a second), then a shard server restarted: it connects anew and answers as before.
    idle = [start_server(s, None, "--idle-timeout", "1000") for s in shards]
    servers.extend(p for p, _ in idle)
    idle_stub = os.path.join(base, "idle-stub")
    with open(idle_stub, "w") as f:
        f.write("".join(f"remote 127.0.0.1:{port}\n" for _, port in idle))
    web_port = free_port()
    web = subprocess.Popen([fundstelle, "serve", "--db", idle_stub, "--port", str(web_port), "--shard-timeout", "2000"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        listening(web_port)

        def statuses(n):  # (several: each server thread has its own searcher and connections)
            out = []
            for _ in range(n):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/search?" + urllib.parse.urlencode({"q": q}),
                                                timeout=30) as r:
                        out.append(r.status if not json.load(r).get("warnings") else "warning")
                except urllib.error.HTTPError as e:
                    out.append(e.code)
            return out

        first = statuses(4)
        time.sleep(2.5)
        after_idle = statuses(6)
        check(first == [200] * 4 and after_idle == [200] * 6,
              f"serve goes on answering after the shard servers closed its connections as idle ({first}, {after_idle})")
        idle[0][0].terminate()
        idle[0][0].wait()
        p, _ = start_server(shards[0], idle[0][1], "--idle-timeout", "1000")
        servers.append(p)
        after_restart = statuses(6)
        check(after_restart == [200] * 6, f"serve goes on answering after a shard server was restarted ({after_restart})")
    finally:
        web.terminate()
        web.wait()
        for p, _ in idle:
            p.terminate()

    # A server that outlives a shard: the first shard served again, then lost under the open searcher.
    for partial_mode in (False, True):
        p, port = start_server(shards[0])
        servers.append(p)
        with open(remote, "w") as f:
            f.write("".join(f"remote 127.0.0.1:{x}\n" for x in [port] + ports[1:]))
        web_port = free_port()
        args = [fundstelle, "serve", "--db", remote, "--port", str(web_port), "--shard-timeout", "2000"]
        if partial_mode:
            args.append("--allow-partial")
        web = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            listening(web_port)
            url = f"http://127.0.0.1:{web_port}/search?" + urllib.parse.urlencode({"q": q})

            def get():
                try:
                    with urllib.request.urlopen(url, timeout=30) as r:
                        return r.status, json.load(r)
                except urllib.error.HTTPError as e:
                    return e.code, json.load(e)

            status, body = get()
            check(status == 200 and not body.get("warnings"), f"serve over the remote shards answers (status {status})")
            p.terminate()
            p.wait()
            status, body = get()
            if partial_mode:
                check(status == 200 and any(f"127.0.0.1:{port}" in w for w in body.get("warnings", [])),
                      f"serve --allow-partial answers from the other shards, with a warning, once a shard is gone (status {status})")
            else:
                check(status == 503 and f"127.0.0.1:{port}" in body.get("error", ""),
                      f"serve says which shard is gone (status {status}: {body.get('error')})")
        finally:
            web.terminate()
            web.wait()
finally:
    for p in servers:
        try:
            os.kill(p.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
        p.terminate()
        p.wait()
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
