import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { createImportActivities } from '../activities/import-activities';
import {
  IMPORT_PAGE_SIZE,
  type SubscriptionImportInput,
  type SubscriptionImportResult,
} from '../src/temporal/contract';
import { DATABASE_RETRY } from './database-retry';

type ImportActivities = ReturnType<typeof createImportActivities>;

/**
 * A page heartbeats after every row, so a worker that dies mid-page is noticed in 30 s and the page runs again
 * on another. Twenty attempts (about a quarter of an hour once backed off) ride out a database restart; a row
 * that fails every time ends the import as failed, with its report, rather than retrying for ever.
 */
const { importPage } = proxyActivities<ImportActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '30s',
  retry: { ...DATABASE_RETRY, maximumAttempts: 20 },
});
/** Writing the report retries as long as the database is down: no import ends without one. */
const { finishImport, failImport } = proxyActivities<ImportActivities>({
  startToCloseTimeout: '30s',
  retry: DATABASE_RETRY,
});

/**
 * Imports one upload (`import-{importId}`): page after page of rows validated and created, each idempotent
 * under its content key, then the report. The counts and cursor live in the imports row, saved per page.
 */
export async function subscriptionImportWorkflow(
  input: SubscriptionImportInput,
): Promise<SubscriptionImportResult> {
  const pageSize = input.pageSize ?? IMPORT_PAGE_SIZE;
  try {
    for (;;) {
      const page = await importPage({ importId: input.importId, pageSize });
      if (page.done) break;
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return failImport(input.importId, err.cause?.message ?? err.message);
  }
  return finishImport(input.importId);
}
