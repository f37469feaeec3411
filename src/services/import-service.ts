/**
 * POST /subscriptions/import and GET /imports/{id}: stores an upload's parsed rows and starts the workflow that
 * imports them (workflows/subscription-import.workflow.ts); reads its report.
 */
import type { Client } from '@temporalio/client';
import type { Database } from '../db/database';
import type { SubscriptionImport } from '../db/models';
import { AppError, NotFoundError } from '../errors';
import { ImportFileError } from '../import/import-record';
import { parseImport, type ImportBody } from '../import/parse-import';
import { WORKFLOW_TYPES, type WorkflowIds } from '../temporal/contract';
import { startWorkflow } from '../temporal/start-workflow';
import type { subscriptionImportWorkflow } from '../../workflows/subscription-import.workflow';

export interface ImportServiceDeps {
  db: Database;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
  /** Most rows one import may hold (IMPORT_MAX_ROWS). */
  maxRows: number;
}

export function createImportService(deps: ImportServiceDeps) {
  const { SubscriptionImport } = deps.db.models;

  /** Recognises the file, bounds it, stores its rows and starts the import; 503 (nothing kept) if Temporal is down. */
  async function start(userId: number, body: ImportBody): Promise<{ importId: number; workflowId: string }> {
    let parsed;
    try {
      parsed = parseImport(body);
    } catch (err) {
      if (err instanceof ImportFileError) throw new AppError('validation', err.code, err.message);
      throw err;
    }
    if (parsed.rows.length > deps.maxRows) {
      throw new AppError(
        'validation',
        'import_too_many_rows',
        `The file holds ${parsed.rows.length} rows; one import takes at most ${deps.maxRows}.`,
      );
    }
    const { client, ids, taskQueue } = deps.temporal;
    const stored = await SubscriptionImport.create({
      userId,
      format: parsed.format,
      status: 'pending',
      rows: parsed.rows,
      totalRows: parsed.rows.length,
      errors: [],
    });
    const workflowId = ids.subscriptionImport(stored.id);
    await stored.update({ workflowId });
    try {
      // The id holds the new row's id: it is never already started.
      await startWorkflow<typeof subscriptionImportWorkflow>(client, WORKFLOW_TYPES.subscriptionImport, {
        taskQueue,
        workflowId,
        args: [{ importId: stored.id }],
      });
    } catch (err) {
      // Nothing half-made: the client is told to retry, and a start that did arrive finds no row and ends.
      await stored.destroy();
      throw err;
    }
    return { importId: stored.id, workflowId };
  }

  /** The caller's import with its report (never its rows), or 404 (also when it is someone else's). */
  async function report(userId: number, id: number): Promise<SubscriptionImport> {
    const found = await SubscriptionImport.findOne({
      where: { id, userId },
      attributes: { exclude: ['rows'] },
    });
    if (!found) throw new NotFoundError('Import not found.', 'import_not_found');
    return found;
  }

  return { start, report };
}

export type ImportService = ReturnType<typeof createImportService>;
