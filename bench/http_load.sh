#!/usr/bin/env bash
# Load benchmark of the HTTP service: starts `fundstelle serve` on DB, holds IDLE idle connections and runs
# CLIENTS searching clients for SECONDS (bench/http_load.cpp), then stops the server. Not a test: it prints
# throughput, latency percentiles, errors and the server's memory.
# usage: bench/http_load.sh [BUILD_DIR] DB QUERIES.txt [--clients 50] [--idle 500] [--seconds 20]
set -euo pipefail

if [[ $# -ge 3 && -d $1 && -x $1/fundstelle ]]; then build=$1; shift; else build=build; fi
[[ $# -ge 2 ]] || { echo "usage: bench/http_load.sh [BUILD_DIR] DB QUERIES.txt [--clients N] [--idle N] [--seconds S]" >&2; exit 2; }
db=$1 queries=$2
shift 2
[[ -x $build/http_load ]] || cmake --build "$build" -j2 --target http_load fundstelle_cli >&2

log=$(mktemp)
# The connection timeout above the run's length, so that the idle connections stay open throughout.
"$build/fundstelle" serve --db "$db" --port 0 --timeout 120 --access-log none ${SERVE_ARGS:-} 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "http_load.sh: the server did not start:" >&2; cat "$log" >&2; exit 1; }
echo "machine: $(nproc) cores; index $db; server pid $server, port $port"
"$build/http_load" 127.0.0.1 "$port" "$queries" --pid "$server" "$@"
