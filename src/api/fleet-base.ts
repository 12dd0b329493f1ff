/**
 * The schema before a service's migration when its database URL is not at hand (a fork's pull
 * request has no secrets): rebuilt on the scratch server by replaying, in the config's order,
 * the unchanged migrations of every service on its database, not only its own. Neighbours'
 * queries that join their own tables with the changed one then compile before the migration
 * and are really checked, instead of being "already broken" for want of their tables. When
 * the services' migrations do not replay together (one refers to a table another creates
 * later), the service's own are replayed alone and the report says so.
 */
import { relative } from 'node:path';
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import type { FleetService } from '../core/fleet.js';
import type { MigrationFile } from '../core/migration.js';
import type { RunnerName } from '../core/runners.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { replayedSnapshot } from '../validate/replay.js';
import { readMigrations } from './read.js';

export interface ReplayedBase {
  files: MigrationFile[];
  snapshot: SchemaSnapshot;
  notes: string[];
}

export async function replayedBase(
  service: FleetService,
  own: readonly MigrationFile[],
  dialect: Dialect,
  scratch: ScratchServer,
  options: {
    fleet: readonly FleetService[];
    root: string;
    since: string | null;
    changedFiles?: readonly string[];
    config: { runner: RunnerName | null };
  },
  progress: (message: string) => void,
): Promise<ReplayedBase> {
  const sharing =
    options.since === null || service.database === undefined
      ? []
      : options.fleet.filter(
          (s) => s !== service && s.database === service.database && s.migrations !== undefined,
        );
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (sharing.length > 0) {
    const changed = new Set((options.changedFiles ?? []).map((f) => relative(options.root, f)));
    const files: MigrationFile[] = [];
    for (const s of options.fleet) {
      if (s === service) files.push(...own);
      else if (sharing.includes(s) && s.migrations !== undefined) {
        const read = await readMigrations(s.migrations, {
          runner: s.runner ?? options.config.runner,
          major: scratch.major,
          dialect,
          cwd: options.root,
        });
        files.push(...read.files.filter((f) => !changed.has(f.path)));
      }
    }
    progress(
      `replaying ${plural(files.length, 'unchanged migration')} of ${plural(sharing.length + 1, 'service')} on database ${service.database} on the scratch server`,
    );
    try {
      const snapshot = await replayedSnapshot(dialect, scratch, files);
      return {
        files,
        snapshot,
        notes: [
          `the schema before the migration was rebuilt from the unchanged migrations of ${[service, ...sharing].map((s) => s.name).join(', ')} (database ${service.database})`,
        ],
      };
    } catch (error) {
      const why = error instanceof Error ? error.message.replace(/^--migrations: /, '') : String(error);
      progress(`the services' migrations do not replay together (${why}); replaying ${service.name}'s alone`);
      const snapshot = await replayOwn(dialect, scratch, own);
      return {
        files: [...own],
        snapshot,
        notes: [
          `the migrations of the services on database ${service.database} did not replay together (${why}): the schema before was rebuilt from ${service.name}'s alone, so queries of other services on their own tables were not checked`,
        ],
      };
    }
  }
  progress(`replaying ${plural(own.length, 'unchanged migration')} on the scratch server`);
  return { files: [...own], snapshot: await replayOwn(dialect, scratch, own), notes: [] };
}

function replayOwn(
  dialect: Dialect,
  scratch: ScratchServer,
  own: readonly MigrationFile[],
): Promise<SchemaSnapshot> {
  return replayedSnapshot(dialect, scratch, own).catch((error: unknown) => {
    // Its message names the flag validate takes; here the replay is the fleet's own doing.
    if (error instanceof Error)
      error.message = error.message.replace(/^--migrations: /, 'replaying its unchanged migrations: ');
    throw error;
  });
}
