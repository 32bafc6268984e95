import type { AppState, BosunEngine, EngineSnapshot, LogSession } from '../../engine/index.js';
import type { CommandSpec } from '../state/command-spec.js';
import type { UiAction, UiState } from '../state/types.js';

/** Everything an action needs: state, engine, dispatch and a few options. */
export type ActionContext = {
  ui: UiState;
  snapshot: EngineSnapshot;
  engine: BosunEngine;
  dispatch: (a: UiAction) => void;
  /** `--read-only` given on the command line. */
  readOnlyFlag: boolean;
  nextId: () => number;
  quit: () => void;
  themeNames: string[];
};

/** The action context plus what navigation needs: terminal rows and the command registry. */
export type CommandContext = ActionContext & {
  rows: number;
  commands: readonly Command[];
  readOnly: boolean;
  /** The running log session of a logs view, by view id. */
  logSession: (viewId: number) => LogSession | undefined;
  /** Writes lines to a file in bosun's state directory; returns its path. */
  saveLines: (name: string, lines: string[]) => string;
};

/** How a command was invoked: by its key (on the selection) or from the `:` line (with its argument). */
export type RunInput = { via: 'key' } | { via: 'line'; arg: string; app?: AppState };

/** A command record: its data and its handler (k9s' KeyAction is the model). */
export type Command = CommandSpec & {
  /** Runs the command against the state as of now. */
  run: (ctx: CommandContext, input: RunInput) => void;
};
