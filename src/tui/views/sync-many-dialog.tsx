import { Box, Text } from 'ink';
import { memo } from 'react';
import type { SyncManyPlanItem } from '../../engine/index.js';
import { confirmPrompt, DialogFrame } from '../components/dialog-frame.js';
import { fixed } from '../components/text.js';
import { useWindow } from '../hooks/use-window.js';
import { bodyHeight } from '../layout.js';
import { batchSummary } from '../state/dialogs.js';
import type { SyncManyModal, SyncManyProgress } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';

/** What a row says about its app: refused, waiting, running, or how it ended and in how long. */
function rowStatus(
  item: SyncManyPlanItem,
  progress: SyncManyProgress[string] | undefined,
  stage: SyncManyModal['stage'],
): { status: string; message: string } {
  if (item.refusal) return { status: 'Refused', message: item.refusal.reason };
  if (!progress)
    return { status: stage === 'plan' || stage === 'confirm' ? 'to sync' : 'waiting', message: '' };
  const time = progress.ms !== undefined ? `${(progress.ms / 1000).toFixed(1)}s` : '';
  const message = progress.phase === 'Succeeded' ? '' : (progress.message ?? '');
  return { status: progress.phase, message: [time, message].filter(Boolean).join('  ') };
}

function statusColour(theme: Theme, status: string): string | undefined {
  const t = theme.tokens;
  if (status === 'Succeeded') return t.status.success;
  if (status === 'Running') return t.health.progressing;
  if (/Refused|Failed|Error|Terminated|Interrupted/.test(status)) return t.status.error;
  return t.text.secondary;
}

const AppRow = memo(function AppRow({
  item,
  progress,
  stage,
  selected,
  theme,
}: {
  item: SyncManyPlanItem;
  progress: SyncManyProgress[string] | undefined;
  stage: SyncManyModal['stage'];
  selected: boolean;
  theme: Theme;
}) {
  const t = theme.tokens;
  const { status, message } = rowStatus(item, progress, stage);
  return (
    <Text wrap="truncate-end">
      <Text color={t.table.selected}>{selected ? `${theme.glyphs.cursor} ` : '  '}</Text>
      <Text color={selected ? t.table.selected : t.text.primary} inverse={selected}>
        {fixed(item.app, 32)}
      </Text>
      <Text color={t.text.secondary}>{` ${fixed(item.context, 14)} `}</Text>
      <Text color={t.context.production}>{fixed(item.production ? 'PRODUCTION' : '', 11)}</Text>
      <Text color={statusColour(theme, status)}>{fixed(status, 11)}</Text>
      <Text color={t.text.secondary}>{message}</Text>
    </Text>
  );
});

function stageMessage(m: SyncManyModal, ascii: boolean): { text: string; error: boolean } {
  if (m.error && m.stage === 'plan') return { text: m.error, error: true };
  if (m.plan.status === 'loading') return { text: 'planning the sync of the shown apps…', error: false };
  if (m.plan.status === 'error') return { text: m.plan.message, error: true };
  const plan = m.plan.value;
  const n = plan.runnable.length;
  switch (m.stage) {
    case 'plan':
      if (n === 0)
        return {
          text: m.all
            ? 'nothing to sync: every shown app is refused'
            : `nothing to sync: none of the ${m.shown.length} shown apps is OutOfSync (a: include them)`,
          error: false,
        };
      return {
        text: `press y to sync ${n} app${n === 1 ? '' : 's'}${m.production ? `, then type "${plan.phrase}"` : ''}`,
        error: false,
      };
    case 'confirm':
      return { text: confirmPrompt(`"${plan.phrase}"`, m.typed, ascii), error: false };
    case 'running': {
      const all = Object.values(m.progress);
      const running = all.filter((p) => p.phase === 'Running').length;
      return { text: `syncing ${n} apps: ${all.length - running} done, ${running} running…`, error: false };
    }
    case 'done': {
      const bad = Object.values(m.progress).some((p) => p.phase !== 'Succeeded');
      return { text: `done: ${batchSummary(m)} (esc to close)`, error: bad };
    }
  }
}

/** The batch sync dialog: the apps the filter shows, refusals, one confirmation, then a line per app. */
export function SyncManyDialog({ modal, height }: { modal: SyncManyModal; height: number }) {
  const theme = useTheme();
  const t = theme.tokens;
  const plan = modal.plan.status === 'ready' ? modal.plan.value : undefined;
  const items = plan?.items ?? [];
  const body = bodyHeight.dialog(height) - 1;
  const cur = Math.min(modal.cursor, items.length - 1);
  const start = useWindow(Math.max(0, cur), body, items.length);
  const msg = stageMessage(modal, theme.ascii);
  const refused = items.filter((i) => i.refusal).length;
  const outOfSync = modal.shown.filter((s) => s.outOfSync).length;
  const filter = modal.filter ? ` by filter "${modal.filter}"` : '';
  return (
    <DialogFrame
      title={`Sync the apps shown${filter}: ${plan ? plan.runnable.length : '…'} of ${modal.shown.length}`}
      production={modal.production}
      height={height}
      message={msg.text}
      messageColour={msg.error ? t.status.error : modal.stage === 'confirm' ? t.text.accent : undefined}
    >
      <Text wrap="truncate-end">
        <Text color={t.text.primary}>
          {modal.all ? 'every shown app' : `the ${outOfSync} OutOfSync of ${modal.shown.length} shown`}
        </Text>
        <Text color={t.text.secondary}>
          {` · ${refused} refused · ${plan?.production.length ?? 0} in production`}
        </Text>
      </Text>
      <Box flexDirection="column" height={body + 1}>
        <Text color={t.table.header} bold wrap="truncate-end">
          {`  ${fixed('APP', 32)} ${fixed('CLUSTER', 14)} ${fixed('', 11)}${fixed('STATUS', 11)}MESSAGE`}
        </Text>
        {items.slice(start, start + body).map((item, i) => (
          <AppRow
            key={item.app}
            item={item}
            progress={modal.progress[item.app]}
            stage={modal.stage}
            selected={start + i === cur}
            theme={theme}
          />
        ))}
      </Box>
    </DialogFrame>
  );
}
