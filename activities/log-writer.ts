/**
 * Group commit for log rows: rows added while a write is in flight go out together in the next one, so a batch
 * writes few multi-row inserts and a sent reminder waits at most one write for its row. A failed write is
 * retried (the database may be down) until it lands or `sleep` throws (the activity was cancelled).
 */
export function createLogWriter<T>(options: {
  write(rows: T[]): Promise<void>;
  sleep(ms: number): Promise<void>;
  onRetry?(err: unknown, attempt: number): void;
}) {
  let queue: T[] = [];
  let writing = 0;
  let running: Promise<void> | undefined;
  let failure: unknown;

  async function drain(): Promise<void> {
    let attempt = 1;
    while (queue.length > 0) {
      const rows = queue;
      queue = [];
      writing = rows.length;
      let failed: unknown;
      try {
        await options.write(rows);
      } catch (err) {
        failed = err ?? new Error('log write failed');
        queue = rows.concat(queue);
      }
      writing = 0;
      if (failed === undefined) {
        attempt = 1;
        continue;
      }
      options.onRetry?.(failed, attempt);
      await options.sleep(Math.min(1_000 * 2 ** (attempt - 1), 30_000));
      attempt += 1;
    }
  }

  function start(): void {
    if (running || failure !== undefined) return;
    running = drain()
      .catch((err: unknown) => {
        failure = err ?? new Error('log writer stopped');
      })
      .finally(() => {
        running = undefined;
        if (queue.length > 0) start();
      });
  }

  return {
    add(row: T): void {
      queue.push(row);
      start();
    },
    /** Rows not yet written: waiting, or in the write in flight. */
    get backlog(): number {
      return queue.length + writing;
    },
    /** Resolves when every row added so far is written; rejects when retrying was given up (cancelled). */
    async flush(): Promise<void> {
      while (running) await running;
      if (failure !== undefined) throw failure;
    },
  };
}
