import type { KubeObject } from '../model/index.js';
import { isMap } from './json-path.js';
import { isSecret } from './secrets.js';

/** The condition type of an app whose render holds a Secret with values. */
export const PlaintextSecretCondition = 'PlaintextSecret';

/**
 * The Secrets of a render that carry `data` or `stringData` values, i.e. values stored in Git in
 * plain text (base64 is no protection), as `namespace/name`. Values are never read out.
 */
export function plaintextSecrets(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (!isSecret(o)) continue;
    const x = o as KubeObject & { data?: unknown; stringData?: unknown };
    const has = (v: unknown) => isMap(v) && Object.keys(v).length > 0;
    if (has(x.data) || has(x.stringData))
      out.push(o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
  }
  return out.sort();
}

/** The warning shown on an app whose render holds plaintext Secrets, undefined when none. */
export function plaintextSecretWarning(objects: readonly KubeObject[]): string | undefined {
  const names = plaintextSecrets(objects);
  if (names.length === 0) return undefined;
  const list =
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return `plaintext Secret in Git (${list}); use an ExternalSecret or SealedSecret`;
}
