/**
 * sslmode as libpq defines it, against a server that speaks TLS with a self-signed certificate
 * for `localhost` (a TLS front for the real server) and against the real server without TLS:
 * require encrypts without checking, verify-ca checks the chain, verify-full also the name,
 * prefer falls back to plain, disable never asks. The driver's "SECURITY WARNING" about
 * treating them all as verify-full is never printed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres } from '../../src/dialects/postgres/connect.js';
import { runCli } from '../support/cli.js';
import { describePg } from '../support/pg.js';
import { SSL_CASES } from './support/catalog.js';
import { startTlsProxy, type TlsProxy } from './support/net.js';

describePg('sslmode', (target) => {
  let proxy: TlsProxy;
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);

  beforeAll(async () => {
    proxy = await startTlsProxy(target.url);
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await proxy?.close();
  });

  /** target.url through the TLS front, on `host`, with these query parameters. */
  const via = (host: string, params: string) => {
    const u = new URL(target.url);
    u.hostname = host;
    u.port = String(proxy.port);
    return `${u.toString()}?${params}`;
  };
  const plain = (params: string) => `${target.url}?${params}`;

  const works = async (url: string) => {
    const client = await connectPostgres(url);
    try {
      const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
      return rows[0]?.one;
    } finally {
      await client.end();
    }
  };
  const refusal = (url: string) =>
    connectPostgres(url).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );

  it(SSL_CASES[0], async () => {
    const before = proxy.tlsSessions;
    expect(await works(via('127.0.0.1', 'sslmode=require'))).toBe(1);
    expect(proxy.tlsSessions).toBe(before + 1);
    expect(await refusal(plain('sslmode=require'))).toMatch(
      /the server does not support SSL, but sslmode=require needs it/,
    );
  });

  it(SSL_CASES[1], async () => {
    expect(await works(via('127.0.0.1', `sslmode=verify-ca&sslrootcert=${proxy.certFile}`))).toBe(1);
    expect(await refusal(via('127.0.0.1', 'sslmode=verify-ca'))).toMatch(/certificate was refused/);
  });

  it(SSL_CASES[2], async () => {
    expect(await works(via('localhost', `sslmode=verify-full&sslrootcert=${proxy.certFile}`))).toBe(1);
    // The certificate names localhost, not 127.0.0.1.
    expect(await refusal(via('127.0.0.1', `sslmode=verify-full&sslrootcert=${proxy.certFile}`))).toMatch(
      /certificate was refused .*(IP|altnames|does not match)/,
    );
    expect(await refusal(via('localhost', 'sslmode=verify-full'))).toMatch(/certificate was refused/);
  });

  it(SSL_CASES[3], async () => {
    const tls = proxy.tlsSessions;
    const plainBefore = proxy.plainSessions;
    expect(await works(via('127.0.0.1', 'sslmode=prefer'))).toBe(1);
    expect(proxy.tlsSessions).toBe(tls + 1);
    expect(await works(plain('sslmode=prefer'))).toBe(1);
    expect(await works(via('127.0.0.1', 'sslmode=disable'))).toBe(1);
    expect(proxy.tlsSessions).toBe(tls + 1);
    expect(proxy.plainSessions).toBe(plainBefore + 1);
  });

  it(
    SSL_CASES[4],
    async () => {
      expect(warnings.filter((w) => /SECURITY WARNING|sslmode/i.test(w))).toEqual([]);
      const result = await runCli(['inspect', '--db', via('127.0.0.1', 'sslmode=require')]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
    },
    60_000,
  );
});
