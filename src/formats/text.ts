/**
 * Migration files as text. Editors on Windows save UTF-8 with a byte order mark; PostgreSQL would
 * read it as part of the first keyword, and our markers (`-- migrate:up`) would not match on the
 * first line, so it is dropped on reading. Columns stay right: editors do not count it either.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError, SourceError } from '../core/errors.js';
import { fsErrorWords } from '../core/fs-errors.js';

const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

export function hasBom(text: string): boolean {
  return text.startsWith(BOM);
}

/** A file's text without its byte order mark, read within maxInputBytes() and checked to be UTF-8. */
export function readSql(path: string): string {
  return stripBom(decodeSql(readBounded(path), path));
}

const DEFAULT_MAX_INPUT_MB = 100;

/**
 * The most bytes one input may have: SCHEMAPILOT_MAX_INPUT_MB (default 100). Migrations are
 * small; a bigger input is a mistake (a dump, /dev/zero) that would otherwise fill the memory.
 */
export function maxInputBytes(): number {
  const set = Number(process.env['SCHEMAPILOT_MAX_INPUT_MB']);
  return (Number.isFinite(set) && set > 0 ? set : DEFAULT_MAX_INPUT_MB) * 1024 * 1024;
}

export function tooBig(shown: string): InputError {
  return new InputError(
    `${shown}: larger than ${maxInputBytes() / 1024 / 1024} MB; a migration this big is probably not one (raise SCHEMAPILOT_MAX_INPUT_MB if it is)`,
  );
}

/** Reads a file, a device or a FIFO in chunks, refusing it once it passes the limit. */
function readBounded(path: string): Buffer {
  const limit = maxInputBytes();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(`${path}: is a directory`);
    if (stat.isFile() && stat.size > limit) throw tooBig(path);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooBig(path);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof InputError ? error : fileError(path, error);
  } finally {
    closeSync(fd);
  }
}

/** A file-system error as the user's mistake it is: `cannot read <path>: permission denied`. */
export function fileError(path: string, error: unknown): InputError {
  return new InputError(`cannot read ${path}: ${fsErrorWords(error)}`);
}

/**
 * Bytes as UTF-8, refusing invalid sequences: silently replacing them would analyse (and plan)
 * SQL that is not what the file says. The error names the line and column of the first bad byte.
 */
export function decodeSql(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new SourceError(
      { file: shown, line, column },
      `not valid UTF-8 (byte 0x${hex}); save the file as UTF-8`,
    );
  }
}

/** Index of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const [low, high] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length - 1;
}

/**
 * Whether the text holds no statement at all: empty, blank, comments and semicolons only
 * (placeholders, `-- Add migration script here`). Comments are removed without regard to quoting,
 * which is enough here: in a file with a statement, the statement's first word survives.
 */
export function holdsNoStatement(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
      .replace(/[\s;]/g, '')
      .replace(BOM, '') === ''
  );
}
