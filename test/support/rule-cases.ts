/**
 * The body every rule tester shares (PostgreSQL's rule-tester.ts, MySQL's and SQLite's): each
 * valid case draws no finding; each invalid one draws the expected findings, its safe
 * alternative parses in the dialect and, unless said otherwise, no longer draws the rule. A
 * dialect gives how findings are computed, how its SQL parses, and its word checks.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/core/analysis.js';

interface BaseCase {
  sql: string;
  name?: string;
}

interface BaseInvalidCase extends BaseCase {
  message?: RegExp;
  safe?: RegExp | null;
  severity?: Severity;
  count?: number;
  safeStillFlagged?: boolean;
}

export interface DialectTesting<C extends BaseCase> {
  /** The describe block's title. */
  title: string;
  findings(ruleId: string, c: C): Promise<Finding[]>;
  /** Throws when `sql` does not parse in the dialect (loads its parser first if it must). */
  parse(sql: string): Promise<void> | void;
  /** Extra checks on the invalid case's findings (words of other dialects, …). */
  checkWords?(first: Finding, findings: readonly Finding[]): void;
}

export function describeRuleCases<C extends BaseCase, I extends C & BaseInvalidCase>(
  ruleId: string,
  cases: { valid: (string | C)[]; invalid: I[] },
  dialect: DialectTesting<C>,
): void {
  describe(dialect.title, () => {
    for (const v of cases.valid) {
      const c = (typeof v === 'string' ? { sql: v } : v) as C;
      it(`valid: ${c.name ?? c.sql}`, async () => {
        expect(await dialect.findings(ruleId, c)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name ?? c.sql}`, async () => {
        const findings = await dialect.findings(ruleId, c);
        if (c.count !== undefined) expect(findings).toHaveLength(c.count);
        else expect(findings.length).toBeGreaterThan(0);
        const [first] = findings;
        if (!first) return;
        if (c.message) expect(first.message).toMatch(c.message);
        if (c.severity) expect(first.severity).toBe(c.severity);
        if (c.safe === null) expect(first.safeAlternative).toBeNull();
        else if (c.safe) expect(first.safeAlternative ?? '').toMatch(c.safe);
        dialect.checkWords?.(first, findings);
        if (first.safeAlternative) {
          // Ready to paste: it parses in the dialect (choices left to the user are comments).
          const safe = first.safeAlternative;
          await expect((async () => dialect.parse(safe))()).resolves.toBeUndefined();
          if (!c.safeStillFlagged) {
            const again = await dialect.findings(ruleId, { ...c, sql: safe });
            expect(again, `safe alternative still triggers ${ruleId}:\n${safe}`).toEqual([]);
          }
        }
      });
    }
  });
}
