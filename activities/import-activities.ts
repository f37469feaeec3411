/** Activities of the subscription import workflow: validate and create one page of rows, then end the report. */
import { Context } from '@temporalio/activity';
import type { ImportRowError } from '../src/db/models';
import type { ParsedRow } from '../src/import/import-record';
import { contentKey, validateRecord, type ImportedSubscription } from '../src/import/validate-record';
import type { ImportPageResult, SubscriptionImportResult } from '../src/temporal/contract';
import type { ActivityLog } from './ports';

/** One page of an import's rows, from the cursor on. */
export interface ImportPage {
  userId: number;
  status: 'pending' | 'running' | 'completed' | 'failed';
  /** Index of the first row of `rows` (the saved cursor). */
  from: number;
  totalRows: number;
  rows: ParsedRow[];
}

/** How one valid row ended: created (now, or by an earlier attempt of this import), a duplicate, or refused. */
export type RowOutcome =
  { kind: 'created' } | { kind: 'duplicate' } | { kind: 'refused'; field: string; message: string };

export interface PageTally {
  created: number;
  duplicates: number;
  errors: ImportRowError[];
}

/** What the import activities need from the database (src/services/import-store.ts). */
export interface ImportStore {
  /** The page at the saved cursor, or null when the import is gone (its user deleted). */
  loadPage(importId: number, size: number): Promise<ImportPage | null>;
  /** Creates the subscription and its content key at once, unless the key or the name is taken. */
  createRow(input: {
    importId: number;
    /** The row's number in the file. */
    row: number;
    userId: number;
    subscription: ImportedSubscription;
    key: string;
  }): Promise<RowOutcome>;
  /** Adds the page's counts and moves the cursor from `from` to `to`; a no-op when an earlier attempt did. */
  savePage(importId: number, from: number, to: number, tally: PageTally): Promise<void>;
  /** Ends the import as completed or failed and returns its counts (null when it is gone). */
  finish(
    importId: number,
    outcome: { status: 'completed' } | { status: 'failed'; failure: string },
  ): Promise<SubscriptionImportResult | null>;
}

export interface ImportActivityDeps {
  imports: ImportStore;
  log?: ActivityLog;
  /** Awaited after each row (tests stop a worker mid-page here). */
  afterRow?: (row: number) => Promise<void>;
}

function heartbeat(row: number): void {
  try {
    Context.current().heartbeat(row);
  } catch {
    // Outside an activity (a unit test calling the function directly): nothing to report to.
  }
}

export function createImportActivities(deps: ImportActivityDeps) {
  const { imports } = deps;

  /**
   * Validates and creates the rows at the cursor, one by one, then saves their counts with the new cursor in
   * one write. A retry after a crash mid-page finds the rows it already created by their content keys (which
   * name this import and row) and counts them as created again, not twice: the counts stay exact.
   */
  async function importPage(input: { importId: number; pageSize: number }): Promise<ImportPageResult> {
    const page = await imports.loadPage(input.importId, input.pageSize);
    if (!page) return { done: true, processed: 0 };
    if (page.status === 'completed' || page.status === 'failed') return { done: true, processed: page.from };
    const tally: PageTally = { created: 0, duplicates: 0, errors: [] };
    for (const parsed of page.rows) {
      const problems = parsed.problems ?? [];
      const validated = problems.length ? undefined : validateRecord(parsed.record);
      if (!validated || !validated.ok) {
        const found = validated && !validated.ok ? validated.problems : problems;
        tally.errors.push(...found.map((p) => ({ row: parsed.row, ...p })));
      } else {
        const { subscription } = validated;
        const outcome = await imports.createRow({
          importId: input.importId,
          row: parsed.row,
          userId: page.userId,
          subscription,
          key: contentKey(subscription),
        });
        if (outcome.kind === 'created') tally.created += 1;
        else if (outcome.kind === 'duplicate') tally.duplicates += 1;
        else tally.errors.push({ row: parsed.row, field: outcome.field, message: outcome.message });
      }
      heartbeat(parsed.row);
      await deps.afterRow?.(parsed.row);
    }
    const to = page.from + page.rows.length;
    await imports.savePage(input.importId, page.from, to, tally);
    return { done: to >= page.totalRows, processed: to };
  }

  async function finishImport(importId: number): Promise<SubscriptionImportResult> {
    const result = await imports.finish(importId, { status: 'completed' });
    deps.log?.info({ importId, ...result }, 'import finished');
    return result ?? { status: 'missing', created: 0, duplicates: 0, errors: 0 };
  }

  /** Ends an import the workflow gave up on: what was created stays, and the report says why it stopped. */
  async function failImport(importId: number, failure: string): Promise<SubscriptionImportResult> {
    const result = await imports.finish(importId, { status: 'failed', failure: failure.slice(0, 1000) });
    deps.log?.warn({ importId, failure }, 'import failed');
    return result ?? { status: 'missing', created: 0, duplicates: 0, errors: 0 };
  }

  return { importPage, finishImport, failImport };
}
