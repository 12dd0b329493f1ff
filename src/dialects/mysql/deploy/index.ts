/**
 * MySQL's and MariaDB's deploy section of the driver (src/core/dialect/deploy.ts). Every part
 * works on a `MysqlSession` through its `rows`, so nothing here loads `mysql2` itself.
 * Why it is built this way: docs/decisions/0024-mysql-deploy.md.
 */
import type { DeployDriver } from '../../../core/dialect/deploy.js';
import { mysqlBackfill } from './backfill.js';
import { mysqlDeployErrors } from './errors.js';
import { mysqlIncidentWords } from './incident.js';
import { mysqlJournal } from './journal.js';
import { mysqlLeftovers } from './leftovers.js';
import { mysqlDeployLock } from './lock.js';
import { mysqlProbes } from './probes.js';

export const mysqlDeploy: DeployDriver = {
  journal: mysqlJournal,
  lock: mysqlDeployLock,
  probes: mysqlProbes,
  backfill: mysqlBackfill,
  leftovers: mysqlLeftovers,
  errors: mysqlDeployErrors,
  incident: mysqlIncidentWords,
};
