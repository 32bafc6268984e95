import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../../controlplane/build.sh');

describe('control-plane build script', () => {
  it('without a Go toolchain it stops with one clear line saying what is missing', () => {
    const bin = mkdtempSync(join(tmpdir(), 'bosun-nogo-'));
    const r = spawnSync('/bin/bash', [script], {
      env: { PATH: '/usr/bin:/bin', HOME: bin, BOSUN_CP_BIN: bin },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'bosun control-plane build failed: no Go toolchain on PATH (need Go >= 1.26 to build the test control plane)',
    );
  });
});
