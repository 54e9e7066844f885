/**
 * Progress on a terminal: one line redrawn in place (done/total, the current file, time
 * left). Off a terminal (CI logs), nothing: the CLI prints a plain line per document.
 */
export class ProgressBar {
  #done = 0;
  #total = 0;
  #started = performance.now();
  #last = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  static enabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
    return Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
  }

  start(total: number): void {
    this.#total = total;
    this.#started = performance.now();
    this.#draw('');
  }

  tick(label: string): void {
    this.#done++;
    this.#draw(label);
  }

  /** Clears the bar so a message can be printed, then redraws it. */
  interrupt(print: () => void): void {
    this.clear();
    print();
    this.#draw(this.#last);
  }

  clear(): void {
    this.stream.write('\r\x1b[2K');
  }

  #draw(label: string): void {
    this.#last = label;
    if (this.#total === 0) return;
    const width = 24;
    const filled = Math.round((this.#done / this.#total) * width);
    const elapsed = (performance.now() - this.#started) / 1000;
    const eta = this.#done > 0 ? Math.ceil((elapsed / this.#done) * (this.#total - this.#done)) : null;
    const columns = this.stream.columns || 80;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#done}/${this.#total}${eta !== null ? ` ETA ${eta}s` : ''} ${label}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }
}
