import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** Every import specifier of a file, resolved to a src-relative path for relative imports. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ]
    .map((m) => m[1] ?? m[2] ?? '')
    .filter(Boolean);
  return specs.map((s) => (s.startsWith('.') ? relative(src, resolve(dirname(file), s)) : s));
}

const all = files(src).map((f) => ({
  file: relative(src, f),
  imports: imports(f),
  text: readFileSync(f, 'utf8'),
}));
const inDir = (d: string) => all.filter((f) => f.file.startsWith(d));

describe('architecture rules (DESIGN.md §3)', () => {
  it('finds the sources', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  it('engine never imports tui, cli, ink or react, and never writes to stdout', () => {
    const bad = inDir('engine/').flatMap((f) =>
      f.imports
        .filter(
          (i) =>
            i.startsWith('tui/') ||
            i.startsWith('cli/') ||
            /^(ink|react)(\/|$)/.test(i) ||
            i.startsWith('ink-'),
        )
        .map((i) => `${f.file} imports ${i}`)
        .concat(/process\.stdout|console\.log/.test(f.text) ? [`${f.file} writes to stdout`] : []),
    );
    expect(bad).toEqual([]);
  });

  it('each I/O library has one home', () => {
    const homes: [RegExp, string][] = [
      [/^@kubernetes\/client-node/, 'engine/kube/'],
      [/^simple-git/, 'engine/git/'],
      [/^(node:)?child_process$/, 'engine/render/'],
    ];
    const bad = all.flatMap((f) =>
      homes.flatMap(([re, home]) =>
        f.imports
          .filter((i) => re.test(i) && !f.file.startsWith(home))
          .map((i) => `${f.file} imports ${i} (only ${home} may)`),
      ),
    );
    expect(bad).toEqual([]);
  });

  it('pure packages do no I/O and read no clock', () => {
    const pure = all.filter(
      (f) =>
        /^engine\/(health|diff|model)\//.test(f.file) ||
        /^engine\/sync\/plan/.test(f.file) ||
        /^engine\/apps\/generators\//.test(f.file),
    );
    const bad = pure.flatMap((f) =>
      f.imports
        .filter(
          (i) =>
            /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|os)$/.test(i) ||
            /^engine\/(kube|git|render|live)\//.test(i),
        )
        .map((i) => `${f.file} imports ${i}`)
        .concat(/\bDate\.now\(\)|new Date\(\)/.test(f.text) ? [`${f.file} reads the clock`] : []),
    );
    expect(bad).toEqual([]);
  });

  it('tui and cli use the engine only through engine/index.ts', () => {
    const bad = [...inDir('tui/'), ...inDir('cli/')].flatMap((f) =>
      f.imports
        .filter((i) => i.startsWith('engine/') && i !== 'engine/index.js')
        .map((i) => `${f.file} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });
});
