/**
 * Runs a task at most once per window and key. The first call for a key runs at once, and its caller may await
 * the result. Calls that arrive while that key's window is open are merged (`merge`) into one trailing run
 * when the window closes. Their callers get `undefined` at once and do not wait for it. A window closes
 * `windowMs` after its run started, and never before that run settles, so one key never has two runs at the
 * same time. A trailing run opens a window of its own.
 *
 * Errors go to `onError` and are never thrown. Timers are unref'd, so a pending trailing run does not keep the
 * process alive. `flush()` runs every pending trailing run now and waits for it: call it at shutdown.
 */
export function createPerKeyThrottle<K, V, R>(options: {
  windowMs: number;
  run: (value: V) => Promise<R>;
  /** The one value that stands for both `pending` and `next` (its run must cover both). */
  merge: (pending: V, next: V) => V;
  onError: (err: unknown, value: V) => void;
}) {
  interface Window {
    run: Promise<R | undefined>;
    /** Set while the window's time is not up. */
    timer?: NodeJS.Timeout;
    settled: boolean;
  }
  interface Slot {
    window: Window;
    pending?: { value: V };
  }
  const slots = new Map<K, Slot>();

  function open(key: K, value: V): Promise<R | undefined> {
    const run = (async () => options.run(value))().catch((err: unknown) => {
      options.onError(err, value);
      return undefined;
    });
    const window: Window = { run, settled: false };
    window.timer = setTimeout(() => {
      window.timer = undefined;
      close(key, window);
    }, options.windowMs);
    window.timer.unref();
    slots.set(key, { window });
    void run.then(() => {
      window.settled = true;
      close(key, window);
    });
    return run;
  }

  /** Ends a window whose time is up and whose run has settled: starts the trailing run, if any. */
  function close(key: K, window: Window): void {
    const slot = slots.get(key);
    if (!slot || slot.window !== window || window.timer !== undefined || !window.settled) return;
    if (!slot.pending) {
      slots.delete(key);
      return;
    }
    void open(key, slot.pending.value);
  }

  /** Runs `value` for `key` now (and returns its result), or merges it into the key's trailing run. */
  function submit(key: K, value: V): Promise<R | undefined> {
    const slot = slots.get(key);
    if (!slot) return open(key, value);
    slot.pending = { value: slot.pending ? options.merge(slot.pending.value, value) : value };
    return Promise.resolve(undefined);
  }

  /** Cuts every open window short: pending trailing runs start now. Resolves when no run is left. */
  async function flush(): Promise<void> {
    while (slots.size > 0) {
      const windows = [...slots].map(([key, { window }]) => {
        clearTimeout(window.timer);
        window.timer = undefined;
        close(key, window);
        return window.run;
      });
      // A run closes its window (starting the trailing run) before this await resumes: it subscribed first.
      await Promise.all(windows);
    }
  }

  return { submit, flush };
}
