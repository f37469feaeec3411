/**
 * Retry policy of every activity that only reads or writes the database. No maximumAttempts: a database outage,
 * however long, delays the workflow (one attempt a minute once backed off) instead of failing it and losing the
 * email it was to send; the activities are idempotent, so a late success is safe. None of these workflows has a
 * business deadline to bound it by: a welcome mints its link when sent, a report is still wanted days late.
 */
export const DATABASE_RETRY = { initialInterval: '1s', maximumInterval: '1m' } as const;
