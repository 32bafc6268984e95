/**
 * Live and desired YAML of one resource as shown to a person: managedFields hidden unless asked for,
 * Secret values masked (keys kept), and the kubectl command line that shows the same. Pure.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../model/resource-key.js';

/** The mask shown in place of a Secret value. */
export const SECRET_MASK = '********';

/** A copy of the object fit to show: Secret `data`/`stringData` values masked, managedFields dropped unless kept. */
export function showable(obj: KubeObject, opts: { managedFields?: boolean } = {}): KubeObject {
  const copy = structuredClone(obj) as KubeObject;
  if (!opts.managedFields) delete copy.metadata.managedFields;
  const annotations = copy.metadata.annotations;
  if (
    annotations &&
    'kubectl.kubernetes.io/last-applied-configuration' in annotations &&
    obj.kind === 'Secret'
  )
    annotations['kubectl.kubernetes.io/last-applied-configuration'] = SECRET_MASK;
  for (const field of ['data', 'stringData'] as const) {
    const v = copy[field];
    if ((obj.kind === 'Secret' || field === 'stringData') && v && typeof v === 'object') {
      copy[field] = Object.fromEntries(
        Object.keys(v as Record<string, unknown>).map((k) => [k, SECRET_MASK]),
      );
    }
  }
  return copy;
}

/** YAML text of an object fit to show. */
export function toYaml(obj: KubeObject, opts: { managedFields?: boolean } = {}): string {
  return stringify(showable(obj, opts), { lineWidth: 0 });
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The kubectl command that prints the same live object. */
export function kubectlGetCommand(o: {
  context: string;
  kind: string;
  group: string;
  name: string;
  namespace?: string;
  managedFields?: boolean;
}): string {
  const kind = o.group ? `${o.kind.toLowerCase()}.${o.group}` : o.kind.toLowerCase();
  const parts = ['kubectl', '--context', quote(o.context), 'get', quote(kind), quote(o.name)];
  if (o.namespace) parts.push('-n', quote(o.namespace));
  parts.push('-o', 'yaml');
  if (o.managedFields) parts.push('--show-managed-fields');
  return parts.join(' ');
}
