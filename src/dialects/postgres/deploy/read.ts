/**
 * The deploy journal read on a `pg.Client` the caller opened (tests, scripts, library users
 * holding their own client): PostgreSQL's journal store behind the engine's checks.
 */
import type pg from 'pg';
import type { DeployRecord } from '../../../core/deploy.js';
import type { Plan } from '../../../core/plan.js';
import { readDeploy as readJournal } from '../../../deploy/journal.js';
import { PostgresSession } from '../session.js';
import { postgresDeploy } from './index.js';

/** The newest deploy (or the one with `id`), with its plan and steps; null when there is none. */
export function readDeploy(
  client: pg.Client,
  id?: number,
): Promise<{ record: DeployRecord; plan: Plan } | null> {
  return readJournal(postgresDeploy, new PostgresSession(client), id);
}
