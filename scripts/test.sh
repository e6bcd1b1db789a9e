#!/usr/bin/env bash
# The second Quick start command, and what CI runs: install what is missing, build, and run the whole
# test suite through CTest, once as built and once more under AddressSanitizer + UndefinedBehaviorSanitizer.
# FUNDSTELLE_WERROR=ON (set by .ci/run) makes every warning in our code an error; a user's run keeps the default
# (off), so that another compiler's new warning never stops a build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
werror=-DFUNDSTELLE_WERROR=${FUNDSTELLE_WERROR:-OFF}
# Each stage's time in the log ("test.sh: ... took N s"), so that CI's minutes can be read stage by stage.
stage_name="install and build"
stage_start=$SECONDS
stage() {
  echo "test.sh: $stage_name took $((SECONDS - stage_start)) s (all so far: $SECONDS s)"
  stage_name=$1
  stage_start=$SECONDS
}
trap 'stage "end"' EXIT

# The relevance guards also index a German collection made from these Debian packages.
# The browser test drives Debian's Chromium through its ChromeDriver.
# The speed benchmark's peers: Lucene 8.7 (Java) and PostgreSQL 15.
# The shard test serves shards with xapian-tcpsrv (xapian-tools).
# The OpenAPI conformance test validates the service's answers with python3-jsonschema.
extra="libreoffice-help-de manpages-de fortunes-de man-db chromium chromium-driver"
extra+=" default-jdk-headless liblucene8-java libgoogle-gson-java postgresql-15 python3-psycopg2"
extra+=" xapian-tools python3-jsonschema"
# The format check uses Debian's clang-format (the fuzz step's clang comes from scripts/fuzz.sh).
extra+=" clang-format"
# The package test: dpkg-shlibdeps (dpkg-dev) for the .deb's dependencies, systemd-analyze for its unit, zsh
# for its zsh completion.
extra+=" dpkg-dev systemd zsh"
# One build is tested, benchmarked and packaged: Release (what a user builds by default for speed, -O3 bringing
# warnings of its own), configured for /usr as the system package is. With the sanitizer builds below (clang
# at -O1 for ASan/UBSan and the fuzzers, GCC Debug for TSan), each configuration is built once per run.
EXTRA_PACKAGES="$extra" bash scripts/bootstrap.sh build-release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  "$werror"

# The rooms' dependency rule (ARCHITECTURE.md) and the project's format: seconds, so they come first.
stage "include and format checks"
python3 scripts/check_includes.py
bash scripts/check_format.sh

stage "tests"
ctest --test-dir build-release --output-on-failure -j"$jobs"

# The speed benchmark in miniature (2 MB, every peer), so that it never rots; its figures mean little.
stage "speed benchmark (tiny)"
bash bench/speed.sh build-release --tiny

# Sanitizers: the suite again, built by clang with AddressSanitizer + UndefinedBehaviorSanitizer (leaks are
# reported too) in the very build the fuzzers below are made in (FUNDSTELLE_FUZZ adds libFuzzer's coverage
# hooks and _GLIBCXX_ASSERTIONS to our code, -O1 as libFuzzer and ASan advise): one instrumented build of the
# libraries instead of two, which were 11 of CI's minutes between them. GCC's own warnings are checked by the
# Release build above, clang's here, both with -Werror in CI. new_delete_type_mismatch is off
# because Xapian 1.4.22's own Database::check (libxapian, not our code) deletes a table object through a
# base class of another size; our code builds with -Wall -Wnon-virtual-dtor -Werror, which catches that kind
# of bug at compile time.
# Two CLI tests are left out here: they kill or interrupt an instrumented first import again and again
# (SIGKILL at many moments; Ctrl-C), took 330 s of the 2-core run's test time between them under ASan (90 s
# without), and check what is on disk after a kill, not memory; the code they run is run under ASan by the
# library's tests of a first import stopped midway and of its shards cleared after a kill.
# The test of a remote shard read over several connections is left out here too: it opens xapian-progsrv
# connections on several threads at once, and Xapian 1.4.22's ProgClient allocates memory in the forked child
# before its exec (split_words); glibc's malloc is made safe for that at fork, but the ASan allocator is not
# (seen with GCC 12's), so now and then a child hangs before it runs xapian-progsrv and the connection times
# out (twice in CI: the test waited for its whole timeout, 10 s and then 60 s, with one connection never
# answering). It runs in the plain build above.
stage "ASan/UBSan build"
# (A sanitizer build left by an older test.sh, GCC's without the fuzz targets, is made anew.)
if [ -f build-asan/CMakeCache.txt ] && ! grep -q '^FUNDSTELLE_FUZZ:BOOL=ON' build-asan/CMakeCache.txt; then
  rm -rf build-asan
fi
# (The test binary and, through it, the program: the benchmark programs and the examples are not run here.)
EXTRA_PACKAGES="clang libclang-rt-14-dev" TARGET=fundstelle_tests bash scripts/bootstrap.sh build-asan \
  -DCMAKE_CXX_COMPILER=clang++ -DFUNDSTELLE_SANITIZE=ON -DFUNDSTELLE_FUZZ=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  "$werror"
# Leaks: Xapian's own on a failed commit are suppressed (scripts/lsan.supp says which and why).
stage "ASan/UBSan tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:new_delete_type_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp ctest --test-dir build-asan --output-on-failure -j"$jobs" -E "killed at any moment|Ctrl-C during a first import|read over several connections"

# ThreadSanitizer: concurrent searching while an index is written, and a first import on several threads. Its test
# binary is built from the files that hold those test cases only (found by their names), and they run two at a
# time, as the suite does.
stage "TSan build"
tsan_tests="threads|first import|tells its progress"
tsan_files=$(grep -lE "TEST_CASE\(\"[^\"]*($tsan_tests)" tests/*/*.cpp | sed 's|^tests/||' | paste -sd ';')
TARGET=fundstelle_tests bash scripts/bootstrap.sh build-tsan -DCMAKE_BUILD_TYPE=Debug -DFUNDSTELLE_THREAD_SANITIZER=ON \
  "-DFUNDSTELLE_TEST_FILES=$tsan_files" "$werror"
# (The CLI tests of the first import only start instrumented processes and kill them: no threads to check
# beyond those the library tests cover, and most of the step's time, so they are left out here.)
stage "TSan tests"
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j"$jobs" --no-tests=error -R "$tsan_tests" \
  -E "fundstelle:cli:"

# libFuzzer (clang): the .txt parser, the JSON Lines reader, the query parser and the analyzer, each replaying
# its regression inputs and then fuzzed for a bounded time from its committed seed corpus.
# A fixed seed: CI should not fail by luck (run scripts/fuzz.sh by hand for new random seeds).
stage "fuzzers"
# They are made in the sanitizer build above (FUZZ_BUILD).
FUZZ_BUILD=build-asan FUZZ_SECONDS=${FUZZ_SECONDS:-30} FUZZ_SEED=${FUZZ_SEED:-1} bash scripts/fuzz.sh

# The .deb made from the Release build above (configured for /usr), installed with dpkg -i, used and purged.
stage "package test"
bash scripts/package_test.sh build-release
