import type { Health, KubeObject } from '../model/index.js';
import { healthy, parseConditions, progressing, recordAt, str, unknown } from './fields.js';

/** Health of a Namespace from its phase: Active, or Terminating while its content is removed. */
export function getNamespaceHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const status = recordAt(obj, 'status');
  const phase = str(status.phase);
  if (phase === undefined) return undefined;
  if (phase === 'Active') return healthy(`Namespace "${name}" is active.`, 'namespace.phase');
  if (phase === 'Terminating') {
    const blocking = parseConditions(status.conditions).find(
      (c) => c.status === 'True' && c.message && c.type !== 'NamespaceDeletionDiscoveryFailure',
    );
    return progressing(
      'namespace.phase',
      `Namespace "${name}" is terminating` +
        (blocking ? `: ${blocking.message?.replace(/\.$/, '')}` : '') +
        '. If it stays, look for finalizers on the objects left in it.',
      blocking ? `status.conditions[${blocking.type}] (True)` : 'status.phase (Terminating)',
    );
  }
  return unknown(
    'namespace.phase',
    `Namespace "${name}" is in unexpected phase ${phase}.`,
    `status.phase (${phase})`,
  );
}
