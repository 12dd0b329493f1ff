/**
 * JSON that comes from outside (a plan file, the deploy journal, a config or snapshot file),
 * checked against a zod schema before anything uses it: one error that names the source and
 * the JSON path of the first problem (`plan.json: $.steps[2].rollback: missing (expected
 * array)`), instead of a TypeError halfway through a deploy.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError, SourceError } from './errors.js';
import { fsErrorWords } from './fs-errors.js';

/** `$`, `$.steps[2].rollback`, `$.rules["drop-column"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === 'number'
        ? `[${key}]`
        : typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .reduce((out, part) => out + part, '$');
}

/** `{ value }` when it matches `schema`, else `{ problem }`: the first one, `<JSON path>: <what>`. */
export function checkJson<T>(schema: z.ZodType<T>, value: unknown): { value: T } | { problem: string } {
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0];
  return { problem: issue ? `${jsonPath(issue.path)}: ${describeIssue(issue)}` : '$: not valid' };
}

/**
 * `value` as `T` when it matches `schema`; otherwise an InputError (exit code 2)
 * `<source>: <JSON path>: <problem>`.
 */
export function parseJsonInput<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const checked = checkJson(schema, value);
  if ('problem' in checked) throw new InputError(`${source}: ${checked.problem}`);
  return checked.value;
}

/**
 * A JSON file's parsed content; a missing or unreadable file is a one-line InputError, text that
 * is not JSON a SourceError at the place the parser stopped (`report.json:12:5: not JSON: …`).
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: ${code === 'ENOENT' ? 'no such file' : fsErrorWords(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(path, text, (error as Error).message);
  }
}

/**
 * V8 says where it stopped as a character offset (`… in JSON at position 42`; newer versions add
 * `(line 3 column 7)`); an editor wants a line and column. No position (the text ended early):
 * the end of the text.
 */
function jsonSyntaxError(path: string, text: string, message: string): SourceError {
  const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
  const before = text.slice(0, Math.min(offset, text.length)).split('\n');
  const line = before.length;
  const column = (before[before.length - 1] ?? '').length + 1;
  const words = message
    .replace(/\s*(in JSON )?at position \d+.*$/, '')
    .replace(/\s*\(line \d+ column \d+\)/, '');
  return new SourceError({ file: path, line, column }, `not JSON: ${words}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message))
    return `missing (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message;
}
