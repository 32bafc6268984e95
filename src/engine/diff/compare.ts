import type { IgnoreDifference, KubeObject, ResourceKey } from '../model/index.js';
import { keyOf } from '../model/index.js';
import { diffObjects } from './differ.js';
import { applyIgnoreDifferences, type IgnoredPath, ignoreRuleMatches } from './ignore.js';
import { toPointer } from './json-path.js';
import { lastWriterOf, type ManagedFieldsEntry, managedFieldsOf } from './managed-fields.js';
import { overlayDesired } from './merge.js';
import { normalizeObject } from './normalize.js';
import { foldStringData, isSecret, maskSecretPair } from './secrets.js';

/**
 * `full`: compare the server-side-apply dry-run result (`predicted`) with live.
 * `desired-fields`: fallback when dry-run is refused; only the fields the desired object sets count.
 */
export type CompareMode = 'full' | 'desired-fields';

/** Input of `compareObjects`. */
export type CompareInput = {
  desired: KubeObject;
  live: KubeObject;
  /** The SSA dry-run result ("predicted live"); `full` mode compares it (or, without it, desired). */
  predicted?: KubeObject;
  ignore?: readonly IgnoreDifference[];
  mode: CompareMode;
  /** Compare `status` too (kinds whose status is desired). Default false. */
  keepStatus?: boolean;
  /** Our field manager, used by `desired-fields` to notice fields removed from Git. Default `bosun`. */
  fieldManager?: string;
};

/** The field manager that last wrote a changed path of the live object. */
export type FieldWriter = { path: string; manager: string; operation?: string; time?: string };

/**
 * The comparison of one object. Secret values are masked. `normalizedLive`/`normalizedTarget` are
 * built on first access (getters; JSON.stringify includes them). Treat everything as read-only.
 */
export type CompareResult = {
  modified: boolean;
  /** JSON pointers of differing fields, e.g. `/spec/replicas`, in document order. */
  changedPaths: string[];
  normalizedLive: KubeObject;
  normalizedTarget: KubeObject;
  /** Differences hidden by ignoreDifferences, with the rule that hid each. */
  ignoredPaths: IgnoredPath[];
  /** For changed paths that exist live: the field manager that last wrote them. */
  managers: FieldWriter[];
  /** Rules that could not be applied, in sentences. */
  notes: string[];
};

function keyFor(desired: KubeObject, live: KubeObject): ResourceKey {
  const key = keyOf(desired);
  if (!key.namespace && live.metadata.namespace) key.namespace = live.metadata.namespace;
  return key;
}

function prepare(obj: KubeObject): KubeObject {
  return isSecret(obj) ? foldStringData(obj) : obj;
}

/**
 * Compares a desired object (or its SSA dry-run prediction) with the live one, after
 * normalisation and `ignoreDifferences`. Secret values are compared, then masked in the result.
 */
export function compareObjects(input: CompareInput): CompareResult {
  const keepStatus = input.keepStatus ?? false;
  let entries: ManagedFieldsEntry[] | undefined;
  // Work on the raw objects (copy-on-write, never mutated); normalised copies are made on demand.
  let live: unknown = prepare(input.live);
  let target: unknown;
  if (input.mode === 'full') {
    target = prepare(input.predicted ?? input.desired);
  } else {
    entries = managedFieldsOf(input.live);
    target = overlayDesired(live, prepare(input.desired), {
      entries,
      manager: input.fieldManager ?? 'bosun',
    });
  }

  let ignoredPaths: IgnoredPath[] = [];
  let notes: string[] = [];
  if (input.ignore && input.ignore.length > 0) {
    const key = keyFor(input.desired, input.live);
    const rules = input.ignore.filter((r) => ignoreRuleMatches(r, key));
    if (rules.length > 0) {
      entries ??= managedFieldsOf(input.live);
      const r = applyIgnoreDifferences({ key, target, live, rules, managedFields: entries });
      target = r.target;
      live = r.live;
      ignoredPaths = r.ignored;
      notes = r.notes;
    }
  }

  const changes = diffObjects(target, live, { keepStatus });
  const managers: FieldWriter[] = [];
  if (changes.length > 0) {
    entries ??= managedFieldsOf(input.live);
    for (const c of changes) {
      if (!c.live) continue;
      const w = lastWriterOf(entries, live, c.live);
      if (!w) continue;
      const fw: FieldWriter = { path: toPointer(c.path), manager: w.manager };
      if (w.operation) fw.operation = w.operation;
      if (w.time) fw.time = w.time;
      managers.push(fw);
    }
  }
  const changedPaths = changes.length === 0 ? [] : changes.map((c) => toPointer(c.path));
  return new Comparison(changedPaths, ignoredPaths, managers, notes, { target, live, keepStatus });
}

/**
 * A comparison whose normalised (and masked) objects are built on first access, then kept. The raw
 * objects, which may hold Secret values, live in #private fields: no inspect, spread or
 * JSON.stringify shows them.
 */
class Comparison implements CompareResult {
  readonly modified: boolean;
  readonly #rawTarget: unknown;
  readonly #rawLive: unknown;
  readonly #keepStatus: boolean;
  #masked: { target: KubeObject; live: KubeObject } | undefined;

  constructor(
    readonly changedPaths: string[],
    readonly ignoredPaths: IgnoredPath[],
    readonly managers: FieldWriter[],
    readonly notes: string[],
    raw: { target: unknown; live: unknown; keepStatus: boolean },
  ) {
    this.modified = changedPaths.length > 0;
    this.#rawTarget = raw.target;
    this.#rawLive = raw.live;
    this.#keepStatus = raw.keepStatus;
  }

  #normalized(): { target: KubeObject; live: KubeObject } {
    if (!this.#masked) {
      const opts = { keepStatus: this.#keepStatus };
      this.#masked = maskSecretPair(
        normalizeObject(this.#rawTarget as KubeObject, opts),
        normalizeObject(this.#rawLive as KubeObject, opts),
      );
    }
    return this.#masked;
  }

  get normalizedTarget(): KubeObject {
    return this.#normalized().target;
  }

  get normalizedLive(): KubeObject {
    return this.#normalized().live;
  }

  /** The plain result (what JSON.stringify shows): masked objects, never raw ones. */
  toJSON(): CompareResult {
    return {
      modified: this.modified,
      changedPaths: this.changedPaths,
      normalizedLive: this.normalizedLive,
      normalizedTarget: this.normalizedTarget,
      ignoredPaths: this.ignoredPaths,
      managers: this.managers,
      notes: this.notes,
    };
  }
}

/**
 * Sentences explaining a comparison for "explain": which fields differ, which field manager last
 * wrote them, which ignore rule hid which difference, which rules could not be applied.
 */
export function explainComparison(result: CompareResult, opts: { max?: number } = {}): string[] {
  const max = opts.max ?? 20;
  const writers = new Map(result.managers.map((m) => [m.path, m]));
  const out: string[] = [];
  for (const path of result.changedPaths.slice(0, max)) {
    const w = writers.get(path);
    out.push(
      w
        ? `${path} differs from Git; it was last written by ${w.manager}${w.operation ? ` (${w.operation})` : ''}.`
        : `${path} differs from Git.`,
    );
  }
  if (result.changedPaths.length > max)
    out.push(`…and ${result.changedPaths.length - max} more differing fields.`);
  for (const ig of result.ignoredPaths)
    out.push(`${ig.path} differs but is ignored by ignoreDifferences ${ig.rule}.`);
  out.push(...result.notes);
  return out;
}
