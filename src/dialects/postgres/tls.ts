/**
 * libpq's sslmode values turned into the `pg` driver's TLS options ourselves. Handed the string,
 * the driver treats prefer, require and verify-ca as verify-full and prints a "SECURITY WARNING"
 * about it on every run; libpq's documented meanings are:
 * https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION
 *
 * - disable: no TLS.
 * - allow: no TLS; TLS if the server refuses the connection without it.
 * - prefer: TLS without verification; no TLS if the server does not offer it.
 * - require: TLS without verification (verify-ca when sslrootcert names a file, as libpq does).
 * - verify-ca: TLS, the certificate must chain to sslrootcert (or the system's CAs).
 * - verify-full: verify-ca, and the certificate must name the host we connect to.
 *
 * Without sslmode in the string or PGSSLMODE, no TLS (what schemapilot always did; libpq's own
 * default is prefer, which a man in the middle can downgrade anyway).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { InputError } from '../../core/errors.js';
import { SSL_MODES, type ConnInfo, type SslMode } from './conninfo.js';

export interface TlsSetting {
  ssl: false | ConnectionOptions;
  /** For a fallback: whether the previous attempt's error is the one that calls for it. */
  when: (error: unknown) => boolean;
}

const always = () => true;

export function tlsAttempts(info: ConnInfo, source?: string, env = process.env): TlsSetting[] {
  const from = source === undefined ? '' : `${source}: `;
  const fromEnv = env['PGSSLMODE'];
  if (
    info.sslmode === undefined &&
    fromEnv !== undefined &&
    !(SSL_MODES as readonly string[]).includes(fromEnv)
  )
    throw new InputError(`PGSSLMODE must be one of ${SSL_MODES.join(', ')}; got "${fromEnv}"`);
  const mode: SslMode = info.sslmode ?? (fromEnv as SslMode | undefined) ?? 'disable';
  const rootcert = info.sslrootcert ?? env['PGSSLROOTCERT'];
  const file = (option: string, path: string | undefined): string | undefined => {
    if (path === undefined || path === '') return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new InputError(
        `${from}${option} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
  };
  if (rootcert === 'system' && mode !== 'verify-full')
    throw new InputError(`${from}sslrootcert=system needs sslmode=verify-full (got ${mode}), as in libpq`);
  const ca = rootcert === 'system' ? undefined : file('sslrootcert', rootcert);
  const client: ConnectionOptions = {};
  const cert = file('sslcert', info.sslcert ?? env['PGSSLCERT']);
  const key = file('sslkey', info.sslkey ?? env['PGSSLKEY']);
  if (cert !== undefined) client.cert = cert;
  if (key !== undefined) client.key = key;
  if (info.sslpassword !== undefined) client.passphrase = info.sslpassword;

  const encryptOnly: ConnectionOptions = { ...client, rejectUnauthorized: false };
  const chain: ConnectionOptions = {
    ...client,
    rejectUnauthorized: true,
    ...(ca !== undefined ? { ca } : {}),
    // verify-ca: the chain is checked, the name is not.
    checkServerIdentity: () => undefined,
  };
  // pg hands TLS the host it connects to, which Node checks the certificate's names against;
  // with hostaddr that is an address, and libpq checks the name given as host instead.
  const name =
    info.hostaddr !== undefined && info.host !== undefined
      ? { host: info.host, ...(isIP(info.host) ? {} : { servername: info.host }) }
      : {};
  const full: ConnectionOptions = {
    ...client,
    rejectUnauthorized: true,
    ...(ca !== undefined ? { ca } : {}),
    ...name,
  };
  switch (mode) {
    case 'disable':
      return [{ ssl: false, when: always }];
    case 'allow':
      // Retried with TLS only when the server's pg_hba.conf refuses unencrypted connections.
      return [
        { ssl: false, when: always },
        { ssl: encryptOnly, when: (e) => /no encryption/i.test(messageOf(e)) },
      ];
    case 'prefer':
      return [
        { ssl: encryptOnly, when: always },
        { ssl: false, when: (e) => /does not support SSL/i.test(messageOf(e)) },
      ];
    case 'require':
      return [{ ssl: ca !== undefined ? chain : encryptOnly, when: always }];
    case 'verify-ca':
      return [{ ssl: chain, when: always }];
    case 'verify-full':
      return [{ ssl: full, when: always }];
  }
}

function messageOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const own = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${own} ${cause.message}` : own;
}
