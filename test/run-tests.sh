#!/usr/bin/env bash
# The whole test suite: builds the control-plane binaries if missing (cached under ~/.cache/bosun),
# type-checks, lints, runs the unit tests, then the end-to-end tests against the real local control plane.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/controlplane/build.sh >/dev/null
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx biome check .
echo "== unit tests"; npx vitest run --project unit "$@"
echo "== e2e tests (real control plane)"; npx vitest run --project e2e "$@"
