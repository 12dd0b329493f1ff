/**
 * A --schema snapshot is checked before use: a damaged file is one line naming the file and the
 * JSON path of the first problem, exit code 2, and nothing is analysed or applied.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testSchema } from '../support/schema-fixture.js';
import { runCli } from '../support/cli.js';
import { tempLayout } from '../formats/support.js';
import { expectUsageError } from './support.js';

function snapshotFile(edit: (s: Record<string, unknown>) => void): string {
  const snapshot = JSON.parse(JSON.stringify(testSchema(15))) as Record<string, unknown>;
  edit(snapshot);
  const path = join(tempLayout({}), 'snapshot.json');
  writeFileSync(path, JSON.stringify(snapshot));
  return path;
}

const tables = (s: Record<string, unknown>) => s['tables'] as Record<string, unknown>[];

describe('--schema snapshots are validated before use', () => {
  it('a valid snapshot is accepted', async () => {
    const result = await runCli([
      'analyze',
      '--schema',
      snapshotFile(() => undefined),
      '--change',
      'SELECT 1',
    ]);
    expect(result.code, result.stderr).toBe(0);
  });

  const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
    [
      'indexes not an array',
      (s) => void ((tables(s)[1] as Record<string, unknown>)['indexes'] = {}),
      /\$\.tables\[1\]\.indexes: expected array/,
    ],
    [
      'columns null',
      (s) => void ((tables(s)[0] as Record<string, unknown>)['columns'] = null),
      /\$\.tables\[0\]\.columns: expected array/,
    ],
    [
      'a column without a type',
      (s) => void delete ((tables(s)[0]?.['columns'] as Record<string, unknown>[])[0] ?? {})['type'],
      /\$\.tables\[0\]\.columns\[0\]\.type: expected string/,
    ],
    [
      'server version -1',
      (s) => void (s['serverVersionNum'] = -1),
      /\$\.serverVersionNum: must be a PostgreSQL server_version_num/,
    ],
    [
      'server version 10^9',
      (s) => void (s['serverVersionNum'] = 1e9),
      /\$\.serverVersionNum: must be a PostgreSQL server_version_num/,
    ],
    ['an unknown dialect', (s) => void (s['dialect'] = 'oracle'), /\$\.dialect: must be one of "postgres"/],
  ];
  for (const [name, edit, message] of cases) {
    it(name, async () => {
      const path = snapshotFile(edit);
      expectUsageError(
        await runCli(['analyze', '--schema', path, '--change', 'SELECT 1']),
        new RegExp(`--schema ${path}: ${message.source}`),
      );
    });
  }

  it('a snapshot with a secret in a wrong place does not echo it', async () => {
    const secret = 'postgres://admin:Hunter2Secret@db/prod';
    const path = snapshotFile((s) => void (s['serverVersionNum'] = secret));
    const result = await runCli(['analyze', '--schema', path, '--change', 'SELECT 1']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('Hunter2Secret');
  });
});
