import { Box, Text } from 'ink';
import { memo } from 'react';
import type { PlanTask } from '../../engine/index.js';
import { keyLabel, keyString } from '../../engine/index.js';
import { confirmPrompt, DialogFrame } from '../components/dialog-frame.js';
import { fixed } from '../components/text.js';
import { useWindow } from '../hooks/use-window.js';
import { bodyHeight } from '../layout.js';
import type { SyncModal, TaskProgress } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';

function statusColour(theme: Theme, status: string | undefined): string | undefined {
  const t = theme.tokens;
  if (!status) return t.text.secondary;
  if (/succeed|synced|healthy|pruned/i.test(status)) return t.status.success;
  if (/fail|error/i.test(status)) return t.status.error;
  if (/run|progress|wait/i.test(status)) return t.health.progressing;
  return t.text.secondary;
}

const TaskRow = memo(function TaskRow({
  task,
  selected,
  chosen,
  showChoice,
  progress,
  theme,
}: {
  task: PlanTask;
  selected: boolean;
  chosen: boolean;
  showChoice: boolean;
  progress: TaskProgress[string] | undefined;
  theme: Theme;
}) {
  const t = theme.tokens;
  const status = progress?.status ?? task.status ?? '';
  const message = progress?.message ?? task.message ?? task.reason ?? '';
  const actionColour =
    task.action === 'prune' ? t.status.warning : task.action === 'hook' ? t.text.accent : t.text.primary;
  return (
    <Text wrap="truncate-end">
      <Text color={t.table.selected}>{selected ? `${theme.glyphs.cursor} ` : '  '}</Text>
      {showChoice && <Text>{`${chosen ? theme.glyphs.check.on : theme.glyphs.check.off} `}</Text>}
      <Text
        color={t.text.secondary}
      >{`${fixed(task.phase, 8)} ${fixed(String(task.wave), 4, 'right')}  `}</Text>
      <Text color={actionColour}>{fixed(task.action, 7)}</Text>
      <Text color={selected ? t.table.selected : t.text.primary} inverse={selected}>
        {fixed(keyLabel(task.key), 38)}
      </Text>
      <Text color={statusColour(theme, status)}>{` ${fixed(status, 10)}`}</Text>
      <Text color={t.text.secondary}>{` ${message}`}</Text>
    </Text>
  );
});

function stageMessage(m: SyncModal, ascii: boolean): { text: string; error: boolean } {
  if (m.error && m.stage === 'plan') return { text: m.error, error: true };
  if (m.plan.status === 'loading') return { text: 'computing the sync plan…', error: false };
  if (m.plan.status === 'error') return { text: m.plan.message, error: true };
  const plan = m.plan.value;
  switch (m.stage) {
    case 'plan':
      if (plan.refusals[0]) return { text: `refused: ${plan.refusals[0]}`, error: true };
      return {
        text: `${plan.warnings[0] ? `${plan.warnings[0]} · ` : ''}press y to sync${m.production ? ', then type the app name' : ''}`,
        error: false,
      };
    case 'confirm':
      return { text: confirmPrompt(m.app, m.typed, ascii), error: false };
    case 'running':
      return { text: `syncing… ${m.phase ?? 'Running'}${m.message ? ` — ${m.message}` : ''}`, error: false };
    case 'done':
      return {
        text: `${m.result?.phase ?? m.phase ?? 'done'}${m.result?.message ? ` — ${m.result.message}` : ''} (esc to close)`,
        error: m.result?.phase !== 'Succeeded',
      };
  }
}

/** The sync dialog: the plan (waves, hooks, prune list), toggles, confirmation, then live wave progress. */
export function SyncDialog({ modal, height }: { modal: SyncModal; height: number }) {
  const theme = useTheme();
  const t = theme.tokens;
  const tasks = modal.plan.status === 'ready' ? modal.plan.value.tasks : [];
  const body = bodyHeight.dialog(height) - 1;
  const cur = Math.min(modal.cursor, tasks.length - 1);
  const start = useWindow(Math.max(0, cur), body, tasks.length);
  const waves = new Set(tasks.map((x) => `${x.phase}/${x.wave}`)).size;
  const hooks = tasks.filter((x) => x.action === 'hook').length;
  const prunes = tasks.filter((x) => x.action === 'prune').length;
  const plan = modal.plan.status === 'ready' ? modal.plan.value : undefined;
  const msg = stageMessage(modal, theme.ascii);
  const chosen = new Set(modal.selected);
  const g = theme.glyphs.check;
  return (
    <DialogFrame
      title={`Sync ${modal.app}${plan ? ` → context ${plan.context} at ${plan.revision.slice(0, 7)}` : ''}`}
      production={modal.production}
      height={height}
      message={msg.text}
      messageColour={msg.error ? t.status.error : modal.stage === 'confirm' ? t.text.accent : undefined}
    >
      <Text wrap="truncate-end">
        <Text
          color={t.text.primary}
        >{`${modal.prune ? g.on : g.off} prune  ${modal.dryRun ? g.on : g.off} dry-run  `}</Text>
        <Text color={t.text.secondary}>
          {`resources: ${modal.selected.length > 0 ? `${modal.selected.length} selected (no hooks)` : 'all'} · ${tasks.length} tasks · ${waves} waves · ${hooks} hooks · ${prunes} to prune`}
        </Text>
      </Text>
      <Box flexDirection="column" height={body + 1}>
        <Text color={t.table.header} bold wrap="truncate-end">
          {`  ${modal.selected.length > 0 ? '    ' : ''}${fixed('PHASE', 8)} ${fixed('WAVE', 4, 'right')}  ${fixed('ACTION', 7)}${fixed('RESOURCE', 38)} ${fixed('STATUS', 10)} MESSAGE`}
        </Text>
        {tasks.slice(start, start + body).map((task, i) => {
          const k = keyString(task.key);
          return (
            <TaskRow
              key={`${task.phase}:${k}`}
              task={task}
              selected={start + i === cur}
              chosen={chosen.has(k)}
              showChoice={modal.selected.length > 0}
              progress={modal.progress[k]}
              theme={theme}
            />
          );
        })}
      </Box>
    </DialogFrame>
  );
}
