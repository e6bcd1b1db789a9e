#!/usr/bin/env bash
# CTest fixture: builds the LibreOffice known-item collection (shared/eval/build_collection.py, ~19 MB) once
# per test run into OUT, for the tests that need it (the LibreOffice relevance guard and the shard test read
# it through $FUNDSTELLE_LO_FEED). Building it takes minutes; each of them used to build its own copy.
# Without the judgments or the Debian packages it builds nothing and exits 0: each user then skips or falls
# back as it would alone.
# usage: lo_feed.sh OUT
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
eval_dir=${FUNDSTELLE_EVAL:-$root/../shared/eval}
rm -f "$out"
if [[ ! -f $eval_dir/build_collection.py || ! -d /usr/share/libreoffice/help/de ]]; then
  echo "no collection built: needs $eval_dir/build_collection.py and libreoffice-help-de manpages-de fortunes-de"
  exit 0
fi
trap 'rm -f "$out.part"' EXIT
python3 "$eval_dir/build_collection.py" "$out.part" --seeds "$root/corpus" >/dev/null
mv "$out.part" "$out"
echo "built $out ($(wc -l <"$out") articles)"
