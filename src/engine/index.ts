/** The engine's only public API: model types, the facade interface and its factory. */

export type { EngineOptions } from './engine.js';
export { createEngine, PolicyRefusal } from './facade.js';
export { assessHealth, assessObjects } from './health/index.js';
export * from './model/index.js';
export * from './types.js';
