/**
 * Errors that reach the user. Every error carries the exit code the CLI should use, and a
 * message that fits on one line and never contains a password (see `redactUrl`).
 */

/** Exit codes shared by every command, so CI can tell "unsafe" from "you called me wrong". */
export const ExitCode = {
  ok: 0,
  /** The change is not safe to deploy, or a finding at error severity was raised. */
  unsafe: 1,
  /** Bad input, bad flags, unreachable database: nothing was applied anywhere. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class SchemapilotError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SchemapilotError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

/** Input the user gave us is wrong: a file, a flag, a URL. Always exit code 2. */
export class InputError extends SchemapilotError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
    this.name = 'InputError';
  }
}

/** A position in a source file, 1-based, as editors and `file:line:column` expect. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A syntax or semantic problem at a known place in a file: printed as `file:line:column: message`. */
export class SourceError extends InputError {
  readonly position: SourcePosition;
  constructor(position: SourcePosition, message: string) {
    super(`${position.file}:${position.line}:${position.column}: ${message}`);
    this.name = 'SourceError';
    this.position = position;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Hide passwords in text that may quote a connection string: URL userinfo, `password=` in a
 * query string or a libpq `key=value` string (quoted or not), anywhere in the text, and any
 * secret registered with `registerSecret`. Applied to every message we print, including error
 * messages from drivers; errors we build ourselves quote connection strings through
 * `redactConnectionString` first, which knows where a lone string's password ends.
 */
export function redactUrl(text: string): string {
  let out = text
    // A quoted connection string ("…" as our messages quote them): its password may hold spaces.
    .replace(/"([a-z][a-z0-9+.-]*:\/\/[^"\n]*)"/gi, (_, url: string) => `"${redactConnectionString(url)}"`)
    // A bare URL: the password runs to the last @ before whitespace or a quote.
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*):([^\s"']*)@/gi, '$1:***@')
    .replace(/([?&](?:ssl)?(?:password|pass|pwd)=)[^&\s"']*/gi, '$1***')
    .replace(KEYWORD_PASSWORD, '$1***');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * `password = value` or `password='quoted \' value'` in a libpq keyword string; what sticks to
 * a closing quote goes too (`'it''s'` is not libpq's escape, but it is the user's password).
 */
const KEYWORD_PASSWORD = /(\b(?:ssl)?password\s*=\s*)(?:'(?:\\.|[^'\\])*'?\S*|(?:\\.|[^\s\\])+)/gi;

/**
 * One connection string (a URL or libpq `key=value` pairs) with its passwords replaced by
 * `***`, whatever its shape, including strings no parser accepts: a raw space, `@` or `/` in
 * the password, a bad port. Errs on hiding too much: in a URL everything between `user:` and
 * the last `@` goes.
 */
export function redactConnectionString(text: string): string {
  const url = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(text.trim());
  if (url) {
    const [, scheme = '', rest = ''] = url;
    const at = rest.lastIndexOf('@');
    let redacted = rest;
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      redacted = colon >= 0 ? `${userinfo.slice(0, colon)}:***${rest.slice(at)}` : rest;
    }
    redacted = redacted.replace(/([?&](?:ssl)?(?:password|pass|pwd)=)[^&]*/gi, '$1***');
    return `${scheme}${redacted}`;
  }
  return text.replace(LONE_KEYWORD_PASSWORD, '$1***');
}

/**
 * In a lone keyword string an unquoted password may hold spaces libpq would refuse: the words
 * after it, up to the next `key=`, are taken as part of it.
 */
const LONE_KEYWORD_PASSWORD = new RegExp(
  `${KEYWORD_PASSWORD.source}(?:\\s+(?![A-Za-z_][A-Za-z0-9_]*\\s*=)\\S+)*`,
  'gi',
);

/**
 * Register every password a connection string may hold, before anything parses it: the
 * userinfo's (up to the last `@`, as `redactConnectionString` reads it), `password=` in its
 * query string, and `password=` / `sslpassword=` of a keyword string, percent-decoded or not.
 * A driver that echoes part of a malformed string then still cannot print the password.
 */
export function registerConnectionSecrets(text: string): void {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([\s\S]*)$/i.exec(text.trim());
  const found: string[] = [];
  if (url) {
    const rest = url[1] ?? '';
    const userinfo = rest.slice(0, Math.max(0, rest.lastIndexOf('@')));
    const colon = userinfo.indexOf(':');
    if (colon >= 0) found.push(userinfo.slice(colon + 1));
    for (const m of rest.matchAll(/[?&](?:ssl)?(?:password|pass|pwd)=([^&]*)/gi)) found.push(m[1] ?? '');
  } else {
    for (const m of text.matchAll(KEYWORD_PASSWORD)) {
      const value = m[0].slice((m[1] ?? '').length);
      found.push(value.startsWith("'") ? value.slice(1).replace(/'$/, '').replace(/\\(.)/g, '$1') : value);
    }
  }
  for (const secret of found) {
    registerSecret(secret);
    try {
      registerSecret(decodeURIComponent(secret));
    } catch {
      // not percent-encoded: registered as it is
    }
  }
}

const secrets = new Set<string>();

/**
 * Remember a secret (a password parsed from a connection string, an API key) so that
 * `redactUrl` removes it from any message, whatever surrounds it. Short values are ignored:
 * hiding every "a" in a message would help no one.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}
