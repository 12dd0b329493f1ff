import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, redactUrl } from '../../../src/core/errors.js';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import { parseMysqlUrl } from '../../../src/dialects/mysql/url.js';
import { adminRun, describeMysql, withDatabase } from './support.js';

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port, database and ssl', () => {
    expect(parseMysqlUrl('mysql://app:s%40cret@db.example:3307/shop?ssl=true')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 's@cret',
      database: 'shop',
      tls: 'verify-identity',
      connectTimeoutSeconds: undefined,
    });
    expect(parseMysqlUrl('mariadb://root@127.0.0.1/test')).toMatchObject({ port: 3306, tls: 'disabled' });
    expect(parseMysqlUrl('mysql://u@h/d?ssl-mode=REQUIRED&connect_timeout=3')).toMatchObject({
      tls: 'required',
      connectTimeoutSeconds: 3,
    });
  });

  it('refuses what it cannot honour, in one line without the password', () => {
    for (const url of [
      'mysql://u:hunter22@h/d?sslmode=verify-full',
      'mysql://u:hunter22@h/d?ssl=maybe',
      'mysql://u:hunter22@h:99999/d',
      'mysql://u:hunter22@h/a/b',
      'postgres://u:hunter22@h/d',
    ]) {
      const error = catchSync(() => parseMysqlUrl(url, '--db'));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^--db: /);
      expect(error.message).not.toContain('hunter22');
      expect(error.message).not.toContain('\n');
    }
  });
});

describe('connectMysql without a server', () => {
  let silent: Server;
  let silentPort = 0;
  beforeAll(async () => {
    // Accepts connections and never says a word: a stuck proxy, or a server that is not MySQL.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('a refused connection', async () => {
    // Port 1 on localhost: nothing listens there.
    const error = await failure('mysql://app:hunter22@127.0.0.1:1/shop');
    expect(error.message).toBe(
      'cannot connect to app@127.0.0.1:1/shop: connection refused (is the server running and listening on that port?)',
    );
  });

  it('an unknown host', async () => {
    const error = await failure('mysql://app:hunter22@no-such-host.invalid/shop');
    expect(error.message).toMatch(
      /^cannot connect to app@no-such-host\.invalid:3306\/shop: host "no-such-host\.invalid" not found$/,
    );
  });

  it('a server that never greets within the connect timeout', async () => {
    const started = Date.now();
    const error = await failure(`mysql://app:hunter22@127.0.0.1:${silentPort}/shop`, 300);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(/accepted the connection but sent no MySQL greeting within 0\.3 s/);
  });
});

describeMysql('connectMysql against the server', (serverUrl) => {
  const user = `sp_user_${process.pid}`;
  beforeAll(() =>
    adminRun(serverUrl, [
      `DROP USER IF EXISTS '${user}'@'%'`,
      `DROP USER IF EXISTS '${user}'@'localhost'`,
      `CREATE USER '${user}'@'%' IDENTIFIED BY 'right-password-1'`,
      `CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right-password-1'`,
      `GRANT SELECT ON test.* TO '${user}'@'%'`,
      `GRANT SELECT ON test.* TO '${user}'@'localhost'`,
    ]),
  );
  afterAll(() =>
    adminRun(serverUrl, [`DROP USER IF EXISTS '${user}'@'%'`, `DROP USER IF EXISTS '${user}'@'localhost'`]),
  );
  const host = new URL(serverUrl).host;

  it('opens a session whose pid is CONNECTION_ID() and knows the product', async () => {
    const session = await connectMysql(serverUrl);
    try {
      const [row] = await session.rows<{ id: number }>('SELECT CONNECTION_ID() AS id');
      expect(session.pid).toBe(Number(row?.id));
      expect(session.dialect).toBe('mysql');
      expect(['mysql', 'mariadb']).toContain(session.version.product);
    } finally {
      await session.close();
    }
  });

  it('a read-only session refuses writes', async () => {
    const session = await connectMysql(serverUrl, { readOnly: true });
    try {
      await expect(session.rows('CREATE TABLE sp_never (id int)')).rejects.toThrow(/READ ONLY/i);
      // MariaDB before 11.1 names it tx_read_only; MySQL 8 transaction_read_only.
      const variable = session.version.product === 'mariadb' ? 'tx_read_only' : 'transaction_read_only';
      const [row] = await session.rows<{ ro: number }>(`SELECT @@SESSION.${variable} AS ro`);
      expect(Number(row?.ro)).toBe(1);
      // The server-side statement timeout is the query timeout (60 s by default).
      const timeout = session.version.product === 'mariadb' ? 'max_statement_time' : 'max_execution_time';
      const [limit] = await session.rows<{ v: string }>(`SELECT @@SESSION.${timeout} AS v`);
      expect(Number(limit?.v)).toBe(session.version.product === 'mariadb' ? 60 : 60_000);
      expect(session.deadlineMs).toBeGreaterThan(60_000);
    } finally {
      await session.close();
    }
  });

  it('a query that outlives the client deadline closes the connection in one line', async () => {
    const session = await connectMysql(serverUrl);
    session.deadlineMs = 200;
    try {
      await expect(session.rows('SELECT SLEEP(3)')).rejects.toThrow(
        /did not answer a query within 0\.2 s \(SELECT SLEEP\(3\)…\); .* connection was closed$/,
      );
      await expect(session.rows('SELECT 1')).rejects.toThrow();
    } finally {
      await session.close();
    }
  });

  it('a wrong password', async () => {
    const u = new URL(serverUrl);
    const error = await failure(`mysql://${user}:wrong-password-9@${u.host}/test`);
    expect(error.message).toBe(
      `cannot connect to ${user}@${u.hostname}:${u.port || 3306}/test: access denied for user "${user}" (wrong password, or no such user for this host)`,
    );
    expect(error.message).not.toContain('wrong-password-9');
  });

  it('the right password for that user works', async () => {
    const session = await connectMysql(`mysql://${user}:right-password-1@${host}/test`);
    await session.close();
  });

  it('an unknown database', async () => {
    const error = await failure(withDatabase(serverUrl, 'sp_no_such_db'));
    expect(error.message).toMatch(/: database "sp_no_such_db" does not exist$/);
  });
});

async function failure(url: string, connectTimeoutMs?: number): Promise<InputError> {
  try {
    const session = await connectMysql(url, { connectTimeoutMs });
    await session.close();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('hunter22');
    expect(redactUrl(e.message)).toBe(e.message);
    return e;
  }
  throw new Error(`connecting to ${url} succeeded`);
}

function catchSync(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}
