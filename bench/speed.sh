#!/usr/bin/env bash
# Speed side by side, on the same German corpus and query set in one run: indexing throughput (MB of text per
# second, passages per second), index size relative to the text, peak memory while indexing, and query latency
# (p50/p95/p99 inside the process, top 10 with snippets), for Fundstelle and the peers built here, with the
# ratio of each peer to Fundstelle, plus the floor (the corpus merely read and split into words by `wc -w`).
#
# usage: bench/speed.sh [BUILD_DIR] [--corpus FEED.jsonl] [--repeat N]
#   BUILD_DIR  default build (needs fundstelle, plain_xapian and query_latency built there)
#   --corpus   a JSON Lines feed; default: the German collection of shared/eval/build_collection.py
#              (needs libreoffice-help-de, manpages-de, fortunes-de)
#   --repeat   timed passes over the query set (default 3)
# Peers so far: plain Xapian (bench/plain_xapian.cpp: TermGenerator + german2, BM25, MSet::snippet).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build"
corpus=""
repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$(realpath "$2"); shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    -*) echo "usage: bench/speed.sh [BUILD_DIR] [--corpus FEED.jsonl] [--repeat N]" >&2; exit 2 ;;
    *) build=$(realpath "$1"); shift ;;
  esac
done
eval_dir=${FUNDSTELLE_EVAL:-$root/../shared/eval}
for p in fundstelle plain_xapian query_latency; do
  [ -x "$build/$p" ] || { echo "speed.sh: $build/$p is missing; build first (cmake --build $build)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$corpus" ]; then
  python3 "$eval_dir/build_collection.py" "$tmp/corpus.jsonl" --seeds "$root/corpus" >/dev/null
  corpus="$tmp/corpus.jsonl"
fi
# The queries: every development query of shared/eval (short and long, frequent and rare words, compounds,
# umlauts), one per line.
python3 - "$eval_dir" >"$tmp/queries.txt" <<'PY'
import json, sys, glob
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    data = json.load(open(path, encoding="utf-8"))
    for q in data.get("queries", []):
        print(q["query"].replace("\n", " "))
PY
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
echo "corpus: $corpus ($mb MB of text, $(wc -l <"$corpus") articles), $(wc -l <"$tmp/queries.txt") queries, $repeat timed passes"

# time_of CMD...: runs CMD, keeps its output in $tmp/out, sets secs and peak_mb.
time_of() {
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  read -r secs peak_kb <"$tmp/time"
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')
}
latency_of() { sed -n 's/.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2 \3/p' "$tmp/out"; }

time_of wc -w "$corpus"
floor_secs=$secs

rows=()
# Fundstelle: its own analysis (compounds, synonyms at query time, passages), defaults.
time_of "$build/fundstelle" index --db "$tmp/fs" "$corpus"
fs_secs=$secs fs_peak=$peak_mb
fs_passages=$(sed -n 's/^passages: \([0-9]*\) indexed.*/\1/p' "$tmp/out")
fs_size=$(du -sb "$tmp/fs" | cut -f1)
"$build/query_latency" "$tmp/fs" "$tmp/queries.txt" "$repeat" >"$tmp/out"
read -r fs_p50 fs_p95 fs_p99 <<<"$(latency_of)"
rows+=("fundstelle $fs_secs $fs_passages $fs_size $fs_peak $fs_p50 $fs_p95 $fs_p99")

time_of "$build/plain_xapian" index "$tmp/px" "$corpus"
px_secs=$secs px_peak=$peak_mb
px_docs=$(sed -n 's/.*documents: \([0-9]*\) indexed.*/\1/p' "$tmp/out")
px_size=$(du -sb "$tmp/px" | cut -f1)
"$build/plain_xapian" latency "$tmp/px" "$tmp/queries.txt" "$repeat" >"$tmp/out"
read -r px_p50 px_p95 px_p99 <<<"$(latency_of)"
rows+=("plain-xapian $px_secs $px_docs $px_size $px_peak $px_p50 $px_p95 $px_p99")

echo
printf '%-13s %8s %10s %8s %9s %9s %9s %9s %9s\n' engine "MB/s" passages/s "size×" "peak MB" "p50 ms" "p95 ms" "p99 ms" "index s"
printf '%-13s %8s\n' "floor (wc -w)" "$(awk -v b="$text_bytes" -v s="$floor_secs" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.01) }')"
for r in "${rows[@]}"; do
  read -r name secs docs size peak p50 p95 p99 <<<"$r"
  awk -v n="$name" -v b="$text_bytes" -v s="$secs" -v d="$docs" -v z="$size" -v m="$peak" -v a="$p50" -v c="$p95" -v e="$p99" \
    'BEGIN { s = s > 0 ? s : 0.01; printf "%-13s %8.2f %10.0f %8.1f %9s %9s %9s %9s %9.1f\n", n, b/1e6/s, d/s, z/b, m, a, c, e, s }'
done
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
