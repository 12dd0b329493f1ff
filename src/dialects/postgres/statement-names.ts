/**
 * Statements as people write them. The parser names a statement by its node type and, for some,
 * an internal tag (`DefineStmt` of kind OBJECT_AGGREGATE, `DropdbStmt`, `SecLabelStmt`): a user
 * wrote CREATE AGGREGATE, DROP DATABASE, SECURITY LABEL, and every message must say that.
 * https://www.postgresql.org/docs/current/sql-commands.html
 */

/** ObjectType (`OBJECT_TSCONFIGURATION`) → the words after CREATE / DROP / ALTER. */
const OBJECT_WORDS: Record<string, string> = {
  OBJECT_ACCESS_METHOD: 'ACCESS METHOD',
  OBJECT_AMOP: 'OPERATOR',
  OBJECT_AMPROC: 'FUNCTION',
  OBJECT_DEFACL: 'DEFAULT PRIVILEGES',
  OBJECT_DOMCONSTRAINT: 'DOMAIN CONSTRAINT',
  OBJECT_FDW: 'FOREIGN DATA WRAPPER',
  OBJECT_FOREIGN_SERVER: 'SERVER',
  OBJECT_LARGEOBJECT: 'LARGE OBJECT',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_OPCLASS: 'OPERATOR CLASS',
  OBJECT_OPFAMILY: 'OPERATOR FAMILY',
  OBJECT_PARAMETER_ACL: 'PARAMETER',
  OBJECT_PUBLICATION_NAMESPACE: 'PUBLICATION',
  OBJECT_PUBLICATION_REL: 'PUBLICATION',
  OBJECT_STATISTIC_EXT: 'STATISTICS',
  OBJECT_TABCONSTRAINT: 'CONSTRAINT',
  OBJECT_TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
  OBJECT_TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  OBJECT_TSPARSER: 'TEXT SEARCH PARSER',
  OBJECT_TSTEMPLATE: 'TEXT SEARCH TEMPLATE',
};

/** `OBJECT_FOREIGN_TABLE` → `FOREIGN TABLE`, `OBJECT_TSDICTIONARY` → `TEXT SEARCH DICTIONARY`. */
export function objectWords(objectType: string | undefined): string {
  if (!objectType) return 'OBJECT';
  return OBJECT_WORDS[objectType] ?? objectType.replace(/^OBJECT_/, '').replace(/_/g, ' ');
}

type Body = Record<string, unknown>;
const field = (body: Body, key: string): string | undefined =>
  typeof body[key] === 'string' ? body[key] : undefined;
const flag = (body: Body, key: string): boolean => body[key] === true;

/** Node type → the command, from the node's fields where one node type covers several commands. */
export const STATEMENT_WORDS: Record<string, string | ((body: Body) => string)> = {
  AlterCollationStmt: 'ALTER COLLATION',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE REFRESH COLLATION VERSION',
  AlterDatabaseSetStmt: 'ALTER DATABASE SET',
  AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES',
  AlterDomainStmt: 'ALTER DOMAIN',
  AlterEnumStmt: 'ALTER TYPE',
  AlterEventTrigStmt: 'ALTER EVENT TRIGGER',
  AlterExtensionContentsStmt: 'ALTER EXTENSION',
  AlterExtensionStmt: 'ALTER EXTENSION',
  AlterFdwStmt: 'ALTER FOREIGN DATA WRAPPER',
  AlterForeignServerStmt: 'ALTER SERVER',
  AlterFunctionStmt: (b) => `ALTER ${objectWords(field(b, 'objtype') ?? 'OBJECT_FUNCTION')}`,
  AlterObjectDependsStmt: (b) => `ALTER ${objectWords(field(b, 'objectType'))} DEPENDS ON EXTENSION`,
  AlterObjectSchemaStmt: (b) => `ALTER ${objectWords(field(b, 'objectType'))} SET SCHEMA`,
  AlterOperatorStmt: 'ALTER OPERATOR',
  AlterOpFamilyStmt: 'ALTER OPERATOR FAMILY',
  AlterOwnerStmt: (b) => `ALTER ${objectWords(field(b, 'objectType'))} OWNER TO`,
  AlterPolicyStmt: 'ALTER POLICY',
  AlterPublicationStmt: 'ALTER PUBLICATION',
  AlterRoleSetStmt: 'ALTER ROLE SET',
  AlterRoleStmt: 'ALTER ROLE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  AlterStatsStmt: 'ALTER STATISTICS',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION',
  AlterSystemStmt: 'ALTER SYSTEM',
  AlterTableMoveAllStmt: (b) => `ALTER ${objectWords(field(b, 'objtype'))} ALL IN TABLESPACE`,
  AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
  AlterTableStmt: (b) => `ALTER ${objectWords(field(b, 'objtype') ?? 'OBJECT_TABLE')}`,
  AlterTSConfigurationStmt: 'ALTER TEXT SEARCH CONFIGURATION',
  AlterTSDictionaryStmt: 'ALTER TEXT SEARCH DICTIONARY',
  AlterTypeStmt: 'ALTER TYPE',
  AlterUserMappingStmt: 'ALTER USER MAPPING',
  CallStmt: 'CALL',
  CheckPointStmt: 'CHECKPOINT',
  ClosePortalStmt: 'CLOSE',
  ClusterStmt: 'CLUSTER',
  CommentStmt: 'COMMENT',
  CompositeTypeStmt: 'CREATE TYPE',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
  CopyStmt: 'COPY',
  CreateAmStmt: 'CREATE ACCESS METHOD',
  CreateCastStmt: 'CREATE CAST',
  CreateConversionStmt: 'CREATE CONVERSION',
  CreatedbStmt: 'CREATE DATABASE',
  CreateDomainStmt: 'CREATE DOMAIN',
  CreateEnumStmt: 'CREATE TYPE',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER',
  CreateForeignServerStmt: 'CREATE SERVER',
  CreateForeignTableStmt: 'CREATE FOREIGN TABLE',
  CreateFunctionStmt: (b) => (flag(b, 'is_procedure') ? 'CREATE PROCEDURE' : 'CREATE FUNCTION'),
  CreateOpClassStmt: 'CREATE OPERATOR CLASS',
  CreateOpFamilyStmt: 'CREATE OPERATOR FAMILY',
  CreatePLangStmt: 'CREATE LANGUAGE',
  CreatePolicyStmt: 'CREATE POLICY',
  CreatePublicationStmt: 'CREATE PUBLICATION',
  CreateRangeStmt: 'CREATE TYPE',
  CreateRoleStmt: (b) =>
    field(b, 'stmt_type') === 'ROLESTMT_USER'
      ? 'CREATE USER'
      : field(b, 'stmt_type') === 'ROLESTMT_GROUP'
        ? 'CREATE GROUP'
        : 'CREATE ROLE',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateSeqStmt: 'CREATE SEQUENCE',
  CreateStatsStmt: 'CREATE STATISTICS',
  CreateStmt: 'CREATE TABLE',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION',
  CreateTableAsStmt: (b) =>
    field(b, 'objtype') === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  CreateTransformStmt: 'CREATE TRANSFORM',
  CreateTrigStmt: (b) => (flag(b, 'isconstraint') ? 'CREATE CONSTRAINT TRIGGER' : 'CREATE TRIGGER'),
  CreateUserMappingStmt: 'CREATE USER MAPPING',
  DeallocateStmt: 'DEALLOCATE',
  DeclareCursorStmt: 'DECLARE',
  // CREATE AGGREGATE / OPERATOR / TYPE / COLLATION / TEXT SEARCH …, told apart by `kind`.
  DefineStmt: (b) => `CREATE ${objectWords(field(b, 'kind'))}`,
  DeleteStmt: 'DELETE',
  DiscardStmt: 'DISCARD',
  DoStmt: 'DO',
  DropdbStmt: 'DROP DATABASE',
  DropOwnedStmt: 'DROP OWNED',
  DropRoleStmt: 'DROP ROLE',
  DropStmt: (b) => `DROP ${objectWords(field(b, 'removeType'))}`,
  DropSubscriptionStmt: 'DROP SUBSCRIPTION',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  DropUserMappingStmt: 'DROP USER MAPPING',
  ExecuteStmt: 'EXECUTE',
  ExplainStmt: 'EXPLAIN',
  FetchStmt: (b) => (flag(b, 'ismove') ? 'MOVE' : 'FETCH'),
  GrantRoleStmt: (b) => (flag(b, 'is_grant') ? 'GRANT' : 'REVOKE'),
  GrantStmt: (b) => (flag(b, 'is_grant') ? 'GRANT' : 'REVOKE'),
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA',
  IndexStmt: 'CREATE INDEX',
  InsertStmt: 'INSERT',
  ListenStmt: 'LISTEN',
  LoadStmt: 'LOAD',
  LockStmt: 'LOCK TABLE',
  MergeStmt: 'MERGE',
  NotifyStmt: 'NOTIFY',
  PrepareStmt: 'PREPARE',
  ReassignOwnedStmt: 'REASSIGN OWNED',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  ReindexStmt: 'REINDEX',
  RenameStmt: (b) => `ALTER ${objectWords(field(b, 'renameType'))} RENAME`,
  ReplicaIdentityStmt: 'ALTER TABLE REPLICA IDENTITY',
  RuleStmt: 'CREATE RULE',
  SecLabelStmt: 'SECURITY LABEL',
  SelectStmt: 'SELECT',
  TransactionStmt: (b) => TRANSACTION_WORDS[field(b, 'kind') ?? ''] ?? 'BEGIN',
  TruncateStmt: 'TRUNCATE',
  UnlistenStmt: 'UNLISTEN',
  UpdateStmt: 'UPDATE',
  VacuumStmt: (b) => (flag(b, 'is_vacuumcmd') ? 'VACUUM' : 'ANALYZE'),
  VariableSetStmt: (b) => (String(b['kind'] ?? '').startsWith('VAR_RESET') ? 'RESET' : 'SET'),
  VariableShowStmt: 'SHOW',
  ViewStmt: 'CREATE VIEW',
};

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** The command a statement node stands for, as the user wrote it: `DefineStmt` → `CREATE AGGREGATE`. */
export function statementWords(type: string, body: Body): string {
  const words = STATEMENT_WORDS[type];
  if (typeof words === 'function') return words(body);
  if (words) return words;
  // A node type newer than this table: its name split into words is the best guess left.
  return (
    type
      .replace(/Stmt$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase() || 'EMPTY STATEMENT'
  );
}

/** ALTER TABLE subcommands (`AT_ReplicaIdentity`) as written, for notes about them. */
const ALTER_TABLE_WORDS: Record<string, string> = {
  AT_AddInherit: 'INHERIT',
  AT_AddOf: 'OF',
  AT_AlterColumnGenericOptions: 'ALTER COLUMN … OPTIONS',
  AT_AlterConstraint: 'ALTER CONSTRAINT',
  AT_ChangeOwner: 'OWNER TO',
  AT_ClusterOn: 'CLUSTER ON',
  AT_DisableRowSecurity: 'DISABLE ROW LEVEL SECURITY',
  AT_DisableRule: 'DISABLE RULE',
  AT_DropCluster: 'SET WITHOUT CLUSTER',
  AT_DropInherit: 'NO INHERIT',
  AT_DropOf: 'NOT OF',
  AT_DropOids: 'SET WITHOUT OIDS',
  AT_EnableAlwaysRule: 'ENABLE ALWAYS RULE',
  AT_EnableReplicaRule: 'ENABLE REPLICA RULE',
  AT_EnableRowSecurity: 'ENABLE ROW LEVEL SECURITY',
  AT_EnableRule: 'ENABLE RULE',
  AT_ForceRowSecurity: 'FORCE ROW LEVEL SECURITY',
  AT_GenericOptions: 'OPTIONS',
  AT_NoForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY',
  AT_ReplicaIdentity: 'REPLICA IDENTITY',
  AT_ResetOptions: 'ALTER COLUMN … RESET',
  AT_ResetRelOptions: 'RESET',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
  AT_SetCompression: 'ALTER COLUMN … SET COMPRESSION',
  AT_SetIdentity: 'ALTER COLUMN … SET (identity options)',
  AT_SetLogged: 'SET LOGGED',
  AT_SetOptions: 'ALTER COLUMN … SET',
  AT_SetRelOptions: 'SET',
  AT_SetStatistics: 'ALTER COLUMN … SET STATISTICS',
  AT_SetStorage: 'ALTER COLUMN … SET STORAGE',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetUnLogged: 'SET UNLOGGED',
};

/**
 * An `alter table other` subtype as the user wrote it: `AT_ReplicaIdentity` → `ALTER TABLE …
 * REPLICA IDENTITY`, `OBJECT_VIEW` (ALTER VIEW … SET, OWNER, …) → `ALTER VIEW`.
 */
export function alterSubtypeWords(subtype: string): string {
  if (subtype.startsWith('AT_'))
    return `ALTER TABLE … ${
      ALTER_TABLE_WORDS[subtype] ??
      subtype
        .slice(3)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toUpperCase()
    }`;
  if (subtype.startsWith('OBJECT_')) return `ALTER ${objectWords(subtype)}`;
  return subtype;
}
