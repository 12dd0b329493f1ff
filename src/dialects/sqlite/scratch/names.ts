/**
 * Scratch database files of SQLite validate runs: each run has a private directory
 * `<tmp>/schemapilot-sqlite-scratch-XXXXXX` (mode 0700, mkdtemp) holding an owner file with its pid and
 * the database files `s<pid>-<hex>-<n>.sqlite`, whose base names are unique across runs: a
 * snapshot's `database` is the file's base name, and comparable.ts maps it back to the name of
 * the database the copy stands for (recorded here by loadSchema and passed on to copies).
 */
export const DIR_PREFIX = 'schemapilot-sqlite-scratch-';
export const OWNER_FILE = 'schemapilot-owner.pid';

/** Scratch base name → the base name of the database it stands for. */
const standsFor = new Map<string, string>();

export function setStandsFor(scratch: string, target: string): void {
  standsFor.set(scratch, target);
}

export function standsForOf(scratch: string): string | undefined {
  return standsFor.get(scratch);
}

export function forgetScratch(scratch: string): void {
  standsFor.delete(scratch);
}
