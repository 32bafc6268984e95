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

describe('engine-driven frames while the engine starts', () => {
  it('progress changes render at most once a second, and the snapshot that ends the loading at once', async () => {
    const engine = new FakeEngine({ apps: 3 });
    engine.update(() => ({ loading: true, progress: 'rendering 0/3 apps' }));
    const counter = { renders: 0 };
    const r = render(<Probe engine={engine} counter={counter} />);
    await sleep(20);
    const before = counter.renders;
    for (let i = 1; i <= 3; i++) {
      engine.update(() => ({ progress: `rendering ${i}/3 apps` }));
      await sleep(60);
    }
    // Three progress changes within 200 ms: one frame at most (the first), none for the rest yet.
    expect(counter.renders - before).toBeLessThanOrEqual(1);
    const t0 = Date.now();
    engine.update(() => ({ loading: false, progress: undefined }));
    const done = engine.snapshot.version;
    while (!r.lastFrame()?.includes(`version ${done}`) && Date.now() - t0 < 2000) await sleep(5);
    expect(r.lastFrame()).toContain(`version ${done}`);
    // Not held back by the one-second loading throttle.
    expect(Date.now() - t0).toBeLessThan(600);
    r.unmount();
  });
});
