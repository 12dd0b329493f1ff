/**
 * The `services` section of schemapilot.config.json (issue 13): the checkouts of the services
 * whose queries `impact` (and analyze, plan, check, deploy --dry-run) checks against the
 * migration. Paths are relative to the config file, so the config works from any directory.
 */
import { resolve } from 'node:path';
import type { ServiceSource } from '../core/impact.js';
import { InputError } from '../core/errors.js';

const SERVICE_KEYS = ['name', 'path', 'include', 'exclude', 'database'];

/** A service name: what `--service NAME=PATH` and reports show; no `=` and no spaces. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function validateServices(value: unknown, file: string, baseDir: string): ServiceSource[] {
  if (!Array.isArray(value))
    throw new InputError(`${file}: "services" must be an array of { "name", "path" } objects`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const at = `${file}: "services[${i}]"`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new InputError(`${at} must be an object with "name" and "path"`);
    const s = entry as Record<string, unknown>;
    for (const key of Object.keys(s))
      if (!SERVICE_KEYS.includes(key))
        throw new InputError(`${at}: unknown key "${key}"; known keys: ${SERVICE_KEYS.join(', ')}`);
    const name = s['name'];
    if (typeof name !== 'string' || !SERVICE_NAME.test(name))
      throw new InputError(`${at}.name must be a name of letters, digits, ".", "_" or "-"`);
    if (seen.has(name)) throw new InputError(`${at}.name: service "${name}" is listed twice`);
    seen.add(name);
    const path = s['path'];
    if (typeof path !== 'string' || path === '')
      throw new InputError(`${at}.path must be a directory path (relative to the config file)`);
    const service: ServiceSource = { name, path: resolve(baseDir, path) };
    for (const key of ['include', 'exclude'] as const) {
      const globs = s[key];
      if (globs === undefined) continue;
      if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string' || g === ''))
        throw new InputError(`${at}.${key} must be an array of glob strings`);
      service[key] = globs as string[];
    }
    if (s['database'] !== undefined) {
      if (typeof s['database'] !== 'string' || s['database'] === '')
        throw new InputError(`${at}.database must be a non-empty string`);
      service.database = s['database'];
    }
    return service;
  });
}
