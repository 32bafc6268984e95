import type { VersionKind } from './sources.js';

/** What promoting one service does. */
export type ServicePromotion = {
  service: string;
  from: string;
  to: string;
  /** How the version is expressed: kustomize images, a Helm values key, or targetRevision. */
  kind: VersionKind;
  sourceApp: string;
  targetApps: string[];
  /** The version `to` runs now. */
  fromVersion: string;
  /** The version it will run (what `from` runs). */
  toVersion: string;
  /** `order-service v1.47.1 → v1.47.2`. */
  summary: string;
  /** Files changed for this service, with a line each saying how. */
  changes: { file: string; description: string }[];
  /** Set when source and target already match. */
  nothingToDo?: string;
  warnings: string[];
};
