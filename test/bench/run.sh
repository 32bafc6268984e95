#!/usr/bin/env bash
# Runs every benchmark and prints its figures (each starts its own local control plane where needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash controlplane/build.sh >/dev/null
bash test/argocd/build.sh >/dev/null
# bin/bosun.js runs the bundle in dist/ when it is fresh: measure that, as users run it.
npm run --silent build
for b in diff-bench render-bench drift-bench sync-bench memory-bench startup-bench fleet-bench tui-bench lua-health-bench logs-bench argocd-scale-bench; do
  echo "== $b"
  npx tsx "test/bench/$b.ts"
done
