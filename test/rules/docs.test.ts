/**
 * Every rule has a docs page (docs/rules/<id>.md) with the four sections, a header that agrees
 * with its meta, and a row in docs/rules/README.md; every page belongs to a rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/index.js';
import { ruleCatalog } from '../../src/reporters/rule-catalog.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'rules');
const SECTIONS = ['## Problem', '## Safe alternative', '## When it fires', '## References'];

const catalog = ruleCatalog(allRules);
const scales = new Map(allRules.map((r) => [r.meta.id, r.meta.scalesWithSize]));
const dialectsOf = new Map(allRules.map((r) => [r.meta.id, r.meta.dialects]));
const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md');
const readme = readFileSync(join(DOCS, 'README.md'), 'utf8');

describe('rule docs', () => {
  it('every page belongs to a rule', () => {
    const ids = new Set(catalog.map((r) => r.id));
    expect(pages.filter((p) => !ids.has(p.replace(/\.md$/, '')))).toEqual([]);
  });

  for (const rule of catalog) {
    describe(rule.id, () => {
      it('has a page with the four sections, in order, each with content', () => {
        expect(pages).toContain(`${rule.id}.md`);
        const text = readFileSync(join(DOCS, `${rule.id}.md`), 'utf8');
        expect(text.startsWith(`# ${rule.id}\n`)).toBe(true);
        const at = SECTIONS.map((s) => text.search(new RegExp(`^${s}$`, 'm')));
        expect(at.every((i) => i >= 0)).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
        SECTIONS.forEach((s, i) => {
          const body = text.slice((at[i] ?? 0) + s.length, at[i + 1] ?? text.length).trim();
          expect(body.length, `${s} is empty`).toBeGreaterThan(0);
        });
      });

      it('shows SQL under "Safe alternative" and a reference to its server\'s manual or the project', () => {
        const text = readFileSync(join(DOCS, `${rule.id}.md`), 'utf8');
        const safe = text.slice(text.indexOf('## Safe alternative'), text.indexOf('## When it fires'));
        expect(safe).toMatch(/```sql\n[\s\S]+?\n```/);
        const refs = text.slice(text.indexOf('## References'));
        // A MySQL rule cites MySQL's or MariaDB's manual, a SQLite rule sqlite.org; the others
        // PostgreSQL's (or our code).
        const dialects = dialectsOf.get(rule.id);
        expect(refs).toMatch(
          dialects?.includes('mysql')
            ? /https:\/\/dev\.mysql\.com\/doc\/|https:\/\/mariadb\.com\//
            : dialects?.includes('sqlite')
              ? /https:\/\/www\.sqlite\.org\//
              : /https:\/\/www\.postgresql\.org\/docs\/|\.\.\/\.\.\/src\//,
        );
      });

      it('states the category, default severity and scaling of the rule', () => {
        const text = readFileSync(join(DOCS, `${rule.id}.md`), 'utf8');
        expect(text).toContain(
          `**Category:** ${rule.category} · **Default severity:** ${rule.severity} · **Scales with table size:** ${scales.get(rule.id) ? 'yes' : 'no'}`,
        );
        // The one-line description, as a sentence.
        expect(text).toContain(`\n${rule.description}.\n`);
      });

      it('has its row in docs/rules/README.md', () => {
        expect(readme).toContain(
          `| [\`${rule.id}\`](${rule.id}.md) | ${rule.category} | ${rule.severity} | ${scales.get(rule.id) ? 'yes' : 'no'} | ${rule.description} |`,
        );
      });
    });
  }
});
