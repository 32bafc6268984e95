#!/usr/bin/env bash
# Builds bosun-helm-render, the long-lived Helm renderer bosun uses instead of one `helm template`
# process per chart (same Helm library version as the helm binary; see main.go). Optional: without
# it bosun runs `helm template`. The binary is cached under ~/.cache/bosun, keyed by this folder's
# sources, and linked as tools/helm-render/bin/bosun-helm-render, where bosun looks for it.
#
#   bash tools/helm-render/build.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEY="$(cat "$HERE/go.mod" "$HERE/go.sum" "$HERE"/*.go "$HERE/build.sh" | sha256sum | cut -c1-12)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/bosun"
BIN="$CACHE_ROOT/helm-render-$KEY"

WHAT=helm-render
# shellcheck source=../../controlplane/go-build-lib.sh
. "$HERE/../../controlplane/go-build-lib.sh"
require_go "to build bosun-helm-render"
mkdir -p "$BIN"
lock_cache

if ! have bosun-helm-render; then
  # The ldflags of Helm's release Makefile: its version, and the default Kubernetes version
  # (.Capabilities.KubeVersion) from the client-go it links, so charts render as with a release helm.
  HV="$(cd "$HERE" && go list -m -f '{{.Version}}' helm.sh/helm/v3)"
  KV="$(cd "$HERE" && go list -m -f '{{.Version}}' k8s.io/client-go)"   # v0.36.2 -> Kubernetes 1.36
  KMINOR="$(echo "$KV" | cut -d. -f2)"
  LD="-s -w -X helm.sh/helm/v3/internal/version.version=$HV"
  LD="$LD -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$KMINOR"
  timed bosun-helm-render bash -c "cd '$HERE' && nice -n 10 go build -trimpath -ldflags='$LD' -o '$BIN/bosun-helm-render.tmp' ."
  mv "$BIN/bosun-helm-render.tmp" "$BIN/bosun-helm-render"
fi
mkdir -p "$HERE/bin"
ln -sfn "$BIN/bosun-helm-render" "$HERE/bin/bosun-helm-render"
echo "$HERE/bin/bosun-helm-render"
