/** What the ApplicationSet preview knows of the live apps: shared by the preview and its live comparison. */

/** An app the clusters run: objects carrying its tracking id, found in these contexts. */
export type LiveApp = { name: string; contexts: string[]; objects: number };

/**
 * What is deployed, as the engine's live caches see it: the apps whose tracking ids are on live
 * objects of the reachable clusters; or why live could not be read (no kubeconfig, no cluster).
 */
export type LiveApps =
  | {
      compared: true;
      apps: LiveApp[] /** Contexts not reachable: apps there are unknown. */;
      unreachable: string[];
    }
  | { compared: false; reason: string };

/** Whether an app of a preview runs now: deployed, not deployed, or unknown (its cluster is unreachable). */
export const LivePresence = {
  Deployed: 'deployed',
  NotDeployed: 'not-deployed',
  Unknown: 'unknown',
} as const;
/** One of the live presence states. */
export type LivePresence = (typeof LivePresence)[keyof typeof LivePresence];

/** One set's generated apps compared with what is live. */
export type AppSetLive =
  | {
      compared: true;
      /** Deployed but no longer generated at the revision (would be orphaned: bosun never prunes a whole app). */
      liveOnly: string[];
      /** Generated at the revision but not deployed (a sync would create them). */
      notDeployed: string[];
      /** Generated and deployed. */
      deployed: string[];
      /** Generated apps whose cluster is unreachable. */
      unknown: string[];
    }
  | { compared: false; reason: string };
