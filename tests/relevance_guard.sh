#!/usr/bin/env bash
# Regression guard for ranking quality: indexes a development collection, runs its queries through
# `fundstelle search --json` and fails if nDCG@10 (shared/eval/score.py) falls below a floor.
# usage: relevance_guard.sh FUNDSTELLE seed|lo|lo-html MIN_NDCG
# (lo-html: the same known items, the LibreOffice help indexed straight from its HTML pages, issue #21)
# The judgments come from $FUNDSTELLE_EVAL, default shared/eval beside the repository; without them the test
# is skipped (exit 77). The floors are the levels reached when the German-relevance issue was resolved.
set -euo pipefail
fundstelle=$1 set=$2 min=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
eval_dir=${FUNDSTELLE_EVAL:-$root/../shared/eval}
if [[ ! -f $eval_dir/score.py ]]; then echo "skipped: no judgments at $eval_dir (set FUNDSTELLE_EVAL)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $set in
  seed)
    judgments=$eval_dir/seed-queries.json
    "$fundstelle" index -q --db "$tmp/index" "$root/corpus" ;;
  lo)
    judgments=$eval_dir/lo-known.json
    if [[ ! -d /usr/share/libreoffice/help/de ]]; then
      echo "skipped: the collection needs libreoffice-help-de manpages-de fortunes-de (Debian)"; exit 77
    fi
    # The feed the test run built once (tests/lo_feed.sh), else one of its own.
    feed=${FUNDSTELLE_LO_FEED:-}
    if [[ -z $feed || ! -f $feed ]]; then
      feed=$tmp/lo.jsonl
      python3 "$eval_dir/build_collection.py" "$feed" --seeds "$root/corpus" >/dev/null
    fi
    "$fundstelle" index -q --db "$tmp/index" "$feed" ;;
  lo-html)
    judgments=$eval_dir/lo-known.json
    if [[ ! -d /usr/share/libreoffice/help/de ]]; then
      echo "skipped: the pages come from libreoffice-help-de (Debian)"; exit 77
    fi
    # (exit 2 says that some pages had no text: reported, not fatal)
    "$fundstelle" index -q --db "$tmp/index" /usr/share/libreoffice/help/de 2>/dev/null || [[ $? -eq 2 ]]
    # None of the page frame is searchable: the header, the search box, the debug footer of every page.
    for frame in '"Hilfe für LibreOffice"' '"Help content debug info"' '"Im ausgewählten Modul suchen"'; do
      if "$fundstelle" search --db "$tmp/index" "$frame" >/dev/null 2>&1; then
        echo "the page frame is searchable: $frame" >&2; exit 1
      fi
    done ;;
  *) echo "usage: relevance_guard.sh FUNDSTELLE seed|lo|lo-html MIN_NDCG" >&2; exit 2 ;;
esac
python3 "$root/bench/seed_run.py" "$fundstelle" "$tmp/index" "$judgments" "$tmp/run.jsonl"
result=$(python3 "$eval_dir/score.py" "$judgments" "$tmp/run.jsonl" | tail -1)
echo "$set: $result (floor nDCG@10 $min)"
ndcg=$(sed -n 's/.*nDCG@10=\([0-9.]*\).*/\1/p' <<<"$result")
python3 -c "import sys; sys.exit(0 if float('$ndcg') >= float('$min') else 1)" || {
  echo "nDCG@10 $ndcg fell below $min" >&2; exit 1; }
