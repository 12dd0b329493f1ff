import { describe, expect, it } from 'vitest';
import { diffSnapshots, formatDifferences } from '../../src/schema/diff.js';
import { testSchema } from '../support/schema-fixture.js';

describe('diffSnapshots', () => {
  it('finds nothing between a snapshot and itself, whatever the column order', () => {
    const a = testSchema();
    const b = testSchema();
    const users = b.tables.find((t) => t.name === 'users');
    users?.columns.reverse();
    expect(diffSnapshots(a, b)).toEqual([]);
  });

  it('names each added, removed and changed object', () => {
    const a = testSchema();
    const b = structuredClone(a);
    const users = b.tables.find((t) => t.name === 'users');
    const orders = b.tables.find((t) => t.name === 'orders');
    if (!users || !orders) throw new Error('fixture changed');
    const score = users.columns.find((c) => c.name === 'score');
    if (score) score.type = 'bigint';
    users.columns = users.columns.filter((c) => c.name !== 'name');
    users.columns.push({ ...users.columns[0]!, name: 'token', type: 'uuid', identity: null });
    orders.indexes = [];
    orders.foreignKeys[0]!.validated = false;
    b.tables = b.tables.filter((t) => t.name !== 'audit');
    b.enums[0]!.values.push('refunded');
    expect(formatDifferences(diffSnapshots(a, b)).split('\n')).toEqual([
      'column public.users.name removed',
      'column public.users.score changed: integer null → bigint null',
      'column public.users.token added',
      'constraint public.orders.orders_user_id_fkey changed: FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE NO ACTION ON UPDATE NO ACTION → FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID',
      'enum public.order_status changed: pending, paid, shipped → pending, paid, shipped, refunded',
      'index public.orders_pkey removed',
      'table public.audit removed',
    ]);
  });
});
