/**
 * Workflows of bench/temporal-floor.ts: what the dev server and the SDK cost per child workflow on this machine,
 * with no database and no mail. `floorChild` has the reminder's shape (a local activity, a regular activity,
 * a local activity); `floorBare` only the one local activity that tells the bench it ran.
 */
import {
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  startChild,
} from '@temporalio/workflow';
import type { FloorActivities } from './activities';

const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30s' });
const remote = proxyActivities<FloorActivities>({ startToCloseTimeout: '30s' });

export async function floorBare(): Promise<void> {
  await local.done();
}

export async function floorChild(): Promise<void> {
  await local.noop();
  await remote.noop();
  await local.done();
}

export interface FloorFanOutInput {
  child: 'floorBare' | 'floorChild';
  n: number;
  pageSize: number;
  idPrefix: string;
  cursor?: number;
}

/** The reminder check's fan-out: a page of children started (each start awaited), then continueAsNew. */
export async function floorFanOut(input: FloorFanOutInput): Promise<void> {
  const cursor = input.cursor ?? 0;
  const end = Math.min(input.n, cursor + input.pageSize);
  const child = input.child === 'floorBare' ? floorBare : floorChild;
  const starts = [];
  for (let i = cursor; i < end; i += 1) {
    starts.push(
      startChild(child, {
        workflowId: `${input.idPrefix}${i}`,
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    );
  }
  await Promise.all(starts);
  if (end < input.n) await continueAsNew<typeof floorFanOut>({ ...input, cursor: end });
}
