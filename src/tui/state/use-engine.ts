import { useCallback, useSyncExternalStore } from 'react';
import type { BosunEngine, EngineSnapshot } from '../../engine/index.js';

/** The engine's current snapshot; re-renders only when the store publishes (it coalesces bursts). */
export function useEngineSnapshot(engine: BosunEngine): EngineSnapshot {
  const subscribe = useCallback((listener: () => void) => engine.subscribe(listener), [engine]);
  const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
