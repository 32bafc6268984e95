/**
 * Which Secret values the engine knows, per app: the values of its desired Secrets (from Git) and of its
 * live Secrets (from the cluster), as one {@link Redactor} each, rebuilt only when the app's render or
 * comparison changed. Every text that leaves the engine passes one of them.
 */
import { isSecret, noRedaction, type Redactor, redactorOf, secretValueForms } from '../diff/index.js';
import type { KubeObject } from '../model/resource-key.js';
import type { AppRuntime } from './app-runtime.js';

type Cached = { desired: KubeObject[]; compares: AppRuntime['compares']; redactor: Redactor };

/** The Secrets of a runtime, desired and live. */
function secretsOf(rt: AppRuntime): KubeObject[] {
  const out = rt.desired.filter((o) => isSecret(o));
  for (const c of rt.compares) if (c.live && isSecret(c.live)) out.push(c.live);
  return out;
}

/** Redactors of the apps of one engine. */
export class Redactions {
  private readonly perApp = new WeakMap<AppRuntime, Cached>();
  private every?: { parts: Redactor[]; redactor: Redactor };

  constructor(private readonly apps: ReadonlyMap<string, AppRuntime>) {}

  /** The redactor of one app's Secret values (every app's when the app is unknown). */
  forApp(name: string | undefined): Redactor {
    const rt = name === undefined ? undefined : this.apps.get(name);
    return rt ? this.ofRuntime(rt) : this.all();
  }

  /** The redactor of every app's Secret values (for text that names no app). */
  all(): Redactor {
    const parts = [...this.apps.values()].map((rt) => this.ofRuntime(rt));
    const last = this.every;
    if (last && last.parts.length === parts.length && last.parts.every((p, i) => p === parts[i]))
      return last.redactor;
    const forms = parts.flatMap((p) => p.forms);
    const redactor = forms.length === 0 ? noRedaction : redactorOf(forms);
    this.every = { parts, redactor };
    return redactor;
  }

  private ofRuntime(rt: AppRuntime): Redactor {
    const hit = this.perApp.get(rt);
    if (hit && hit.desired === rt.desired && hit.compares === rt.compares) return hit.redactor;
    const forms = secretValueForms(secretsOf(rt));
    const redactor = forms.length === 0 ? noRedaction : redactorOf(forms);
    this.perApp.set(rt, { desired: rt.desired, compares: rt.compares, redactor });
    return redactor;
  }
}

/**
 * The error with the redactor applied in place to its message, stack, string fields and cause chain (so
 * `--verbose`, which prints causes, shows no value either); its class and fields (refusal codes) stay.
 */
export function redactError(err: unknown, redactor: Redactor, depth = 0): unknown {
  if (redactor.forms.length === 0 || depth > 8) return err;
  if (typeof err === 'string') return redactor.text(err);
  if (!(err instanceof Error)) return redactor.deep(err);
  const e = err as Error & Record<string, unknown>;
  try {
    e.message = redactor.text(e.message);
    if (typeof e.stack === 'string') e.stack = redactor.text(e.stack);
    for (const [k, v] of Object.entries(e)) {
      if (k === 'cause' || k === 'code' || k === 'name') continue;
      if (typeof v === 'string' || (v && typeof v === 'object' && !(v instanceof Error)))
        e[k] = redactor.deep(v);
    }
    if (e.cause !== undefined) e.cause = redactError(e.cause, redactor, depth + 1);
    if (err instanceof AggregateError) e.errors = err.errors.map((x) => redactError(x, redactor, depth + 1));
  } catch {
    // A frozen error: leave it, the message was the one that mattered and it could not be changed.
  }
  return err;
}
