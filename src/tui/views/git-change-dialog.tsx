import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { confirmPrompt, DialogFrame } from '../components/dialog-frame.js';
import { fixed } from '../components/text.js';
import { TextLines } from '../components/text-lines.js';
import { bodyHeight } from '../layout.js';
import { confirmName, needsTypedConfirm, promoteBlocker } from '../state/dialogs.js';
import type { PromoteModal, RevertModal } from '../state/types.js';
import { gitPlanLines, type Line, promoteLines } from '../state/view-models.js';
import { useTheme } from '../theme/theme-context.js';

type Message = { text: string; error: boolean };

function pushHint(m: PromoteModal | RevertModal, branch: string): Message {
  const typed = needsTypedConfirm(m) ? `, then type ${confirmName(m)}` : '';
  return { text: `press y to commit and push to ${branch}${typed} · j/k scroll`, error: false };
}

function promoteMessage(m: PromoteModal, ascii: boolean): Message {
  if (m.stage === 'pick')
    return { text: 'choose the target environment, enter to preview, esc to cancel', error: false };
  if (m.stage === 'confirm') return { text: confirmPrompt(confirmName(m), m.typed, ascii), error: false };
  if (m.stage === 'applying')
    return {
      text: `committing and pushing ${m.items.length > 1 ? `${m.items.length} promotions` : 'the promotion'}…`,
      error: false,
    };
  if (m.stage === 'done') {
    const pushed = m.items.filter((it) => it.result);
    const next = pushed[0]?.result?.nextStep;
    const text =
      m.items.length === 1 && pushed[0]?.result
        ? `pushed ${pushed[0].result.commit.slice(0, 7)} to ${pushed[0].result.pushedTo}`
        : `pushed ${pushed.length} of ${m.items.length}`;
    return { text: `${text}${next ? ` — ${next}` : ''} (esc to close)`, error: Boolean(m.error) };
  }
  if (m.error) return { text: m.error, error: true };
  const blocker = promoteBlocker(m);
  if (blocker === 'previews are still loading') return { text: 'preparing the preview…', error: false };
  if (blocker) return { text: blocker, error: !blocker.startsWith('nothing') };
  const first = m.items.find((it) => it.plan.status === 'ready');
  return pushHint(m, first?.plan.status === 'ready' ? first.plan.value.targetBranch : 'the target branch');
}

function revertMessage(m: RevertModal, ascii: boolean): Message {
  if (m.error && m.stage === 'preview') return { text: m.error, error: true };
  if (m.plan.status === 'loading') return { text: 'preparing the preview…', error: false };
  if (m.plan.status === 'error') return { text: m.plan.message, error: true };
  const plan = m.plan.value;
  switch (m.stage) {
    case 'preview':
      if (plan.refusals[0]) return { text: `refused: ${plan.refusals[0]}`, error: true };
      if (plan.nothingToDo) return { text: `nothing to do: ${plan.nothingToDo}`, error: false };
      return pushHint(m, plan.targetBranch);
    case 'confirm':
      return { text: confirmPrompt(confirmName(m), m.typed, ascii), error: false };
    case 'applying':
      return { text: 'committing and pushing the revert…', error: false };
    case 'done':
      return {
        text: `pushed ${m.result?.commit.slice(0, 7) ?? ''} to ${m.result?.pushedTo ?? ''}${m.result?.nextStep ? ` — ${m.result.nextStep}` : ''} (esc to close)`,
        error: false,
      };
  }
}

/** The promote dialog: target environment, file and rendered diff per service, confirmation, push. */
export function PromoteDialog({ modal, height }: { modal: PromoteModal; height: number }) {
  const theme = useTheme();
  const t = theme.tokens;
  const msg = promoteMessage(modal, theme.ascii);
  const body = bodyHeight.dialog(height);
  const lines = useMemo(() => promoteLines(modal.items), [modal.items]);
  const to = modal.target?.env ?? '?';
  const what =
    modal.sources.length === 1 ? (modal.sources[0]?.service ?? '') : `${modal.sources.length} services`;
  const production =
    modal.stage === 'pick' ? (modal.targets[modal.cursor]?.production ?? false) : needsTypedConfirm(modal);
  return (
    <DialogFrame
      title={`Promote ${what}: ${modal.from} → ${to}`}
      production={production}
      height={height}
      message={msg.text}
      messageColour={msg.error ? t.status.error : modal.stage === 'confirm' ? t.text.accent : undefined}
    >
      <Text color={t.text.secondary} wrap="truncate-end">
        {`from ${modal.sources.map((s) => s.fromApp).join(', ')}`}
      </Text>
      {modal.stage === 'pick' ? (
        <Box flexDirection="column" height={body}>
          {modal.targets.slice(0, body).map((target, i) => (
            <Text key={target.env} wrap="truncate-end">
              <Text color={t.table.selected}>{i === modal.cursor ? `${theme.glyphs.cursor} ` : '  '}</Text>
              <Text
                color={target.production ? t.context.production : t.text.primary}
                inverse={i === modal.cursor}
                bold={target.production}
              >
                {fixed(target.env, 16)}
              </Text>
              <Text color={t.text.secondary}>
                {` ${modal.sources.length === 1 ? (target.app ?? '(no app in this environment)') : `${modal.sources.length} services`}${target.production ? '  production' : ''}`}
              </Text>
            </Text>
          ))}
        </Box>
      ) : (
        <TextLines lines={lines} scroll={modal.cursor} height={body} theme={theme} />
      )}
    </DialogFrame>
  );
}

/** The revert dialog: `git revert` preview of a commit, confirmation, push. */
export function RevertDialog({ modal, height }: { modal: RevertModal; height: number }) {
  const theme = useTheme();
  const t = theme.tokens;
  const msg = revertMessage(modal, theme.ascii);
  const plan = modal.plan.status === 'ready' ? modal.plan.value : undefined;
  const lines = useMemo<Line[]>(() => (plan ? gitPlanLines(plan) : []), [plan]);
  return (
    <DialogFrame
      title={`Revert ${modal.commit.slice(0, 7)} for ${modal.app}`}
      production={modal.production}
      height={height}
      message={msg.text}
      messageColour={msg.error ? t.status.error : modal.stage === 'confirm' ? t.text.accent : undefined}
    >
      <Text color={t.text.secondary} wrap="truncate-end">
        {modal.subject}
      </Text>
      <TextLines lines={lines} scroll={modal.cursor} height={bodyHeight.dialog(height)} theme={theme} />
    </DialogFrame>
  );
}
