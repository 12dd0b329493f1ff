/**
 * One deploy (or rollback) per database at a time: the dialect's deploy lock, held by the
 * deploy session for the whole run and gone with it, so a crashed deploy never leaves the
 * database locked for the next one.
 */
import type { DeployDriver, Session } from '../core/dialect/index.js';
import { SchemapilotError } from '../core/errors.js';

export class DeployRefusedError extends SchemapilotError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
    this.name = 'DeployRefusedError';
  }
}

export async function acquireDeployLock(driver: DeployDriver, session: Session, what: string): Promise<void> {
  const taken = await driver.lock.acquire(session);
  if (taken.acquired) return;
  const by = taken.holder ? ` (${taken.holder})` : '';
  throw new DeployRefusedError(
    `another schemapilot deploy or rollback is running on this database${by}; ${what} refused: wait for it to finish (schemapilot status shows its progress)`,
  );
}
