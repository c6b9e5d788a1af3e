#!/usr/bin/env bash
# Build the vCenter simulator (govmomi's simulator package, shipped as source by Debian) used by
# the integration tests and benchmarks. Idempotent: rebuilds only when tools/vcsim/main.go is
# newer than the binary. Installs golang-go and golang-github-vmware-govmomi-dev when missing.
#
#   scripts/build-vcsim.sh            -> .build/vcsim (relative to the repository root)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/vcsim/main.go"
OUT_DIR="$ROOT/.build"
OUT="$OUT_DIR/vcsim"
GOVMOMI_DIR=/usr/share/gocode/src/github.com/vmware/govmomi/simulator

need_packages=()
command -v go >/dev/null 2>&1 || need_packages+=(golang-go)
[ -d "$GOVMOMI_DIR" ] || need_packages+=(golang-github-vmware-govmomi-dev)
if [ "${#need_packages[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "build-vcsim: missing Debian packages ${need_packages[*]} and not root: install them" >&2
        exit 1
    fi
    echo "build-vcsim: installing ${need_packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

if [ -x "$OUT" ] && [ "$OUT" -nt "$SRC" ] && [ "$OUT" -nt "$0" ]; then
    exit 0
fi

mkdir -p "$OUT_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/vcsim"
cp "$SRC" "$WORK/vcsim/main.go"
# GOPATH mode: the Debian package puts govmomi (and its dependencies) under /usr/share/gocode.
(
    cd "$WORK/vcsim"
    GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$OUT_DIR/go-cache" GOFLAGS=-mod=mod \
        go build -o "$OUT.tmp" .
) 2>&1 | grep -v '^go: ' >&2 || true
if [ ! -x "$OUT.tmp" ]; then
    echo "build-vcsim: go build failed" >&2
    exit 1
fi
mv "$OUT.tmp" "$OUT"
echo "build-vcsim: built $OUT" >&2
