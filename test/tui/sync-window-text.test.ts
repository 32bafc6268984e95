import { describe, expect, it } from 'vitest';
import { syncWindowLine } from '../../src/tui/state/sync-window-text.js';

const now = Date.parse('2026-12-06T01:00:00Z');

describe('the app header sync window', () => {
  it('says which window governs, when it changes and what it holds', () => {
    expect(
      syncWindowLine(
        {
          syncWindow: {
            active: true,
            kind: 'deny',
            nextChange: '2026-12-06T01:42:00.000Z',
            automated: false,
            manual: true,
            window: 'deny "0 1 * * *" for 1h',
          },
        },
        now,
      ),
    ).toEqual({
      text: 'sync window deny active, closes in 42m · automation held, manual sync allowed',
      held: true,
    });
    expect(
      syncWindowLine(
        {
          syncWindow: {
            active: false,
            kind: 'allow',
            nextChange: '2026-12-06T12:30:00.000Z',
            automated: false,
            manual: false,
            window: 'allow "30 12 * * *" for 1h',
          },
        },
        now,
      ),
    ).toEqual({ text: 'sync window allow closed, opens in 11h30m · syncs held', held: true });
    expect(
      syncWindowLine(
        {
          syncWindow: {
            active: true,
            kind: 'allow',
            automated: true,
            manual: true,
            window: 'allow "* * * * *" for 1h',
          },
        },
        now,
      ),
    ).toEqual({ text: 'sync window allow active', held: false });
    expect(syncWindowLine({}, now)).toBeUndefined();
  });
});
