#!/usr/bin/env node
// bosun's entry point. Runs the bundled JavaScript in dist/bundle/ (else the compiled dist/) when it is
// at least as new as every source file (`npm install` builds both through the `prepare` script);
// otherwise runs the TypeScript sources through tsx's loader, so a checkout being edited never runs
// stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// React's development build costs ~1.7x CPU per frame; the console is not a development build.
process.env.NODE_ENV ??= 'production';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundleMain = `${root}dist/bundle/main.js`;
const distMain = `${root}dist/cli/main.js`;

function newest(dir) {
  // An installed package ships dist/ without src/: nothing can be newer than the build.
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const args = process.argv.slice(2);
// The demo starts the test control plane (TypeScript under test/), so it always runs through tsx.
const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= newest(`${root}src`);
const built = args[0] === 'demo' ? undefined : [bundleMain, distMain].find(fresh);
let main;
if (built) {
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(args);
// Flush stdout before exiting: keep-alive sockets or timers must not keep a finished command alive.
process.stdout.write('', () => process.exit(code));
