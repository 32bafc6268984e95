import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { useEngineSnapshot } from '../../src/tui/state/use-engine.js';
import { FakeEngine } from './fake-engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Shows the snapshot version and counts its own renders. */
function Probe({ engine, counter }: { engine: FakeEngine; counter: { renders: number } }) {
  const s = useEngineSnapshot(engine, { minIntervalMs: 150 });
  counter.renders++;
  return <Text>{`version ${s.version}`}</Text>;
}

describe('engine-driven frames', () => {
  it('a burst of snapshot changes costs at most two renders, and the last change is shown', async () => {
    const engine = new FakeEngine({ apps: 3 });
    const counter = { renders: 0 };
    const r = render(<Probe engine={engine} counter={counter} />);
    await sleep(20);
    const before = counter.renders;
    for (let i = 0; i < 10; i++) {
      engine.update(() => ({}));
      await sleep(5);
    }
    const last = engine.snapshot.version;
    await sleep(300);
    // Without the throttle every change renders (10 here); with it, the first change and the trailing one.
    expect(counter.renders - before).toBeLessThanOrEqual(2);
    expect(r.lastFrame()).toContain(`version ${last}`);
    r.unmount();
  });
});
