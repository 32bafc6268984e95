#!/usr/bin/env bash
# Builds the real Argo CD that bosun's argocd-mode end-to-end tests run: the multi-call `argocd` binary from
# the Go module github.com/argoproj/argo-cd/v3 (pinned in go/go.mod, with argo-cd's own replace block), the
# `argocd-application-controller`, `argocd-repo-server` and `argocd-applicationset-controller` links to it, and
# the CRDs of the same module version.
# Skips what is already there. Prints the cache directory on the last line of stdout.
#
#   bash test/argocd/build.sh                 # build what is missing
#   BOSUN_ARGOCD_BIN=/some/dir bash ...       # build into another directory
#
# Why v3.2.11: v3.2.12 as published does not compile, and v3.3 and later import gitops-engine from a local
# path, so they cannot be built as a dependency.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARGOCD=v3.2.11        # pinned in go/go.mod
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/bosun"
BIN="${BOSUN_ARGOCD_BIN:-$CACHE_ROOT/argocd-$ARGOCD}"
MOD=github.com/argoproj/argo-cd/v3

WHAT=argocd
# shellcheck source=../../controlplane/go-build-lib.sh
. "$HERE/../../controlplane/go-build-lib.sh"
require_go "to build Argo CD $ARGOCD"
mkdir -p "$BIN"
lock_cache
START=$SECONDS

if [ ! -x "$BIN/argocd" ]; then
  # nice: the build shares the machine with tests and other builds.
  timed argocd bash -c "cd '$HERE/go' && nice -n 10 go build -trimpath \
    -ldflags='-s -w -X $MOD/common.version=${ARGOCD#v}' -o '$BIN/argocd.tmp' '$MOD/cmd'"
  mv "$BIN/argocd.tmp" "$BIN/argocd"
fi

# The binary picks its component from the name it is called by.
for c in argocd-application-controller argocd-repo-server argocd-applicationset-controller; do
  [ -L "$BIN/$c" ] || ln -sf argocd "$BIN/$c"
done

if [ ! -d "$BIN/crds" ]; then
  SRC="$(cd "$HERE/go" && go list -m -f '{{.Dir}}' "$MOD")"
  [ -n "$SRC" ] && [ -d "$SRC/manifests/crds" ] || \
    (cd "$HERE/go" && go mod download "$MOD" >/dev/null) || die "cannot download $MOD@$ARGOCD"
  SRC="$(cd "$HERE/go" && go list -m -f '{{.Dir}}' "$MOD")"
  [ -d "$SRC/manifests/crds" ] || die "Argo CD CRDs not found in the module cache ($SRC/manifests/crds)"
  mkdir -p "$BIN/crds.tmp"
  cp "$SRC/manifests/crds/application-crd.yaml" "$SRC/manifests/crds/appproject-crd.yaml" \
     "$SRC/manifests/crds/applicationset-crd.yaml" "$BIN/crds.tmp/"
  chmod u+w "$BIN/crds.tmp/"*
  mv "$BIN/crds.tmp" "$BIN/crds"
fi

if [ $((SECONDS - START)) -gt 2 ]; then
  log "argocd ready in $((SECONDS - START))s"
fi
echo "$BIN"
