/**
 * The grammars ship in tree-sitter-wasms and load with this web-tree-sitter (checked for each,
 * Kotlin included); each loads only when a file of its language is read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractService } from '../../../src/impact/extract/index.js';
import { loadedGrammars, parserFor, type Grammar } from '../../../src/impact/extract/parsers.js';
import { FLEET_DIR } from './fleet.js';

describe('grammars', () => {
  it('loads only the grammars of the languages a service has', async () => {
    expect(loadedGrammars()).toEqual([]);
    await extractService({ name: 'users-go', path: join(FLEET_DIR, 'users-go') });
    expect(loadedGrammars()).toEqual(['go']);
    await extractService({ name: 'search-sql', path: join(FLEET_DIR, 'search-sql') });
    expect(loadedGrammars()).toEqual(['go']);
  });

  const samples: Record<Grammar, string> = {
    typescript: 'const n: number = await db.query<Row>(`SELECT 1`);',
    tsx: 'const a = <div>{x}</div>;',
    javascript: 'pool.query("SELECT 1")',
    python: 'cur.execute("SELECT 1" "x")',
    go: 'package m\nfunc f() { db.Query(`SELECT 1`) }',
    java: 'class A { void f() { c.prepareStatement("SELECT " + "1"); } }',
    kotlin: 'fun f() { jdbc.query("""SELECT 1""".trimIndent()) }',
    ruby: 'x = <<~SQL\n  SELECT 1\nSQL\nconn.execute(x)',
  };
  it.each(Object.entries(samples))('%s parses without error', async (grammar, source) => {
    const parser = await parserFor(grammar as Grammar);
    const tree = parser.parse(source);
    expect(tree?.rootNode.hasError).toBe(false);
    tree?.delete();
    parser.delete();
  });
});
