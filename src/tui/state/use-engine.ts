import { useCallback, useSyncExternalStore } from 'react';
import type { BosunEngine, EngineSnapshot } from '../../engine/index.js';

/** At most this many engine-driven frames per second: a key press never queues behind a burst of them. */
const ENGINE_FRAME_MS = 200;
/**
 * While the engine starts, its progress lines are shown by the spinner's own frames (each render reads
 * the newest snapshot), so engine-driven frames wait longer: every frame competes with the start for the
 * one thread. The snapshot that ends the loading is drawn at once.
 */
const LOADING_FRAME_MS = 1000;

/**
 * The engine's current snapshot. The store coalesces bursts; on top of that, engine-driven re-renders come
 * at most every 200 ms (first change at once, the latest one at the end of the window), since every frame
 * costs a whole-screen render whether or not a visible row changed. Key presses are not throttled, and
 * a frame they cause reads the newest snapshot.
 */
export function useEngineSnapshot(
  engine: BosunEngine,
  opts: { minIntervalMs?: number } = {},
): EngineSnapshot {
  const min = opts.minIntervalMs ?? ENGINE_FRAME_MS;
  const subscribe = useCallback(
    (listener: () => void) => {
      let last = 0;
      let timer: NodeJS.Timeout | undefined;
      // A snapshot that cannot be read is the render's to report, not the subscription's.
      const isLoading = () => {
        try {
          return engine.getSnapshot().loading === true;
        } catch {
          return false;
        }
      };
      let wasLoading = isLoading();
      const fire = () => {
        timer = undefined;
        last = Date.now();
        listener();
      };
      const unsubscribe = engine.subscribe(() => {
        const loading = isLoading();
        if (wasLoading && !loading) {
          wasLoading = false;
          if (timer) clearTimeout(timer);
          fire();
          return;
        }
        wasLoading = loading;
        if (timer) return;
        const wait = last + (loading ? Math.max(min, LOADING_FRAME_MS) : min) - Date.now();
        if (wait <= 0) fire();
        else timer = setTimeout(fire, wait);
      });
      return () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
      };
    },
    [engine, min],
  );
  const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
