/**
 * Which relations exist as a migration goes along, beyond the tables SchemaState keeps: views
 * and sequences from the snapshot or created by the migration. Answers `unknown` rather than
 * guess: without a schema, for schemas that were not inspected, and once a statement the
 * engine does not model (DO, CREATE EXTENSION, SET SCHEMA of something unmodelled, …) may
 * have created or moved anything. A wrong "missing" would call a valid migration broken.
 */
import type { Change } from '../core/change.js';
import type { RelationKind } from '../core/rule.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { SchemaState } from '../schema/state.js';

/** CREATE … of these makes no table, view or sequence. */
const HARMLESS_CREATES = new Set(['function', 'procedure', 'policy', 'type', 'schema', 'event']);

/** After this Change the engine no longer knows every relation (it may create or move any). */
function unmodelled(change: Change): boolean {
  if (change.kind === 'create other') return !HARMLESS_CREATES.has(change.objectType);
  return change.kind === 'unknown' || change.kind === 'set schema';
}

export class RelationCatalog {
  private readonly views = new Set<string>();
  /** Views created by the migration: in the current deploy unit, and in earlier ones. */
  private readonly viewsThisUnit = new Set<string>();
  private readonly viewsEarlier = new Set<string>();
  private readonly sequences = new Set<string>();
  private readonly inspected: ReadonlySet<string>;
  private reliable: boolean;

  constructor(
    snapshot: SchemaSnapshot | null,
    private readonly state: SchemaState,
  ) {
    this.reliable = snapshot !== null;
    this.inspected = new Set(snapshot?.schemas ?? []);
    for (const v of snapshot?.views ?? []) this.views.add(`${v.schema}.${v.name}`);
    for (const s of snapshot?.sequences ?? []) this.sequences.add(`${s.schema}.${s.name}`);
  }

  kind(name: string): RelationKind {
    if (this.state.table(name)) return 'table';
    if (this.views.has(name)) return 'view';
    if (this.sequences.has(name)) return 'sequence';
    if (!this.reliable || !this.inspected.has(name.slice(0, name.indexOf('.')))) return 'unknown';
    return 'missing';
  }

  /** A view that an earlier deploy unit of the migration created, still there. */
  viewFromEarlierUnit(name: string): boolean {
    return this.viewsEarlier.has(name);
  }

  beginDeployUnit(): void {
    for (const v of this.viewsThisUnit) this.viewsEarlier.add(v);
    this.viewsThisUnit.clear();
  }

  indexExists(name: string): boolean | undefined {
    if (this.state.tableOfIndex(name) !== undefined) return true;
    if (!this.reliable || !this.inspected.has(name.slice(0, name.indexOf('.')))) return undefined;
    // Indexes of materialized views are not in SchemaState: an index we cannot place is unknown.
    return this.views.size > 0 ? undefined : false;
  }

  apply(change: Change): void {
    if (unmodelled(change)) this.reliable = false;
    switch (change.kind) {
      case 'create view':
        this.views.add(change.view);
        this.viewsThisUnit.add(change.view);
        this.viewsEarlier.delete(change.view);
        return;
      case 'drop view':
        for (const v of change.views) {
          this.views.delete(v);
          this.viewsThisUnit.delete(v);
          this.viewsEarlier.delete(v);
        }
        return;
      case 'create sequence':
        this.sequences.add(change.sequence);
        return;
      case 'rename table':
        // ALTER TABLE … RENAME works on views and sequences too.
        for (const set of [this.views, this.sequences]) {
          if (set.delete(change.table))
            set.add(`${change.table.slice(0, change.table.indexOf('.'))}.${change.newName}`);
        }
        return;
      default:
        return;
    }
  }
}
