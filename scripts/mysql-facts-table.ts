/**
 * The table of measured MySQL/MariaDB facts in docs/mysql/facts.md, from a run of the measured
 * tests: `SP_FACTS_REPORT=/tmp/facts.jsonl npx vitest run test/dialects/mysql/facts/measured.test.ts`
 * then `npx tsx scripts/mysql-facts-table.ts /tmp/facts.jsonl`. Prints markdown rows; each row is
 * what the test asserted (and so what the server did), with the run's numbers beside it.
 */
import { readFileSync } from 'node:fs';

interface Line {
  label: string;
  sql: string;
  error: string;
  expected: { algorithm: string; rebuilt: boolean; writers: boolean; readers?: boolean; mdl: string } | null;
  traced: { algorithm: string | null; ms: number; writerWaitMs: number; mdl: string[] } | null;
  predicted: { algorithm?: string; blocksWrites?: boolean };
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx scripts/mysql-facts-table.ts <report.jsonl>');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Line);
const yes = (b: boolean | undefined) => (b ? 'yes' : 'no');
const code = (s: string) => `\`${s.replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\``;
console.log(
  '| Table | Statement | Algorithm | Rebuilt | Writers wait | Readers wait | Metadata lock | This run |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const l of lines) {
  if (l.error) {
    console.log(`| ${l.label} | ${code(l.sql)} | refused | — | — | — | — | ${code(l.error)} |`);
    continue;
  }
  const e = l.expected;
  if (!e || !l.traced) continue;
  const run = `${l.traced.ms} ms, writer waited ${l.traced.writerWaitMs} ms; seen ${l.traced.mdl.join(', ') || '—'}`;
  console.log(
    `| ${l.label} | ${code(l.sql)} | ${e.algorithm} | ${yes(e.rebuilt)} | ${yes(e.writers)} | ${yes(e.readers)} | ${e.mdl} | ${run} |`,
  );
}
