/** The engine's only public API: model types, the facade interface and its factory. */
export * from './model/index.js';
export * from './types.js';
