#!/usr/bin/env bash
# Relevance benchmark: Fundstelle against plain Xapian (STEM_ALL_Z and STEM_SOME), in the same run.
# usage: bench/relevance.sh [BUILD_DIR] [--lo [--known FILE.json]...]  (BUILD_DIR default: build; FUNDSTELLE_EVAL overrides the
#        folder of judgments and score.py, default: shared/eval beside this repository; RELEVANCE_KEEP=DIR
#        keeps the runs and the per-query scores there, to compare two versions query by query;
#        RELEVANCE_CACHE=DIR keeps the larger collection and its two indexes there and uses them again while
#        what they are made from is unchanged: a ranking change that needs no new index is scored in seconds)
# Indexes corpus/ with both engines, runs the seed queries and prints one table of nDCG@10, MRR@10, P@1,
# R@10 and clutter hits. With --lo it also builds the larger collection (build_collection.py), indexes it
# with both engines and prints a second table for lo-known.json, plus nDCG@10 by the queries' note; each
# --known FILE (judgments of the same form over the same collection, such as bench/make_known.py draws) adds a
# table of its own.
set -euo pipefail

usage() { echo "usage: bench/relevance.sh [BUILD_DIR] [--lo [--known FILE.json]...]" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
eval_dir=${FUNDSTELLE_EVAL:-$here/../../shared/eval}

build=""
lo=0
known=()
expect_known=0
for arg in "$@"; do
  if [[ $expect_known -eq 1 ]]; then
    [[ -f $arg ]] || { echo "relevance.sh: no judgments file $arg" >&2; exit 2; }
    known+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")")
    expect_known=0
    continue
  fi
  case $arg in
    --lo) lo=1 ;;
    --known) expect_known=1 ;;
    -h|--help) usage ;;
    -*) echo "relevance.sh: unknown option $arg" >&2; usage ;;
    *) [[ -z $build ]] || usage; build=$arg ;;
  esac
done
[[ $expect_known -eq 0 ]] || usage
[[ ${#known[@]} -eq 0 || $lo -eq 1 ]] || { echo "relevance.sh: --known needs --lo (its queries are over that collection)" >&2; exit 2; }
build=${build:-build}
# BUILD_DIR is taken relative to the current folder, else relative to the repository.
if [[ -d $build ]]; then build=$(cd "$build" && pwd)
elif [[ -d $root/$build ]]; then build=$(cd "$root/$build" && pwd)
else echo "relevance.sh: no build folder '$build' (configure one with: cmake -S $root -B $build)" >&2; exit 2
fi
[[ -d $eval_dir ]] || { echo "relevance.sh: no eval folder at $eval_dir (set FUNDSTELLE_EVAL)" >&2; exit 2; }
eval_dir=$(cd "$eval_dir" && pwd)
for f in score.py seed-queries.json; do
  [[ -f $eval_dir/$f ]] || { echo "relevance.sh: $eval_dir/$f is missing" >&2; exit 2; }
done

fs_bin=$build/fundstelle
px_bin=$build/plain_xapian
if [[ ! -x $fs_bin || ! -x $px_bin ]]; then
  echo "building fundstelle and plain_xapian in $build ..." >&2
  cmake --build "$build" -j2 --target fundstelle_cli plain_xapian >&2
fi

tmp=$(mktemp -d)
keep() { [[ -z ${RELEVANCE_KEEP:-} ]] || { mkdir -p "$RELEVANCE_KEEP" && cp "$tmp"/*.run "$tmp"/*.score "$RELEVANCE_KEEP"/; }; }
trap 'keep; rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# index_fundstelle DB INPUT LABEL: exit 2 with a summary means some inputs were skipped; that is reported,
# not fatal (the rest is indexed). Anything else non-zero is fatal.
index_fundstelle() {
  local db=$1 input=$2 label=$3 t0 t1 rc=0
  t0=$(now)
  "$fs_bin" index --db "$db" "$input" >"$tmp/$label.fs.out" 2>"$tmp/$label.fs.err" || rc=$?
  t1=$(now)
  if [[ $rc -ne 0 ]] && ! { [[ $rc -eq 2 ]] && grep -q '^passages:' "$tmp/$label.fs.out"; }; then
    echo "relevance.sh: fundstelle index failed (exit $rc):" >&2
    cat "$tmp/$label.fs.err" >&2
    exit 1
  fi
  printf '  %-22s %8s s   %s\n' "fundstelle index" "$(elapsed "$t0" "$t1")" \
    "$(grep -E '^(articles|passages):' "$tmp/$label.fs.out" | paste -sd ';' | sed 's/;/; /')"
  local skipped warnings
  skipped=$(grep -c '^skipped:' "$tmp/$label.fs.err" || true)
  warnings=$(grep -c '^warning:' "$tmp/$label.fs.err" || true)
  if [[ $rc -ne 0 || $skipped -gt 0 || $warnings -gt 0 || -s $tmp/$label.fs.err ]]; then
    echo "  fundstelle index: exit $rc, $skipped skipped, $warnings warnings; first lines of stderr:"
    head -n 5 "$tmp/$label.fs.err" | sed 's/^/    /'
  fi
}

index_plain() {
  local db=$1 input=$2 t0 t1
  t0=$(now)
  "$px_bin" index "$db" "$input" >"$tmp/px.out"
  t1=$(now)
  printf '  %-22s %8s s   %s\n' "plain_xapian index" "$(elapsed "$t0" "$t1")" "$(cat "$tmp/px.out")"
}

# run_all JUDGMENTS FS_DB PX_DB LABEL: writes $tmp/LABEL.{fs,az,ss}.{run,score}
run_all() {
  local judg=$1 fsdb=$2 pxdb=$3 label=$4 k
  python3 "$here/seed_run.py" "$fs_bin" "$fsdb" "$judg" "$tmp/$label.fs.run"
  "$px_bin" search "$pxdb" "$judg" "$tmp/$label.az.run"
  "$px_bin" search "$pxdb" "$judg" "$tmp/$label.ss.run" --stem-some
  for k in fs az ss; do
    python3 "$eval_dir/score.py" "$judg" "$tmp/$label.$k.run" --per-query >"$tmp/$label.$k.score"
  done
}

# table LABEL JUDGMENTS [by-note]: one row per engine from score.py's last line; with by-note also the mean
# per-query nDCG@10 (score.py --per-query, two decimals) by the judgments' note (plain, compound, inflect, umlaut).
table() {
  python3 - "$tmp" "$1" "$2" "${3:-}" <<'EOF'
import json, re, sys
tmp, label, judg, by_note = sys.argv[1:5]
rows = [("fundstelle", "fs"), ("xapian STEM_ALL_Z", "az"), ("xapian STEM_SOME", "ss")]
queries = json.load(open(judg, encoding="utf-8"))["queries"]
note = {str(q["qid"]): q.get("note", "") for q in queries}
known = ["plain", "compound", "inflect", "umlaut"]
notes = {q.get("note", "") for q in queries if q.get("anchors")}
groups = [g for g in known if g in notes] + (["other"] if notes - set(known) else [])
group_of = lambda n: n if n in known else "other"
count = {g: sum(1 for q in queries if q.get("anchors") and group_of(q.get("note", "")) == g) for g in groups}
others = sorted(n for n in notes if n not in known)
head = f'{"engine":20} {"nDCG@10":>8} {"MRR@10":>8} {"P@1":>8} {"R@10":>8} {"clutter":>8}'
if by_note:
    head += "  |" + "".join(f" {g + ' (' + str(count[g]) + ')':>14}" for g in groups)
print(head)
print("-" * len(head))
for name, key in rows:
    lines = open(f"{tmp}/{label}.{key}.score", encoding="utf-8").read().splitlines()
    m = re.search(r"queries=(\d+) nDCG@10=([\d.]+) MRR@10=([\d.]+) P@1=([\d.]+) R@10=([\d.]+) clutter_hits=(\S+)", lines[-1])
    if not m:
        sys.exit(f"cannot parse score.py output: {lines[-1]!r}")
    out = f"{name:20} {m[2]:>8} {m[3]:>8} {m[4]:>8} {m[5]:>8} {m[6]:>8}"
    if by_note:
        per = {g: [] for g in groups}
        for l in lines[:-1]:
            nd = re.search(r"\bndcg=([\d.]+)", l)
            if nd and l.split()[0] in note:
                per[group_of(note[l.split()[0]])].append(float(nd[1]))
        out += "  |" + "".join(f" {(sum(v) / len(v) if v else float('nan')):>14.3f}" for v in per.values())
    print(out)
if by_note and others:
    print(f'(other = notes {", ".join(others)}; per-note columns average score.py --per-query nDCG@10, rounded to 2 decimals per query)')
EOF
}

echo "== seed queries: corpus/ ($(basename "$eval_dir")/seed-queries.json)"
echo "indexing:"
index_fundstelle "$tmp/fs" "$root/corpus/" seed
index_plain "$tmp/px" "$root/corpus/"
run_all "$eval_dir/seed-queries.json" "$tmp/fs" "$tmp/px" seed
echo
table seed "$eval_dir/seed-queries.json"

if [[ $lo -eq 1 ]]; then
  echo
  if [[ ! -f $eval_dir/lo-known.json && ${#known[@]} -eq 0 ]]; then
    echo "== --lo: $eval_dir/lo-known.json does not exist; skipping the larger collection"
    exit 0
  fi
  if [[ ! -d /usr/share/libreoffice/help/de ]]; then
    echo "relevance.sh: --lo needs the German LibreOffice help, man pages and fortunes; install them with" >&2
    echo "  apt-get install libreoffice-help-de manpages-de fortunes-de" >&2
    exit 2
  fi
  echo "== known-item queries: larger collection ($(basename "$eval_dir")/lo-known.json)"
  # Where the collection and its indexes live: this run's temporary folder, or RELEVANCE_CACHE. There each is
  # used again only when it exists and its stamp (NAME.made, written when it was made) describes what makes
  # it now: the path, time and size of each file it is made from, and for the collection the versions of
  # the Debian packages it is read from. Anything else (another build folder, a file changed, added or
  # removed, one changed while it was being made) makes it again.
  lo_dir=$tmp
  if [[ -n ${RELEVANCE_CACHE:-} ]]; then
    mkdir -p "$RELEVANCE_CACHE"
    lo_dir=$(cd "$RELEVANCE_CACHE" && pwd)
  fi
  signature() {  # signature FILE...: a line per file
    local f
    for f in "$@"; do
      if [[ -e $f ]]; then stat -L -c '%n %Y %s' "$f"; else echo "$f (none)"; fi
    done
  }
  fresh() { [[ -e $lo_dir/$1 && -f $lo_dir/$1.made && "$(cat "$lo_dir/$1.made")" == "$2" ]]; }
  made() { printf '%s' "$2" >"$lo_dir/$1.made"; }
  mapfile -t seeds < <(find "$root/corpus" -type f | sort)
  sig=$(signature "$eval_dir/build_collection.py" "${seeds[@]}"
        dpkg-query -W -f='${Package} ${Version}\n' libreoffice-help-de manpages-de fortunes-de 2>/dev/null || true)
  if fresh lo.jsonl "$sig"; then
    printf '  %-22s %s\n' "build_collection.py" "kept: $lo_dir/lo.jsonl"
  else
    rm -f "$lo_dir/lo.jsonl.made"
    t0=$(now)
    python3 "$eval_dir/build_collection.py" "$lo_dir/lo.jsonl" --seeds "$root/corpus" >"$tmp/lo.build"
    t1=$(now)
    made lo.jsonl "$sig"
    printf '  %-22s %8s s   %s\n' "build_collection.py" "$(elapsed "$t0" "$t1")" \
      "$(tail -n 1 "$tmp/lo.build"), $(du -h "$lo_dir/lo.jsonl" | cut -f1)"
  fi
  echo "indexing:"
  sig=$(signature "$lo_dir/lo.jsonl" "$fs_bin" "$build/libfundstelle.so.0")  # (the library the program loads)
  if fresh lofs "$sig"; then
    printf '  %-22s %s\n' "fundstelle index" "kept: $lo_dir/lofs"
  else
    rm -rf "$lo_dir/lofs" "$lo_dir/lofs.made"
    index_fundstelle "$lo_dir/lofs" "$lo_dir/lo.jsonl" lo
    made lofs "$sig"
  fi
  sig=$(signature "$lo_dir/lo.jsonl" "$px_bin")
  if fresh lopx "$sig"; then
    printf '  %-22s %s\n' "plain_xapian index" "kept: $lo_dir/lopx"
  else
    rm -rf "$lo_dir/lopx" "$lo_dir/lopx.made"
    index_plain "$lo_dir/lopx" "$lo_dir/lo.jsonl"
    made lopx "$sig"
  fi
  if [[ -f $eval_dir/lo-known.json ]]; then
    run_all "$eval_dir/lo-known.json" "$lo_dir/lofs" "$lo_dir/lopx" lo
    echo
    table lo "$eval_dir/lo-known.json" by-note
  else
    echo "(no $eval_dir/lo-known.json: only the --known sets)"
  fi
  for k in "${!known[@]}"; do
    echo
    echo "== known-item queries: larger collection ($(basename "${known[$k]}"))"
    run_all "${known[$k]}" "$lo_dir/lofs" "$lo_dir/lopx" "known$k"
    table "known$k" "${known[$k]}" by-note
  done
fi
exit 0
