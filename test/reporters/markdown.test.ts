import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from '../../src/reporters/markdown.js';
import { readStructure } from './markdown-structure.js';
import { analyzeSql, MIGRATIONS } from './support.js';

function expectValid(markdown: string): ReturnType<typeof readStructure> {
  const structure = readStructure(markdown);
  expect(structure.unclosedFence, 'a code block is left open').toBe(false);
  expect(structure.detailsUnbalanced, '<details> tags do not balance').toBe(false);
  return structure;
}

describe('markdown (PR comment)', () => {
  it("starts with the brief's summary, then the approach, then one section per statement", async () => {
    const result = await analyzeSql(MIGRATIONS['unsafe']?.sql ?? '');
    const md = renderMarkdown(result);
    const a = result.assessment;
    expect(md.startsWith('## Migration Analysis\n')).toBe(true);
    expect(md).toContain(`**Breaking Changes:** ${a.breaking_changes.length}`);
    expect(a.breaking_changes.length).toBeGreaterThan(0);
    expect(md).toContain(`**Performance Impact:** ${a.performance_impact}`);
    expect(md).toContain('**Safe to Deploy:** ⚠️ Review Required');
    expect(md).toContain(`**Rollback Complexity:** ${a.rollback_complexity}/5`);
    expect(md).toContain('**Requires Data Migration:**');
    expect(md).toContain('**Lock Duration Estimate:**');
    // The breaking change is listed under its count (dots and spaces need no escaping).
    expect(md).toContain('  - Dropping public.users.email breaks');
    const order = ['**Breaking Changes:**', '### Recommended approach', '<details>'].map((s) =>
      md.indexOf(s),
    );
    expect(order).toEqual([...order].sort((x, y) => x - y));

    const structure = expectValid(md);
    expect(structure.detailsOpened).toBe(result.statements.length);
    // Each section: where, first line of SQL, locks, and the finding's safe alternative as SQL.
    expect(md).toContain(
      '<summary>❌ <code>migrations/V2__change.sql:2</code> CREATE INDEX orders_total_idx ON orders (total) · 1 error</summary>',
    );
    expect(md).toContain('- **Locks:** `SHARE` on `public.orders` (blocks writes)');
    expect(structure.codeBlocks).toContain('CREATE INDEX orders_total_idx ON orders (total)');
    const safe = result.statements[1]?.findings[0]?.safeAlternative;
    expect(safe).toBeTruthy();
    expect(structure.codeBlocks).toContain(safe);
    expect(md).toContain('**❌ error** [`index-create-not-concurrent`](https://github.com/');
  });

  it('says ✅ for a safe migration', async () => {
    const result = await analyzeSql(MIGRATIONS['safe']?.sql ?? '');
    expect(result.assessment.safe_to_deploy).toBe(true);
    const md = renderMarkdown(result);
    expect(md).toMatch(/^- \*\*Safe to Deploy:\*\* ✅$/m);
    expect(md).toContain('**Breaking Changes:** 0');
    expectValid(md);
  });

  it('shows what was assumed without a schema', async () => {
    const md = renderMarkdown(await analyzeSql(MIGRATIONS['no schema']?.sql ?? '', { schema: null }));
    expect(md).toMatch(/^> - no schema given/m);
    expectValid(md);
  });

  describe('a 2,000-statement migration', () => {
    // Statements without findings each keep their own section (findings of one rule on many
    // statements are grouped, below), so this is the case where sections must be dropped.
    const sql = Array.from({ length: 2000 }, (_, i) => `CREATE TABLE t_${i} (id bigint PRIMARY KEY)`).join(
      ';\n',
    );

    it(`stays under ${MARKDOWN_MAX_CHARS} characters, dropping sections from the end`, async () => {
      const result = await analyzeSql(sql);
      const md = renderMarkdown(result);
      expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
      expect(MARKDOWN_MAX_CHARS).toBeLessThanOrEqual(65_536); // GitHub's limit for a comment body
      const structure = expectValid(md);
      const left = Number(/… and (\d+) more statements; run `schemapilot analyze` locally/.exec(md)?.[1]);
      expect(structure.detailsOpened).toBeGreaterThan(0);
      expect(structure.detailsOpened + left).toBe(2000);
      // The first statements are kept, the last ones dropped.
      expect(md).toContain('CREATE TABLE t_0 (id bigint PRIMARY KEY)');
      expect(md).not.toContain('CREATE TABLE t_1999 (id bigint PRIMARY KEY)');
      // The summary is never dropped.
      expect(md).toContain('**Safe to Deploy:**');
    });

    it('honours a smaller cap the same way', async () => {
      const result = await analyzeSql(sql);
      for (const maxChars of [8_000, 20_000]) {
        const md = renderMarkdown(result, { maxChars });
        expect(md.length).toBeLessThanOrEqual(maxChars);
        const structure = expectValid(md);
        const left = Number(/… and (\d+) more statements/.exec(md)?.[1]);
        expect(structure.detailsOpened + left).toBe(2000);
      }
    });
  });

  it('shows one rule on 2,000 statements as one section, with its recipe once', async () => {
    const sql = Array.from({ length: 2000 }, (_, i) => `CREATE INDEX idx_${i} ON users (name)`).join(';\n');
    const result = await analyzeSql(sql);
    const findings = result.statements.flatMap((s) => s.findings);
    expect(findings.filter((f) => f.rule === 'index-create-not-concurrent')).toHaveLength(2000);
    const md = renderMarkdown(result);
    const structure = expectValid(md);
    // Nothing dropped: the 2,000 findings fit in one section.
    expect(md).not.toMatch(/more statements?; run `schemapilot analyze` locally/);
    expect(md.length).toBeLessThan(20_000);
    expect(md).toContain(
      '<summary>❌ <code>index-create-not-concurrent</code> on 2000 statements of <code>migrations/V2__change.sql</code> · 2000 errors</summary>',
    );
    expect(md).toContain('- **Lines:** 1–2000');
    // The recipe of the first statement, once, as SQL to paste.
    const first = result.statements[0]?.findings.find((f) => f.rule === 'index-create-not-concurrent');
    expect(structure.codeBlocks).toContain(first?.safeAlternative);
    // (The recommended approach above shows the first steps of the plan: counted apart.)
    const sections = md.slice(md.indexOf('### Statements'));
    expect(sections.match(/CREATE INDEX CONCURRENTLY/g)).toHaveLength(1);
  });

  it('keeps hostile SQL from breaking the layout', async () => {
    const hostile = [
      `ALTER TABLE users DROP COLUMN "x</details><script>alert(1)</script>\`\`\`*_|"`,
      `COMMENT ON TABLE users IS '</summary></details>\n\`\`\`\`\n<img src=x onerror=alert(1)>\n~~~'`,
    ];
    const result = await analyzeSql(hostile.join(';\n'));
    const md = renderMarkdown(result);
    const structure = expectValid(md);
    expect(structure.detailsOpened).toBe(2);
    const outside = structure.outside.join('\n');
    expect(outside).not.toMatch(/<script|<img|<\/summary><\/details>/);
    expect(outside.match(/<summary>/g)).toHaveLength(2);
    expect(outside.match(/<\/summary>/g)).toHaveLength(2);
    // The SQL is still shown as written, inside code blocks.
    expect(structure.codeBlocks).toContain(hostile[0]);
    expect(structure.codeBlocks).toContain(hostile[1]);
    // In running text the identifier is escaped, not interpreted.
    expect(outside).toContain('x&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\`\\`\\`\\*\\_\\|');
  });

  it('does not @mention anyone through a name in running text', async () => {
    const result = await analyzeSql('ALTER TABLE users DROP COLUMN "@security-team"');
    const md = renderMarkdown(result);
    const outside = readStructure(md).outside.join('\n');
    expect(outside).toContain('&#64;security-team');
    expect(outside).not.toMatch(/(^|[^&#\w])@security-team/);
  });
});
