import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlDocs } from '../../../src/engine/apps/yaml.js';
import { YamlMemo } from '../../../src/engine/apps/yaml-memo.js';

const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n';

describe('parsed YAML by content', () => {
  it('gives what parseYamlDocs gives, errors included, and a fresh copy on every hit', () => {
    const memo = new YamlMemo();
    const first = memo.docs(app);
    expect(first).toEqual(parseYamlDocs(app));
    const second = memo.docs(app);
    expect(second).toEqual(first);
    if (!first.ok || !second.ok) throw new Error('parsed');
    expect(second.docs[0]).not.toBe(first.docs[0]);
    const broken = 'a: 1\na: 2\n';
    expect(memo.docs(broken)).toEqual(parseYamlDocs(broken));
    expect(memo.docs(broken).ok).toBe(false);
  });

  it('kustomizations allow duplicate keys as kustomize does; text that is not YAML is undefined', () => {
    const memo = new YamlMemo();
    expect(memo.kustomization('resources:\n- a.yaml\nresources:\n- b.yaml\n')).toEqual({
      resources: ['b.yaml'],
    });
    expect(memo.kustomization('resources: [')).toBeUndefined();
    expect(memo.kustomization('')).toBeNull();
  });

  it('a second process reads what the first parsed from the file; a torn file is an empty memo', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bosun-yaml-memo-')), 'yaml', 'repo.json');
    const a = new YamlMemo();
    a.docs(app);
    a.save(file);
    const b = new YamlMemo();
    b.load(file);
    expect(b.docs(app)).toEqual(parseYamlDocs(app));
    expect(b.stats).toEqual({ hits: 1, parsed: 0 });
    const c = new YamlMemo();
    c.load(join(file, 'missing.json'));
    expect(c.docs(app)).toEqual(parseYamlDocs(app));
    expect(c.stats).toEqual({ hits: 0, parsed: 1 });
  });
});
