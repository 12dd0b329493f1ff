/** Every fact group, in the order they are reported. */
import type { FactGroup } from '../support/fact-case.js';
import { addColumn, notNull, otherColumnChanges } from './columns.js';
import { constraints } from './constraints.js';
import { indexes } from './indexes.js';
import { alterTableOther, comments, dml, maintenance, triggers } from './maintenance.js';
import { enums, partitions, tables, views } from './relations.js';
import {
  cascadedViews,
  defaultPartitions,
  foreignKeyPartners,
  partitionRecursion,
  sourcesRead,
} from './relatives.js';
import { foreignTables, lockTable, privileges, triggerGroups } from './statements.js';
import { alterType } from './types.js';

export const ALL_GROUPS: FactGroup[] = [
  addColumn,
  otherColumnChanges,
  notNull,
  alterType,
  constraints,
  indexes,
  views,
  tables,
  partitions,
  enums,
  maintenance,
  dml,
  triggers,
  comments,
  alterTableOther,
  foreignKeyPartners,
  cascadedViews,
  partitionRecursion,
  defaultPartitions,
  sourcesRead,
  lockTable,
  privileges,
  triggerGroups,
  foreignTables,
];
