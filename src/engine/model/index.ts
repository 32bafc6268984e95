/** The engine's data model: keys, states, apps. */
export * from './resource-key.js';
export * from './status.js';
export * from './app.js';
