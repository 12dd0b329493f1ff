/**
 * Flyway's rule for PostgreSQL (flyway-database-postgresql PostgreSQLParser
 * .detectCanExecuteInTransaction()), matched on the AST instead of its keyword regexes:
 * CREATE/DROP DATABASE, TABLESPACE, SUBSCRIPTION; ALTER SYSTEM; CREATE/DROP [UNIQUE] INDEX
 * CONCURRENTLY; REINDEX SCHEMA/DATABASE/SYSTEM; VACUUM; DISCARD ALL; ALTER TYPE … ADD VALUE
 * before 12. Not on it (so Flyway runs them in its transaction, where they fail): REINDEX
 * TABLE/INDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY. How Flyway uses it: formats/flyway.ts.
 */
import { as } from './ast.js';

export function flywayCanRunInTransaction(ast: unknown, major: number): boolean {
  for (const type of [
    'CreatedbStmt',
    'DropdbStmt',
    'CreateTableSpaceStmt',
    'DropTableSpaceStmt',
    'CreateSubscriptionStmt',
    'DropSubscriptionStmt',
    'AlterSystemStmt',
  ]) {
    if (as(ast, type) !== undefined) return false;
  }
  if (as<{ concurrent?: boolean }>(ast, 'IndexStmt')?.concurrent) return false;
  const drop = as<{ concurrent?: boolean; removeType?: string }>(ast, 'DropStmt');
  if (drop?.concurrent && drop.removeType === 'OBJECT_INDEX') return false;
  const reindex = as<{ kind?: string }>(ast, 'ReindexStmt');
  if (reindex && /SCHEMA|DATABASE|SYSTEM/.test(reindex.kind ?? '')) return false;
  if (as<{ is_vacuumcmd?: boolean }>(ast, 'VacuumStmt')?.is_vacuumcmd) return false;
  if (as<{ target?: string }>(ast, 'DiscardStmt')?.target === 'DISCARD_ALL') return false;
  const alterEnum = as<{ newVal?: string; oldVal?: string }>(ast, 'AlterEnumStmt');
  if (alterEnum?.newVal !== undefined && alterEnum.oldVal === undefined && major < 12) return false;
  return true;
}
