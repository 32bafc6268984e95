import { useRef } from 'react';
import { windowStart } from '../layout.js';

/** The first visible index of a scrolling window that keeps the cursor visible and moves as little as possible. */
export function useWindow(cursor: number, height: number, total: number): number {
  const ref = useRef(0);
  const start = windowStart(ref.current, Math.min(cursor, Math.max(0, total - 1)), height, total);
  ref.current = start;
  return start;
}
