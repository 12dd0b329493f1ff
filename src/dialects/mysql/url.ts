/**
 * `mysql://` and `mariadb://` connection URLs: user, password, host, port, database and a few
 * query parameters. Parameters we do not know are refused rather than ignored: a user who
 * wrote `?sslmode=verify-full` (PostgreSQL's spelling) must not get an unencrypted
 * connection silently.
 */
import { userInfo } from 'node:os';
import { InputError, redactConnectionString } from '../../core/errors.js';

/** TLS as asked for: off, encrypt only, or encrypt and check the certificate (and the host name). */
export type MysqlTls = 'disabled' | 'required' | 'verify-ca' | 'verify-identity';

export interface MysqlConnInfo {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  /** The database (MySQL's schema) to use; undefined when the URL has none. */
  database: string | undefined;
  tls: MysqlTls;
  /** `?connect_timeout=` in seconds, when given. */
  connectTimeoutSeconds: number | undefined;
}

/**
 * `ssl=` takes booleans as most MySQL URL readers do (true checks the certificate and host, as
 * `sslmode=verify-full` does for PostgreSQL); `ssl-mode=` takes the mysql client's own
 * `--ssl-mode` values for users who want to say exactly what they mean.
 */
const SSL_VALUES: Record<string, MysqlTls> = {
  true: 'verify-identity',
  '1': 'verify-identity',
  false: 'disabled',
  '0': 'disabled',
};
const SSL_MODES: Record<string, MysqlTls> = {
  disabled: 'disabled',
  required: 'required',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-identity',
};

export function isMysqlUrl(text: string): boolean {
  return /^(mysql|mariadb):\/\//i.test(text.trim());
}

export function parseMysqlUrl(text: string, source?: string): MysqlConnInfo {
  const where = source ? `${source}: ` : '';
  const shown = redactConnectionString(text.trim());
  const bad = (why: string) =>
    // Worded as PostgreSQL's (conninfo.ts), so a script matching one matches both.
    new InputError(`${where}invalid database URL "${shown}": ${why}`);
  if (!isMysqlUrl(text)) throw bad('it must start with mysql:// or mariadb://');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw bad('expected mysql://user@host:port/database (with the password after "user:"), port 1-65535');
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw bad(`the ${what} has a malformed %-escape`);
    }
  };
  const port = url.port === '' ? 3306 : Number(url.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw bad(`port ${url.port} is out of range`);
  const path = url.pathname.replace(/^\//, '');
  if (path.includes('/')) throw bad('the path must be a single database name');
  let tls: MysqlTls = 'disabled';
  let connectTimeoutSeconds: number | undefined;
  for (const [key, value] of url.searchParams) {
    const k = key.toLowerCase();
    const v = value.toLowerCase();
    if (k === 'ssl') {
      const mode = SSL_VALUES[v];
      if (!mode)
        throw bad(`ssl=${value}: expected true or false (or ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY)`);
      tls = mode;
    } else if (k === 'ssl-mode' || k === 'ssl_mode' || k === 'sslmode') {
      const mode = SSL_MODES[v];
      if (!mode) throw bad(`${key}=${value}: expected DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY`);
      tls = mode;
    } else if (k === 'connect_timeout' || k === 'connecttimeout') {
      if (!/^\d+$/.test(value)) throw bad(`${key}=${value}: expected whole seconds`);
      connectTimeoutSeconds = Number(value);
    } else {
      throw bad(`unknown parameter "${key}" (known: ssl, ssl-mode, connect_timeout)`);
    }
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port,
    // Without a user the mysql client logs in as the operating system user; so do we.
    user: url.username === '' ? userInfo().username : decode(url.username, 'user name'),
    password: url.password === '' ? undefined : decode(url.password, 'password'),
    database: path === '' ? undefined : decode(path, 'database name'),
    tls,
    connectTimeoutSeconds,
  };
}

/** `user@host:port/database`: what messages name, never the password. */
export function describeMysqlConnInfo(info: MysqlConnInfo): string {
  const host = info.host.includes(':') ? `[${info.host}]` : info.host;
  return `${info.user}@${host}:${info.port}${info.database === undefined ? '' : `/${info.database}`}`;
}

export function describeMysqlTarget(url: string, source?: string): string {
  return describeMysqlConnInfo(parseMysqlUrl(url, source));
}
