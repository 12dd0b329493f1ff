/**
 * The schema a migrations directory builds, read back from a scratch database: how `validate
 * --migrations DIR` gets a snapshot to plan against when there is no live database.
 */
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import { InputError } from '../core/errors.js';
import type { MigrationFile } from '../core/migration.js';
import type { SchemaSnapshot } from '../core/snapshot.js';

export async function replayedSnapshot(
  dialect: Dialect,
  scratch: Pick<ScratchServer, 'createDatabase'>,
  files: readonly MigrationFile[],
): Promise<SchemaSnapshot> {
  const driver = dialect.driver;
  const validation = driver?.validation;
  if (!driver || !validation)
    throw new InputError(`--migrations: ${dialect.title} migrations cannot be replayed (no scratch support)`);
  const db = await scratch.createDatabase();
  try {
    const session = await driver.connect(db.url, { applicationName: 'schemapilot validate' });
    try {
      const failure = await validation.runAsWritten(session, files);
      if (failure)
        throw new InputError(
          `--migrations: ${failure.file}:${failure.line}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`,
        );
    } finally {
      await session.close().catch(() => undefined);
    }
    // As validate compares scratch copies (MySQL: under one name, not the replay database's).
    const snapshot = await driver.inspect(db.url);
    return validation.comparable?.(snapshot) ?? snapshot;
  } finally {
    await db.drop();
  }
}
