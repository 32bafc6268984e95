import { setHelmValue } from './helm-values.js';
import { type ImageChange, setKustomizeImage } from './kustomize-images.js';
import { setTargetRevision } from './target-revision.js';

/** One structured change to a file, re-appliable to a newer version of the file. */
export type EditOp =
  | { kind: 'kustomize-image'; change: ImageChange }
  | { kind: 'helm-value'; key: string; value: string }
  | { kind: 'target-revision'; app?: string; sourceIndex?: number; value: string };

/** A planned change of one file: its text before and after, and the structured operations. */
export type FileEdit = {
  /** Repo-relative path. */
  file: string;
  before: string;
  after: string;
  /** One line saying what changes (`images[order-service] v1.47.1 → v1.47.2`). */
  description: string;
  /** The operations that turn `before` into `after` (re-applied if the file moved meanwhile). */
  ops: EditOp[];
};

/** Applies operations to a file's text, in order; each changes only its own scalar. Pure. */
export function applyEditOps(text: string, file: string, ops: EditOp[]): string {
  let out = text;
  for (const op of ops) {
    switch (op.kind) {
      case 'kustomize-image':
        out = setKustomizeImage(out, op.change, file);
        break;
      case 'helm-value':
        out = setHelmValue(out, { key: op.key, value: op.value, file });
        break;
      case 'target-revision':
        out = setTargetRevision(out, {
          file,
          value: op.value,
          ...(op.app ? { app: op.app } : {}),
          ...(op.sourceIndex !== undefined ? { sourceIndex: op.sourceIndex } : {}),
        });
        break;
    }
  }
  return out;
}
