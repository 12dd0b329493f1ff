/** PostgreSQL's deploy section of the driver (src/core/dialect/deploy.ts). */
import type { DeployDriver } from '../../../core/dialect/deploy.js';
import { postgresBackfill } from './backfill.js';
import { postgresDeployErrors } from './errors.js';
import { postgresJournal } from './journal.js';
import { postgresLeftovers } from './leftovers.js';
import { postgresDeployLock } from './lock.js';
import { postgresProbes } from './probes.js';
import { postgresIncidentWords } from '../../../deploy/incident/sql.js';

export const postgresDeploy: DeployDriver = {
  journal: postgresJournal,
  lock: postgresDeployLock,
  probes: postgresProbes,
  backfill: postgresBackfill,
  leftovers: postgresLeftovers,
  errors: postgresDeployErrors,
  incident: postgresIncidentWords,
};
