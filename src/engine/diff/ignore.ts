import type { IgnoreDifference, ResourceKey } from '../model/index.js';
import { compileJqPath, evaluateJqPath } from './jq-path.js';
import {
  deleteAt,
  equivalent,
  getAt,
  parsePointer,
  resolvePath,
  type Segment,
  toPointer,
} from './json-path.js';
import { copyOwnedFields, type ManagedFieldsEntry } from './managed-fields.js';

/** A path whose difference an ignore rule hid, and the rule, e.g. `jsonPointers /spec/replicas`. */
export type IgnoredPath = { path: string; rule: string };

/** Input of `applyIgnoreDifferences`. */
export type ApplyIgnoreInput = {
  key: ResourceKey;
  /** Normalised target (predicted or desired) object. */
  target: unknown;
  /** Normalised live object. */
  live: unknown;
  rules: readonly IgnoreDifference[];
  /** The live object's managedFields (for `managedFieldsManagers`). */
  managedFields: readonly ManagedFieldsEntry[];
};

/** Output of `applyIgnoreDifferences`: the pair with ignored fields neutralised. */
export type ApplyIgnoreResult = {
  target: unknown;
  live: unknown;
  /** Paths that differed and were hidden by a rule. */
  ignored: IgnoredPath[];
  /** Rules that could not be applied (unsupported jq, malformed pointer), in sentences. */
  notes: string[];
};

/** Shell-style `*` matching without building regular expressions (rules are matched per object). */
function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last))
    return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const at = value.indexOf(part, pos);
    if (at < 0 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

/**
 * True when a rule applies to a resource. As in Argo CD, an absent group means the core group,
 * absent name/namespace match any, and `*` globs are accepted in every field.
 */
export function ignoreRuleMatches(rule: IgnoreDifference, key: ResourceKey): boolean {
  return (
    globMatch(rule.group ?? '', key.group) &&
    globMatch(rule.kind, key.kind) &&
    (!rule.name || globMatch(rule.name, key.name)) &&
    (!rule.namespace || globMatch(rule.namespace, key.namespace))
  );
}

/** Sorts paths so that deleting them one after the other never shifts a later one. */
function deletionOrder(paths: Segment[][]): Segment[][] {
  const cmp = (a: Segment[], b: Segment[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i] as Segment;
      const y = b[i] as Segment;
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return a.length - b.length;
  };
  return [...paths].sort(cmp).reverse();
}

/**
 * Applies the `ignoreDifferences` rules that match `key` to a normalised target/live pair:
 * fields owned by `managedFieldsManagers` are copied from live into the target, `jsonPointers`
 * and `jqPathExpressions` are removed from both. Reports which rule hid which difference.
 */
export function applyIgnoreDifferences(input: ApplyIgnoreInput): ApplyIgnoreResult {
  let { target, live } = input;
  const ignored: IgnoredPath[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const report = (path: string, rule: string) => {
    const id = `${path}\u0000${rule}`;
    if (seen.has(id)) return;
    seen.add(id);
    ignored.push({ path, rule });
  };

  for (const rule of input.rules) {
    if (!ignoreRuleMatches(rule, input.key)) continue;

    for (const manager of rule.managedFieldsManagers ?? []) {
      for (const entry of input.managedFields) {
        if (entry.manager !== manager) continue;
        target = copyOwnedFields(entry.fields, live, target, [], (p) =>
          report(toPointer(p), `managedFieldsManagers ${manager}`),
        );
      }
    }

    for (const pointer of rule.jsonPointers ?? []) {
      const raw = parsePointer(pointer);
      if (!raw || raw.length === 0) {
        notes.push(
          `ignoreDifferences jsonPointers "${pointer}" is not a JSON pointer such as /spec/replicas.`,
        );
        continue;
      }
      const t = resolvePath(target, raw);
      const l = resolvePath(live, raw);
      if (!t && !l) continue;
      if (!equivalent(t && getAt(target, t), l && getAt(live, l))) report(pointer, `jsonPointers ${pointer}`);
      if (t) target = deleteAt(target, t);
      if (l) live = deleteAt(live, l);
    }

    for (const expr of rule.jqPathExpressions ?? []) {
      const compiled = compileJqPath(expr);
      if (!compiled.ok) {
        notes.push(
          `ignoreDifferences jqPathExpressions "${expr}" was not applied: ${compiled.reason} ` +
            '(supported: paths such as .spec.replicas, [], [n], ["key"] and select(.field == "value")).',
        );
        continue;
      }
      try {
        const tp = evaluateJqPath(compiled.path, target);
        const lp = evaluateJqPath(compiled.path, live);
        const rule = `jqPathExpressions ${expr}`;
        const tPointers = new Map(tp.map((p) => [toPointer(p), p]));
        const lPointers = new Map(lp.map((p) => [toPointer(p), p]));
        for (const [ptr, p] of tPointers) {
          const lpath = lPointers.get(ptr);
          if (!lpath || !equivalent(getAt(target, p), getAt(live, lpath))) report(ptr, rule);
        }
        for (const ptr of lPointers.keys()) if (!tPointers.has(ptr)) report(ptr, rule);
        for (const p of deletionOrder(tp)) target = deleteAt(target, p);
        for (const p of deletionOrder(lp)) live = deleteAt(live, p);
      } catch (err) {
        notes.push(
          `ignoreDifferences jqPathExpressions "${expr}" was not applied: ${err instanceof Error ? err.message : String(err)}.`,
        );
      }
    }
  }
  return { target, live, ignored, notes };
}
