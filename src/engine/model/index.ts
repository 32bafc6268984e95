/** The engine's data model: keys, states, apps. */

export * from './app.js';
export * from './resource-key.js';
export * from './status.js';
