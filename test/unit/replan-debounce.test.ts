import { createPerKeyThrottle } from '../../src/services/per-key-throttle';
import { mergeReplanScopes, type ReplanScope } from '../../src/services/reminder-replan-service';

/** A throttle of replans by owner that records each run's scope; `gate` holds runs until released. */
function arrange(windowMs = 1000) {
  const runs: ReplanScope[] = [];
  const errors: unknown[] = [];
  let gate: Promise<void> | undefined;
  const throttle = createPerKeyThrottle<number, ReplanScope, string>({
    windowMs,
    run: async (scope) => {
      runs.push(scope);
      await gate;
      if (scope.subscriptionId === -1) throw new Error('boom');
      return `replanned ${scope.userId}`;
    },
    merge: mergeReplanScopes,
    onError: (err) => errors.push(err),
  });
  return {
    runs,
    errors,
    submit: (scope: ReplanScope) => throttle.submit(scope.userId, scope),
    flush: () => throttle.flush(),
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('replans debounced per owner', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('1,000 changes of one owner within a second replan twice: at once, then once when the window closes', async () => {
    const t = arrange();
    const first = t.submit({ userId: 1, subscriptionId: 10 });
    const rest = Array.from({ length: 999 }, () => t.submit({ userId: 1 }));
    expect(await first).toBe('replanned 1');
    // The others do not wait for the trailing replan.
    expect(await Promise.all(rest)).toEqual(Array(999).fill(undefined));
    expect(t.runs).toEqual([{ userId: 1, subscriptionId: 10 }]);

    await jest.advanceTimersByTimeAsync(999);
    expect(t.runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.runs).toEqual([{ userId: 1, subscriptionId: 10 }, { userId: 1 }]);
    // Nothing more came: no third replan.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.runs).toHaveLength(2);
  });

  it('a change after the window closed replans again at once', async () => {
    const t = arrange();
    await t.submit({ userId: 1 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(await t.submit({ userId: 1, subscriptionId: 10 })).toBe('replanned 1');
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 1, subscriptionId: 10 }]);
  });

  it('a trailing replan opens a window of its own: a steady stream replans once a window', async () => {
    const t = arrange();
    for (let ms = 0; ms < 3000; ms += 100) {
      void t.submit({ userId: 1 });
      await jest.advanceTimersByTimeAsync(100);
    }
    // At 0 ms, then trailing at 1,000, 2,000 and 3,000 ms (the last holding the changes of 2,000..2,900 ms).
    expect(t.runs).toHaveLength(4);
    await jest.advanceTimersByTimeAsync(5000);
    expect(t.runs).toHaveLength(4);
  });

  it('owners are independent: another owner replans at once inside the first one’s window', async () => {
    const t = arrange();
    await t.submit({ userId: 1 });
    void t.submit({ userId: 1 });
    expect(await t.submit({ userId: 2, subscriptionId: 20 })).toBe('replanned 2');
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 2, subscriptionId: 20 }]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 2, subscriptionId: 20 }, { userId: 1 }]);
  });

  it('merges the waiting scopes: one subscription stays narrow, another one or the owner widens to all', async () => {
    const t = arrange();
    await t.submit({ userId: 1 });
    void t.submit({ userId: 1, subscriptionId: 10 });
    void t.submit({ userId: 1, subscriptionId: 10 });
    await jest.advanceTimersByTimeAsync(1000);
    void t.submit({ userId: 1, subscriptionId: 10 });
    void t.submit({ userId: 1, subscriptionId: 11 });
    await jest.advanceTimersByTimeAsync(1000);
    void t.submit({ userId: 1, subscriptionId: 12 });
    void t.submit({ userId: 1 });
    void t.submit({ userId: 1, subscriptionId: 12 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 1, subscriptionId: 10 }, { userId: 1 }, { userId: 1 }]);
  });

  it('a window does not close before its replan has settled: one owner never has two replans at a time', async () => {
    const t = arrange();
    const release = t.hold();
    const first = t.submit({ userId: 1 });
    void t.submit({ userId: 1, subscriptionId: 10 });
    await jest.advanceTimersByTimeAsync(5000);
    expect(t.runs).toHaveLength(1);
    release();
    expect(await first).toBe('replanned 1');
    await jest.advanceTimersByTimeAsync(0);
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 1, subscriptionId: 10 }]);
  });

  it('a failed replan is reported to onError and resolves to undefined; the next change still replans', async () => {
    const t = arrange();
    await expect(t.submit({ userId: 1, subscriptionId: -1 })).resolves.toBeUndefined();
    void t.submit({ userId: 1, subscriptionId: -1 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(t.errors).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await t.submit({ userId: 1 })).toBe('replanned 1');
  });

  it('flush runs the waiting trailing replans now and resolves once none is left', async () => {
    const t = arrange();
    await t.submit({ userId: 1 });
    void t.submit({ userId: 1, subscriptionId: 10 });
    await t.submit({ userId: 2 });
    void t.submit({ userId: 2 });
    await t.flush();
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 2 }, { userId: 1, subscriptionId: 10 }, { userId: 2 }]);
    // Nothing is left waiting: a change now replans at once.
    expect(await t.submit({ userId: 1 })).toBe('replanned 1');
    expect(t.runs).toHaveLength(5);
  });

  it('flush waits for a replan still running, then runs what waits behind it', async () => {
    const t = arrange();
    const release = t.hold();
    void t.submit({ userId: 1 });
    void t.submit({ userId: 1, subscriptionId: 10 });
    let flushed = false;
    const flushing = t.flush().then(() => (flushed = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(t.runs).toEqual([{ userId: 1 }, { userId: 1, subscriptionId: 10 }]);
  });
});

describe('a pending trailing replan', () => {
  it('does not keep the process alive: its timer is unref’d', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    try {
      const t = arrange(60_000);
      await t.submit({ userId: 1 });
      void t.submit({ userId: 1 });
      const timer = setTimeoutSpy.mock.results.at(-1)!.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      await t.flush();
      expect(t.runs).toHaveLength(2);
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});
