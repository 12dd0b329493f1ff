/**
 * The MySQL planner's pieces that need no server: statements cut into clauses as written,
 * ALGORITHM/LOCK pins, column definitions restated, the online schema change tools' command
 * lines (no password on them), and what the plan contract accepts for MySQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load.js';
import { planSchema } from '../../../src/core/plan-schema.js';
import type { Column } from '../../../src/core/snapshot.js';
import { loadMysqlParser, parseMysql } from '../../../src/dialects/mysql/parser.js';
import { mysqlPlannerDialect } from '../../../src/dialects/mysql/plan-sql.js';
import { columnDefinition, editDefinition, sameType } from '../../../src/dialects/mysql/plan/definition.js';
import { columnClauseOf, pinnedStatement } from '../../../src/dialects/mysql/plan/statement.js';
import { online } from '../../../src/dialects/mysql/safe-sql/online.js';
import { toolRun } from '../../../src/dialects/mysql/osc/args.js';
import { defaultsFileText, toolArgv, toolCommandLine } from '../../../src/dialects/mysql/osc/run.js';
import { mysqlQuoter } from '../../../src/dialects/mysql/quote.js';

beforeAll(loadMysqlParser);

const ast = (sql: string) => parseMysql(sql, 'm.sql').statements[0]?.ast;
const planner = mysqlPlannerDialect('shop');
const q = mysqlQuoter('shop');

describe('an ALTER TABLE cut into its clauses, as written', () => {
  const sql =
    'ALTER TABLE users ADD COLUMN a int, ALGORITHM=INPLACE, MODIFY n bigint NOT NULL DEFAULT 0, LOCK=NONE, ADD INDEX users_a (a)';

  it('maps each Change to the clause it comes from (a MODIFY makes several)', () => {
    const tree = ast(sql);
    const kinds = planner.lower(tree, 'shop').map((c) => c.kind);
    expect(kinds).toEqual(['add column', 'alter column type', 'set not null', 'set default', 'create index']);
    expect(kinds.map((_k, i) => planner.actionOf?.(tree, i))).toEqual([0, 1, 1, 1, 2]);
    expect(planner.alterTableAction(tree, 1)).toBe('ALTER TABLE users MODIFY n bigint NOT NULL DEFAULT 0');
    expect(planner.alterTableAction(tree, 2)).toBe('ALTER TABLE users ADD INDEX users_a (a)');
  });

  it('leaves comments out, so the pin appended to a clause is never commented away', () => {
    const tree = ast('ALTER TABLE users ADD COLUMN a int -- why\n, DROP COLUMN b');
    expect(pinnedStatement(tree, 0, { algorithm: 'INSTANT', lock: null })).toBe(
      'ALTER TABLE users ADD COLUMN a int, ALGORITHM=INSTANT',
    );
  });

  it("replaces the user's ALGORITHM/LOCK with the plan's, and gives DROP INDEX the ALTER TABLE form", () => {
    const pin = { algorithm: 'INPLACE', lock: 'NONE' } as const;
    expect(
      pinnedStatement(ast('CREATE UNIQUE INDEX u ON users (email) ALGORITHM=COPY LOCK=SHARED'), null, pin),
    ).toBe('CREATE UNIQUE INDEX u ON users (email) ALGORITHM=INPLACE LOCK=NONE');
    // MariaDB 10.11 refuses ALGORITHM on DROP INDEX … ON (a syntax error), not on ALTER TABLE.
    expect(pinnedStatement(ast('DROP INDEX `u i` ON shop.users'), null, pin)).toBe(
      'ALTER TABLE shop.users DROP INDEX `u i`, ALGORITHM=INPLACE, LOCK=NONE',
    );
  });

  it("parses MariaDB's ALGORITHM=NOCOPY, which plans write (node-sql-parser knows only MySQL's algorithms)", () => {
    for (const sql of [
      'ALTER TABLE users ADD INDEX i (a), ALGORITHM=NOCOPY, LOCK=NONE',
      'CREATE INDEX i ON users (a) ALGORITHM=NOCOPY LOCK=NONE',
    ])
      expect(planner.lower(ast(sql), 'shop')).toEqual([
        expect.objectContaining({ kind: 'create index', algorithm: 'NOCOPY', lock: 'NONE' }),
      ]);
  });

  it('reads a column clause: name, definition, position', () => {
    const tree = ast(
      'ALTER TABLE t ADD COLUMN `my col` int NOT NULL AFTER `b`, CHANGE old `new` varchar(10) FIRST, ADD INDEX i (a)',
    );
    expect(columnClauseOf(tree, 0)).toEqual({
      column: 'my col',
      definition: 'int NOT NULL',
      position: 'AFTER `b`',
    });
    expect(columnClauseOf(tree, 1)).toEqual({ column: 'new', definition: 'varchar(10)', position: 'FIRST' });
    expect(columnClauseOf(tree, 2)).toBeNull();
  });
});

describe('column definitions', () => {
  const column: Column = {
    name: 'email',
    type: 'varchar(100)',
    nullable: false,
    default: "'x'",
    identity: null,
    generated: null,
    collation: 'utf8mb4_general_ci',
    charset: 'utf8mb4',
    comment: "it's",
  };

  it("restates a catalog column whole, MariaDB's default spellings kept or wrapped", () => {
    expect(columnDefinition(q, column)).toBe(
      "varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'x' COMMENT 'it''s'",
    );
    expect(
      columnDefinition(q, {
        ...column,
        type: 'char(36)',
        charset: undefined,
        collation: null,
        default: 'uuid()',
        comment: null,
      }),
    ).toBe('char(36) NOT NULL DEFAULT (uuid())');
    expect(
      columnDefinition(q, {
        ...column,
        type: 'timestamp',
        charset: undefined,
        collation: null,
        default: 'current_timestamp()',
        onUpdate: 'current_timestamp()',
        comment: null,
      }),
    ).toBe('timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()');
  });

  it("edits the user's definition in one place, leaving the rest as written", () => {
    expect(
      editDefinition("char(36) NOT NULL DEFAULT (uuid()) COMMENT 'DEFAULT 1'", {
        dropDefault: true,
        nullable: true,
      }),
    ).toBe("char(36) NULL COMMENT 'DEFAULT 1'");
    expect(editDefinition("varchar(5) DEFAULT 'a b' NOT NULL", { dropDefault: true })).toBe(
      'varchar(5) NOT NULL',
    );
    expect(editDefinition('int', { nullable: true })).toBe('int');
    expect(editDefinition('timestamp', { nullable: true })).toBe('timestamp NULL');
  });

  it('compares catalog and written types by what they are', () => {
    expect(sameType('int(11)', 'INT')).toBe(true);
    expect(sameType('int(10) unsigned', 'int unsigned')).toBe(true);
    expect(sameType('decimal(10,0)', 'dec')).toBe(true);
    expect(sameType('tinyint(1)', 'boolean')).toBe(true);
    expect(sameType('int(11)', 'bigint')).toBe(false);
    expect(sameType('varchar(20)', 'varchar(40)')).toBe(false);
  });
});

describe('ALGORITHM/LOCK pins', () => {
  const mariadb = 101106;
  const mysql = 80400;
  it('the strongest the facts allow; unmeasured: in place without a lock', () => {
    expect(online.pinFor(undefined, mariadb)).toEqual({ algorithm: 'INPLACE', lock: 'NONE' });
    expect(online.pinFor({ algorithm: 'INSTANT', blocksWrites: false }, mysql)).toEqual({
      algorithm: 'INSTANT',
      lock: null,
    });
    expect(online.pinFor({ algorithm: 'NOCOPY', blocksWrites: false }, mariadb)).toEqual({
      algorithm: 'NOCOPY',
      lock: 'NONE',
    });
    // MySQL has no NOCOPY: the same change is INPLACE there.
    expect(online.pinFor({ algorithm: 'NOCOPY', blocksWrites: false }, mysql)).toEqual({
      algorithm: 'INPLACE',
      lock: 'NONE',
    });
    expect(online.pinFor({ algorithm: 'INPLACE', blocksWrites: true }, mariadb)).toEqual({
      algorithm: 'INPLACE',
      lock: 'SHARED',
    });
    expect(online.pinFor({ algorithm: 'COPY', blocksWrites: true }, mariadb)).toEqual({
      algorithm: 'COPY',
      lock: 'SHARED',
    });
  });

  it('instant column changes by version (MariaDB 10.4, MySQL 8.0.29)', () => {
    expect(online.instant(100311).addColumn).toBe(false);
    expect(online.instant(100400).addColumn).toBe(true);
    expect(online.instant(80028)).toEqual({ addColumn: false, dropColumn: false, renameColumn: true });
    expect(online.instant(80029)).toEqual({ addColumn: true, dropColumn: true, renameColumn: true });
  });

  it('renames with RENAME COLUMN where the server has it, else CHANGE with the definition', () => {
    expect(online.renameColumn(q, 'a', 'b', 'int NULL', 100502)).toBe('RENAME COLUMN `a` TO `b`');
    expect(online.renameColumn(q, 'a', 'b', 'int NULL', 100406)).toBe('CHANGE `a` `b` int NULL');
  });
});

describe('online schema change tool runs', () => {
  const spec = {
    table: 'shop.users',
    defaultSchema: 'shop',
    alter: 'MODIFY n bigint',
    lockWaitSeconds: 2,
    rows: 10,
  };
  const target = { host: 'db.internal', port: 3307, user: 'deploy', database: 'shop_staging' };

  it('pt-online-schema-change: throttled, the DSN from the target, the password only in the defaults file', () => {
    const run = toolRun({ ...spec, name: 'pt-online-schema-change' });
    expect(run).toMatchObject({ database: null, table: 'users', alter: 'MODIFY n bigint' });
    expect(run.args).toEqual(
      expect.arrayContaining([
        '--execute',
        '--max-load=Threads_running=25',
        '--critical-load=Threads_running=100',
        '--chunk-time=0.5',
      ]),
    );
    expect(run.args.join(' ')).toMatch(/--set-vars=lock_wait_timeout=2\b/);
    const { command, args } = toolArgv(run, target, '/tmp/x/my.cnf');
    expect(command).toBe('pt-online-schema-change');
    // A plan made on `shop` runs on the database the deploy connects to.
    expect(args.at(-1)).toBe('h=db.internal,P=3307,u=deploy,D=shop_staging,t=users');
    expect(args).toContain('--defaults-file=/tmp/x/my.cnf');
    expect(
      defaultsFileText({
        ...target,
        password: 's3"cr\\et',
        tls: 'disabled',
        connectTimeoutSeconds: undefined,
      }),
    ).toBe('[client]\nuser="deploy"\npassword=\'s3"cr\\\\et\'\n');
  });

  it('gh-ost: throttled and cut over with a bounded lock wait; the command line people run by hand', () => {
    const run = toolRun({ ...spec, table: 'other.users', name: 'gh-ost' });
    expect(run.database).toBe('other');
    expect(run.args).toEqual(
      expect.arrayContaining(['--cut-over-lock-timeout-seconds=2', '--max-load=Threads_running=25']),
    );
    expect(toolCommandLine(run, { host: 'h', port: 3306 })).toBe(
      `gh-ost --conf=my.cnf --host=h --port=3306 --database=other --table=users '--alter=MODIFY n bigint' ${run.args.join(' ')}`,
    );
  });
});

describe('MySQL plans in the plan contract', () => {
  const step = {
    id: 'expand-1',
    phase: 'expand',
    description: 'd',
    asWritten: false,
    sql: ['ALTER TABLE `users` MODIFY n bigint'],
    transactional: false,
    lock: { table: 'shop.users', mode: 'SHARED_WRITE' },
    estimatedMs: 1,
    lockTimeoutMs: 2000,
    statementTimeoutMs: 0,
    retry: {
      maxAttempts: 5,
      backoffMs: 500,
      maxBackoffMs: 10_000,
      retryOn: ['1205', '1213'],
    },
    rollback: [],
    reversible: true,
    destroysData: false,
    preChecks: [],
    postChecks: [],
    tool: {
      name: 'pt-online-schema-change',
      database: null,
      table: 'users',
      alter: 'MODIFY n bigint',
      args: ['--execute'],
    },
    source: 0,
  };
  const plan = {
    formatVersion: 1,
    dialect: 'mysql',
    serverMajor: 101106,
    sourceSchemaHash: null,
    options: {
      batchSize: 5000,
      batchPauseMs: 100,
      lockTimeoutMs: 2000,
      statementTimeoutMs: 30000,
      longStatementTimeoutMs: 0,
      archive: false,
    },
    sources: [{ file: 'm.sql', line: 1, sql: 'x' }],
    steps: [step],
    rollbackComplexity: 1,
    recommendedApproach: '',
    warnings: [],
  };

  it('takes MySQL version keys, error numbers and tool steps', () => {
    expect(planSchema.safeParse(plan).success).toBe(true);
  });

  it('refuses a version key of the other dialect, and an argument with a line break', () => {
    expect(planSchema.safeParse({ ...plan, dialect: 'postgres' }).error?.issues[0]?.path).toEqual([
      'serverMajor',
    ]);
    const broken = { ...plan, steps: [{ ...step, tool: { ...step.tool, args: ['--execute\n--dry-run'] } }] };
    expect(planSchema.safeParse(broken).success).toBe(false);
  });
});

describe('the mysql section of the config', () => {
  it('takes a tool or none, and says what it takes otherwise', () => {
    expect(
      validateConfig({ mysql: { onlineSchemaChange: 'gh-ost' } }, 'c.json', []).mysql.onlineSchemaChange,
    ).toBe('gh-ost');
    expect(validateConfig({}, 'c.json', []).mysql.onlineSchemaChange).toBe('pt-online-schema-change');
    expect(() => validateConfig({ mysql: { onlineSchemaChange: 'pt-osc' } }, 'c.json', [])).toThrow(
      'c.json: "mysql.onlineSchemaChange" must be one of "pt-online-schema-change", "gh-ost", "none", got "pt-osc"',
    );
    expect(() => validateConfig({ mysql: { tool: 'none' } }, 'c.json', [])).toThrow(
      'unknown key "mysql.tool"',
    );
  });
});
