import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../argocd/build.sh');

describe('Argo CD build script', () => {
  it('without a Go toolchain it stops with one clear line and builds nothing', () => {
    const bin = mkdtempSync(join(tmpdir(), 'bosun-argocd-nogo-'));
    const r = spawnSync('/bin/bash', [script], {
      env: { PATH: '/usr/bin:/bin', HOME: bin, BOSUN_ARGOCD_BIN: join(bin, 'out') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'bosun argocd build failed: no Go toolchain on PATH (need Go >= 1.26 to build Argo CD v3.2.11)',
    ]);
    expect(readdirSync(bin)).toEqual([]);
    rmSync(bin, { recursive: true, force: true });
  });
});
