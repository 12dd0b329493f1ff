import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError, redactConnectionString, redactUrl, registerConnectionSecrets } from '../core/errors.js';
import { DEFAULT_DIALECT, dialectOfUrl, knownFileExtensions, knownUrlSchemes } from '../dialects/index.js';
import { fsErrorWords } from '../core/fs-errors.js';
import { painterFor, plainPainter, type Painter } from '../reporters/ansi.js';

/**
 * `--db`, else DATABASE_URL, else a usage error saying both. The string is checked here, before
 * anything is read, so a bad one is an error naming where it came from, without its password.
 */
export function resolveDbUrl(flag: string | undefined, required = true): string | undefined {
  const url = flag ?? process.env['DATABASE_URL'];
  if ((url === undefined || url === '') && required) {
    throw new InputError(
      'no database given: pass --db postgres://user@host:port/database (or mysql://…) or set DATABASE_URL',
    );
  }
  if (url === undefined || url === '') return undefined;
  return checkConnectionString(url, flag !== undefined ? '--db' : 'DATABASE_URL');
}

/** A connection string from `source` (a flag or variable), checked; its passwords are never printed. */
export function checkConnectionString(url: string, source: string): string {
  registerConnectionSecrets(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim())?.[1];
  const dialect = dialectOfUrl(url);
  if (scheme !== undefined && !dialect)
    throw new InputError(
      `${source}: invalid database URL "${redactConnectionString(url.trim())}": schemapilot connects to ${knownUrlSchemes().join(', ')} URLs${knownFileExtensions().length > 0 ? ` and ${knownFileExtensions().join('/')} files` : ''}, not ${scheme.toLowerCase()}://`,
    );
  // The driver reads the string as it will when connecting: a bad one is an InputError naming `source`.
  (dialect ?? DEFAULT_DIALECT).driver?.describeTarget(url, source);
  return url;
}

/**
 * Print to stdout, or write to `--output FILE`. Takes a string or pieces of one (a big JSON
 * snapshot is written piece by piece, never held as one string); ends with a newline.
 */
export function emit(text: string | Iterable<string>, outputPath: string | undefined): void {
  const pieces = typeof text === 'string' ? [text] : text;
  let last = '';
  if (outputPath === undefined) {
    for (const piece of pieces) {
      if (piece.length > 0) process.stdout.write(piece);
      last = piece || last;
    }
    if (!last.endsWith('\n')) process.stdout.write('\n');
    return;
  }
  let fd: number;
  try {
    fd = openSync(outputPath, 'w');
  } catch (error) {
    throw new InputError(`--output ${outputPath}: cannot write: ${fsErrorWords(error)}`);
  }
  try {
    for (const piece of pieces) {
      if (piece.length > 0) writeSync(fd, piece);
      last = piece || last;
    }
    if (!last.endsWith('\n')) writeSync(fd, '\n');
  } catch (error) {
    // A full disk (ENOSPC, /dev/full) or a quota is the user's to fix, not an internal error.
    throw new InputError(`--output ${outputPath}: cannot write: ${fsErrorWords(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** Validate a choice flag with the flag named in the error. */
export function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${flag} must be one of ${choices.join(', ')}; got "${value}"`);
}

/** Colour only when the text goes to a terminal. */
export function painterForOutput(outputPath: string | undefined): Painter {
  return outputPath === undefined ? painterFor(process.stdout) : plainPainter;
}

/** A note or warning on stderr, one line, passwords and keys removed (it may quote an error). */
export function printNote(kind: 'note' | 'warning', text: string): void {
  process.stderr.write(`schemapilot: ${kind}: ${redactUrl(text).replace(/\s*\n\s*/g, ' ')}\n`);
}
