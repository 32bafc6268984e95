import { describe, expect, it } from 'vitest';
import { WatchLineDecoder } from '../../../src/engine/kube/watch-lines.js';

describe('WatchLineDecoder', () => {
  it('keeps a multi-byte character split across two chunks intact', () => {
    const line = `${JSON.stringify({ type: 'ADDED', object: { metadata: { labels: { team: 'größe-€-日本' } } } })}\n`;
    const bytes = Buffer.from(line, 'utf8');
    const euro = bytes.indexOf(Buffer.from('€', 'utf8'));
    const d = new WatchLineDecoder();
    // Cut inside the three bytes of '€', then inside '日'.
    const cut2 = bytes.indexOf(Buffer.from('日', 'utf8')) + 2;
    const got = [
      ...d.push(bytes.subarray(0, euro + 1)),
      ...d.push(bytes.subarray(euro + 1, cut2)),
      ...d.push(bytes.subarray(cut2)),
      ...d.end(),
    ];
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!).object.metadata.labels.team).toBe('größe-€-日本');
  });

  it('splits several lines in one chunk, skips blank ones and returns a last line without newline', () => {
    const d = new WatchLineDecoder();
    expect(d.push(Buffer.from('{"a":1}\n\n{"b":'))).toEqual(['{"a":1}']);
    expect(d.push(Buffer.from('2}\n{"c":3}'))).toEqual(['{"b":2}']);
    expect(d.end()).toEqual(['{"c":3}']);
  });
});
