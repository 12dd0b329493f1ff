/**
 * deploy(), rollbackDeploy() and the journal for library users and the CLI: the dialect is
 * found by name (the plan's `dialect`, the URL's scheme, or the session's dialect for a journal
 * without a plan at hand) unless the caller passes one. The engine itself (src/deploy) always receives it.
 */
import type { Dialect, Session } from '../core/dialect/index.js';
import type { DeployRecord } from '../core/deploy.js';
import { parseJsonInput } from '../core/json-input.js';
import type { Plan } from '../core/plan.js';
import { planSchema } from '../core/plan-schema.js';
import * as engine from '../deploy/deploy.js';
import { deployerOf } from '../deploy/driver.js';
import * as journal from '../deploy/journal.js';
import * as rollback from '../deploy/rollback.js';
import { chooseDialect, dialectNamed } from '../dialects/index.js';

export { DEFAULT_DEPLOY_LIMITS, type DeployEvent, type DeployResult } from '../deploy/deploy.js';
export { DeployRefusedError } from '../deploy/lock.js';
export type { RollbackResult } from '../deploy/rollback.js';

type WithDialect<T extends { dialect: Dialect }> = Omit<T, 'dialect'> & { dialect?: Dialect };

export type DeployOptions = WithDialect<engine.DeployOptions>;
export type RollbackOptions = WithDialect<rollback.RollbackOptions>;

/** Deploy `plan` to the dialect it was made for (`plan.dialect`), unless `dialect` is given. */
export function deploy(options: DeployOptions): Promise<engine.DeployResult> {
  // The plan is checked before its "dialect" is trusted (the engine checks it again, cheaply).
  if (!options.dialect) parseJsonInput(planSchema, options.plan, 'the plan');
  const dialect = options.dialect ?? dialectNamed(options.plan.dialect, 'the plan\'s "dialect"');
  return engine.deploy({ ...options, dialect });
}

/** Undo the last deploy from the journal; the URL's dialect (PostgreSQL when it names none) unless `dialect` is given. */
export function rollbackDeploy(options: RollbackOptions): Promise<rollback.RollbackResult> {
  return rollback.rollbackDeploy({
    ...options,
    dialect: options.dialect ?? chooseDialect({ url: options.url }),
  });
}

/** The newest deploy in the journal (or `id`) with its plan, read on an open session (of its dialect). */
export function readDeploy(
  session: Session,
  id?: number,
  dialect: Dialect = dialectNamed(session.dialect, 'the session'),
): Promise<{ record: DeployRecord; plan: Plan } | null> {
  return journal.readDeploy(deployerOf(dialect).deploy, session, id);
}

/** The last `limit` deploys, newest first, read on an open session (of its dialect). */
export function listDeploys(
  session: Session,
  limit = 20,
  dialect: Dialect = dialectNamed(session.dialect, 'the session'),
) {
  return journal.listDeploys(deployerOf(dialect).deploy, session, limit);
}
