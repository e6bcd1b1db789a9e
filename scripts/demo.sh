#!/usr/bin/env bash
# The first Quick start command: install what is missing, build, index corpus/ into the default index,
# and run two searches.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=fundstelle_cli bash scripts/bootstrap.sh build >/dev/null
# An index built by an earlier version is refused until it is rebuilt; the demo's own index is rebuilt from
# corpus/ (any other source indexed into the default index must be given again: see the message).
if ! out=$(./build/fundstelle index corpus/ 2>&1); then
  if grep -q "built by another version of Fundstelle" <<<"$out"; then
    echo "the default index was built by another version of Fundstelle: rebuilding it from corpus/" >&2
    ./build/fundstelle index --rebuild corpus/
  else
    echo "$out" >&2
    exit 2
  fi
else
  echo "$out"
fi
for q in "Beteiligung" "Entwicklungszentrum München"; do
  echo
  echo "\$ fundstelle search \"$q\""
  ./build/fundstelle search -n 3 -- "$q" || true   # exit 1 (no matches) is an answer, not a failure
done
