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

log() { printf '[controlplane build] %s\n' "$*" >&2; }
die() { printf 'bosun control-plane build failed: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH (need Go >= 1.26 to build the test control plane)"
GOV="$(go env GOVERSION 2>/dev/null || true)"
case "$GOV" in
  go1.2[6-9]*|go1.[3-9]*) ;;
  *) die "Go $GOV is too old: Kubernetes $KV needs Go >= 1.26" ;;
esac

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$BIN"

# One build at a time per cache directory: a second run (another test run, another checkout)
# waits for the first and then finds the binaries there, instead of compiling them again.
if command -v flock >/dev/null 2>&1 && [ -z "${BOSUN_CP_BUILD_LOCKED:-}" ]; then
  exec 9>"$BIN/.build.lock"
  if ! flock -n 9; then
    log "another build of $BIN is running; waiting for it"
    flock 9
  fi
  export BOSUN_CP_BUILD_LOCKED=1
fi

have() { [ -x "$BIN/$1" ]; }
timed() { # name, command...
  local name="$1"; shift
  local t0=$SECONDS
  log "building $name (this takes minutes on a cold cache; output in $BIN/.build-$name.log)"
  # A heartbeat so a cold build never looks hung.
  ( while sleep 30; do log "  still building $name ($((SECONDS - t0))s)"; done ) &
  local hb=$!
  if ! "$@" >"$BIN/.build-$name.log" 2>&1; then
    kill "$hb" 2>/dev/null || true
    tail -20 "$BIN/.build-$name.log" >&2
    die "could not build $name (see $BIN/.build-$name.log)"
  fi
  kill "$hb" 2>/dev/null || true
  log "built $name in $((SECONDS - t0))s"
}

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

if ! have helm; then
  timed helm env GOBIN="$BIN" go install -trimpath \
    -ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM" "helm.sh/helm/v3/cmd/helm@$HELM"
fi

if [ $((SECONDS - START)) -gt 2 ]; then
  log "all binaries ready in $((SECONDS - START))s"
fi
echo "$BIN"
