/**
 * Connection strings as libpq reads them, in both of its forms: URLs
 * (`postgres://user:password@host:port/dbname?sslmode=require`) and keyword/value pairs
 * (`host=db port=5432 dbname=app user=me password='s3cret word' sslmode=require`).
 * https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING
 *
 * We parse them ourselves instead of handing them to the `pg` driver, because the driver
 * rejects what libpq accepts (a raw space or `!` in a URL's password, keyword strings), echoes
 * the whole string, password included, when it cannot parse it, and maps every sslmode to full
 * verification with a warning on stderr. Every error here quotes the string with its passwords
 * removed, and names the option at fault.
 */
import { InputError, redactConnectionString } from '../../core/errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface ConnInfo {
  form: 'url' | 'keywords';
  host?: string;
  /** A numeric address to connect to instead of looking `host` up. */
  hostaddr?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  sslpassword?: string;
  /** libpq's connect_timeout, in seconds (0: wait forever, as libpq). */
  connectTimeoutSeconds?: number;
  applicationName?: string;
  fallbackApplicationName?: string;
  /** Command-line options for the server, `-c name=value …`. */
  options?: string;
  clientEncoding?: string;
  keepalives?: boolean;
  keepalivesIdleSeconds?: number;
}

/** The options we honour, by libpq keyword. */
const SETTERS: Record<string, (info: ConnInfo, value: string, fail: (why: string) => never) => void> = {
  host: (i, v) => (i.host = v),
  hostaddr: (i, v) => (i.hostaddr = v),
  port: (i, v, fail) => (i.port = port(v, fail)),
  dbname: (i, v) => (i.database = v),
  user: (i, v) => (i.user = v),
  password: (i, v) => (i.password = v),
  sslmode: (i, v, fail) => (i.sslmode = sslmode(v, fail)),
  sslrootcert: (i, v) => (i.sslrootcert = v),
  sslcert: (i, v) => (i.sslcert = v),
  sslkey: (i, v) => (i.sslkey = v),
  sslpassword: (i, v) => (i.sslpassword = v),
  connect_timeout: (i, v, fail) => (i.connectTimeoutSeconds = seconds('connect_timeout', v, fail)),
  application_name: (i, v) => (i.applicationName = v),
  fallback_application_name: (i, v) => (i.fallbackApplicationName = v),
  options: (i, v) => (i.options = v),
  client_encoding: (i, v) => (i.clientEncoding = v),
  keepalives: (i, v) => (i.keepalives = v !== '0'),
  keepalives_idle: (i, v, fail) => (i.keepalivesIdleSeconds = seconds('keepalives_idle', v, fail)),
  // Accepted and left to the operating system's defaults: they tune, they do not change meaning.
  keepalives_interval: () => undefined,
  keepalives_count: () => undefined,
  tcp_user_timeout: () => undefined,
  // libpq's defaults, which are what we do anyway; other values would need what we lack.
  gssencmode: (_, v, fail) => void (v === 'require' && fail('gssencmode=require is not supported')),
  target_session_attrs: (_, v, fail) =>
    void (v !== 'any' && fail(`target_session_attrs=${v} is not supported (one host only)`)),
};

/** libpq keywords we know but cannot honour: refused by name rather than silently ignored. */
const UNSUPPORTED = new Set([
  'service',
  'passfile',
  'channel_binding',
  'require_auth',
  'requirepeer',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'sslcompression',
  'sslcertmode',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'sslnegotiation',
  'load_balance_hosts',
  'replication',
]);

/**
 * Parse a connection string. Throws an InputError naming `source` (the flag or variable it
 * came from), the string without its passwords, and what is wrong.
 */
export function parseConnectionString(text: string, source?: string): ConnInfo {
  const fail = (why: string): never => {
    const from = source === undefined ? '' : `${source}: `;
    throw new InputError(`${from}invalid database URL "${redactConnectionString(text)}": ${why}`);
  };
  const trimmed = text.trim();
  if (trimmed === '') fail('it is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (scheme) {
    const name = (scheme[1] ?? '').toLowerCase();
    if (name !== 'postgres' && name !== 'postgresql')
      fail(`scheme must be postgres:// or postgresql://, got ${name}://`);
    return parseUrl(trimmed.slice(scheme[0].length), fail);
  }
  if (!trimmed.includes('='))
    fail('expected postgres://user@host:port/database or libpq key=value pairs (host=… dbname=…)');
  return parseKeywords(trimmed, fail);
}

/** libpq's URI rules: userinfo ends at the first `@` before a `/`; values are percent-decoded. */
function parseUrl(rest: string, fail: (why: string) => never): ConnInfo {
  const info: ConnInfo = { form: 'url' };
  let p = rest;
  const at = p.search(/[@/]/);
  if (at >= 0 && p[at] === '@') {
    const userinfo = p.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, 'user name', fail);
    if (user) info.user = user;
    if (colon >= 0) {
      const password = decode(userinfo.slice(colon + 1), 'password', fail);
      if (password) info.password = password;
    }
    p = p.slice(at + 1);
  }
  const hostEnd = p.search(/[/?]/);
  const netloc = hostEnd < 0 ? p : p.slice(0, hostEnd);
  p = hostEnd < 0 ? '' : p.slice(hostEnd);
  if (netloc.includes(',')) fail('several hosts are not supported; give one');
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(netloc);
  const [hostText, portText] = bracket
    ? [bracket[1] ?? '', bracket[2]]
    : netloc.includes(':')
      ? [netloc.slice(0, netloc.lastIndexOf(':')), netloc.slice(netloc.lastIndexOf(':') + 1)]
      : [netloc, undefined];
  if (/\s/.test(hostText)) fail('the host name holds a space');
  const host = decode(hostText, 'host', fail);
  if (host) info.host = host;
  if (portText !== undefined && portText !== '') info.port = port(portText, fail);
  if (p.startsWith('/')) {
    const end = p.indexOf('?');
    const database = decode(end < 0 ? p.slice(1) : p.slice(1, end), 'database name', fail);
    if (database) info.database = database;
    p = end < 0 ? '' : p.slice(end);
  }
  if (p.startsWith('?')) {
    let afterPassword = false;
    for (const pair of p.slice(1).split('&')) {
      if (pair === '') continue;
      // After password=, a stray piece is most likely the rest of it (a raw &): never quote it.
      const stray = (why: string): never =>
        fail(afterPassword ? 'a password holding & or = must be percent-encoded (%26, %3D)' : why);
      const eq = pair.indexOf('=');
      if (eq < 0) stray(`query parameter "${pair.slice(0, 40)}" has no "="`);
      let key = decode(pair.slice(0, eq), 'query parameter', fail);
      let value = decode(pair.slice(eq + 1), `${key} value`, fail);
      // libpq reads the JDBC spelling ssl=true as sslmode=require.
      if (key === 'ssl' && value === 'true') [key, value] = ['sslmode', 'require'];
      if (afterPassword && !SETTERS[key]) stray('');
      set(info, key, value, fail, 'query parameter');
      afterPassword = /^(ssl)?password$/.test(key);
    }
  }
  return info;
}

/** libpq's keyword rules: `key = value`, values single-quoted or not, `\` escapes one character. */
function parseKeywords(text: string, fail: (why: string) => never): ConnInfo {
  const info: ConnInfo = { form: 'keywords' };
  let i = 0;
  // After an unquoted password, a stray word is most likely the rest of it: never quote it.
  let afterPassword = false;
  const stray = (why: string): never =>
    fail(afterPassword ? "a password with spaces must be quoted: password='…'" : why);
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    const keyStart = i;
    while (i < text.length && !/[\s=]/.test(text[i] ?? '')) i++;
    const key = text.slice(keyStart, i);
    skipSpace();
    if (text[i] !== '=') stray(`missing "=" after "${key.slice(0, 40)}"`);
    if (afterPassword && !SETTERS[key] && !UNSUPPORTED.has(key)) stray('');
    i++;
    skipSpace();
    let value = '';
    const quoted = text[i] === "'";
    if (quoted) {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted string');
        const c = text[i] ?? '';
        if (c === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < text.length && !/\s/.test(text[i] ?? '')) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
    }
    set(info, key, value, fail, 'option');
    afterPassword = !quoted && /^(ssl)?password$/.test(key);
  }
  return info;
}

function set(
  info: ConnInfo,
  key: string,
  value: string,
  fail: (why: string) => never,
  what: 'option' | 'query parameter',
): void {
  const setter = SETTERS[key];
  if (setter) return setter(info, value, fail);
  if (UNSUPPORTED.has(key)) fail(`connection ${what} "${key}" is not supported`);
  fail(`invalid connection ${what} "${key.slice(0, 40)}"`);
}

function decode(text: string, what: string, fail: (why: string) => never): string {
  try {
    const decoded = decodeURIComponent(text);
    if (decoded.includes('\0')) fail(`the ${what} holds a NUL byte (%00)`);
    return decoded;
  } catch (error) {
    if (error instanceof InputError) throw error;
    return fail(`the ${what} has an invalid percent-encoding (write % as %25)`);
  }
}

function port(text: string, fail: (why: string) => never): number {
  const digits = /^\d+$/.test(text);
  const n = digits ? Number(text) : NaN;
  // Only digits are quoted back: anything else after a colon may be a piece of a password
  // whose `/` or `@` moved the boundaries (postgres://user:pa/ss@host).
  if (!(n >= 1 && n <= 65535))
    fail(`port ${digits ? `${text.slice(0, 10)} ` : ''}must be a number from 1 to 65535`);
  return n;
}

function sslmode(text: string, fail: (why: string) => never): SslMode {
  if ((SSL_MODES as readonly string[]).includes(text)) return text as SslMode;
  return fail(`sslmode must be one of ${SSL_MODES.join(', ')}; got "${text.slice(0, 20)}"`);
}

function seconds(key: string, text: string, fail: (why: string) => never): number {
  if (!/^\s*\d+\s*$/.test(text)) fail(`${key} must be a whole number of seconds; got "${text.slice(0, 20)}"`);
  return Number(text);
}

/** `host:port/database` for messages: never the user or the password. */
export function describeConnInfo(info: ConnInfo, env: NodeJS.ProcessEnv = process.env): string {
  const host = info.host || info.hostaddr || env['PGHOST'] || 'localhost';
  const port = info.port ?? (Number(env['PGPORT']) || 5432);
  const database = info.database || env['PGDATABASE'] || '(default database)';
  return `${host}:${port}/${database}`;
}

/** The same connection string, in the same form, pointing at another database. */
export function withDatabase(text: string, database: string): string {
  const info = parseConnectionString(text);
  if (info.form === 'keywords') return `${text.trim()} dbname=${quoteKeywordValue(database)}`;
  const trimmed = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(trimmed)?.[0] ?? 'postgres://';
  const rest = trimmed.slice(scheme.length);
  const at = rest.search(/[@/]/);
  const userEnd = at >= 0 && rest[at] === '@' ? at + 1 : 0;
  const after = rest.slice(userEnd);
  const hostEnd = after.search(/[/?]/);
  const netloc = hostEnd < 0 ? after : after.slice(0, hostEnd);
  const tail = hostEnd < 0 ? '' : after.slice(hostEnd);
  const query = tail.includes('?') ? tail.slice(tail.indexOf('?')) : '';
  return `${scheme}${rest.slice(0, userEnd)}${netloc}/${encodeURIComponent(database)}${query}`;
}

function quoteKeywordValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The libpq environment for a child process (pg_dump, psql) that should connect where `info`
 * points: the password travels in PGPASSWORD, never on a command line where `ps` shows it.
 */
export function libpqEnvironment(info: ConnInfo): Record<string, string> {
  const env: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') env[name] = String(value);
  };
  put('PGHOST', info.host);
  put('PGPORT', info.port);
  put('PGDATABASE', info.database);
  put('PGUSER', info.user);
  put('PGPASSWORD', info.password);
  put('PGSSLMODE', info.sslmode);
  put('PGSSLROOTCERT', info.sslrootcert);
  put('PGSSLCERT', info.sslcert);
  put('PGSSLKEY', info.sslkey);
  put('PGCONNECT_TIMEOUT', info.connectTimeoutSeconds);
  put('PGAPPNAME', info.applicationName);
  put('PGOPTIONS', info.options);
  put('PGCLIENTENCODING', info.clientEncoding);
  return env;
}

/** `host:port/database` of a connection string without user or password, for messages. */
export function describeTarget(url: string, source?: string): string {
  return describeConnInfo(parseConnectionString(url, source));
}
