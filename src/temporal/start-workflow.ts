import type { Client, WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { UnavailableError } from '../errors';

/** How long a caller (an HTTP request, mostly) waits for Temporal to accept a start. */
export const START_DEADLINE_MS = 2000;

/** Temporal did not accept a workflow start within the deadline (down or too slow); HTTP answers 503. */
export class TemporalUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('temporal');
    this.cause = cause;
  }
}

/** `already_started`: a workflow with that id is running, or one the reuse policy forbids repeating exists. */
export type StartOutcome = 'started' | 'already_started';

/**
 * The one way SubTracker starts a workflow from outside a workflow: `workflowType` with `options`, under a
 * deadline. No answer in time is TemporalUnavailableError; an id already taken is the `already_started`
 * outcome, for the caller to decide (ids with a random part never collide).
 */
export async function startWorkflow<T extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<T>,
  { deadlineMs = START_DEADLINE_MS }: { deadlineMs?: number } = {},
): Promise<StartOutcome> {
  try {
    await client.withDeadline(Date.now() + deadlineMs, () => client.workflow.start<T>(workflowType, options));
    return 'started';
  } catch (err) {
    // Matched by name: Jest gives each test file its own realm, so instanceof is unreliable.
    if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'already_started';
    throw new TemporalUnavailableError(err);
  }
}
