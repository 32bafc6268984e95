import { Box, Text } from 'ink';
import { confirmPrompt, DialogFrame } from '../components/dialog-frame.js';
import { TextLines } from '../components/text-lines.js';
import { bodyHeight } from '../layout.js';
import { pendingParam } from '../state/dialogs.js';
import { triageLines } from '../state/triage-models.js';
import type { ActionModal, ViewEntry } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';

const titles = { events: 'events of', yaml: 'YAML of', why: 'why is' } as const;

/** Events timeline, live/desired YAML or "why": a title line, then the scrolled text. */
export function TriageTextView({ view, height, now }: { view: ViewEntry; height: number; now: number }) {
  const theme = useTheme();
  if (view.name !== 'events' && view.name !== 'yaml' && view.name !== 'why') return null;
  const lines = triageLines(view, now);
  const subject =
    view.name === 'yaml'
      ? `${view.resource} (${view.desired ? 'desired' : 'live'}; tab switches)`
      : view.name === 'why'
        ? `${view.app} unhealthy`
        : `${view.app} (warnings first, live)`;
  return (
    <Box flexDirection="column" height={height}>
      <Text
        color={theme.tokens.text.accent}
        bold
        wrap="truncate-end"
      >{` ${titles[view.name]} ${subject}`}</Text>
      <TextLines lines={lines} scroll={view.scroll} height={bodyHeight.text(height)} theme={theme} />
    </Box>
  );
}

function message(m: ActionModal, ascii: boolean): { text: string; error: boolean } {
  if (m.stage === 'confirm') return { text: confirmPrompt(m.app, m.typed, ascii), error: false };
  const param = m.stage === 'params' ? pendingParam(m) : undefined;
  if (param) {
    const name = m.actions.status === 'ready' ? m.actions.value[m.cursor]?.name : undefined;
    return {
      text: `${param} for ${name ?? 'the action'} (enter sets it, esc goes back): ${m.typed}${ascii ? '_' : '▏'}`,
      error: false,
    };
  }
  if (m.stage === 'running') return { text: 'running…', error: false };
  if (m.stage === 'done' && m.result)
    return {
      // A warning (Git will revert a scale) says more than "done".
      text: `${m.result.action}: ${m.result.phase}${m.result.warnings[0] ? ` — ${m.result.warnings[0]}` : m.result.message ? ` — ${m.result.message}` : ''} (esc closes)`,
      error: m.result.phase !== 'Succeeded',
    };
  if (m.error) return { text: m.error, error: true };
  return {
    text: `enter runs the action${m.production ? `, then type ${m.app}` : ''} · esc closes`,
    error: false,
  };
}

/** The action menu of one resource: built-in and Lua actions, the chosen one's result. */
export function ActionDialog({ modal, height }: { modal: ActionModal; height: number }) {
  const theme = useTheme();
  const t = theme.tokens;
  const msg = message(modal, theme.ascii);
  const a = modal.actions;
  const chosen = a.status === 'ready' ? a.value[modal.cursor] : undefined;
  // The selected action's warning (Git will revert a scale) takes the last row of the list.
  const warning = modal.stage === 'pick' || modal.stage === 'params' ? chosen?.warning : undefined;
  const rows = bodyHeight.dialog(height) - (warning ? 1 : 0);
  return (
    <DialogFrame
      title={`Actions of ${modal.resource} (${modal.app})`}
      production={modal.production}
      height={height}
      message={msg.text}
      {...(msg.error ? { messageColour: t.status.error } : {})}
    >
      {a.status === 'loading' && <Text color={t.text.secondary}>loading actions…</Text>}
      {a.status === 'error' && <Text color={t.status.error}>{a.message}</Text>}
      {a.status === 'ready' && a.value.length === 0 && (
        <Text color={t.text.secondary}>no actions for this resource</Text>
      )}
      {a.status === 'ready' &&
        a.value.slice(0, rows).map((x, i) => {
          const selected = i === modal.cursor;
          return (
            <Text key={x.name} wrap="truncate-end">
              <Text color={t.table.selected}>{selected ? `${theme.glyphs.cursor} ` : '  '}</Text>
              <Text color={x.disabled ? t.text.secondary : t.text.primary} inverse={selected}>
                {x.name}
              </Text>
              <Text color={t.text.secondary}>
                {`  ${x.source}${x.params?.length ? ` · needs ${x.params.join(', ')}` : ''}${x.disabled ? ` · ${x.disabled}` : ''}`}
              </Text>
            </Text>
          );
        })}
      {warning && (
        <Text color={t.status.warning} wrap="truncate-end">
          {`${theme.glyphs.warning} ${warning}`}
        </Text>
      )}
    </DialogFrame>
  );
}
