// Bundles the compiled CLI into dist/bundle/ (ES modules, split at every dynamic import so each command
// still loads only what it uses). Loading ~600 small modules, most of them Ink's and React's, cost the
// console's start 0.9 s; the bundle loads in about a quarter of that. bin/bosun.js runs the bundle when it
// is at least as new as every source file.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Kept as packages: wasmoon's glue finds its .wasm next to itself; client-node is loaded only for
  // kubeconfig files bosun cannot read alone; react-devtools-core is Ink's optional development hook.
  external: ['wasmoon', '@kubernetes/client-node', 'react-devtools-core'],
  // CommonJS dependencies call require() for Node's built-ins; an ES module bundle has none of its own.
  banner: {
    js: "import { createRequire as bosunCreateRequire } from 'node:module'; const require = bosunCreateRequire(import.meta.url);",
  },
  // The console is never a development build (bin/bosun.js says the same at run time).
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
