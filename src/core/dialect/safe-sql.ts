/**
 * The safe-SQL building blocks a dialect provides to rules (their safe alternatives) and to
 * plan recipes (the steps they write): one implementation per dialect, so that what a finding
 * tells users to run and what the plan runs are the same SQL.
 */
import type { Quoter } from '../rule.js';

export interface SafeSql {
  /** A generated name within the dialect's identifier limit (see schema/names.ts). */
  helperName(table: string, columns: readonly string[], label: string): string;
  /** `ALTER TABLE <table> <action>` */
  alterTable(q: Quoter, table: string, action: string): string;
}
