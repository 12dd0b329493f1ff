/**
 * SQLite's deploy section of the driver (src/core/dialect/deploy.ts): a journal inside the file,
 * a lock file beside it, a backup of the file before the first step (restored when the steps'
 * rollback cannot undo them), busy_timeout as the lock timeout and SQLITE_BUSY as what deploy
 * retries. Why it is built this way: docs/decisions/0037-sqlite-deploy.md.
 */
import type { DeployDriver } from '../../../core/dialect/deploy.js';
import { sqliteBackfill } from './backfill.js';
import { sqliteBackup } from './backup.js';
import { sqliteDeployErrors } from './errors.js';
import { sqliteIncidentWords } from './incident.js';
import { sqliteJournal } from './journal.js';
import { sqliteLeftovers } from './leftovers.js';
import { sqliteDeployLock } from './lock.js';
import { sqliteProbes } from './probes.js';

export const sqliteDeploy: DeployDriver = {
  journal: sqliteJournal,
  lock: sqliteDeployLock,
  probes: sqliteProbes,
  backfill: sqliteBackfill,
  leftovers: sqliteLeftovers,
  errors: sqliteDeployErrors,
  incident: sqliteIncidentWords,
  backup: sqliteBackup,
};
