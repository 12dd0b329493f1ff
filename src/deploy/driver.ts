/** The parts of a dialect deploy and rollback use; a dialect without them cannot deploy. */
import type { Dialect, DialectDriver, DeployDriver } from '../core/dialect/index.js';
import { SchemapilotError } from '../core/errors.js';

export interface Deployer {
  driver: DialectDriver;
  deploy: DeployDriver;
}

export function deployerOf(dialect: Dialect): Deployer {
  const driver = dialect.driver;
  if (!driver?.deploy)
    throw new SchemapilotError(`schemapilot cannot deploy to ${dialect.title} yet`, { exitCode: 2 });
  return { driver, deploy: driver.deploy };
}
