/**
 * MySQL/MariaDB scratch servers (src/dialects/mysql/scratch): a throwaway mariadbd from the
 * installed binaries, scratch databases on a --dev-url server, copies of a database (MySQL has
 * no CREATE DATABASE … TEMPLATE), and cleanup: on close, on SIGINT/SIGTERM, and of what a
 * SIGKILLed run left. The kill tests use a private throwaway server as their dev server: on the
 * shared one, any other test's validate run reaps this host's dead scratch databases too (as it
 * should), and the leftovers they inspect could vanish between two steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMysql } from '../../../../src/dialects/mysql/connect.js';
import {
  mysqlScratch,
  mysqlScratchWith,
  NO_SCRATCH_SERVER,
  versionWarning,
} from '../../../../src/dialects/mysql/scratch/provider.js';
import {
  findMariadbBinaries,
  startThrowawayMariadb,
  type ThrowawayServer,
} from '../../../../src/dialects/mysql/scratch/throwaway.js';
import { withScratch } from '../../../../src/validate/scratch.js';
import { adminRun, describeMysql } from '../support.js';
import { eventually, running, serverDirsOf } from '../../../support/scratch-processes.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

async function databases(url: string): Promise<string[]> {
  const session = await connectMysql(url);
  try {
    return (
      await session.rows<{ n: string }>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA')
    ).map((r) => r.n);
  } finally {
    await session.close();
  }
}

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const session = await connectMysql(url);
  try {
    return await session.rows<Row>(sql);
  } finally {
    await session.close();
  }
}

describe('versionWarning', () => {
  it('is silent within one release series and names both products otherwise', () => {
    expect(versionWarning(101106, 101119, 'x')).toBeUndefined();
    expect(versionWarning(null, 101119, 'x')).toBeUndefined();
    expect(versionWarning(80400, 101119, 'a throwaway MariaDB 10.11.19')).toMatch(
      /^validating on a throwaway MariaDB 10\.11\.19: the migration targets MySQL 8\.4 /,
    );
    expect(versionWarning(100611, 101119, 'x')).toContain('targets MariaDB 10.6');
  });
});

describe('without a dev URL or MariaDB binaries', () => {
  it('says in one line what to pass', async () => {
    const error = await mysqlScratchWith(null)
      .open({ major: 101100 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(NO_SCRATCH_SERVER);
    expect((error as { exitCode?: number }).exitCode).toBe(2);
    expect(NO_SCRATCH_SERVER).toContain('--dev-url mysql://');
    expect(findMariadbBinaries(['/nonexistent'])).toBeUndefined();
  });
});

describe.runIf(findMariadbBinaries() !== undefined)('throwaway MariaDB scratch server', () => {
  it('starts from the installed binaries, serves scratch databases, and close removes it', async () => {
    const server = await mysqlScratch.open({ major: 80400 });
    const dirs = serverDirsOf('schemapilot-mariadb-', process.pid);
    try {
      expect(server.kind).toBe('embedded');
      expect(server.title).toMatch(/^MariaDB \d+\.\d+\.\d+$/);
      expect(server.major).toBeGreaterThanOrEqual(100000);
      // The migration targets MySQL 8.4: validating on MariaDB must say so.
      expect(server.warning).toContain('targets MySQL 8.4');
      expect(dirs).toHaveLength(1);
      const db = await server.createDatabase();
      expect(db.name).toMatch(new RegExp(`^schemapilot_scratch_${process.pid}_[0-9a-f]+$`));
      expect(new URL(db.url).hostname).toBe('127.0.0.1');
      const plugin = await query<{ s: string }>(
        db.url,
        "SELECT PLUGIN_STATUS AS s FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO'",
      );
      expect(plugin).toEqual([{ s: 'ACTIVE' }]);
      // Only our user gets in: root has no password over TCP there.
      const port = new URL(db.url).port;
      await expect(connectMysql(`mysql://root@127.0.0.1:${port}/`)).rejects.toThrow(/access denied/);
    } finally {
      await server.close();
    }
    expect(dirs.every((d) => !existsSync(d))).toBe(true);
    await server.close(); // idempotent
  });
});

describeMysql('dev-url scratch server', (serverUrl) => {
  it('creates databases with a marker, copies one with its rows, views and triggers, and drops them', async () => {
    const server = await mysqlScratch.open({ major: null, devUrl: serverUrl });
    try {
      expect(server.kind).toBe('dev-url');
      const db = await server.createDatabase();
      const marker = await query<{ c: string }>(
        serverUrl,
        `SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db.name}' AND TABLE_NAME = '_schemapilot_scratch'`,
      );
      expect(marker[0]?.c).toContain(`"pid":${process.pid}`);
      await adminRun(db.url, [
        'CREATE TABLE p (id int PRIMARY KEY AUTO_INCREMENT, name varchar(20), doubled int AS (id * 2) VIRTUAL)',
        'CREATE TABLE c (id int PRIMARY KEY, p_id int NOT NULL, FOREIGN KEY (p_id) REFERENCES p (id))',
        'CREATE TABLE audit (n int)',
        // An explicit 0 kept as 0: the copy must keep it too.
        "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')",
        "INSERT INTO p (id, name) VALUES (0, 'zero'), (7, 'seven')",
        'INSERT INTO c VALUES (1, 7)',
        `CREATE VIEW v AS SELECT p.name FROM \`${db.name}\`.p JOIN c ON c.p_id = p.id`,
        'CREATE TRIGGER t_audit AFTER INSERT ON p FOR EACH ROW INSERT INTO audit VALUES (NEW.id)',
      ]);
      const copy = await server.createDatabase(db.name);
      expect(await query(copy.url, 'SELECT id, name, doubled FROM p ORDER BY id')).toEqual([
        { id: 0, name: 'zero', doubled: 0 },
        { id: 7, name: 'seven', doubled: 14 },
      ]);
      // The copy's view reads the copy, not the original; the trigger did not fire while copying.
      expect(await query(copy.url, 'SELECT name FROM v')).toEqual([{ name: 'seven' }]);
      const view = await query<{ d: string }>(
        serverUrl,
        `SELECT VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '${copy.name}'`,
      );
      expect(view[0]?.d).toContain(copy.name);
      expect(view[0]?.d).not.toContain(db.name);
      expect(await query(copy.url, 'SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: '0' }]);
      await adminRun(copy.url, ["INSERT INTO p (name) VALUES ('next')"]);
      expect(await query(copy.url, 'SELECT n FROM audit')).toEqual([{ n: 8 }]);

      await copy.drop();
      expect(await databases(serverUrl)).not.toContain(copy.name);
      const left = await server.createDatabase();
      await server.close();
      const after = await databases(serverUrl);
      expect(after).not.toContain(db.name);
      expect(after).not.toContain(left.name);
    } finally {
      await server.close();
    }
  });

  it('withScratch drops the databases when the work throws, and a bad copy says which', async () => {
    let name = '';
    await expect(
      withScratch(mysqlScratch, { major: null, devUrl: serverUrl }, async (server) => {
        name = (await server.createDatabase()).name;
        await server.createDatabase('sp_no_such_database_here');
      }),
    ).rejects.toThrow(/could not create a scratch database as a copy of sp_no_such_database_here/);
    expect(name).not.toBe('');
    expect(await databases(serverUrl)).not.toContain(name);
  });

  it('never prints the password of the URL', async () => {
    const error = await mysqlScratch
      .open({ major: null, devUrl: 'mysql://someone:hunter2secret@127.0.0.1:1/' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cannot connect to someone@127\.0\.0\.1:1/);
    expect((error as Error).message).not.toContain('hunter2secret');
  });
});

interface Child {
  child: ChildProcess;
  info: { throwawayDb: string; devDb: string };
  stderr: () => string;
}

async function startChild(devUrl: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/dialects/mysql/validate/scratch-child.ts'],
    {
      cwd: root,
      env: { ...process.env, SCRATCH_DEV_URL: devUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<Child['info']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready after 60 s: ${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && out.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Child['info']);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before ready: ${err}`));
    });
  });
  return { child, info, stderr: () => err };
}

function serverPidOf(dir: string): number {
  return Number(readFileSync(join(dir, 'mariadbd.pid'), 'utf8').trim());
}

describe.runIf(findMariadbBinaries() !== undefined)('scratch cleanup [private throwaway dev server]', () => {
  let dev: ThrowawayServer | undefined;
  beforeAll(async () => {
    const binaries = findMariadbBinaries();
    if (binaries) dev = await startThrowawayMariadb(binaries);
  }, 120_000);
  afterAll(async () => {
    await dev?.stop();
  });
  const devUrl = (): string => {
    if (!dev) throw new Error('private dev server did not start');
    return dev.url;
  };

  it(
    'the next run reaps what a SIGKILLed run left (throwaway server, dev database)',
    { timeout: 180_000 },
    async () => {
      const url = devUrl();
      const { child, info } = await startChild(url);
      const pid = child.pid ?? 0;
      const dirs = serverDirsOf('schemapilot-mariadb-', pid);
      expect(dirs).toHaveLength(1);
      const dir = dirs[0] ?? '';
      const serverPid = serverPidOf(dir);

      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(existsSync(dir)).toBe(true);
      expect(running(serverPid)).toBe(true);
      expect(await databases(url)).toContain(info.devDb);

      // Same dead pid, made on another machine sharing the dev server: must be kept.
      const foreign = `schemapilot_scratch_${pid}_0abc0def`;
      await adminRun(url, [
        `CREATE DATABASE ${foreign}`,
        `CREATE TABLE ${foreign}._schemapilot_scratch (id int) COMMENT 'schemapilot scratch database {"host":"another-machine","pid":${pid}}'`,
      ]);
      const server = await mysqlScratch.open({ major: null, devUrl: url });
      await server.close();
      expect(existsSync(dir)).toBe(false);
      expect(await eventually(() => !running(serverPid))).toBe(true);
      const left = await databases(url);
      expect(left).not.toContain(info.devDb);
      expect(left).toContain(foreign);
      await adminRun(url, [`DROP DATABASE ${foreign}`]);
    },
  );

  it('warns once when the dev server cannot show metadata locks', async () => {
    const url = devUrl();
    await adminRun(url, ["UNINSTALL SONAME 'metadata_lock_info'"]);
    try {
      const warnings: string[] = [];
      const server = await mysqlScratch.open({
        major: null,
        devUrl: url,
        onWarning: (m) => warnings.push(m),
      });
      await server.close();
      expect(warnings).toEqual([
        expect.stringMatching(
          /^metadata locks are not measured on MariaDB [\d.]+ \(schemapilot@127\.0\.0\.1:\d+\): the plugin metadata_lock_info is not active/,
        ),
      ]);
      expect(server.warning).toBe(warnings[0]);
    } finally {
      await adminRun(url, ["INSTALL SONAME 'metadata_lock_info'"]);
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} closes everything and exits ${code}`, { timeout: 120_000 }, async () => {
      const url = devUrl();
      const { child, info, stderr } = await startChild(url);
      const dirs = serverDirsOf('schemapilot-mariadb-', child.pid ?? 0);
      expect(dirs).toHaveLength(1);
      const dir = dirs[0] ?? '';
      const serverPid = serverPidOf(dir);
      expect(await databases(url)).toContain(info.devDb);

      child.kill(signal);
      const [exitCode] = (await once(child, 'exit')) as [number | null, string | null];
      expect(exitCode, stderr()).toBe(code);
      expect(existsSync(dir)).toBe(false);
      expect(running(serverPid)).toBe(false);
      expect(await databases(url)).not.toContain(info.devDb);
    });
  }
});
