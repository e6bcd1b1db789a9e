#!/usr/bin/env bash
# Speed side by side, on the same German corpus and the same query set in one run: indexing throughput (MB of
# text per second, passages per second), index size relative to the text, peak memory while indexing, and
# query latency (p50/p95/p99 inside the process, top 10 with snippets), for Fundstelle and its peers, with the
# ratio of each peer to Fundstelle, plus the floor (the corpus merely read and split into words by `wc -w`).
#
# usage: bench/speed.sh [BUILD_DIR] [--corpus FEED.jsonl | --scale SIZE | --tiny] [--queries FILE] [--repeat N]
#                       [--peers LIST]
#   BUILD_DIR  default build (needs fundstelle, plain_xapian and query_latency built there)
#   --corpus   a JSON Lines feed to measure; default: bench/build_corpus.py's German collection (19 MB; needs
#              libreoffice-help-de, manpages-de, fortunes-de)
#   --scale    the same collection grown to SIZE of text (200M, 1G, ...) by build_corpus.py's Markov chain
#   --tiny     a 2 MB corpus grown from the seed articles alone, 60 queries, one timed pass: what .ci/run runs
#              so that the benchmark never rots (its figures mean little)
#   --queries  one query per line; default: bench/make_queries.py over the corpus (300 queries: the
#              development queries, the two card queries, and words frequent and rare, compounds, umlauts)
#   --repeat   timed passes over the query set after one warm-up pass (default 5)
#   --peers    comma-separated, default plain-xapian,lucene,postgres
# Peers, all from Debian: plain Xapian (bench/plain_xapian.cpp: TermGenerator + german2, BM25, MSet::snippet),
# Lucene 8.7 with GermanAnalyzer (bench/lucene; default-jdk-headless liblucene8-java libgoogle-gson-java),
# PostgreSQL 15 with the `german` configuration (bench/postgres_peer.py; postgresql-15 python3-psycopg2).
# Each engine indexes with its defaults; Fundstelle with its defaults too (every core for a first import,
# compounds and spelling data on; synonyms apply at query time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build"
corpus="" scale="" tiny=0 queries="" repeat=5 peers="plain-xapian,lucene,postgres"
usage() { sed -n 's/^# usage: //p; s/^#                       \[--peers/  [--peers/p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$(realpath "$2"); shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --tiny) tiny=1; shift ;;
    --queries) queries=$(realpath "$2"); shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    -*) usage ;;
    *) build=$(realpath "$1"); shift ;;
  esac
done
for p in fundstelle plain_xapian query_latency; do
  [ -x "$build/$p" ] || { echo "speed.sh: $build/$p is missing; build first (cmake --build $build)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log() { echo "speed.sh: $*" >&2; }

if [ "$tiny" = 1 ]; then
  # The seed articles as a feed, grown to 2 MB: the first line is the title, the last two paragraphs stand in
  # for comments (the chain that writes comments needs some to learn from), the rest is the body.
  python3 - "$root/corpus" >"$tmp/seeds.jsonl" <<'PY'
import json, pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    title, _, body = f.read_text(encoding="utf-8").partition("\n")
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    print(json.dumps({"id": f.stem, "title": title.strip(), "body": "\n\n".join(paras[:-2]),
                      "comments": [{"text": p} for p in paras[-2:]]}, ensure_ascii=False))
PY
  python3 "$here/build_corpus.py" "$tmp/corpus.jsonl" --base "$tmp/seeds.jsonl" --scale 2M 2>/dev/null
  corpus="$tmp/corpus.jsonl" repeat=1
elif [ -z "$corpus" ]; then
  log "building the corpus${scale:+ (scaled to $scale)}"
  python3 "$here/build_corpus.py" "$tmp/corpus.jsonl" ${scale:+--scale "$scale"}
  corpus="$tmp/corpus.jsonl"
fi
if [ -z "$queries" ]; then
  python3 "$here/make_queries.py" "$corpus" "$tmp/queries.txt" $([ "$tiny" = 1 ] && echo --count 60)
  queries="$tmp/queries.txt"
fi
# The text: title, body and comment texts, in UTF-8 bytes (what an engine has to analyse).
text_bytes=$(python3 - "$corpus" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        a = json.loads(line)
    except ValueError:
        continue
    parts = [a.get("title") or "", a.get("body") or ""] + [c.get("text") or "" for c in a.get("comments") or []]
    n += sum(len(p.encode("utf-8")) for p in parts)
print(n)
PY
)
mb=$(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "corpus: $corpus ($mb MB of text, $(wc -l <"$corpus") articles), $(grep -c . "$queries") queries, $repeat timed passes"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

# time_of CMD...: runs CMD, keeps its output in $tmp/out, sets secs and peak_mb.
time_of() {
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  read -r secs peak_kb <"$tmp/time"
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')
}
latency_of() { sed -n 's/.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2 \3/p' "$tmp/out"; }
documents_of() { sed -n 's/.*documents: \([0-9]*\) indexed.*/\1/p' "$tmp/out"; }

time_of wc -w "$corpus"
floor_secs=$secs

rows=()
# Fundstelle: its own analysis (compounds, spelling data; synonyms at query time), passages, defaults.
log "Fundstelle: indexing"
time_of "$build/fundstelle" index --db "$tmp/fs" "$corpus"
fs_secs=$secs fs_peak=$peak_mb
fs_passages=$(sed -n 's/^passages: \([0-9]*\) indexed.*/\1/p' "$tmp/out")
fs_size=$(du -sb "$tmp/fs" | cut -f1)
log "Fundstelle: queries"
"$build/query_latency" "$tmp/fs" "$queries" "$repeat" >"$tmp/out"
read -r fs_p50 fs_p95 fs_p99 <<<"$(latency_of)"
rows+=("fundstelle $fs_secs $fs_passages $fs_size $fs_peak $fs_p50 $fs_p95 $fs_p99")
rm -rf "$tmp/fs"

for peer in ${peers//,/ }; do
  case "$peer" in
    plain-xapian)
      log "plain Xapian: indexing"
      time_of "$build/plain_xapian" index "$tmp/px" "$corpus"
      secs_=$secs peak_=$peak_mb docs_=$(documents_of) size_=$(du -sb "$tmp/px" | cut -f1)
      log "plain Xapian: queries"
      "$build/plain_xapian" latency "$tmp/px" "$queries" "$repeat" >"$tmp/out"
      rm -rf "$tmp/px" ;;
    lucene)
      bash "$here/lucene/build.sh" "$tmp/lucene-bin"
      log "Lucene: indexing"
      time_of java -jar "$tmp/lucene-bin/LuceneBench.jar" index "$tmp/lu" "$corpus"
      secs_=$secs peak_=$peak_mb docs_=$(documents_of) size_=$(du -sb "$tmp/lu" | cut -f1)
      log "Lucene: queries"
      java -jar "$tmp/lucene-bin/LuceneBench.jar" latency "$tmp/lu" "$queries" "$repeat" >"$tmp/out"
      rm -rf "$tmp/lu" ;;
    postgres)
      log "PostgreSQL: indexing"
      time_of python3 "$here/postgres_peer.py" index "$tmp/pg" "$corpus"
      # The server is not a child of /usr/bin/time: its peak (postmaster + the backend that loaded) is added.
      server_mb=$(sed -n 's/^server peak: \([0-9.]*\) MB.*/\1/p' "$tmp/out")
      secs_=$secs peak_=$(awk -v a="$peak_mb" -v b="${server_mb:-0}" 'BEGIN { printf "%.0f", a + b }') docs_=$(documents_of)
      size_=$(sed -n 's/^index size: \([0-9]*\) bytes.*/\1/p' "$tmp/out")
      log "PostgreSQL: queries"
      python3 "$here/postgres_peer.py" latency "$tmp/pg" "$queries" "$repeat" >"$tmp/out"
      rm -rf "$tmp/pg" ;;
    *) echo "speed.sh: unknown peer $peer (plain-xapian, lucene, postgres)" >&2; exit 2 ;;
  esac
  read -r p50_ p95_ p99_ <<<"$(latency_of)"
  rows+=("$peer $secs_ $docs_ $size_ $peak_ $p50_ $p95_ $p99_")
done

echo
printf '%-13s %8s %10s %8s %9s %9s %9s %9s %9s\n' engine "MB/s" passages/s "size×" "peak MB" "p50 ms" "p95 ms" "p99 ms" "index s"
printf '%-13s %8s\n' "floor (wc -w)" "$(awk -v b="$text_bytes" -v s="$floor_secs" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.01) }')"
for r in "${rows[@]}"; do
  read -r name secs docs size peak p50 p95 p99 <<<"$r"
  awk -v n="$name" -v b="$text_bytes" -v s="$secs" -v d="$docs" -v z="$size" -v m="$peak" -v a="$p50" -v c="$p95" -v e="$p99" \
    'BEGIN { s = s > 0 ? s : 0.01; printf "%-13s %8.2f %10.0f %8.2f %9s %9s %9s %9s %9.1f\n", n, b/1e6/s, d/s, z/b, m, a, c, e, s }'
done
echo "(passages/s: Fundstelle's passages; the peers' documents, one per paragraph and comment. peak MB for"
echo " PostgreSQL: the loading client plus the server's postmaster and backend.)"
echo
echo "ratios, peer / Fundstelle (above 1: the peer takes longer, is larger, or uses more memory):"
read -r _ fsecs _ fsize fpeak f50 f95 f99 <<<"${rows[0]}"
for r in "${rows[@]:1}"; do
  read -r name secs _ size peak p50 p95 p99 <<<"$r"
  awk -v n="$name" -v s="$secs" -v fs="$fsecs" -v z="$size" -v fz="$fsize" -v m="$peak" -v fm="$fpeak" \
      -v a="$p50" -v fa="$f50" -v c="$p95" -v fc="$f95" -v e="$p99" -v fe="$f99" \
    'function r(x, y) { return y > 0 ? x / y : 0 }
     BEGIN { printf "  %-12s indexing time %.2f, index size %.2f, peak memory %.2f, p50 %.2f, p95 %.2f, p99 %.2f\n",
             n, r(s, fs), r(z, fz), r(m, fm), r(a, fa), r(c, fc), r(e, fe) }'
done
