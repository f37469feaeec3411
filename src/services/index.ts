import type { SessionStore } from '../auth/session-store';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Client } from '@temporalio/client';
import type { WorkflowIds } from '../temporal/contract';
import { createUserService } from './user-service';

export interface ServiceDeps {
  config: Readonly<Config>;
  db: Database;
  tokens: TokenService;
  sessions: SessionStore;
  temporal: { client: Client; ids: WorkflowIds; taskQueue: string };
}

/** Builds the domain services; routes receive them and never touch models directly. */
export function createServices(deps: ServiceDeps) {
  return {
    users: createUserService({ db: deps.db, adminEmails: deps.config.adminEmails }),
  };
}

export type Services = ReturnType<typeof createServices>;
