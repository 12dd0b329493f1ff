/**
 * Which services a fleet run checks, and whose queries each check covers: a service is changed
 * when a changed file lies under its migrations path; its neighbours are the services that
 * share its database (and itself: its own code queries the same tables).
 */
import { sep } from 'node:path';
import { InputError } from '../core/errors.js';
import type { FleetService } from '../core/fleet.js';

const within = (path: string, root: string) =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** The changed files under each service's migrations, by service name; services with none are left out. */
export function changedServices(
  services: readonly FleetService[],
  changedFiles: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const service of services) {
    const root = service.migrations;
    if (root === undefined) continue;
    const files = changedFiles.filter((f) => within(f, root));
    if (files.length > 0) out.set(service.name, files);
  }
  return out;
}

/** The services whose queries a migration of `service` may break: those on the same database, itself first. */
export function neighboursOf(service: FleetService, fleet: readonly FleetService[]): FleetService[] {
  const others =
    service.database === undefined
      ? []
      : fleet.filter((s) => s.name !== service.name && s.database === service.database);
  return [service, ...others];
}

/** `--only` names, each a service of the config. */
export function onlyServices(
  fleet: readonly FleetService[],
  only: readonly string[] | undefined,
): FleetService[] {
  if (only === undefined || only.length === 0) return [...fleet];
  for (const name of only)
    if (!fleet.some((s) => s.name === name))
      throw new InputError(
        `--only ${name}: no such service in the config (services: ${fleet.map((s) => s.name).join(', ') || 'none'})`,
      );
  return fleet.filter((s) => only.includes(s.name));
}

/**
 * Services sharing a database must agree on its dialect: a PostgreSQL service's queries cannot
 * be checked on a MySQL scratch copy.
 */
export function checkSharedDatabases(fleet: readonly FleetService[], file: string): void {
  const byDatabase = new Map<string, FleetService>();
  for (const s of fleet) {
    if (s.database === undefined) continue;
    const first = byDatabase.get(s.database);
    if (!first) byDatabase.set(s.database, s);
    else if ((first.dialect ?? 'postgres') !== (s.dialect ?? 'postgres'))
      throw new InputError(
        `${file}: services "${first.name}" and "${s.name}" share database "${s.database}" but name different dialects (${first.dialect ?? 'postgres'}, ${s.dialect ?? 'postgres'})`,
      );
  }
}
