#!/usr/bin/env node
// bosun's entry point: runs the TypeScript sources through tsx's loader (no build step needed).
import { register } from 'tsx/esm/api';

// React's development build costs ~1.7x CPU per frame; the console is not a development build.
process.env.NODE_ENV ??= 'production';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Flush stdout before exiting: keep-alive sockets or timers must not keep a finished command alive.
process.stdout.write('', () => process.exit(code));
