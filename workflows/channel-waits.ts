import type { ChannelWait } from '../src/temporal/contract';

/** One wait per key, the earliest. */
export function mergeChannelWaits(waits: ChannelWait[]): ChannelWait[] {
  const byKey = new Map<string, number>();
  for (const w of waits) byKey.set(w.key, Math.min(w.notBeforeMs, byKey.get(w.key) ?? Infinity));
  return [...byKey].map(([key, notBeforeMs]) => ({ key, notBeforeMs }));
}
