import { describe, expect, it } from 'vitest';
import { command, renderGithub } from '../../src/reporters/github.js';
import { analyzeSql, MIGRATIONS } from './support.js';

/**
 * Reads a workflow command as the Actions runner does (ActionCommand.TryParse): the command name
 * up to a space or `::`, `key=value` pairs split on `,`, the message after the next `::`, then
 * %-escapes undone. A value that is not escaped properly comes back different.
 */
function parseCommand(line: string): { name: string; props: Record<string, string>; message: string } {
  const match = /^::([^ :]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
  }
  return { name: match[1] ?? '', props, message: unescape(match[3] ?? '', false) };
}

function unescape(text: string, property: boolean): string {
  let out = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

describe('github workflow commands', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    const line = command('warning', [['title', 'a,b:c%d']], '50%\r\nnext: a,b');
    expect(line).toBe('::warning title=a%2Cb%3Ac%25d::50%25%0D%0Anext: a,b');
    expect(line.split('\n')).toHaveLength(1);
    expect(parseCommand(line)).toEqual({
      name: 'warning',
      props: { title: 'a,b:c%d' },
      message: '50%\r\nnext: a,b',
    });
  });

  it('annotates each finding at its file and line, with message and safe alternative intact', async () => {
    // A column name with %, comma and colon, in a file whose name has both too.
    const file = 'db/V3,users:cleanup.sql';
    const result = await analyzeSql('SELECT 1;\nALTER TABLE users DROP COLUMN "pct%,:x"', { file });
    const lines = renderGithub(result).trimEnd().split('\n');
    const findings = result.statements.flatMap((s) => s.findings);
    expect(findings.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(findings.length + 1);

    const drop = findings.find((f) => f.rule === 'drop-column');
    expect(drop?.message).toContain('pct%,:x');
    const parsed = lines.map(parseCommand);
    const annotation = parsed.find((p) => p.props['title'] === 'schemapilot drop-column');
    expect(annotation).toEqual({
      name: 'error',
      props: { file, line: '2', col: '1', title: 'schemapilot drop-column' },
      message: `${drop?.message}\n\nSafe alternative:\n${drop?.safeAlternative}`,
    });
    const warning = parsed.find((p) => p.props['title'] === 'schemapilot lock-timeout-missing');
    expect(warning?.name).toBe('warning');
  });

  it('a hostile name cannot end its annotation or start a workflow command of its own', async () => {
    // %, CR, LF, : and , in the file (a property) and in a column name (in the message), with an
    // already-escaped %0A and a would-be command after the line break.
    const file = 'db/V4,drop:%0A\r\n::error file=x::owned.sql';
    const column = 'x%0A\r\n::error file=y,line=1::pwned,:';
    const result = await analyzeSql(`ALTER TABLE users DROP COLUMN "${column}"`, { file });
    const findings = result.statements.flatMap((s) => s.findings);
    const output = renderGithub(result);
    const lines = output.trimEnd().split('\n');
    // One line per finding and the verdict: nothing else, and no stray CR.
    expect(lines).toHaveLength(findings.length + 1);
    expect(output).not.toContain('\r');
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) [^:]*::/);
    const drop = findings.find((f) => f.rule === 'drop-column');
    expect(drop?.message).toContain(column);
    const annotation = lines.map(parseCommand).find((p) => p.props['title'] === 'schemapilot drop-column');
    // The runner's own unescaping gives back the exact file and message.
    expect(annotation?.props['file']).toBe(file);
    expect(annotation?.message).toBe(`${drop?.message}\n\nSafe alternative:\n${drop?.safeAlternative}`);
    // A literal "%0A" in a name stays text: its % is escaped, so the runner cannot decode a newline.
    expect(lines.join('\n')).toContain('x%250A%0D%0A::error file=y,line=1::pwned,:');
  });

  it('maps info to notice and leaves out the file for inline SQL', async () => {
    const result = await analyzeSql(MIGRATIONS['unknown statements']?.sql ?? '', { file: '--change' });
    const parsed = renderGithub(result).trimEnd().split('\n').map(parseCommand);
    const info = parsed.find((p) => p.props['title'] === 'schemapilot unrecognized-statement');
    expect(info?.name).toBe('notice');
    expect(info?.props['file']).toBeUndefined();
  });

  it('ends with the verdict: error when not safe, notice when safe', async () => {
    const result = await analyzeSql(MIGRATIONS['unsafe']?.sql ?? '');
    const breaking = result.assessment.breaking_changes.length;
    const errors = result.statements.flatMap((s) => s.findings).filter((f) => f.severity === 'error').length;
    expect(errors).toBeGreaterThan(1);
    const unsafe = renderGithub(result).trimEnd().split('\n');
    expect(parseCommand(unsafe.at(-1) ?? '')).toMatchObject({
      name: 'error',
      message: expect.stringContaining(
        `Not safe to deploy: ${breaking} breaking change${breaking === 1 ? '' : 's'}, ${errors} errors`,
      ),
    });
    const safe = renderGithub(await analyzeSql(MIGRATIONS['safe']?.sql ?? ''))
      .trimEnd()
      .split('\n');
    expect(safe).toHaveLength(1);
    expect(parseCommand(safe[0] ?? '')).toMatchObject({
      name: 'notice',
      message: expect.stringMatching(/^Safe to deploy: 0 breaking changes/),
    });
  });
});
