/**
 * `npm run new:reporter -- <name> [--root <dir>]`: one more analysis report format
 * (`schemapilot analyze --format <name>`).
 *
 * Writes src/reporters/<name>.ts (a renderer that throws "not implemented") and
 * test/reporters/<name>.test.ts, and registers the format in src/reporters/index.ts: last in
 * REPORT_FORMATS (which `analyze --format` and its help read) and a case in renderReport. No
 * JSON schema lists report formats, so `npm run gen:schemas` has nothing to regenerate. The
 * generated test fails until the renderer is written. When index.ts is not laid out as
 * expected, the files are still written and the lines to add are printed instead. `--root` (or
 * SCHEMAPILOT_ROOT) points at another checkout.
 *
 * Refuses, with one line on stderr and exit code 2, a name that is not kebab-case, a format
 * REPORT_FORMATS already has, or a file that exists; nothing is written then.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaffoldError, formatAll, isMainModule, parseScaffoldArgs, runScaffold } from './scaffold-lib.js';

export { ScaffoldError };

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const INDEX = join('src', 'reporters', 'index.ts');
const FORMATS_RE = /export const REPORT_FORMATS = \[([^\]]*)\] as const;/;

/** `junit-xml` → `renderJunitXml`. */
export function renderName(name: string): string {
  return `render${name.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase())}`;
}

export interface ReporterScaffold {
  written: string[];
  manual: string[];
}

export async function scaffoldReporter(name: string, root: string): Promise<ReporterScaffold> {
  if (!KEBAB.test(name)) throw new ScaffoldError(`"${name}" is not a kebab-case format name (e.g. junit)`);
  const indexPath = join(root, INDEX);
  if (!existsSync(indexPath)) throw new ScaffoldError(`${indexPath}: no report formats here (use --root)`);
  const index = readFileSync(indexPath, 'utf8');
  const formats = [...(FORMATS_RE.exec(index)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
  if (formats.includes(name)) throw new ScaffoldError(`report format "${name}" already exists`);
  const paths = {
    reporter: join('src', 'reporters', `${name}.ts`),
    test: join('test', 'reporters', `${name}.test.ts`),
  };
  const taken = Object.values(paths).find((p) => existsSync(join(root, p)));
  if (taken) throw new ScaffoldError(`${taken} already exists`);

  const fn = renderName(name);
  // The renderer's name must not clash with a name the registry already declares (renderReport).
  if (new RegExp(`\\b${fn}\\b`).test(index))
    throw new ScaffoldError(
      `"${name}" would name its renderer ${fn}, which src/reporters/index.ts already uses`,
    );
  const importLine = `import { ${fn} } from './${name}.js';`;
  const registered = register(index, name, importLine, fn);
  const manual =
    registered === null
      ? [
          `src/reporters/index.ts: add \`${importLine}\`, '${name}' at the end of REPORT_FORMATS, and ` +
            `\`case '${name}': return ${fn}(result);\` to the switch of renderReport`,
        ]
      : [];
  const files = new Map<string, string>([
    [paths.reporter, reporterTemplate(name, fn)],
    [paths.test, testTemplate(name)],
  ]);
  if (registered !== null) files.set(INDEX, registered);
  const formatted = await formatAll(root, files);
  for (const [path, text] of formatted) writeFileSync(join(root, path), text);
  return { written: [...formatted.keys()], manual };
}

/** The import among the others (path order), the format last, the case last in the switch. */
function register(index: string, name: string, importLine: string, fn: string): string | null {
  if (!FORMATS_RE.test(index)) return null;
  const lines = index
    .replace(
      FORMATS_RE,
      (_m, list: string) =>
        `export const REPORT_FORMATS = [${list.trim().replace(/,$/, '')}, '${name}'] as const;`,
    )
    .split('\n');
  const imports = lines.flatMap((l, i) => {
    const m = /^import (?:type )?\{[^}]*\} from '\.\/([a-z0-9-]+)\.js';$/.exec(l);
    return m ? [{ line: i, path: m[1] ?? '' }] : [];
  });
  const last = imports[imports.length - 1];
  const render = lines.findIndex((l) => l.startsWith('export function renderReport('));
  const open = lines.findIndex((l, i) => i > render && l === '  switch (format) {');
  const close = lines.findIndex((l, i) => i > open && l === '  }');
  if (!last || render < 0 || open < 0 || close < 0) return null;
  lines.splice(close, 0, `    case '${name}':`, `      return ${fn}(result);`);
  const after = imports.find((i) => i.path > name);
  lines.splice(after ? after.line : last.line + 1, 0, importLine);
  return lines.join('\n');
}

function reporterTemplate(name: string, fn: string): string {
  return `import type { AnalysisResult } from '../core/analysis.js';
import { SchemapilotError } from '../core/errors.js';

/**
 * TODO: ${name}: who reads it (a CI system, a code review tool, a person) and the
 * specification of the format, with its URL: https://…
 *
 * Pure: (result) → string, no I/O; what the report needs besides the result (the tool's
 * version) comes from ReportContext in ./index.ts. Say what analyze --format text says: each
 * finding with its rule, severity, message and place (file, line, column), the safe
 * alternative, and the verdict (result.assessment.safe_to_deploy) — the exit code is the CLI's,
 * the same for every format. Links to rule pages come from ./links.ts; findings in inline SQL
 * (file "--change" or "<stdin>") have no file in the repository.
 */
export function ${fn}(_result: AnalysisResult): string {
  throw new SchemapilotError('analyze --format ${name} is not implemented yet (src/reporters/${name}.ts)');
}
`;
}

function testTemplate(name: string): string {
  return `/**
 * analyze --format ${name} (src/reporters/${name}.ts) on real analyses of the migrations every
 * format must handle (./support.ts). These tests fail until the renderer is written.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { analyzeSql, MIGRATIONS } from './support.js';

describe('${name} report', () => {
  for (const [label, migration] of Object.entries(MIGRATIONS)) {
    it(\`\${label}: names every finding's rule\`, async () => {
      const result = await analyzeSql(migration.sql, migration.schema === null ? { schema: null } : {});
      const out = renderReport(result, '${name}', { toolVersion: '0.0.0-test' });
      expect(out).not.toBe('');
      for (const finding of result.statements.flatMap((s) => s.findings)) expect(out).toContain(finding.rule);
    });
  }

  // Check the output with the format's own parser or validator (as sarif.test.ts validates
  // against the SARIF schema), with the expected values taken from the specification.
  it.todo('is valid ${name} by its specification');
  it.todo('says whether the migration is safe to deploy');
});
`;
}

export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { name: string; root: string } {
  return parseScaffoldArgs(argv, env, { command: 'new:reporter', what: 'format', placeholder: '<name>' });
}

if (isMainModule(import.meta.url))
  void runScaffold('new:reporter', async () => {
    const { name, root } = parseArgs(process.argv.slice(2));
    const { written, manual } = await scaffoldReporter(name, root);
    return {
      root,
      written,
      manual,
      next: `fill in the TODOs, document it under "Output formats" in README.md, then npx vitest run test/reporters/${name}.test.ts`,
    };
  });
