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
 * Hide the password in anything that looks like a connection URL. Applied to every message we
 * print that might quote a URL, including error messages from drivers.
 */
export function redactUrl(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):(\S*)@/gi, '$1:***@')
    .replace(/([?&](?:password|pass|pwd)=)[^&\s]*/gi, '$1***');
}
