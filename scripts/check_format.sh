#!/usr/bin/env bash
# The project's format (.clang-format: Google's style, 120 columns), checked with Debian's clang-format over
# every C++ file of our own (*.cpp, *.h known to git, untracked ones not ignored included) in the source
# folders; no line may be longer than 120 columns either (clang-format leaves some, such as long string
# literals, alone). Changes nothing and exits 1 if anything is off; `--fix` formats the files in place instead.
# usage: scripts/check_format.sh [--fix]        (CLANG_FORMAT=clang-format-14 picks another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
readonly folders=(base analyzers index indexer searcher cli include python tests bench fuzz examples)
readonly limit=120
clang_format=${CLANG_FORMAT:-clang-format}
fix=0
case ${1:-} in
  --fix) fix=1 ;;
  "") ;;
  *) echo "usage: scripts/check_format.sh [--fix]" >&2; exit 2 ;;
esac
[[ $# -le 1 ]] || { echo "usage: scripts/check_format.sh [--fix]" >&2; exit 2; }
command -v "$clang_format" >/dev/null ||
  { echo "check_format: $clang_format is missing (apt-get install clang-format)" >&2; exit 2; }

existing=()
for d in "${folders[@]}"; do [[ -d $d ]] && existing+=("$d"); done
files=()
if [[ ${#existing[@]} -gt 0 ]]; then
  # Files deleted or moved away in the work tree but still in the index are skipped.
  while IFS= read -r f; do [[ -f $f ]] && files+=("$f"); done < <(
    git ls-files --cached --others --exclude-standard -- "${existing[@]}" |
      grep -E '\.(cpp|h)$' | LC_ALL=C sort -u)
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check_format: no C++ files found in ${folders[*]}"
  exit 0
fi

if [[ $fix -eq 1 ]]; then
  "$clang_format" -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files; run scripts/check_format.sh again for lines clang-format cannot shorten"
  exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
places=0
if ! "$clang_format" --dry-run -Werror "${files[@]}" 2>"$out"; then
  # One line per file: how many places clang-format would change, and the first of them.
  summary=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning): ' "$out" |
    awk -F: '{ n[$1]++; if (!($1 in first)) { first[$1] = $2; order[++k] = $1 } }
             END { for (i = 1; i <= k; i++) printf "%s:%s: clang-format would change %d place(s)\n", order[i], first[order[i]], n[order[i]] }')
  places=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (error|warning): ' "$out" || true)
  if [[ -z $summary ]]; then
    cat "$out" >&2  # not a formatting complaint: a bad .clang-format, an unreadable file...
    echo "check_format: $clang_format failed"
    exit 1
  fi
  echo "$summary"
fi

long=$(python3 - "$limit" "${files[@]}" <<'PY'
import sys
limit = int(sys.argv[1])
for path in sys.argv[2:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            columns = len(line.rstrip("\r\n"))  # code points, as clang-format counts them
            if columns > limit:
                print(f"{path}:{n}: {columns} columns")
PY
)
long_count=0
if [[ -n $long ]]; then
  echo "$long"
  long_count=$(printf '%s\n' "$long" | wc -l)
fi

if [[ $places -eq 0 && $long_count -eq 0 ]]; then
  echo "check_format: ${#files[@]} files formatted, no line over $limit columns"
  exit 0
fi
echo "check_format: ${#files[@]} files; clang-format would change $places places; $long_count lines over $limit columns (scripts/check_format.sh --fix formats)"
exit 1
