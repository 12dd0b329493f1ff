/**
 * Grammars load one at a time: the CLI runs with V8's --liftoff-only (src/cli/main.ts), and
 * two grammars loading at once under it break web-tree-sitter's linking ("bad export type for
 * 'tree_sitter_python_external_scanner_create'"). Every fixture service is extracted at once in
 * a child process started with that flag, as `impact` does with several services.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { FLEET, FLEET_DIR } from './fleet.js';

it('extracts services of every language at once under --liftoff-only', async () => {
  const script = `
    const { extractService } = await import(${JSON.stringify(join(import.meta.dirname, '../../../src/impact/extract/index.ts'))});
    const names = ${JSON.stringify(FLEET.map((s) => s.name))};
    const all = await Promise.all(names.map((name) => extractService({ name, path: ${JSON.stringify(FLEET_DIR)} + '/' + name })));
    console.log(JSON.stringify(all.map((r) => r.queries.length)));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--liftoff-only',
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    script,
  ]);
  expect(JSON.parse(stdout)).toEqual(FLEET.map((s) => s.queries.length));
}, 60_000);
