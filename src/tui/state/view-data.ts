import type { BosunEngine, LogSession, ResourceKey } from '../../engine/index.js';
import { oneLine, type TreeModel } from './view-models.js';

/** `engine.explain` of an app or one of its resources, computed off the render path; never throws. */
export function explainLines(engine: BosunEngine, app: string, resource?: ResourceKey): string[] {
  try {
    return engine.explain(app, resource);
  } catch (err) {
    return [`explain unavailable: ${oneLine(err)}`];
  }
}

/** Engine-derived data of the visible view, computed by the controller (views never call the engine). */
export type ViewData = {
  /** Explain lines of the app selected in the fleet, while the explain panel is open. */
  fleetExplain?: string[];
  /** The resource tree of the app view. */
  tree?: TreeModel;
  /** Explain lines of the app view's selected resource (or the app). */
  nodeExplain?: string[];
  /** The log session of the logs view on top (its ring buffer is the view's model). */
  logSession?: LogSession;
};
