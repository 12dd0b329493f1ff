import { expect } from 'vitest';
import type { CliResult } from '../support/cli.js';

/** The brief's example change: safe on PostgreSQL 11+, a table rewrite before. */
export const BRIEF_EXAMPLE = 'ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false';

export interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  table?: string;
}
export interface JsonStatement {
  file: string;
  line: number;
  column: number;
  sql: string;
  locks: { table: string; mode: string }[];
  rewritesTable: boolean;
  transactional: boolean;
  estimatedLockMs: number;
  findings: JsonFinding[];
}
export interface JsonReport {
  serverVersion: string | null;
  statements: JsonStatement[];
  assessment: { safe_to_deploy: boolean; recommended_approach: string };
  assumptions: string[];
}

/** The report printed by `--format json`; nothing may be on stderr. */
export function json(result: CliResult): JsonReport {
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as JsonReport;
}

export function rules(report: JsonReport): string[] {
  return report.statements.flatMap((s) => s.findings.map((f) => f.rule));
}

/** A usage error: exit 2, nothing on stdout, exactly one line on stderr matching `message`. */
export function expectUsageError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^[^\n]+\n$/);
  expect(result.stderr).toMatch(message);
}
