/** Splits a watch stream into lines, decoding UTF-8 across chunk boundaries (a character may be split). */
export class WatchLineDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private buf = '';

  /** Feeds one chunk; returns the complete, non-empty lines it finished. */
  push(chunk: Uint8Array): string[] {
    this.buf += this.decoder.decode(chunk, { stream: true });
    return this.take();
  }

  /** Ends the stream; returns the last line when the stream did not end with a newline. */
  end(): string[] {
    this.buf += this.decoder.decode();
    const rest = this.buf.trim();
    this.buf = '';
    return [...this.take(), ...(rest ? [rest] : [])];
  }

  private take(): string[] {
    const out: string[] = [];
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) out.push(line);
    }
    return out;
  }
}
