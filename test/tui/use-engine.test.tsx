import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { useEngineSnapshot } from '../../src/tui/state/use-engine.js';
import { FakeEngine } from './fake-engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine-driven frames', () => {
  it('a burst of snapshot changes costs at most two renders, and the last change is shown', async () => {
    const engine = new FakeEngine({ apps: 3 });
    let renders = 0;
    function Probe() {
      const s = useEngineSnapshot(engine, { minIntervalMs: 150 });
      renders++;
      return <Text>{`version ${s.version}`}</Text>;
    }
    const r = render(<Probe />);
    await sleep(20);
    const before = renders;
    for (let i = 0; i < 10; i++) {
      engine.update(() => ({}));
      await sleep(5);
    }
    const last = engine.snapshot.version;
    await sleep(300);
    // Without the throttle every change renders (10 here); with it, the first change and the trailing one.
    expect(renders - before).toBeLessThanOrEqual(2);
    expect(r.lastFrame()).toContain(`version ${last}`);
    r.unmount();
  });
});
