/** A Kubernetes label selector (`matchLabels` + `matchExpressions`). */
export type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

/**
 * True when `labels` satisfy the selector; an empty selector matches everything. Operators:
 * In, NotIn, Exists, DoesNotExist. Throws an Error with a one-line message for bad selectors.
 */
export function matchesSelector(selector: unknown, labels: Record<string, string | undefined>): boolean {
  if (selector === undefined || selector === null) return true;
  if (typeof selector !== 'object' || Array.isArray(selector)) throw new Error('selector must be a mapping');
  const sel = selector as Record<string, unknown>;
  for (const key of Object.keys(sel)) {
    if (key !== 'matchLabels' && key !== 'matchExpressions')
      throw new Error(`selector.${key} is not supported`);
  }
  if (sel.matchLabels != null) {
    if (typeof sel.matchLabels !== 'object' || Array.isArray(sel.matchLabels)) {
      throw new Error('selector.matchLabels must be a mapping');
    }
    for (const [k, v] of Object.entries(sel.matchLabels as Record<string, unknown>)) {
      if (labels[k] !== String(v)) return false;
    }
  }
  if (sel.matchExpressions != null) {
    if (!Array.isArray(sel.matchExpressions)) throw new Error('selector.matchExpressions must be a list');
    for (const [i, raw] of sel.matchExpressions.entries()) {
      const e = (raw ?? {}) as Record<string, unknown>;
      if (typeof e.key !== 'string') throw new Error(`selector.matchExpressions[${i}].key must be a string`);
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = Object.hasOwn(labels, e.key) && labels[e.key] !== undefined;
      const value = labels[e.key];
      switch (e.operator) {
        case 'In':
          if (!has || !values.includes(value as string)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(value as string)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          throw new Error(
            `selector.matchExpressions[${i}].operator "${String(e.operator)}" is not In, NotIn, Exists or DoesNotExist`,
          );
      }
    }
  }
  return true;
}
