#!/usr/bin/env bash
# The project's format (.clang-format: Google's style, 120 columns), checked with Debian's clang-format over
# every tracked C++ file of our own; no line may be longer than 120 columns (clang-format leaves some, such
# as long string literals, alone). Changes nothing; `--fix` formats the files in place instead.
# usage: scripts/check_format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
case ${1:-} in
  --fix) fix=1 ;;
  "") ;;
  *) echo "usage: scripts/check_format.sh [--fix]" >&2; exit 2 ;;
esac
command -v clang-format >/dev/null || { echo "check_format: clang-format is missing (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h' |
  grep -E '^(base|analyzers|index|indexer|searcher|cli|include|tests|bench|fuzz|examples)/' | sort -u)
if [[ $fix -eq 1 ]]; then
  clang-format -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files"
  exit 0
fi
status=0
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/check_format.$$; then
  { grep -E '^[^ ].*: (error|warning):' /tmp/check_format.$$ | head -20; } || true
  echo "check_format: clang-format would change $(grep -cE ': (error|warning):' /tmp/check_format.$$) places; run scripts/check_format.sh --fix"
  status=1
fi
rm -f /tmp/check_format.$$
long=$(python3 - "${files[@]}" <<'PY'
import sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if len(line.rstrip("\n")) > 120:
                print(f"{path}:{n}: {len(line.rstrip())} columns")
PY
)
if [[ -n $long ]]; then
  { echo "$long" | head -20; } || true
  echo "check_format: lines over 120 columns"
  status=1
fi
[[ $status -eq 0 ]] && echo "check_format: ${#files[@]} files formatted, no line over 120 columns"
exit $status
