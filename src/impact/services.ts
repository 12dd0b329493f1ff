/**
 * The services a run checks, as given: kept apart from api/impact.ts so that commands which only
 * read the flags (analyze without --service) do not load the query extractors and their parsers.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { ServiceSource } from '../core/impact.js';

/** Every service's checkout must be a directory; `source` names where it was given. */
export function checkServicePaths(services: readonly ServiceSource[], source: string): void {
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.name)) throw new InputError(`${source}: service "${s.name}" is given twice`);
    names.add(s.name);
    if (!existsSync(s.path))
      throw new InputError(`${source}: service "${s.name}": ${s.path}: no such directory`);
    if (!statSync(s.path).isDirectory())
      throw new InputError(`${source}: service "${s.name}": ${s.path} is not a directory`);
  }
}

/** The command line's services over the config's: a name given on the command line wins. */
export function mergeServices(
  config: readonly ServiceSource[],
  flags: readonly ServiceSource[],
): ServiceSource[] {
  const given = new Set(flags.map((s) => s.name));
  return [...config.filter((s) => !given.has(s.name)), ...flags];
}
