import { Box } from 'ink';
import { useEffect, useState } from 'react';
import type { Env } from '../config/paths.js';
import type { BosunEngine } from '../engine/index.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { Footer } from './components/footer.js';
import { Header, SPINNER_STEP_MS } from './components/header.js';
import { useController } from './controller/use-controller.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { Command } from './input/context.js';
import { frameHeight, mainHeight } from './layout.js';
import type { UiState } from './state/types.js';
import type { ThemeRegistry } from './theme/loader.js';
import { ThemeProvider } from './theme/theme-context.js';
import { MainView } from './views/main-view.js';

/** Props of the root component. */
export type AppProps = {
  engine: BosunEngine;
  readOnly: boolean;
  commands: readonly Command[];
  themes: ThemeRegistry;
  themeName?: string;
  env: Env;
  initialStatus?: UiState['status'];
  /** Resolves to a one-line message when the engine failed to start. */
  startFailure?: Promise<string | undefined>;
  onQuit?: () => void;
};

/** The root: providers and the full-screen layout (header, main view or dialog, footer). */
export function App(props: AppProps) {
  const { columns, rows } = useTerminalSize();
  const c = useController({ ...props, rows });
  const main = mainHeight(rows);
  // While the first snapshot loads, the header's spinner turns (a frame every SPINNER_STEP_MS); then no
  // timer. Every frame is a whole-screen render on the engine's thread, so it turns slowly: at 10 frames a
  // second the spinner alone took most of the CPU the start needs.
  const loading = c.snapshot.loading;
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!loading) return;
    const t = setInterval(() => setTick((n) => n + 1), SPINNER_STEP_MS);
    return () => clearInterval(t);
  }, [loading]);
  const now = Date.now();
  return (
    <ThemeProvider theme={c.theme}>
      <Box flexDirection="column" width={columns} height={frameHeight(rows)}>
        <Header
          repo={c.snapshot.repo}
          clusters={c.snapshot.clusters}
          crumbs={c.crumbs}
          target={c.target}
          readOnly={c.readOnly}
          automation={c.snapshot.automation}
          {...(c.snapshot.backend ? { backend: c.snapshot.backend } : {})}
          {...(loading
            ? { loading: { ...(c.snapshot.progress ? { progress: c.snapshot.progress } : {}) } }
            : {})}
          width={columns}
          now={now}
        />
        <Box flexDirection="column" height={main}>
          <ErrorBoundary
            colour={c.theme.tokens.status.error}
            resetKey={`${c.top.id}:${c.ui.modal?.id ?? ''}`}
          >
            <MainView
              ui={c.ui}
              snapshot={c.snapshot}
              data={c.data}
              commands={props.commands}
              readOnly={c.readOnly}
              width={columns}
              height={main}
              now={now}
            />
          </ErrorBoundary>
        </Box>
        <Footer
          status={c.ui.status}
          prompt={c.ui.prompt}
          commands={c.available}
          target={c.target}
          counts={c.counts}
          loading={c.snapshot.loading}
          engineErrors={c.snapshot.errors.length}
          {...(c.ui.modal ? { stage: c.ui.modal.stage } : {})}
          width={columns}
        />
      </Box>
    </ThemeProvider>
  );
}
