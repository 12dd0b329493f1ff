/**
 * `npm run new:rule` in a temporary copy of the rule registry (never in the checkout): it
 * writes a rule that type-checks under the project's compiler settings, a test and a docs page
 * in the shape test/rules/docs.test.ts expects, registers the rule in id order, and refuses bad
 * or taken ids with one line and exit code 2, writing nothing.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldRule, ScaffoldError } from '../../scripts/new-rule.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCRIPT = join(REPO, 'scripts', 'new-rule.ts');
let root = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function scaffold(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', SCRIPT, ...args, '--root', root],
      { cwd: REPO },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const read = (path: string) => readFileSync(join(root, path), 'utf8');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'schemapilot-new-rule-'));
  for (const dir of ['src/rules', 'test/rules', 'docs/rules'])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  cpSync(join(REPO, 'src/rules/index.ts'), join(root, 'src/rules/index.ts'));
  // A helper module, not a rule: its name is taken all the same.
  cpSync(join(REPO, 'src/rules/sql.ts'), join(root, 'src/rules/sql.ts'));
  cpSync(join(REPO, 'docs/rules/README.md'), join(root, 'docs/rules/README.md'));
  // The generated rule imports ../core/rule.js: the real one, so it can be type-checked.
  symlinkSync(join(REPO, 'src/core'), join(root, 'src/core'), 'dir');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('npm run new:rule', () => {
  it('writes the rule, its test and its docs page, and registers it in id order', async () => {
    const run = await scaffold('drop-index-cascade', '--category', 'breaking');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*src\/rules\/drop-index-cascade\.ts/);

    const rule = read('src/rules/drop-index-cascade.ts');
    expect(rule).toContain('export default defineRule({');
    expect(rule).toContain("id: 'drop-index-cascade',");
    expect(rule).toContain("category: 'breaking',");
    expect(rule).toContain('scalesWithSize: false,');

    const test = read('test/rules/drop-index-cascade.test.ts');
    expect(test).toContain("ruleTester('drop-index-cascade', {");

    const docs = read('docs/rules/drop-index-cascade.md');
    expect(docs.startsWith('# drop-index-cascade\n')).toBe(true);
    for (const section of ['## Problem', '## Safe alternative', '## When it fires', '## References'])
      expect(docs).toContain(`\n${section}\n`);
    expect(docs).toContain(
      '**Category:** breaking · **Default severity:** warning · **Scales with table size:** no',
    );

    const index = read('src/rules/index.ts');
    const importLines = index.split('\n').filter((l) => l.startsWith('import ') && l.includes("from './"));
    expect(importLines).toContain("import dropIndexCascade from './drop-index-cascade.js';");
    expect([...importLines].sort()).toEqual(importLines);
    const entries = /allRules: readonly Rule\[\] = \[\n([\s\S]*?)\n\];/.exec(index)?.[1]?.split('\n') ?? [];
    expect(entries).toContain('  dropIndexCascade,');
    expect(entries.indexOf('  dropIndexCascade,')).toBe(entries.indexOf('  dropDatabase,') + 1);

    const readme = read('docs/rules/README.md');
    expect(readme).toMatch(
      /\| \[`drop-database`\]\(drop-database\.md\) \| breaking [^\n]*\n\| \[`drop-index-cascade`\]/,
    );
  });

  it('generates TypeScript that compiles under the project settings', () => {
    const files = ['src/rules/drop-index-cascade.ts', 'src/rules/index.ts'].map((f) => join(root, f));
    const syntax = files.flatMap(
      (f) =>
        ts.transpileModule(readFileSync(f, 'utf8'), { reportDiagnostics: true, fileName: f }).diagnostics ??
        [],
    );
    expect(syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    const program = ts.createProgram([join(root, 'src/rules/drop-index-cascade.ts')], {
      strict: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program);
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it('refuses a bad id on the command line with one line on stderr and exit code 2', async () => {
    const before = read('src/rules/index.ts');
    const run = await scaffold('Drop_Index', '--category', 'locking');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('new:rule: "Drop_Index" is not a kebab-case rule id (e.g. drop-index-cascade)\n');
    expect(read('src/rules/index.ts')).toBe(before);
  });

  it.each([
    ['drop--index', /is not a kebab-case rule id/],
    ['delete', /"delete" is a reserved word in JavaScript/],
    ['drop-table', /^rule "drop-table" already exists$/],
    ['drop-index-cascade', /rule "drop-index-cascade" already exists \(src\/rules\/drop-index-cascade\.ts\)/],
    ['invalid-ignore', /rule "invalid-ignore" already exists/],
    ['sql', /rule "sql" already exists \(src\/rules\/sql\.ts\)/],
  ])('refuses %s and writes nothing', (id, message) => {
    const before = read('src/rules/index.ts');
    expect(() => scaffoldRule({ id, category: 'locking', root })).toThrow(ScaffoldError);
    expect(() => scaffoldRule({ id, category: 'locking', root })).toThrow(message);
    expect(read('src/rules/index.ts')).toBe(before);
    if (id !== 'drop-index-cascade') expect(existsSync(join(root, `docs/rules/${id}.md`))).toBe(false);
  });

  it('refuses an unknown category and a missing id', async () => {
    const bad = await scaffold('some-rule', '--category', 'speed');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^new:rule: unknown category "speed" \(one of locking, transactions, breaking, hygiene\)\n$/,
    );
    const none = await scaffold('--category', 'locking');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^new:rule: usage: npm run new:rule -- <id>/);
    expect(existsSync(join(root, 'src/rules/some-rule.ts'))).toBe(false);
  });
});
