/** A one-line progress bar on stderr (redrawn in place on a TTY, a line per 10% otherwise). */
export function progress(label: string, total: number) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let lastDecile = -1;
  const draw = (done: number) => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const line = `${label.padEnd(34)} [${bar}] ${String(Math.round(ratio * 100)).padStart(3)}% ${secs}s`;
    if (tty) process.stderr.write(`\r${line}`);
    else {
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${line}\n`);
      }
    }
  };
  draw(0);
  return {
    tick(done: number) {
      draw(done);
    },
    done() {
      draw(total);
      if (tty) process.stderr.write('\n');
    },
  };
}

/** A bar that fills with wall time for a phase of known duration (a wrk run); stop() ends it. */
export function timedProgress(label: string, ms: number) {
  const bar = progress(label, ms);
  const started = Date.now();
  const timer = setInterval(() => bar.tick(Date.now() - started), 500);
  return {
    stop() {
      clearInterval(timer);
      bar.done();
    },
  };
}
