#!/usr/bin/env bash
# Shards side by side, in one run on one corpus and one query set: indexing throughput and index size of a
# first import and of an update (every article changed) with 1, 2 and 4 local shards (`fundstelle index
# --shards N`), and query latency (p50/p95/p99 inside the process, top 10 with snippets, as bench/speed.sh
# measures it) on each, and on the shards of the largest layout served by xapian-tcpsrv on loopback (and, with
# --latency-us, behind a delay line of that many microseconds each way: bench/delay_proxy.cpp).
#
# usage: bench/shards.sh [BUILD_DIR] --corpus FEED.jsonl --queries FILE [--repeat N] [--layouts "1 2 4"] [--latency-us US]
#   BUILD_DIR  default build (needs fundstelle and query_latency built there)
#   --corpus   a JSON Lines feed (bench/build_corpus.py writes the 19 MB benchmark corpus)
#   --queries  one query per line (bench/make_queries.py)
#   --repeat   timed passes over the queries after a warm-up pass (default 3)
#   --latency-us  also the remote shards with this one-way latency added (a network's; needs delay_proxy built)
# Needs xapian-tcpsrv (Debian: xapian-tools) for the remote row; without it that row is left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build" corpus="" queries="" repeat=3 layouts="1 2 4" latency_us=""
usage() { sed -n 's/^# usage: //p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$(realpath "$2"); shift 2 ;;
    --queries) queries=$(realpath "$2"); shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --layouts) layouts=$2; shift 2 ;;
    --latency-us) latency_us=$2; shift 2 ;;
    -*) usage ;;
    *) build=$(realpath "$1"); shift ;;
  esac
done
[ -n "$corpus" ] && [ -n "$queries" ] || usage
for p in fundstelle query_latency; do
  [ -x "$build/$p" ] || { echo "shards.sh: $build/$p is missing; build first" >&2; exit 2; }
done
tmp=$(mktemp -d)
servers=()
cleanup() { for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
log() { echo "shards.sh: $*" >&2; }
mb=$(du -sb "$corpus" | cut -f1)
# Every article changed: the same feed with a word appended to each title (an update rewrites all of them).
python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line); a["title"] = a.get("title", "") + " Nachtrag"; print(json.dumps(a, ensure_ascii=False))
' "$corpus" >"$tmp/changed.jsonl"

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null; python3 -c "print($(date +%s.%N) - $s)"; }
calc() { python3 -c "print($1)"; }
latency() { "$build/query_latency" "$1" "$queries" "$repeat" | sed -n 's/.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2 \3/p'; }

printf '| layout | first import s | MB/s | update s | MB/s | index / text | p50 ms | p95 ms | p99 ms |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
last=""
for n in $layouts; do
  db="$tmp/db$n"
  log "$n shard(s): first import"
  first=$(seconds "$build/fundstelle" index -q --db "$db" --shards "$n" "$corpus")
  size=$(du -sb "$db" | cut -f1)
  log "$n shard(s): update"
  update=$(seconds "$build/fundstelle" index -q --db "$db" "$tmp/changed.jsonl")
  log "$n shard(s): queries"
  read -r p50 p95 p99 <<<"$(latency "$db")"
  printf '| %s local | %.1f | %.2f | %.1f | %.2f | %.2f | %s | %s | %s |\n' "$n" "$first" \
    "$(calc "$mb / 1048576 / $first")" "$update" "$(calc "$mb / 1048576 / $update")" \
    "$(calc "$size / $mb")" "$p50" "$p95" "$p99"
  last=$n
done

if command -v xapian-tcpsrv >/dev/null && [ "$last" -gt 1 ]; then
  : >"$tmp/remote"
  for k in $(seq 0 $((last - 1))); do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$tmp/db$last/shard-$k" &
    servers+=($!)
    echo "remote 127.0.0.1:$port" >>"$tmp/remote"
  done
  sleep 1
  log "$last remote shards: queries"
  read -r p50 p95 p99 <<<"$(latency "$tmp/remote")"
  printf '| %s remote (loopback) | | | | | | %s | %s | %s |\n' "$last" "$p50" "$p95" "$p99"
  if [ -n "$latency_us" ]; then
    [ -x "$build/delay_proxy" ] || { echo "shards.sh: $build/delay_proxy is missing; build first" >&2; exit 2; }
    : >"$tmp/delayed"
    while read -r _ hostport; do
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      "$build/delay_proxy" "$port" "${hostport##*:}" "$latency_us" &
      servers+=($!)
      echo "remote 127.0.0.1:$port" >>"$tmp/delayed"
      for _ in $(seq 1 50); do  # until it listens
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
      done
    done <"$tmp/remote"
    log "$last remote shards, $latency_us us each way: queries"
    read -r p50 p95 p99 <<<"$(latency "$tmp/delayed")"
    [ -n "$p50" ] || { echo "shards.sh: the delayed remote shards gave no latency" >&2; exit 1; }
    printf '| %s remote (+%s µs each way) | | | | | | %s | %s | %s |\n' "$last" "$latency_us" "$p50" "$p95" "$p99"
  fi
fi
