# Shell helpers shared by the Go build scripts (controlplane/build.sh, test/argocd/build.sh).
# The caller sets WHAT (e.g. "control-plane") and BIN (the cache directory) before sourcing this file.

log() { printf '[%s build] %s\n' "$WHAT" "$*" >&2; }
die() { printf 'bosun %s build failed: %s\n' "$WHAT" "$*" >&2; exit 1; }

# require_go WHY: stops with one line unless a Go >= 1.26 toolchain is on PATH.
require_go() {
  command -v go >/dev/null 2>&1 || die "no Go toolchain on PATH (need Go >= 1.26 $1)"
  local gov
  gov="$(go env GOVERSION 2>/dev/null || true)"
  case "$gov" in
    go1.2[6-9]*|go1.[3-9]*) ;;
    *) die "Go $gov is too old (need Go >= 1.26 $1)" ;;
  esac
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
}

# lock_cache: one build at a time per cache directory; a second run (another test run, another
# checkout) waits for the first and then finds the binaries there, instead of compiling them again.
lock_cache() {
  if command -v flock >/dev/null 2>&1 && [ "${BOSUN_BUILD_LOCKED_DIR:-}" != "$BIN" ]; then
    exec 9>"$BIN/.build.lock"
    if ! flock -n 9; then
      log "another build of $BIN is running; waiting for it"
      flock 9
    fi
    export BOSUN_BUILD_LOCKED_DIR="$BIN"
  fi
}

# have NAME: the binary is already in the cache directory.
have() { [ -x "$BIN/$1" ]; }

# timed NAME COMMAND...: runs a build step with its output in $BIN/.build-NAME.log, a heartbeat line
# every 30 s (a cold build never looks hung), and one clear line with the log's tail when it fails.
timed() {
  local name="$1"; shift
  local t0=$SECONDS
  log "building $name (this takes minutes on a cold cache; output in $BIN/.build-$name.log)"
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
