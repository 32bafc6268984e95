import { EventEmitter } from 'node:events';
import { VirtualTerminal } from './vt.js';

/**
 * A fake terminal output for Ink: counts bytes, remembers when the last frame was written (a write of
 * more than the synchronized-update markers), emits `written` for each write and, when asked, feeds a
 * small terminal emulator so tests and benches can read the screen as a terminal would show it.
 */
export class FakeTtyOut extends EventEmitter {
  isTTY = true;
  bytes = 0;
  written = '';
  lastWriteAt = 0;
  /** Last write that carried a frame (more than the synchronized-update markers). */
  lastFrameAt = 0;
  /** The emulated screen (fed only with `emulate: true`). */
  readonly vt: VirtualTerminal;
  private readonly emulate: boolean;
  private readonly keepText: boolean;

  constructor(
    public columns: number,
    public rows: number,
    opts: { emulate?: boolean; keepText?: boolean } = {},
  ) {
    super();
    this.vt = new VirtualTerminal(columns, rows);
    this.emulate = opts.emulate ?? false;
    this.keepText = opts.keepText ?? false;
  }

  write(chunk: string | Uint8Array, cb?: () => void): boolean {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.bytes += Buffer.byteLength(s);
    if (this.keepText) this.written += s;
    this.lastWriteAt = performance.now();
    if (s.length > 16) this.lastFrameAt = this.lastWriteAt;
    if (this.emulate) this.vt.write(s);
    this.emit('written', s);
    cb?.();
    return true;
  }
}

/** A fake raw-mode keyboard for Ink: `press` delivers one key sequence as Ink reads it. */
export class FakeKeyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(s: string): void {
    this.data = s;
    this.emit('readable');
  }
}
