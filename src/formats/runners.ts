/**
 * How each migration runner executes a file, which decides whether CONCURRENTLY is legal and
 * how long locks are held (a lock is released only when its transaction ends). This is the
 * runner's default; src/formats/read.ts refines it per file where the runner does (Flyway's
 * statement detection and script config, dbmate's `transaction:false`, Prisma's version).
 *
 * Each entry names the code it was read from, so it can be checked again when a runner changes.
 */
import type { TransactionMode } from '../core/analysis.js';
import type { RunnerName } from '../config/types.js';

export const RUNNER_TRANSACTIONS: Record<RunnerName, TransactionMode> = {
  // `psql -f` and plain files: each statement commits on its own unless the file says BEGIN.
  plain: 'none',
  psql: 'none',
  // Flyway wraps each migration in a transaction, except a migration whose statements Flyway
  // detects as non-transactional (see flyway.ts) or whose `.sql.conf` says executeInTransaction.
  // flyway-core ParserSqlScript.executeInTransaction(), PostgreSQLParser.detectCanExecuteInTransaction().
  flyway: 'transaction',
  // golang-migrate's postgres driver sends the whole file in one Exec (simple query protocol),
  // which PostgreSQL runs as one implicit transaction when it holds several statements.
  // database/postgres/postgres.go Run() → runStatement(); `x-multi-statement=true` splits it.
  'golang-migrate': 'implicit',
  // dbmate runs the up section inside a transaction; with `-- migrate:up transaction:false` it
  // sends the section in one Exec, so several statements still share an implicit transaction.
  // pkg/dbmate/db.go Migrate(): doTransaction(...) or execMigration(sqlDB) → tx.Exec(parsed.Up).
  dbmate: 'transaction',
  // Prisma before 7.4 sends migration.sql as one simple query (an implicit transaction); 7.4+
  // splits it and sends each statement on its own (prisma-engines #5767, schema-engine
  // flavour/postgres apply_migration_script). prisma.ts picks the mode from the installed version.
  prisma: 'implicit',
  // drizzle-orm's migrator (pg-core/dialect.ts migrate()) opens one transaction and runs every
  // pending migration inside it, each `--> statement-breakpoint` chunk as its own query.
  drizzle: 'transaction',
  // `sqitch deploy` runs each deploy script with psql (no --single-transaction); the scripts
  // sqitch generates carry their own BEGIN/COMMIT. App::Sqitch::Engine::pg run_file().
  sqitch: 'none',
  // `alembic upgrade --sql` output is run with psql and carries its own BEGIN/COMMIT
  // (and COMMIT … BEGIN around an autocommit_block()).
  alembic: 'none',
  // diesel runs each migration in its own transaction unless its metadata.toml says
  // run_in_transaction = false; then up.sql goes to PQexec as one query (an implicit transaction).
  // diesel_migrations migration_harness.rs run_migration(), file_based_migrations.rs; see diesel.ts.
  diesel: 'transaction',
  // sqlx runs each migration in a transaction unless the file starts with `-- no-transaction`;
  // then it is sent as one simple query. sqlx-postgres migrate.rs apply(); see sqlx.ts.
  sqlx: 'transaction',
  // popx runs each migration in a transaction on PostgreSQL unless its name has `.autocommit`;
  // then one Exec without arguments (one simple query). ory/x popx migrator.go UpTo(); see popx.ts.
  popx: 'transaction',
  // These wrap each migration in a transaction unless told otherwise (node-pg-migrate
  // `pgm.noTransaction()`, knex `config.transaction = false`, Rails `disable_ddl_transaction!`,
  // Django `atomic = False`); only their SQL reaches schemapilot, so the default is assumed.
  'node-pg-migrate': 'transaction',
  knex: 'transaction',
  rails: 'transaction',
  django: 'transaction',
};
