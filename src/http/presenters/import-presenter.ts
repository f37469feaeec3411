import type { SubscriptionImport } from '../../db/models';

/** An import's report: its status, what it created, the duplicates it skipped and each row's problems. */
export function presentImport(found: SubscriptionImport) {
  return {
    id: found.id,
    format: found.format,
    status: found.status,
    total_rows: found.totalRows,
    processed_rows: found.nextRow,
    created: found.created,
    duplicates: found.duplicates,
    errors: found.errors,
    failure: found.failure ?? null,
    workflow_id: found.workflowId ?? null,
    created_at: found.createdAt.toISOString(),
    finished_at: found.finishedAt ? found.finishedAt.toISOString() : null,
  };
}
