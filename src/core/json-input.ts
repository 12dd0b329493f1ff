/**
 * JSON that comes from outside (a plan file, the deploy journal, a config or snapshot file),
 * checked against a zod schema before anything uses it: one error that names the source and
 * the JSON path of the first problem (`plan.json: $.steps[2].rollback: missing (expected
 * array)`), instead of a TypeError halfway through a deploy.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError } from './errors.js';

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

/** A JSON file's parsed content; a missing or unparsable file is a one-line InputError. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message})`}`,
    );
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message))
    return `missing (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message;
}
