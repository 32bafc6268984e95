/** bosun configuration: loading, validation, defaults and XDG paths. */
export * from './config.js';
export { resolveUserPath } from './paths.js';
