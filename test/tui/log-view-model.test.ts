import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/engine/index.js';
import { RingBuffer } from '../../src/engine/logs/ring-buffer.js';
import { initialLogView, linesToSave, visibleRows } from '../../src/tui/state/log-view-model.js';

const line = (i: number, pod = `p${i % 2}`): LogLine => ({
  pod,
  container: 'app',
  text: `line ${i}${i % 5 === 0 ? ' ERROR' : ''}`,
  podIndex: i % 2,
});

function buffer(n: number, cap = 100): RingBuffer<LogLine> {
  const b = new RingBuffer<LogLine>(cap);
  for (let i = 1; i <= n; i++) b.push(line(i));
  return b;
}

describe('log view model', () => {
  it('pins to the end and computes only the visible window', () => {
    const rows = visibleRows(buffer(50), initialLogView, { height: 3, width: 80 });
    expect(rows.map((r) => r.text)).toEqual(['line 48', 'line 49', 'line 50 ERROR']);
  });
  it('filters as you type (regex, case-insensitive in lower case; a broken regex matches as text)', () => {
    const b = buffer(50);
    expect(
      visibleRows(b, { ...initialLogView, filter: 'error' }, { height: 2, width: 80 }).map((r) => r.text),
    ).toEqual(['line 45 ERROR', 'line 50 ERROR']);
    expect(visibleRows(b, { ...initialLogView, filter: 'line 4(' }, { height: 5, width: 80 })).toEqual([]);
  });
  it('pause freezes the view while lines keep arriving; scrolling goes back', () => {
    const b = buffer(10);
    const paused = { ...initialLogView, pausedAt: b.total };
    for (let i = 11; i <= 20; i++) b.push(line(i));
    expect(visibleRows(b, paused, { height: 1, width: 80 })[0]?.text).toBe('line 10 ERROR');
    expect(visibleRows(b, { ...initialLogView, fromEnd: 2 }, { height: 1, width: 80 })[0]?.text).toBe(
      'line 18',
    );
  });
  it('wraps long lines into continuation rows', () => {
    const b = new RingBuffer<LogLine>(10);
    b.push({ pod: 'p', container: 'c', podIndex: 0, text: 'x'.repeat(30) });
    const rows = visibleRows(b, { ...initialLogView, wrap: true }, { height: 10, width: 14 });
    expect(rows.length).toBe(3);
    expect(rows.map((r) => r.continuation)).toEqual([false, true, true]);
  });
  it('saves the filtered lines', () => {
    expect(linesToSave(buffer(10), 'ERROR')).toEqual(['p1/app | line 5 ERROR', 'p0/app | line 10 ERROR']);
  });
});
