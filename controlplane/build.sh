#!/usr/bin/env bash
# Builds the binaries bosun's end-to-end tests need (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok, kustomize, helm) from Go modules into a versioned cache directory.
# Skips every binary that is already there. Prints the cache directory on the last line of stdout.
#
#   bash controlplane/build.sh            # build what is missing
#   BOSUN_CP_BIN=/some/dir bash ...build.sh    # build into another directory
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KV=v1.36.3            # Kubernetes (staging modules v0.36.3, pinned in go/k8s/go.mod)
ETCD=v3.6.8           # pinned in go/etcd/go.mod
KWOK=v0.8.0
KUSTOMIZE=v5.8.1
HELM=v3.21.4
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/bosun"
BIN="${BOSUN_CP_BIN:-$CACHE_ROOT/cp-k8s-$KV-etcd-$ETCD-kwok-$KWOK-kustomize-$KUSTOMIZE-helm-$HELM}"

WHAT=control-plane
# shellcheck source=go-build-lib.sh
. "$HERE/go-build-lib.sh"
require_go "to build the test control plane"
mkdir -p "$BIN"
lock_cache

START=$SECONDS

if ! have etcd; then
  timed etcd bash -c "cd '$HERE/go/etcd' && go build -trimpath -ldflags='-s -w' -o '$BIN/etcd' go.etcd.io/etcd/server/v3"
fi

if ! have kube-apiserver || ! have kube-controller-manager || ! have kube-scheduler || ! have kubectl; then
  MINOR="${KV#v1.}"; MINOR="${MINOR%%.*}"
  LD="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    LD="$LD -X $p.gitVersion=$KV -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  timed kubernetes bash -c "cd '$HERE/go/k8s' && go build -trimpath -pgo=off -ldflags='$LD' -o '$BIN/' \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl"
fi

if ! have kwok; then
  timed kwok env GOBIN="$BIN" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK"
fi
# kwok v0.8.0 needs stage files; they ship inside its module zip. Copy them next to the binary.
if [ ! -d "$BIN/kwok-stages" ]; then
  SRC="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK/kustomize/stage"
  [ -d "$SRC" ] || (cd /tmp && go mod download "sigs.k8s.io/kwok@$KWOK" >/dev/null)
  [ -d "$SRC" ] || die "kwok stage files not found in the module cache ($SRC)"
  mkdir -p "$BIN/kwok-stages"
  cp "$SRC/node/fast/node-initialize.yaml" \
     "$SRC/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$SRC/pod/fast/pod-ready.yaml" "$SRC/pod/fast/pod-complete.yaml" "$SRC/pod/fast/pod-delete.yaml" \
     "$BIN/kwok-stages/"
  chmod u+w "$BIN/kwok-stages/"*
fi

if ! have kustomize; then
  timed kustomize env GOBIN="$BIN" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE"
fi

# helm as its release Makefile builds it: the version, and the default Kubernetes version charts see
# in .Capabilities (the client-go minor it links: 1.36), not go install's v1.20. The marker file
# rebuilds a helm an older version of this script built without them.
if ! have helm || [ ! -f "$BIN/.helm-release-ldflags" ]; then
  HELM_LD="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM"
  for p in chartutil lint/rules; do
    HELM_LD="$HELM_LD -X helm.sh/helm/v3/pkg/$p.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/$p.k8sVersionMinor=36"
  done
  rm -f "$BIN/helm"
  timed helm env GOBIN="$BIN" go install -trimpath -ldflags="$HELM_LD" "helm.sh/helm/v3/cmd/helm@$HELM"
  touch "$BIN/.helm-release-ldflags"
fi

if [ $((SECONDS - START)) -gt 2 ]; then
  log "all binaries ready in $((SECONDS - START))s"
fi
echo "$BIN"
