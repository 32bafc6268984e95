import { Text } from 'ink';
import { Component, type ReactNode } from 'react';

type Props = { children: ReactNode; colour?: string; resetKey?: unknown };
type State = { error?: string; key?: unknown };

/** Catches a rendering error of one view and shows it as one line instead of crashing the console. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = {};

  /** Records the error for the next render. */
  static getDerivedStateFromError(err: unknown): State {
    return { error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }

  /** Clears the error when the view changes. */
  static getDerivedStateFromProps(props: Props, state: State): State | null {
    return props.resetKey !== state.key ? { key: props.resetKey, error: undefined } : null;
  }

  override render() {
    if (this.state.error !== undefined)
      return (
        <Text color={this.props.colour} wrap="truncate-end">
          this view failed to render: {this.state.error} (esc to go back)
        </Text>
      );
    return this.props.children;
  }
}
