#!/usr/bin/env bash
# Builds bosun-helm-render, the long-lived Helm renderer bosun uses instead of one `helm template`
# process per chart (same Helm library version as the helm binary; see main.go). Optional: without
# it bosun runs `helm template`. The binary is cached under ~/.cache/bosun, keyed by this folder's
# sources, and linked as tools/helm-render/bin/bosun-helm-render, where bosun looks for it.
#
#   bash tools/helm-render/build.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEY="$(cat "$HERE/go.mod" "$HERE/go.sum" "$HERE"/*.go | sha256sum | cut -c1-12)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/bosun"
BIN="$CACHE_ROOT/helm-render-$KEY"

WHAT=helm-render
# shellcheck source=../../controlplane/go-build-lib.sh
. "$HERE/../../controlplane/go-build-lib.sh"
require_go "to build bosun-helm-render"
mkdir -p "$BIN"
lock_cache

if ! have bosun-helm-render; then
  timed bosun-helm-render bash -c "cd '$HERE' && nice -n 10 go build -trimpath -ldflags='-s -w' -o '$BIN/bosun-helm-render.tmp' ."
  mv "$BIN/bosun-helm-render.tmp" "$BIN/bosun-helm-render"
fi
mkdir -p "$HERE/bin"
ln -sfn "$BIN/bosun-helm-render" "$HERE/bin/bosun-helm-render"
echo "$HERE/bin/bosun-helm-render"
