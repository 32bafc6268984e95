import { Text } from 'ink';
import type { EngineSnapshot } from '../../engine/index.js';
import type { CommandSpec } from '../state/command-spec.js';
import { topView } from '../state/reducer.js';
import type { UiState } from '../state/types.js';
import type { ViewData } from '../state/view-data.js';
import { AppView } from './app-view.js';
import { ClustersView } from './clusters-view.js';
import { DiffView } from './diff-view.js';
import { FleetView } from './fleet-view.js';
import { PromoteDialog, RevertDialog } from './git-change-dialog.js';
import { HelpView } from './help-view.js';
import { HistoryView } from './history-view.js';
import { LogsView } from './logs-view.js';
import { OfflineView } from './offline-views.js';
import { SyncDialog } from './sync-dialog.js';
import { SyncManyDialog } from './sync-many-dialog.js';
import { ActionDialog, TriageTextView } from './triage-views.js';

/** The main area: the open dialog, else the view on top of the stack. */
export function MainView({
  ui,
  snapshot,
  data,
  commands,
  readOnly,
  width,
  height,
  now,
}: {
  ui: UiState;
  snapshot: EngineSnapshot;
  data: ViewData;
  commands: readonly CommandSpec[];
  readOnly: boolean;
  width: number;
  height: number;
  now: number;
}) {
  const m = ui.modal;
  if (m?.kind === 'sync') return <SyncDialog modal={m} height={height} />;
  if (m?.kind === 'sync-many') return <SyncManyDialog modal={m} height={height} />;
  if (m?.kind === 'promote') return <PromoteDialog modal={m} height={height} />;
  if (m?.kind === 'revert') return <RevertDialog modal={m} height={height} />;
  if (m?.kind === 'action') return <ActionDialog modal={m} height={height} />;
  const v = topView(ui);
  switch (v.name) {
    case 'fleet':
      return (
        <FleetView
          snapshot={snapshot}
          explain={data.fleetExplain}
          fleet={ui.fleet}
          showExplain={ui.showExplain}
          width={width}
          height={height}
        />
      );
    case 'app':
      return (
        <AppView
          snapshot={snapshot}
          tree={data.tree ?? { rows: [] }}
          explain={data.nodeExplain ?? []}
          appName={v.app}
          cursor={v.cursor}
          width={width}
          height={height}
          now={now}
        />
      );
    case 'diff':
      return <DiffView appName={v.app} data={v.data} index={v.index} scroll={v.scroll} height={height} />;
    case 'history':
      return (
        <HistoryView snapshot={snapshot} appName={v.app} data={v.data} cursor={v.cursor} height={height} />
      );
    case 'clusters':
      return <ClustersView snapshot={snapshot} cursor={v.cursor} width={width} height={height} />;
    case 'help':
      return <HelpView commands={commands} readOnly={readOnly} scroll={v.scroll} height={height} />;
    case 'events':
    case 'yaml':
    case 'why':
      return <TriageTextView view={v} height={height} now={now} />;
    case 'compare':
    case 'appset':
      return <OfflineView view={v} height={height} />;
    case 'logs':
      return data.logSession ? (
        <LogsView
          title={`logs of ${v.resource ?? v.app}${v.container ? ` [${v.container}]` : ''}${v.previous ? ' (previous instance)' : ''}`}
          session={data.logSession}
          state={v.log}
          height={height}
          width={width}
          typing={ui.prompt?.kind === 'logs'}
        />
      ) : (
        <Text>{` opening the logs of ${v.resource ?? v.app}…`}</Text>
      );
  }
}
