/**
 * Hostile inputs that are not SQL problems: bytes that are not UTF-8, inputs without end,
 * paths that loop or point nowhere, outputs that cannot be written, directories that cannot be
 * made. Each must end with one line on stderr and exit code 2, within seconds, never with an
 * internal error, Node's exit code 13 or a hang.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/core/make-directory.js';
import { runCli } from '../support/cli.js';
import { expectUsageError } from '../cli/support.js';

const dir = mkdtempSync(join(tmpdir(), 'sp-bad-input-'));

describe('bad input files', () => {
  it('invalid UTF-8 is refused at the line and column of the first bad byte', async () => {
    const file = join(dir, 'latin1.sql');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('SELECT 1;\nALTER TABLE t ADD COLUMN caf'),
        Buffer.from([0xe9]),
        Buffer.from(' int;\n'),
      ]),
    );
    expectUsageError(
      await runCli(['analyze', file]),
      new RegExp(`^${file}:2:29: not valid UTF-8 \\(byte 0xE9\\)`),
    );
  });

  it('invalid UTF-8 on standard input too', async () => {
    // runCli sends a JS string as UTF-8: raw bytes go through a shell redirect.
    const file = join(dir, 'raw.bin');
    writeFileSync(file, Buffer.from([0x53, 0x45, 0xff]));
    const out = execFileSync(
      'sh',
      ['-c', `node --import tsx src/cli/main.ts analyze - < ${file} 2>&1; echo "rc=$?"`],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/^<stdin>:1:3: not valid UTF-8 \(byte 0xFF\)/);
    expect(out).toMatch(/rc=2\s*$/);
  });

  it('an input without end (/dev/zero) is refused at the size limit', async () => {
    const result = await runCli(['analyze', '/dev/zero'], { env: { SCHEMAPILOT_MAX_INPUT_MB: '1' } });
    expectUsageError(result, /^schemapilot: \/dev\/zero: larger than 1 MB/);
  });

  it('standard input or a path given twice is refused, not waited on', async () => {
    expectUsageError(
      await runCli(['analyze', '-', '-'], { input: 'SELECT 1;' }),
      /"-" \(standard input\) is given more than once/,
    );
    const file = join(dir, 'once.sql');
    writeFileSync(file, 'SELECT 1;');
    expectUsageError(await runCli(['analyze', file, file]), /once\.sql is given more than once/);
  });

  it('a loop of symbolic links, and a link to nothing', async () => {
    const a = join(dir, 'loop-a.sql');
    const b = join(dir, 'loop-b.sql');
    symlinkSync(b, a);
    symlinkSync(a, b);
    expectUsageError(
      await runCli(['analyze', a]),
      /cannot read .*loop-a\.sql: too many levels of symbolic links/,
    );
    const dangling = join(dir, 'dangling.sql');
    symlinkSync(join(dir, 'nowhere.sql'), dangling);
    expectUsageError(
      await runCli(['analyze', dangling]),
      /dangling\.sql: a symbolic link to a file that does not exist/,
    );
  });
});

describe('outputs that cannot be written', () => {
  it('a full disk (-o /dev/full)', async () => {
    expectUsageError(
      await runCli(['analyze', '--change', 'SELECT 1', '-o', '/dev/full']),
      /--output \/dev\/full: cannot write: no space left on device/,
    );
  });

  it('a directory that cannot be made (under /proc) ends at once instead of looping', async () => {
    expect(() => makeDirectory('/proc/schemapilot-test/a/b')).toThrow(/ENOENT|no such file/);
    const result = await runCli([
      'plan',
      '--change',
      'ALTER TABLE users ADD COLUMN a int',
      '--format',
      'flyway',
      '--dir',
      '/proc/schemapilot-test/x',
    ]);
    expectUsageError(
      result,
      /--dir \/proc\/schemapilot-test\/x\/.*: cannot write: no such file or directory/,
    );
  });

  it('makeDirectory makes missing parents and accepts existing ones', () => {
    const target = join(dir, 'a', 'b', 'c');
    makeDirectory(target);
    makeDirectory(target);
    expect(() => makeDirectory(join(dir, 'once.sql', 'x'))).toThrow(/not a directory/);
  });
});
