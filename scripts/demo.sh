#!/usr/bin/env bash
# The first Quick start command: install what is missing, build, index corpus/ into the default index,
# and run two searches.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=fundstelle_cli bash scripts/bootstrap.sh build >/dev/null
./build/fundstelle index corpus/
for q in "Beteiligung" "Entwicklungszentrum München"; do
  echo
  echo "\$ fundstelle search \"$q\""
  ./build/fundstelle search -n 3 -- "$q" || true   # exit 1 (no matches) is an answer, not a failure
done
