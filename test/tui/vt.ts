/**
 * A minimal terminal emulator (enough of VT100/xterm for what Ink writes): cursor moves, erase, alternate
 * screen, scrolling, deferred wrap. Used to check that incremental frames leave the screen right.
 */
export class VirtualTerminal {
  private main: string[][];
  private alt: string[][] | undefined;
  private row = 0;
  private col = 0;
  private pendingWrap = false;
  /** True while the alternate screen is active. */
  altScreen = false;
  /** True while the cursor is hidden. */
  cursorHidden = false;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    this.main = this.blank();
  }

  /** Resizes like xterm: content stays top-left, and the screen scrolls up if the cursor would fall off. */
  resize(columns: number, rows: number): void {
    const clampScreen = (screen: string[][]) => {
      const shift = Math.max(0, this.row - rows + 1);
      const kept = screen.slice(shift, shift + rows);
      while (kept.length < rows) kept.push([]);
      return kept.map((r) => Array.from({ length: columns }, (_, i) => r[i] ?? ' '));
    };
    this.main = clampScreen(this.main);
    if (this.alt) this.alt = clampScreen(this.alt);
    this.row = Math.min(this.row, rows - 1);
    this.col = Math.min(this.col, columns - 1);
    this.columns = columns;
    this.rows = rows;
  }

  private blank(): string[][] {
    return Array.from({ length: this.rows }, () => Array.from({ length: this.columns }, () => ' '));
  }

  private get screen(): string[][] {
    return this.alt ?? this.main;
  }

  /** The visible screen as text, one line per row, trailing spaces removed. */
  text(): string {
    return this.screen.map((r) => r.join('').replace(/ +$/, '')).join('\n');
  }

  private lineFeed(): void {
    if (this.row === this.rows - 1) {
      this.screen.shift();
      this.screen.push(Array.from({ length: this.columns }, () => ' '));
    } else this.row++;
  }

  /** Feeds output bytes (a tty with ONLCR: `\n` also returns the carriage). */
  write(data: string): void {
    let i = 0;
    while (i < data.length) {
      const ch = data[i] as string;
      if (ch === '\x1b') {
        const m = /^\x1b\[([?0-9;]*)([@-~])/.exec(data.slice(i, i + 32));
        if (m) {
          this.csi(m[1] ?? '', m[2] ?? '');
          i += m[0].length;
          continue;
        }
        const osc = /^\x1b\][^\x07]*\x07/.exec(data.slice(i, i + 256));
        i += osc ? osc[0].length : 2;
        continue;
      }
      i++;
      if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') {
        this.col = 0;
        this.pendingWrap = false;
        this.lineFeed();
      } else if (ch >= ' ') {
        if (this.pendingWrap) {
          this.col = 0;
          this.lineFeed();
          this.pendingWrap = false;
        }
        (this.screen[this.row] as string[])[this.col] = ch;
        if (this.col === this.columns - 1) this.pendingWrap = true;
        else this.col++;
      }
    }
  }

  private csi(params: string, final: string): void {
    const priv = params.startsWith('?');
    const nums = (priv ? params.slice(1) : params).split(';').map((n) => Number.parseInt(n, 10));
    const n = nums[0] && nums[0] > 0 ? nums[0] : 1;
    const clampRow = (r: number) => Math.max(0, Math.min(this.rows - 1, r));
    this.pendingWrap = false;
    if (priv) {
      const on = final === 'h';
      if (nums[0] === 1049) {
        this.altScreen = on;
        this.alt = on ? this.blank() : undefined;
      }
      if (nums[0] === 25) this.cursorHidden = !on;
      return;
    }
    switch (final) {
      case 'A':
        this.row = clampRow(this.row - n);
        break;
      case 'B':
        this.row = clampRow(this.row + n);
        break;
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'E':
        this.row = clampRow(this.row + n);
        this.col = 0;
        break;
      case 'F':
        this.row = clampRow(this.row - n);
        this.col = 0;
        break;
      case 'G':
        this.col = Math.min(this.columns - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.row = clampRow((nums[0] || 1) - 1);
        this.col = Math.min(this.columns - 1, (nums[1] || 1) - 1);
        break;
      case 'J': {
        const mode = nums[0] || 0;
        if (mode === 2 || mode === 3) for (const r of this.screen) r.fill(' ');
        else if (mode === 0) {
          (this.screen[this.row] as string[]).fill(' ', this.col);
          for (let r = this.row + 1; r < this.rows; r++) (this.screen[r] as string[]).fill(' ');
        }
        break;
      }
      case 'K': {
        const line = this.screen[this.row] as string[];
        const mode = nums[0] || 0;
        if (mode === 0) line.fill(' ', this.col);
        else if (mode === 1) line.fill(' ', 0, this.col + 1);
        else line.fill(' ');
        break;
      }
      default:
        break;
    }
  }
}
