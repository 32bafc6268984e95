/**
 * Running Argo CD's Lua customizations (health checks and resource actions) in a sandbox. Create one VM with
 * `await createLuaVm()` and reuse it; the run functions are synchronous.
 *
 * ```ts
 * const vm = await createLuaVm();
 * const actions = runActionDiscovery(vm, [discoveryLua], rollout); // [{ name: 'abort', disabled: false }, ...]
 * const [impact] = runAction(vm, abortLua, rollout, {});          // { operation: 'patch', resource: {...} }
 * const health = runHealthScript(vm, healthLua, rollout);          // { status: 'Degraded', message: '...' }
 * ```
 */
export {
  type LuaAction,
  type LuaActionImpact,
  luaHealthRunner,
  runAction,
  runActionDiscovery,
  runHealthScript,
} from './scripts.js';
export {
  type CreateLuaVmOptions,
  createLuaVm,
  DEFAULT_LUA_LIMITS,
  type LuaLimits,
  LuaScriptError,
  LuaVm,
} from './vm.js';
