import { createLogWriter } from '../../activities/log-writer';

/** A write that resolves when the test says so, recording each call's rows. */
function controlledWrites() {
  const calls: number[][] = [];
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const write = (rows: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push([...rows]);
      pending.push({ resolve, reject });
    });
  const settle = async (fail?: Error) => {
    const next = pending.shift()!;
    if (fail) next.reject(fail);
    else next.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { calls, write, settle };
}

describe('log writer (group commit)', () => {
  it('writes the first row at once and groups every row added during that write into the next one', async () => {
    const w = controlledWrites();
    const writer = createLogWriter<number>({ write: w.write, sleep: async () => undefined });
    writer.add(1);
    writer.add(2);
    writer.add(3);
    expect(w.calls).toEqual([[1]]);
    expect(writer.backlog).toBe(3);
    await w.settle();
    expect(w.calls).toEqual([[1], [2, 3]]);
    writer.add(4);
    await w.settle();
    expect(w.calls).toEqual([[1], [2, 3], [4]]);
    const flushed = writer.flush();
    await w.settle();
    await flushed;
    expect(writer.backlog).toBe(0);
  });

  it('retries a failed write with the rows added since, after a growing pause, until it lands', async () => {
    const w = controlledWrites();
    const pauses: number[] = [];
    const writer = createLogWriter<number>({ write: w.write, sleep: async (ms) => void pauses.push(ms) });
    writer.add(1);
    writer.add(2);
    await w.settle(new Error('database down'));
    await w.settle(new Error('database down'));
    expect(pauses).toEqual([1_000, 2_000]);
    writer.add(3);
    await w.settle();
    await w.settle();
    await writer.flush();
    expect(w.calls).toEqual([[1], [1, 2], [1, 2], [3]]);
  });

  it('gives up when its sleep throws (the activity was cancelled) and flush reports it', async () => {
    const writer = createLogWriter<number>({
      write: async () => {
        throw new Error('database down');
      },
      sleep: async () => {
        throw new Error('cancelled');
      },
    });
    writer.add(1);
    await expect(writer.flush()).rejects.toThrow('cancelled');
  });
});
