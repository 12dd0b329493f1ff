/**
 * `npm run bench compare` (or `npx tsx bench/compare/squawk.ts` after `npm run build`): the
 * differential check against squawk on test/fixtures/corpus. Prints, per statement, what each
 * tool reported and where they disagree; rewrites the generated part of docs/comparison.md and
 * test/fixtures/corpus/accepted-disagreements.json. Exits non-zero when a disagreement has no
 * reason (annotate the corpus or add one to reasons.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareWithSquawk, ROOT, type Comparison, type CorpusStatement } from './compare.js';
import { totalsTable, writeAccepted, writeDoc } from './report.js';

/** Our CLI from dist/ (the bench runner builds it first). */
export function runBuiltCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`schemapilot ${args.join(' ')} exited ${code}: ${err.slice(0, 300)}`)),
    );
  });
}

export async function runCompareBench(log: (s: string) => void): Promise<string> {
  const comparison = await compareWithSquawk(runBuiltCli);
  for (const s of comparison.statements) log(describe(s, comparison));
  const unexplained = comparison.disagreements.filter((d) => d.reason === null);
  const date = new Date().toISOString().slice(0, 10);
  writeDoc(comparison, date);
  writeAccepted(comparison);
  log(`\nwrote docs/comparison.md and test/fixtures/corpus/accepted-disagreements.json`);
  if (unexplained.length > 0) {
    for (const d of unexplained) log(`UNEXPLAINED ${d.key}`);
    throw new Error(
      `${unexplained.length} disagreements have no reason: annotate the corpus (-- compare(<rule>): <reason>) or extend bench/compare/reasons.ts`,
    );
  }
  return [
    `Corpus: test/fixtures/corpus (${comparison.statements.length} statements), ${comparison.squawkVersion}. Every`,
    'disagreement and its reason is listed in [docs/comparison.md](../docs/comparison.md).',
    '',
    totalsTable(comparison),
  ].join('\n');
}

function describe(s: CorpusStatement, c: Comparison): string {
  const where = `${s.file.replace('test/fixtures/corpus/', '')}:${s.line}`;
  const sql = s.sql.replace(/\s+/g, ' ').slice(0, 70);
  const mine = c.disagreements.filter((d) => d.file === s.file && d.line === s.line);
  const verdict = mine.length === 0 ? 'agree' : mine.map((d) => `${d.run}: ${d.side} ${d.rule}`).join('; ');
  const ours = (run: 'no schema' | 'schema') => s.ours[run].map((f) => f.rule).join(',') || '-';
  return `${where.padEnd(22)} ${sql}\n    squawk: ${s.squawk.join(',') || '-'} | ours: ${ours('no schema')} | ours+schema: ${ours('schema')} | ${verdict}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const summary = await runCompareBench((s) => process.stderr.write(s + '\n'));
  process.stdout.write(summary + '\n');
}
