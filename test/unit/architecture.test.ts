import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** The import graph of src/ (type-only imports count: a circle of types is still a circle of files). */
function importGraph(): Map<string, string[]> {
  const topDirs = new Set(readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory()));
  const resolveFile = (spec: string) => {
    const base = join(src, spec).replace(/\.js$/, '');
    return relative(src, existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.tsx`);
  };
  return new Map(
    all.map((f) => [f.file, f.imports.filter((i) => topDirs.has(i.split('/')[0] ?? '')).map(resolveFile)]),
  );
}

/** The import circles of a graph: its strongly connected components with more than one file (or a self-import). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

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
    // The demo's local control plane and repository generator (src/demo/) start processes too.
    const homes: [RegExp, string[]][] = [
      [/^@kubernetes\/client-node/, ['engine/kube/']],
      [/^simple-git/, ['engine/git/']],
      // Renderers spawn kustomize and helm; kube-auth runs the kubeconfig's exec credential plugins.
      [/^(node:)?child_process$/, ['engine/render/', 'engine/kube/kube-auth.ts', 'demo/']],
      // Webhooks (notifications) go out through engine/notify; the API servers are reached by engine/kube.
      [/^(node:)?https?$/, ['engine/notify/', 'engine/kube/', 'demo/']],
    ];
    const bad = all.flatMap((f) =>
      homes.flatMap(([re, home]) =>
        f.imports
          .filter((i) => re.test(i) && !home.some((h) => f.file.startsWith(h)))
          .map((i) => `${f.file} imports ${i} (only ${home.join(', ')} may)`),
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

  it('product code never reaches outside src/ (no test/ imports, not even through a path in a variable)', () => {
    const bad = all.flatMap((f) =>
      f.imports
        .filter((i) => i.startsWith('..'))
        .map((i) => `${f.file} imports ${i}`)
        .concat(
          /['"`][^'"`\n]*\btest\/[^'"`\n]*\.(js|ts)['"`]/.test(f.text)
            ? [`${f.file} names a module under test/`]
            : [],
        ),
    );
    expect(bad).toEqual([]);
  });

  it('the demo is reached only from the demo command, and the demo uses no engine internals', () => {
    const bad = all
      .filter((f) => !f.file.startsWith('demo/') && f.file !== 'cli/demo.ts')
      .flatMap((f) => f.imports.filter((i) => i.startsWith('demo/')).map((i) => `${f.file} imports ${i}`))
      .concat(
        inDir('demo/').flatMap((f) =>
          f.imports.filter((i) => /^(engine|tui|cli)\//.test(i)).map((i) => `${f.file} imports ${i}`),
        ),
      );
    expect(bad).toEqual([]);
  });

  it('files stay small: at most 400 lines in src/, 600 in test/', () => {
    const tests = files(join(root, 'test')).map((f) => ({
      file: relative(root, f),
      text: readFileSync(f, 'utf8'),
    }));
    const long = (list: { file: string; text: string }[], max: number) =>
      list
        .map((f) => ({ file: f.file, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
        .filter((f) => f.lines > max)
        .map((f) => `${f.file}: ${f.lines} lines (at most ${max})`);
    expect([...long(all, 400), ...long(tests, 600)]).toEqual([]);
  });

  it('console state never imports input, and views never reach the engine', () => {
    const bad = [
      ...inDir('tui/state/').flatMap((f) =>
        f.imports.filter((i) => i.startsWith('tui/input/')).map((i) => `${f.file} imports ${i}`),
      ),
      // Views and components render the snapshot and view models; the controller calls the engine.
      ...[...inDir('tui/views/'), ...inDir('tui/components/')]
        .filter((f) => /\bBosunEngine\b|\bengine\.\w+\(/.test(f.text))
        .map((f) => `${f.file} uses the engine`),
    ];
    expect(bad).toEqual([]);
  });

  it('has no import circles', () => {
    expect(importCycles(importGraph()).map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('the circle finder finds a circle', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
