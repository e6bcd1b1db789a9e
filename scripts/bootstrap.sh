#!/usr/bin/env bash
# Installs the Debian packages Fundstelle needs (only those missing), then configures and builds.
# usage: [TARGET=name] [JOBS=n] scripts/bootstrap.sh [BUILD_DIR] [extra cmake arguments...]
# TARGET builds one target (the demo needs only the fundstelle program); default: everything.
# JOBS: parallel compile jobs; default: one per core.
# Quick the second time: no apt call when everything is there, and an incremental build.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config python3 libxapian-dev libicu-dev libcli11-dev catch2 nlohmann-json3-dev
          wngerman hunspell-de-de mythes-de libmicrohttpd-dev libcpp-httplib-dev zlib1g-dev libgumbo-dev libxml2-dev libcurl4-openssl-dev
          libmimalloc-dev
          pybind11-dev python3-dev python3-pytest)
# EXTRA_PACKAGES: more packages a caller needs (the test command adds the relevance collection's sources).
read -r -a extra <<<"${EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${1:-build}
shift || true
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
cmake --build "$build" -j"$jobs" ${TARGET:+--target "$TARGET"}
