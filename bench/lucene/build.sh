#!/usr/bin/env bash
# Builds the Lucene peer of bench/speed.sh: compiles LuceneBench.java with javac against Debian's jars and writes
# OUT_DIR/LuceneBench.jar, runnable as it is (its manifest names the main class and the jars it needs):
#   java -jar OUT_DIR/LuceneBench.jar index INDEX_DIR FEED.jsonl
#   java -jar OUT_DIR/LuceneBench.jar latency INDEX_DIR QUERIES.txt [REPEAT]
# Needs the Debian packages default-jdk-headless (or any JDK >= 11: javac, jar), liblucene8-java and
# libgoogle-gson-java. JAVA_JARS overrides the folder of the jars (default /usr/share/java; the jar's
# manifest names them by absolute path).
# usage: bench/lucene/build.sh OUT_DIR        prints nothing on success; exit 2 if something is missing
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bench/lucene/build.sh OUT_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1
jars_dir=${JAVA_JARS:-/usr/share/java}
jars_dir=$(cd "$jars_dir" 2>/dev/null && pwd) || { echo "build.sh: ${JAVA_JARS:-/usr/share/java} is not a folder" >&2; exit 2; }

for tool in javac jar; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found; install default-jdk-headless" >&2; exit 2; }
done

# Debian names the Lucene jars by version (lucene-core-8.7.0.jar) without an unversioned link: take the newest 8.x.
classpath=()
for name in lucene-core lucene-analyzers-common lucene-queryparser lucene-highlighter lucene-memory lucene-queries; do
  jar=$(ls "$jars_dir/$name"-8.*.jar 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$jar" ] || { echo "build.sh: $jars_dir/$name-8.*.jar not found; install liblucene8-java" >&2; exit 2; }
  classpath+=("$jar")
done
[ -f "$jars_dir/gson.jar" ] || { echo "build.sh: $jars_dir/gson.jar not found; install libgoogle-gson-java" >&2; exit 2; }
classpath+=("$jars_dir/gson.jar")

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/classes"
javac -Xlint:all -encoding UTF-8 -d "$tmp/classes" -cp "$(IFS=:; echo "${classpath[*]}")" "$here/LuceneBench.java"
# Manifest lines are at most 72 bytes: the long Class-Path goes on continuation lines (starting with a space).
{
  echo "Main-Class: LuceneBench"
  echo "Class-Path: ${classpath[*]}" | fold -w 70 | sed '2,$s/^/ /'
} >"$tmp/manifest"
jar --create --file "$out/LuceneBench.jar" --manifest "$tmp/manifest" -C "$tmp/classes" .
