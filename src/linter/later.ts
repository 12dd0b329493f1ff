/**
 * What the statements after a given one do, for rules that look ahead ("is an index created on
 * these columns further down?"). Built once per file. Copying the rest of the file for every
 * question made a 10,000-statement file spend most of its time copying arrays (69 MB per run),
 * so rules that ask often use `ofKind`, `onTable` or `some`, which copy nothing or only what matches.
 */
import { changeTable, type Change, type ChangeKind, type ChangeOf } from '../core/change.js';

/** Some of a file's Changes and their indexes in the whole file, in file order. */
interface Located {
  changes: Change[];
  at: number[];
}

export class LaterChanges {
  private readonly flat: readonly Change[];
  /** Index in `flat` of the first Change after statement i. */
  private readonly starts: number[] = [];
  private readonly byKind = new Map<ChangeKind, Located>();
  /** By the one table a Change acts on (changeTable). */
  private readonly byTable = new Map<string, Located>();

  constructor(statements: readonly (readonly Change[])[]) {
    this.flat = statements.flat();
    let n = 0;
    for (const changes of statements) this.starts.push((n += changes.length));
    this.flat.forEach((change, i) => {
      add(this.byKind, change.kind, change, i);
      const table = changeTable(change);
      if (table !== null) add(this.byTable, table, change, i);
    });
  }

  /** Every Change after statement `index`, in order (a copy). */
  all(index: number): readonly Change[] {
    return this.flat.slice(this.start(index));
  }

  /** The Changes of one kind after statement `index`, in order. */
  ofKind<K extends ChangeKind>(index: number, kind: K): readonly ChangeOf<K>[] {
    return this.after(this.byKind.get(kind), index) as ChangeOf<K>[];
  }

  /** The Changes on one table (qualified, as changeTable gives it) after statement `index`, in order. */
  onTable(index: number, table: string): readonly Change[] {
    return this.after(this.byTable.get(table), index);
  }

  /** Whether a Change after statement `index` passes the test; stops at the first that does. */
  some(index: number, test: (change: Change) => boolean): boolean {
    for (let i = this.start(index); i < this.flat.length; i++) {
      const change = this.flat[i];
      if (change && test(change)) return true;
    }
    return false;
  }

  private start(index: number): number {
    return this.starts[index] ?? this.flat.length;
  }

  private after(entry: Located | undefined, index: number): Change[] {
    if (!entry) return [];
    const start = this.start(index);
    // First position at or after `start` (binary search: `at` is ascending).
    let lo = 0;
    let hi = entry.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((entry.at[mid] ?? Infinity) < start) lo = mid + 1;
      else hi = mid;
    }
    return entry.changes.slice(lo);
  }
}

function add<K>(map: Map<K, Located>, key: K, change: Change, at: number): void {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { changes: [], at: [] }));
  entry.changes.push(change);
  entry.at.push(at);
}
