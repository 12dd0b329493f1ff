/**
 * The README's "Reliability" table is rendered from the fault suites' own lists, so its numbers
 * cannot drift from what the suites try. `UPDATE_README=1` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { reliabilitySection } from './support/catalog.js';

const README = new URL('../../README.md', import.meta.url);
const START = '<!-- reliability:start -->\n';
const END = '<!-- reliability:end -->';

it('README: the Reliability table matches the fault suites', () => {
  const text = readFileSync(README, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  expect(from, 'README.md has no reliability markers').toBeGreaterThan(0);
  expect(to).toBeGreaterThan(from);
  const wanted = `${START}${reliabilitySection()}\n`;
  const current = text.slice(from, to);
  if (process.env['UPDATE_README'] === '1' && current !== wanted) {
    writeFileSync(README, text.slice(0, from) + wanted + text.slice(to));
    return;
  }
  expect(current, 'run UPDATE_README=1 npx vitest run test/faults/readme.test.ts').toBe(wanted);
});
