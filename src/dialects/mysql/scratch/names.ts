/**
 * Names of scratch databases, and what each one stands for. A scratch database is named
 * `schemapilot_scratch_<pid>_<hex>` (the pid lets a later run on this host reap it once this
 * process is gone). It stands for the target database whose schema it holds (its "logical"
 * name: `shop`): SQL written for `shop` runs on it retargeted (retarget.ts), and its snapshot
 * is compared with other copies under that name (`comparableSnapshot`).
 */
import { randomBytes } from 'node:crypto';

export const SCRATCH_PREFIX = 'schemapilot_scratch_';
export const SCRATCH_PATTERN = /^schemapilot_scratch_(\d+)_[0-9a-f]+$/;

/**
 * The logical name of a scratch database whose target is unknown (a schema replayed from
 * migration files): every copy of it shares this name, so their snapshots compare equal.
 */
export const UNNAMED_TARGET = 'schemapilot_scratch';

/** The marker table every scratch database holds: its comment says which host and process made it. */
export const MARKER_TABLE = '_schemapilot_scratch';
export const MARKER_COMMENT_PREFIX = 'schemapilot scratch database ';

export function newScratchName(): string {
  return `${SCRATCH_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
}

export function isScratchName(name: string | undefined): name is string {
  return name !== undefined && SCRATCH_PATTERN.test(name);
}

/** What a scratch database stands for: the target's database name and the sql_mode it runs with. */
export interface ScratchTarget {
  database: string;
  /** The target's global sql_mode (strictness decides what ALTER does with bad values); unknown: the server's. */
  sqlMode?: string;
}

// Scratch database → its target. Process-wide: sessions on a scratch database are opened by
// this process only, through the driver's connect.
const targets = new Map<string, ScratchTarget>();

export function setScratchTarget(scratch: string, target: ScratchTarget): void {
  targets.set(scratch, target);
}

export function scratchTargetOf(scratch: string): ScratchTarget | undefined {
  return targets.get(scratch);
}

export function logicalNameOf(scratch: string): string {
  return targets.get(scratch)?.database ?? UNNAMED_TARGET;
}

/** A copy stands for what its template stands for. */
export function inheritLogicalName(copy: string, template: string): void {
  const target = targets.get(template);
  if (target !== undefined) targets.set(copy, target);
}

export function forgetLogicalName(scratch: string): void {
  targets.delete(scratch);
}
