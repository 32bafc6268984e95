import type { Key } from 'ink';
import { activeView, currentTarget, isReadOnly } from '../state/selection.js';
import { completeCommandLine, runCommandLine } from './command-line.js';
import { runById } from './commands.js';
import type { CommandContext } from './context.js';
import { submitTyped } from './dialog.js';
import { isKeyChunk, isPrintable, keyIndex, keyName, noKey, splitChunk } from './keys.js';
import { submitActionParam } from './triage-actions.js';

/**
 * The single input dispatcher: the open prompt first, then a typed confirmation, then the commands of the
 * active view (read-only honoured). `getCtx` returns the state as of now, so keys that arrive together
 * (a slow SSH link coalesces them into one read) each see the effect of the previous one.
 */
export function handleKey(input: string, key: Key, getCtx: () => CommandContext) {
  if (isKeyChunk(input, key)) {
    for (const k of splitChunk(input)) handleKey(k.input, k.key, getCtx);
    return;
  }
  const ctx = getCtx();
  const { ui, dispatch } = ctx;
  const name = keyName(input, key);
  if (name === 'ctrl+c') return ctx.quit();
  const typing = ui.prompt !== undefined || ui.modal?.stage === 'confirm' || ui.modal?.stage === 'params';
  if (!typing && [...input].length > 1 && isPrintable(input, key)) {
    // Several keys in one read: handle them one by one.
    for (const ch of input) handleKey(ch, { ...noKey, shift: /[A-Z]/.test(ch) }, getCtx);
    return;
  }
  if (ui.status) dispatch({ type: 'status-clear' });

  const prompt = ui.prompt;
  if (prompt) {
    if (name === 'escape') {
      if (prompt.kind === 'filter') dispatch({ type: 'prompt-edit', text: '' });
      return dispatch({ type: 'prompt-close' });
    }
    if (name === 'enter') {
      dispatch({ type: 'prompt-close' });
      if (prompt.kind === 'command') runCommandLine(prompt.text, getCtx());
      return;
    }
    if (name === 'tab' && prompt.kind === 'command')
      return dispatch({ type: 'prompt-edit', text: completeCommandLine(prompt.text, ctx) });
    if (name === 'backspace') return dispatch({ type: 'prompt-edit', text: prompt.text.slice(0, -1) });
    if (isPrintable(input, key)) return dispatch({ type: 'prompt-edit', text: prompt.text + input });
    return;
  }

  const m = ui.modal;
  if (m && (m.stage === 'confirm' || m.stage === 'params')) {
    if (name === 'escape') return runById(ctx, 'dialog.cancel');
    if (name === 'enter') return m.stage === 'params' ? submitActionParam(ctx) : submitTyped(ctx);
    if (name === 'backspace') return dispatch({ type: 'modal-typed', text: m.typed.slice(0, -1) });
    if (isPrintable(input, key)) return dispatch({ type: 'modal-typed', text: m.typed + input });
    return;
  }

  const readOnly = isReadOnly(ctx.readOnlyFlag, ctx.snapshot, currentTarget(ui, ctx.snapshot));
  const command = keyIndex(ctx.commands, activeView(ui), readOnly).get(name);
  command?.run(ctx, { via: 'key' });
}
