#!/usr/bin/env bash
# The whole test suite: builds the control-plane binaries if missing (cached under ~/.cache/bosun),
# type-checks, lints, runs the unit tests, then the end-to-end tests against the real local control plane.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
bash controlplane/build.sh >/dev/null
# bosun-helm-render: the shared Helm renderer (tests compare it with `helm template`).
bash tools/helm-render/build.sh >/dev/null
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx biome check .
echo "== unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-artifacts/unit.json "$@"
echo "== e2e tests (real control plane)"
npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json=test-artifacts/e2e.json "$@"
# One plain closing line for the whole run.
node -e '
const fs = require("node:fs");
let passed = 0, failed = 0, skipped = 0;
for (const f of ["test-artifacts/unit.json", "test-artifacts/e2e.json"]) {
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
