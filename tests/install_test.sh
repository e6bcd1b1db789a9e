#!/usr/bin/env bash
# Installs Fundstelle into a temporary prefix and uses it the way a consumer would: builds examples/embed with
# find_package(Fundstelle) and again with pkg-config, indexes corpus/ with the installed program, and
# searches it with the example.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Into a prefix of its own, staged under DESTDIR as a package is: a build configured for /usr (as scripts/test.sh
# configures the one it tests and packages) installs its settings file to /etc, which must not touch this machine.
prefix=$tmp/root/opt/fundstelle

DESTDIR=$tmp/root cmake --install "$build" --prefix /opt/fundstelle >/dev/null
test -x "$prefix/bin/fundstelle"
test -f "$prefix/include/fundstelle/fundstelle.h"
test -f "$prefix/include/fundstelle/version.h"
# The headers are the whole API: they compile without Xapian or ICU on the include path.
! grep -rlE '#include <(xapian|unicode/)' "$prefix/include/fundstelle"

cmake -S "$src/examples/embed" -B "$tmp/embed" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/embed" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libfundstelle.so' | head -1)")
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
g++ -o "$tmp/embed-pc" "$src/examples/embed/main.cpp" $(pkg-config --cflags --libs fundstelle) -Wl,-rpath,"$libdir"

"$prefix/bin/fundstelle" index -q --db "$tmp/index" "$src/corpus"
out=$("$tmp/embed/embed" "$tmp/index" Entwicklungszentrum München)
echo "$out"
grep -q '^1	003_' <<<"$out"
"$tmp/embed-pc" "$tmp/index" Nürburgring | grep -q 'Nürburgring'
"$prefix/bin/fundstelle" --version | grep -q "^fundstelle "
echo "install test: ok"
