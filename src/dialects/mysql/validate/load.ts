/**
 * Putting a schema on a MySQL/MariaDB scratch database: from the target itself (its SHOW CREATE
 * statements, show-create.ts: `--clone auto`, the default with --db), from a snapshot
 * (clone-snapshot.ts), or by replaying a migrations directory. Also runs a migration exactly as
 * written, which is how validate's intent check learns what the author meant.
 *
 * The scratch database is told which database it stands for (names.ts), so that SQL written for
 * the target runs on it (the session guard retargets it) and its snapshot compares with the
 * target's. It also takes the target's global sql_mode: strict or not decides whether an ALTER
 * that meets a bad value fails or truncates it.
 */
import { InputError } from '../../../core/errors.js';
import type { AsWrittenFailure, LoadReport, SchemaSource } from '../../../core/dialect/validation.js';
import type { MigrationFile } from '../../../core/migration.js';
import type { SchemaSnapshot } from '../../../core/snapshot.js';
import { connectMysql } from '../connect.js';
import { loadMysqlParser, parseMysql } from '../parser.js';
import { quoteMysqlIdent as q } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { setScratchTarget } from '../scratch/names.js';
import { snapshotDdl } from './clone-snapshot.js';
import { applySchemaDdl, readSchemaDdl, type SchemaDdl } from './show-create.js';

export async function loadSchema(session: MysqlSession, source: SchemaSource): Promise<LoadReport> {
  const scratch = await currentDatabase(session);
  if (source.kind === 'migrations') {
    const failure = await runAsWritten(session, source.files);
    if (failure) throw new Error(`replaying the migrations failed: ${failure.file}: ${failure.message}`);
    return { method: `${source.files.length} migration file(s)`, warnings: [] };
  }
  const target = oneDatabase(source.snapshot);
  if (source.kind === 'pg-dump') {
    let ddl: SchemaDdl;
    let sqlMode: string | undefined;
    let server: string;
    try {
      const live = await connectMysql(source.url, { readOnly: true, source: '--db' });
      try {
        ddl = await readSchemaDdl(live, target, { keepCounters: false });
        sqlMode = (await live.rows<{ mode: string }>('SELECT @@GLOBAL.sql_mode AS mode'))[0]?.mode;
        server = `${live.version.product === 'mariadb' ? 'MariaDB' : 'MySQL'} ${live.version.text}`;
      } finally {
        await live.close();
      }
    } catch (error) {
      const report = await load(session, scratch, target, snapshotDdl(source.snapshot), 'snapshot');
      report.warnings.unshift(
        `SHOW CREATE on the target failed (${(error as Error).message}); cloned from the snapshot instead`,
      );
      return report;
    }
    return load(session, scratch, target, ddl, `SHOW CREATE from ${server}`, sqlMode);
  }
  return load(session, scratch, target, snapshotDdl(source.snapshot), 'snapshot');
}

async function load(
  session: MysqlSession,
  scratch: string,
  target: string,
  ddl: SchemaDdl,
  method: string,
  sqlMode?: string,
): Promise<LoadReport> {
  setScratchTarget(scratch, { database: target, ...(sqlMode !== undefined ? { sqlMode } : {}) });
  if (sqlMode !== undefined) await session.rows('SET SESSION sql_mode = ?', [sqlMode]);
  if (ddl.charset && ddl.collation)
    await session.rows(`ALTER DATABASE ${q(scratch)} CHARACTER SET ${ddl.charset} COLLATE ${ddl.collation}`);
  const warnings = await applySchemaDdl(session, ddl);
  return { method, warnings };
}

/** A MySQL snapshot of several databases cannot go into one scratch database. */
function oneDatabase(snapshot: SchemaSnapshot): string {
  if (snapshot.schemas.length > 1 || !snapshot.database)
    throw new InputError(
      `validate on MySQL/MariaDB works on one database; the schema covers ${snapshot.schemas.join(', ') || 'none'}: name the database in the --db URL (mysql://host/dbname)`,
    );
  return snapshot.database;
}

async function currentDatabase(session: MysqlSession): Promise<string> {
  const [row] = await session.rows<{ db: string | null }>('SELECT DATABASE() AS db');
  if (!row?.db) throw new Error('the scratch session has no database');
  return row.db;
}

/**
 * Run migration files statement by statement as a runner would: a `transaction` file inside
 * START TRANSACTION … COMMIT (its DDL still commits as it goes: MySQL has no transactional DDL),
 * other files statement by statement. Returns the first failure, its transaction rolled back;
 * null when everything ran.
 */
export async function runAsWritten(
  session: MysqlSession,
  files: readonly MigrationFile[],
): Promise<AsWrittenFailure | null> {
  await loadMysqlParser();
  for (const file of files) {
    const { statements } = parseMysql(file.sql, file.path);
    const wrap = file.transaction === 'transaction';
    if (wrap) await session.rows('START TRANSACTION');
    for (const statement of statements) {
      try {
        await session.rows(statement.sql);
      } catch (error) {
        if (wrap) await session.rows('ROLLBACK').catch(() => undefined);
        return {
          file: file.path,
          line: statement.line,
          sql: statement.sql,
          message: (error as Error).message,
          sqlstate: sqlStateOf(error),
        };
      }
    }
    if (wrap) await session.rows('COMMIT');
  }
  return null;
}

/** mysql2 puts the server's SQLSTATE in `sqlState`; the guard's refusal has none. */
export function sqlStateOf(error: unknown): string | undefined {
  const state = (error as { sqlState?: unknown }).sqlState;
  return typeof state === 'string' ? state : undefined;
}
