/**
 * Connection strings as users write them, parsed as libpq reads them, and every way one can be
 * wrong: the error is one line, says what is wrong, and never holds the password or a piece of
 * it, whatever the shape of the string (URL userinfo, query string, keyword pairs, quoted or
 * not). No database needed: a string that fails to parse never reaches the network.
 */
import { describe, expect, it } from 'vitest';
import { InputError, redactConnectionString, redactUrl } from '../../src/core/errors.js';
import { checkConnectionString } from '../../src/cli/io.js';
import { connectMysql } from '../../src/dialects/mysql/connect.js';
import { parseMysqlUrl } from '../../src/dialects/mysql/url.js';
import { connectPostgres } from '../../src/dialects/postgres/connect.js';
import {
  libpqEnvironment,
  parseConnectionString,
  withDatabase,
} from '../../src/dialects/postgres/conninfo.js';
import { BAD_CONNECTION_STRINGS, GOOD_CONNECTION_STRINGS } from './support/catalog.js';

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text, `"${secret}" leaked`).not.toContain(secret);
}

describe('malformed connection strings', () => {
  for (const bad of BAD_CONNECTION_STRINGS) {
    it(`refuses ${redactConnectionString(bad.input)}`, async () => {
      let error: unknown;
      try {
        if (bad.refusedBy === 'cli') checkConnectionString(bad.input, '--db');
        else if (bad.refusedBy === 'mysql') parseMysqlUrl(bad.input, '--db');
        else parseConnectionString(bad.input, '--db');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      const message = (error as Error).message;
      expect(message).toMatch(/^--db: invalid database URL "/);
      expect(message).toMatch(bad.reason);
      expect(message).not.toContain('\n');
      expectNoSecret(message, bad.secrets);
      // Connecting fails the same way, before any network traffic.
      const connect = bad.refusedBy === 'mysql' ? connectMysql : connectPostgres;
      const connecting = await connect(bad.input).catch((e: unknown) => e);
      expect(connecting).toBeInstanceOf(InputError);
      expectNoSecret((connecting as Error).message, bad.secrets);
    });
  }
});

describe('strings libpq accepts', () => {
  for (const good of GOOD_CONNECTION_STRINGS) {
    it(`reads ${redactConnectionString(good.input)}`, () => {
      expect(parseConnectionString(good.input)).toMatchObject(good.expect);
    });
  }

  it('withDatabase points either form at another database, keeping the rest', () => {
    expect(withDatabase('postgres://u:p@h:5/old?sslmode=disable', 'new db')).toBe(
      'postgres://u:p@h:5/new%20db?sslmode=disable',
    );
    const keywords = withDatabase("host=h password='a b' dbname=old", "o'ther");
    expect(parseConnectionString(keywords)).toMatchObject({ host: 'h', password: 'a b', database: "o'ther" });
  });

  it('gives child processes the connection through libpq variables', () => {
    const env = libpqEnvironment(
      parseConnectionString("host=db port=6000 dbname=app user=me password='s3 cret' sslmode=require"),
    );
    expect(env).toEqual({
      PGHOST: 'db',
      PGPORT: '6000',
      PGDATABASE: 'app',
      PGUSER: 'me',
      PGPASSWORD: 's3 cret',
      PGSSLMODE: 'require',
    });
  });
});

describe('redaction of text that quotes connection strings', () => {
  const cases: { text: string; secrets: string[] }[] = [
    { text: 'cannot use "postgres://a:Spaced Secret!@db/x" here', secrets: ['Spaced Secret!', 'Secret!'] },
    { text: 'error at postgres://user:N0-spaces@db:5432/app: refused', secrets: ['N0-spaces'] },
    { text: 'see postgres://u@h/db?sslmode=require&password=QueryPass1 now', secrets: ['QueryPass1'] },
    { text: 'conninfo host=h password=Kw-Secret1 dbname=x failed', secrets: ['Kw-Secret1'] },
    { text: "conninfo host=h password = 'Quoted Secret2' dbname=x", secrets: ['Quoted Secret2', 'Secret2'] },
    { text: "host=h password='esc\\'aped-Secret3' user=u", secrets: ['aped-Secret3'] },
    { text: "host=h sslpassword='Key Pass4'", secrets: ['Key Pass4', 'Pass4'] },
  ];
  for (const { text, secrets } of cases)
    it(`hides the password in: ${text.slice(0, 40)}…`, () => expectNoSecret(redactUrl(text), secrets));

  it('keeps what is not a secret: host, port, database, user', () => {
    expect(redactConnectionString('postgres://alice:pw-xyz@db.example:6432/app?sslmode=require')).toBe(
      'postgres://alice:***@db.example:6432/app?sslmode=require',
    );
    expect(redactConnectionString('host=db user=alice password=pw-xyz dbname=app')).toBe(
      'host=db user=alice password=*** dbname=app',
    );
  });
});
