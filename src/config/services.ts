/**
 * The `services` section of schemapilot.config.json: the fleet. Each service has a checkout of
 * its code, whose queries `impact` (and analyze, plan, check, deploy --dry-run) checks against
 * a migration (issue 13), and may have migrations, a runner, a dialect, the name of the
 * environment variable holding its database URL, the database it shares and its owners, which
 * `fleet check` uses (issue 15). Paths are relative to the config file, so the config works
 * from any directory. A URL or password in the file is refused: it belongs in the environment.
 */
import { resolve } from 'node:path';
import type { FleetService } from '../core/fleet.js';
import { InputError } from '../core/errors.js';
import { RUNNERS, type RunnerName } from './types.js';

const SERVICE_KEYS = [
  'name',
  'path',
  'include',
  'exclude',
  'migrations',
  'runner',
  'dialect',
  'databaseUrlEnv',
  'database',
  'owners',
];

/** Dialects a service may name: the registered ones and those still to come (reported as skipped). */
export const FLEET_DIALECTS = ['postgres', 'mysql', 'sqlite'];

/** Keys people reach for when they mean to put the URL itself in the file. */
const SECRET_KEYS = /^(url|uri|dsn|databaseUrl|database_url|connectionString|password|pass|secret|token)$/i;

/** A service name: what `--service NAME=PATH` and reports show; no `=` and no spaces. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** An environment variable's name as POSIX shells accept it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `scheme://`: a connection URL, whatever the scheme. */
const LOOKS_LIKE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** `@user` or `@org/team`, or a plain name or e-mail address. */
const OWNER = /^@?[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$/;

export function validateServices(value: unknown, file: string, baseDir: string): FleetService[] {
  if (!Array.isArray(value))
    throw new InputError(`${file}: "services" must be an array of { "name", "path" } objects`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new InputError(`${file}: services[${i}] must be an object with "name" and "path"`);
    const s = entry as Record<string, unknown>;
    const rawName = s['name'];
    const named = typeof rawName === 'string' && SERVICE_NAME.test(rawName);
    // Every message names the entry by its index and, once known, by its name.
    const at = (key: string) => `${file}: services[${i}]${named ? ` (${rawName})` : ''}.${key}`;
    for (const key of Object.keys(s)) {
      if (SECRET_KEYS.test(key))
        throw new InputError(
          `${at(key)}: a database URL or secret does not belong in the config file; set "databaseUrlEnv" to the name of the environment variable that holds it`,
        );
      if (!SERVICE_KEYS.includes(key))
        throw new InputError(`${at(key)}: unknown key; known keys: ${SERVICE_KEYS.join(', ')}`);
      if (typeof s[key] === 'string' && LOOKS_LIKE_URL.test(s[key]))
        throw new InputError(
          `${at(key)}: holds a connection URL; the config file names the environment variable that holds it ("databaseUrlEnv"), never the URL`,
        );
    }
    if (!named) throw new InputError(`${at('name')} must be a name of letters, digits, ".", "_" or "-"`);
    const name = rawName;
    if (seen.has(name)) throw new InputError(`${at('name')}: service "${name}" is listed twice`);
    seen.add(name);
    const path = s['path'];
    if (typeof path !== 'string' || path === '')
      throw new InputError(`${at('path')} must be the directory of its code (relative to the config file)`);
    const service: FleetService = { name, path: resolve(baseDir, path) };
    for (const key of ['include', 'exclude'] as const) {
      const globs = s[key];
      if (globs === undefined) continue;
      if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string' || g === ''))
        throw new InputError(`${at(key)} must be an array of glob strings`);
      service[key] = globs as string[];
    }
    const text = (key: string, what: string): string | undefined => {
      const v = s[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v === '') throw new InputError(`${at(key)} must be ${what}`);
      return v;
    };
    const database = text('database', 'a non-empty string (the name services sharing a database give)');
    if (database !== undefined) service.database = database;
    const migrations = text(
      'migrations',
      'the path of its migrations directory (relative to the config file)',
    );
    if (migrations !== undefined) service.migrations = resolve(baseDir, migrations);
    const runner = text('runner', `one of ${RUNNERS.join(', ')}`);
    if (runner !== undefined) {
      if (!RUNNERS.includes(runner as RunnerName))
        throw new InputError(`${at('runner')}: unknown runner "${runner}"; one of ${RUNNERS.join(', ')}`);
      service.runner = runner as RunnerName;
    }
    const dialect = text('dialect', `one of ${FLEET_DIALECTS.join(', ')}`);
    if (dialect !== undefined) {
      if (!FLEET_DIALECTS.includes(dialect))
        throw new InputError(
          `${at('dialect')}: unknown dialect "${dialect}"; one of ${FLEET_DIALECTS.join(', ')}`,
        );
      service.dialect = dialect;
    }
    const env = text('databaseUrlEnv', 'the name of an environment variable, such as "ORDERS_DATABASE_URL"');
    if (env !== undefined) {
      if (!ENV_NAME.test(env))
        throw new InputError(
          `${at('databaseUrlEnv')} must be the name of an environment variable (letters, digits, "_"), such as "ORDERS_DATABASE_URL"`,
        );
      service.databaseUrlEnv = env;
    }
    const owners = s['owners'];
    if (owners !== undefined) {
      if (!Array.isArray(owners) || owners.some((o) => typeof o !== 'string' || !OWNER.test(o)))
        throw new InputError(`${at('owners')} must be an array of owners such as "@org/team" or "@user"`);
      service.owners = owners as string[];
    }
    return service;
  });
}
