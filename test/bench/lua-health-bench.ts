/**
 * Health of 5,000 objects through Lua: a Rollout-like custom resource assessed by a health script in Argo CD's
 * style (our own script, written for this benchmark), per object and in total. No cluster needed.
 *
 *   npx tsx test/bench/lua-health-bench.ts
 */
import type { KubeObject } from '../../src/engine/index.js';
import { createLuaVm, runHealthScript } from '../../src/engine/lua/index.js';
import { ms, stats } from './bench-util.js';

const SCRIPT = `
local hs = {}
local function condition(t)
  if obj.status == nil or obj.status.conditions == nil then return nil end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == t then return c end
  end
  return nil
end
if obj.status == nil or obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to observe generation " .. obj.metadata.generation
  return hs
end
local available = condition("Available")
if available ~= nil and available.status == "False" then
  hs.status = "Degraded"
  hs.message = available.message
  return hs
end
if (obj.status.updatedReplicas or 0) < (obj.spec.replicas or 1) then
  hs.status = "Progressing"
  hs.message = "Updated replicas: " .. (obj.status.updatedReplicas or 0) .. "/" .. obj.spec.replicas
  return hs
end
hs.status = "Healthy"
hs.message = "All " .. table.getn(obj.status.conditions) .. " conditions hold"
return hs
`;

function object(i: number): KubeObject {
  const replicas = 3 + (i % 5);
  return {
    apiVersion: 'example.com/v1',
    kind: 'Canary',
    metadata: {
      name: `svc-${i}`,
      namespace: `team-${i % 40}`,
      generation: 4,
      labels: { app: `svc-${i}`, tier: 'backend', 'app.kubernetes.io/part-of': 'shop' },
      annotations: { 'example.com/owner': 'platform', 'example.com/revision': String(i) },
    },
    spec: {
      replicas,
      strategy: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 60 }] },
      template: {
        spec: {
          containers: [
            { name: 'app', image: `registry.example.com/svc:${i}`, ports: [{ containerPort: 8080 }] },
          ],
        },
      },
    },
    status: {
      observedGeneration: i % 7 === 0 ? 3 : 4,
      replicas,
      updatedReplicas: i % 5 === 0 ? replicas - 1 : replicas,
      conditions: [
        { type: 'Available', status: i % 11 === 0 ? 'False' : 'True', message: 'minimum replicas' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  } as unknown as KubeObject;
}

const N = 5000;
const objects = Array.from({ length: N }, (_, i) => object(i));
const t0 = performance.now();
const vm = await createLuaVm();
const loadMs = performance.now() - t0;
runHealthScript(vm, SCRIPT, objects[0] as KubeObject); // compile once
const per: number[] = [];
const counts = new Map<string, number>();
const t1 = performance.now();
for (const o of objects) {
  const a = performance.now();
  const h = runHealthScript(vm, SCRIPT, o);
  per.push(performance.now() - a);
  counts.set(h?.status ?? '-', (counts.get(h?.status ?? '-') ?? 0) + 1);
}
const total = performance.now() - t1;
const s = stats(per);
console.log(`lua health: VM load ${ms(loadMs)}`);
console.log(
  `lua health: ${N} objects in ${ms(total)} (${((total * 1000) / N).toFixed(0)} µs per object; median ${ms(s.median)}, p95 ${ms(s.p95)})`,
);
console.log(`lua health: verdicts ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
vm.close();
