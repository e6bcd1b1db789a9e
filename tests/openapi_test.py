#!/usr/bin/env python3
"""The service against its own description: starts a real `fundstelle serve` over the demo corpus and
tests/data/newsroom.jsonl, reads GET /openapi.json, and checks every answer of a set of real requests (each
route, each documented status that can be provoked here) against it: the status must be documented for
that operation, the content type too, and a JSON body must validate against the documented schema (objects
are closed: a field the server sends and the description lacks fails). It also asks each operation with an
unknown parameter and compares the parameters the server then lists as known with those documented, so
neither can change without the other.
usage: openapi_test.py FUNDSTELLE CORPUS_DIR FEED"""
import json, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

from jsonschema import Draft202012Validator

failures = []

def fail(message):
    print("FAIL: " + message)
    failures.append(message)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def main():
    fundstelle, corpus, feed = sys.argv[1:4]
    tmp = tempfile.mkdtemp()
    server = None
    try:
        db = os.path.join(tmp, "index")
        subprocess.run([fundstelle, "index", "-q", "--db", db, corpus, feed], check=True, stderr=subprocess.DEVNULL)
        token_file = os.path.join(tmp, "token")
        with open(token_file, "w") as f:
            f.write("geheim\n")
        port = free_port()
        server = subprocess.Popen([fundstelle, "serve", "--db", db, "--port", str(port), "--access-log", "none",
                                   "--write-token-file", token_file], stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"

        def request(method, target, body=None, token=None):
            headers = {"Authorization": "Bearer " + token} if token else {}
            req = urllib.request.Request(base + target, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    return r.status, r.headers.get("Content-Type", ""), r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers.get("Content-Type", ""), e.read()

        for _ in range(100):
            try:
                if request("GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        status, ctype, raw = request("GET", "/openapi.json")
        if status != 200:
            raise SystemExit(f"GET /openapi.json: {status}")
        doc = json.loads(raw)
        if doc.get("openapi") != "3.1.0":
            fail(f"openapi is {doc.get('openapi')!r}, not 3.1.0")
        version = subprocess.run([fundstelle, "--version"], capture_output=True, text=True).stdout
        if doc["info"]["version"] not in version:
            fail(f"info.version {doc['info']['version']!r} is not the program's ({version.strip()!r})")
        components = doc["components"]
        for name, schema in components["schemas"].items():
            Draft202012Validator.check_schema(schema)

        checked = 0
        def check(method, template, target, expect, body=None, token=None):
            nonlocal checked
            status, ctype, raw = request(method, target, body, token)
            where = f"{method} {target}"
            if status != expect:
                fail(f"{where}: status {status}, expected {expect}: {raw[:200]!r}")
            op = doc["paths"].get(template, {}).get(method.lower())
            if op is None and status == 405:  # a method the route does not take: its GET says how it refuses
                op = doc["paths"].get(template, {}).get("get")
            if op is None:
                fail(f"{where}: {method} {template} is not described"); return None
            response = op["responses"].get(str(status))
            if response is None:
                fail(f"{where}: status {status} is not described for {method} {template}"); return None
            content = response.get("content", {})
            media = ctype.split(";")[0].strip()
            if content and media not in content:
                fail(f"{where}: content type {media} is not described ({list(content)})"); return None
            checked += 1
            if media != "application/json":
                return raw
            value = json.loads(raw)
            schema = dict(content[media]["schema"], components=components)
            for error in Draft202012Validator(schema).iter_errors(value):
                fail(f"{where}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
            return value

        q = urllib.parse.quote
        check("GET", "/search", "/search?q=" + q("Entwicklungszentrum München") + "&explain=1&snippet=1", 200)
        check("GET", "/search", "/search?q=Batteriewerk&facets=author,tag,month,year&author=leser1&author=" +
              q("Anna Meier") + "&sort=newest&from=2024&to=heute&kind=comment&per_article=0", 200)
        check("GET", "/search", "/search?q=Batteriewerk&tag=Bayern&synonyms=all&exact&limit=3&offset=1", 200)
        check("GET", "/search", "/search?q=Entwiklungszentrum", 200)  # corrected: suggestion, corrections
        check("GET", "/search", "/search?q=" + q('"Samsung SDI'), 400)
        check("GET", "/search", "/search?q=x&limit=0", 400)
        check("GET", "/search", "/search?q=x&from=morgen", 400)
        check("PUT", "/search", "/search?q=x", 405)
        check("GET", "/suggest", "/suggest?q=" + q("Xiaomi Zentr"), 200)
        check("GET", "/suggest", "/suggest?q=Zentr&limit=99", 400)
        check("GET", "/articles/{id}", "/articles/werk-sachsen", 200)
        check("GET", "/articles/{id}", "/articles/003_ce834fd1b3523358.txt?offset=1&limit=2", 200)
        check("GET", "/articles/{id}", "/articles/gibt-es-nicht", 404)
        check("GET", "/health", "/health", 200)
        check("GET", "/stats", "/stats", 200)
        check("GET", "/metrics", "/metrics", 200)
        check("GET", "/openapi.json", "/openapi.json", 200)
        check("GET", "/", "/?q=Xiaomi", 200)
        line = b'{"id":"neu","title":"Neu","author":"Eva","tags":["Test"],"body":"Ein neuer Zeppelin."}\n{"kaputt"\n'
        check("POST", "/articles", "/articles", 403, line)
        check("POST", "/articles", "/articles", 200, line, "geheim")
        check("DELETE", "/articles/{id}", "/articles/neu", 403)
        check("DELETE", "/articles/{id}", "/articles/neu", 200, None, "geheim")
        check("DELETE", "/articles/{id}", "/articles/neu", 404, None, "geheim")

        # The parameters each operation takes, as the server says when given one it does not know.
        for template, item in doc["paths"].items():
            if template == "/":
                continue  # the page reads its own parameters in the browser
            for method, op in item.items():
                if method == "parameters":
                    continue
                documented = sorted(p["name"] for p in op.get("parameters", []) + item.get("parameters", [])
                                    if p["in"] == "query")
                target = template.replace("{id}", "werk-sachsen") + "?zz_unbekannt=1"
                status, _, raw = request(method.upper(), target, b"" if method == "post" else None, "geheim")
                message = json.loads(raw).get("error", "") if status == 400 else ""
                if status != 400 or "zz_unbekannt" not in message:
                    fail(f"{method.upper()} {template} with an unknown parameter: {status} {raw[:120]!r}")
                    continue
                known = re.search(r"\(known: ([^)]*)\)", message)
                taken = sorted(known.group(1).split(", ")) if known else []
                if taken != documented:
                    fail(f"{method.upper()} {template}: the server takes {taken}, the description lists {documented}")
        print(f"{checked} answers checked against the description")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print("1 passed, 0 failed" if not failures else f"0 passed, 1 failed ({len(failures)} problems)")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
