#!/usr/bin/env bash
# The .deb as a user meets it: made by cpack from a build configured with -DCMAKE_INSTALL_PREFIX=/usr,
# installed with dpkg -i on this machine, used (the program, its manual page, the shell completions, the
# systemd unit checked by systemd-analyze and its command run as the service would run it), then purged.
# Needs root (dpkg). Leaves the machine as it found it: the package purged, the user it made removed.
# usage: scripts/package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "package test: needs root (dpkg -i)" >&2
  exit 2
fi
if dpkg -s fundstelle >/dev/null 2>&1; then
  echo "package test: a fundstelle package is installed already; not touching it" >&2
  exit 2
fi
had_user=0
getent passwd fundstelle >/dev/null && had_user=1
tmp=$(mktemp -d)
chmod 755 "$tmp"
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  dpkg --purge fundstelle >/dev/null 2>&1 || true
  rm -rf "$tmp"
  if [[ $had_user -eq 0 ]] && getent passwd fundstelle >/dev/null; then
    userdel fundstelle 2>/dev/null || true
    rmdir /var/lib/fundstelle 2>/dev/null || true
  fi
}
trap cleanup EXIT

rm -f "$build"/fundstelle_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/fundstelle_*.deb)
version=$(dpkg-deb --field "$deb" Version)
echo "package test: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), depends: $(dpkg-deb --field "$deb" Depends)"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/fundstelle ./usr/include/fundstelle/fundstelle.h ./usr/share/man/man1/fundstelle.1.gz \
  ./usr/share/bash-completion/completions/fundstelle ./usr/share/zsh/vendor-completions/_fundstelle \
  ./usr/lib/systemd/system/fundstelle-serve.service ./etc/default/fundstelle; do
  grep -qx "$path" <<<"$contents" || { echo "package test: $path is not in the package" >&2; exit 1; }
done
grep -q '/libfundstelle\.so' <<<"$contents"
grep -q '/cmake/Fundstelle/FundstelleConfig\.cmake$' <<<"$contents"
grep -q '/pkgconfig/fundstelle\.pc$' <<<"$contents"

dpkg -i "$deb" >/dev/null
# The program, from PATH, with the version of the package.
[[ $(command -v fundstelle) == /usr/bin/fundstelle ]]
fundstelle --version | grep -qx "fundstelle $version"
# The manual page: found by man, and it renders every command.
if ! dpkg -L fundstelle | grep -q '/man1/fundstelle.1.gz$'; then
  echo "package test: dpkg left out the manual page (a path-exclude in /etc/dpkg/dpkg.cfg.d?)" >&2
  exit 1
fi
man -w fundstelle | grep -q '/usr/share/man/man1/fundstelle.1.gz'
page=$(MANWIDTH=100 man fundstelle 2>/dev/null)
for command in index check compact export sources search serve completion; do
  grep -q "fundstelle $command" <<<"$page" || { echo "package test: the manual page lacks $command" >&2; exit 1; }
done
grep -q -- '--sort relevance|newest|oldest' <<<"$page"
# bash completion as bash-completion loads it: commands, options, and an option's values.
complete_words() {
  bash -c 'source /usr/share/bash-completion/completions/fundstelle
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _fundstelle 2>/dev/null; echo "${COMPREPLY[*]}"' bash "$@"
}
[[ $(complete_words fundstelle se) == "search serve" ]]
[[ $(complete_words fundstelle search --so) == "--sort" ]]
[[ $(complete_words fundstelle search --sort n) == "newest" ]]
[[ $(complete_words fundstelle serve --log-format "") == "text json" ]]
[[ $(complete_words fundstelle completion "") == "bash zsh" ]]
[[ -z $(complete_words fundstelle search Entw) ]]  # a query is typed: no file names offered
# zsh: the completion function parses, and zsh finds it on its default function path.
if command -v zsh >/dev/null; then
  zsh -n /usr/share/zsh/vendor-completions/_fundstelle
  zsh -fc 'for d in $fpath; do [[ -e $d/_fundstelle ]] && exit 0; done; exit 1'
fi
# The service: a sound unit (systemd-analyze verify), its user and folders made by the package.
unit=/usr/lib/systemd/system/fundstelle-serve.service
systemd-analyze verify "$unit"
getent passwd fundstelle >/dev/null
[[ $(stat -c %U /var/lib/fundstelle) == fundstelle ]]
grep -qx 'FUNDSTELLE_DB=/var/lib/fundstelle/index' /etc/default/fundstelle
# Its command, as systemd runs it (no systemd runs here): the unit's ExecStart with the settings file's
# variables, as the service's user, over an index that user made of corpus/. The index is a temporary one:
# an index at /var/lib/fundstelle/index (kept by an earlier purge, say) is not touched.
cp -r "$src/corpus" "$tmp/corpus"
chmod -R a+rX "$tmp/corpus"
install -d -o fundstelle -g fundstelle "$tmp/data"
db="$tmp/data/index"
runuser -u fundstelle -- fundstelle index -q --db "$db" "$tmp/corpus"
set -a
# shellcheck disable=SC1091
. /etc/default/fundstelle
set +a
FUNDSTELLE_DB=$db
FUNDSTELLE_PORT=0
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
eval "set -- $exec_start"
setpriv --reuid=fundstelle --regid=fundstelle --init-groups -- "$@" 2>"$tmp/serve.log" &
server=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/serve.log")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { cat "$tmp/serve.log" >&2; exit 1; }
python3 - "$port" <<'EOF'
import json, sys, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
health = json.load(urllib.request.urlopen(base + "/health"))
assert health["status"] == "ok", health
found = json.load(urllib.request.urlopen(base + "/search?q=" + urllib.parse.quote("Entwicklungszentrum München")))
assert found["hits"] and found["hits"][0]["article"].startswith("003_"), found["hits"][:1]
EOF
kill -TERM "$server"
wait "$server"  # exit code 0 at SIGTERM (set -e fails the test otherwise)
server=

# Building against the installed library: find_package(Fundstelle) finds it under /usr.
cmake -S "$src/examples/embed" -B "$tmp/embed" >/dev/null
cmake --build "$tmp/embed" >/dev/null
"$tmp/embed/embed" "$db" Nürburgring | grep -q 'Nürburgring'

# The Python module, where Debian's python3 finds it (when the build made one: it had pybind11-dev).
if compgen -G "$build/python/fundstelle.cpython-*.so" >/dev/null; then
  grep -q '^\./usr/lib/python3/dist-packages/fundstelle\.cpython-.*\.so$' <<<"$contents" ||
    { echo "package test: the Python module is not in the package" >&2; exit 1; }
  grep -qx './usr/lib/python3/dist-packages/fundstelle.pyi' <<<"$contents"
  # It is for one Python: the package recommends that one.
  python_version=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  recommends=$(dpkg-deb --field "$deb" Recommends)
  grep -qF "python3 (>= $python_version)" <<<"$recommends" ||
    { echo "package test: the package does not recommend python3 $python_version (Recommends: $recommends)" >&2; exit 1; }
  (cd / && /usr/bin/python3 -c 'import sys, fundstelle
hits = fundstelle.Searcher(sys.argv[1]).search("Nürburgring")
assert hits and "Nürburgring" in hits[0].text, hits' "$db")
  echo "package test: the Python module imports and searches"
fi

dpkg --purge fundstelle >/dev/null
[[ ! -e /usr/bin/fundstelle && ! -e /etc/default/fundstelle && ! -e $unit ]]
echo "package test: ok ($(basename "$deb") installed, used and purged)"
