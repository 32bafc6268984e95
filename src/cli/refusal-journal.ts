/**
 * The audit journal line of a refused mutating command (`--read-only`, policy, a missing confirmation), as
 * the console's refusals are recorded: result `refused`, who, what, and the reason code. Refusals the engine
 * already journaled (resource actions) and a person's own "no" at a prompt are not written again.
 */
import { appendJournal, identity, type JournalEntry } from '../engine/index.js';
import type { Args } from './args.js';
import { ExitCode, exitCodeOf } from './exit-codes.js';

const MUTATING = new Set(['sync', 'promote', 'revert', 'action', 'argocd']);

type Flags = { refusal?: unknown; code?: unknown; name?: unknown; journaled?: unknown; cause?: unknown };

/** The reason code of a refusal, or undefined when it is not one to journal. */
export function refusalReason(err: unknown): string | undefined {
  if (exitCodeOf(err) !== ExitCode.Refused) return undefined;
  const e = (err ?? {}) as Flags;
  const cause = (e.cause ?? {}) as Flags;
  if (e.journaled === true || cause.journaled === true) return undefined;
  if (typeof e.refusal === 'string') return e.refusal === 'aborted' ? undefined : e.refusal;
  if (e.name === 'PolicyRefusal' && typeof e.code === 'string') return e.code;
  if (cause.name === 'PolicyRefusal' && typeof cause.code === 'string') return cause.code;
  return 'refused';
}

/** The journal entry for a refused command, or undefined when nothing is to be recorded. */
export function refusalEntry(args: Args, err: unknown): Omit<JournalEntry, 'time'> | undefined {
  const command = args.command ?? '';
  if (!MUTATING.has(command)) return undefined;
  const reason = refusalReason(err);
  if (!reason) return undefined;
  const [first, ...rest] = args.positionals;
  const sub = command === 'argocd' ? first : undefined;
  const app = command === 'argocd' ? rest[0] : command === 'promote' ? undefined : first;
  return {
    identity: identity(),
    action: sub ? `argocd-${sub}` : command === 'sync' && args.dryRun ? 'sync-dry-run' : command,
    ...(app ? { app } : {}),
    result: 'refused',
    message: (err as Error).message.split('\n')[0] ?? '',
    details: {
      reason,
      via: 'cli',
      command: ['bosun', command, ...args.positionals].join(' '),
      ...(args.readOnly ? { readOnly: true } : {}),
    },
  };
}

/** Appends the refusal to the audit journal; a journal that cannot be written never hides the refusal. */
export async function journalRefusal(args: Args, err: unknown): Promise<void> {
  const entry = refusalEntry(args, err);
  if (entry) await appendJournal(entry).catch(() => undefined);
}
