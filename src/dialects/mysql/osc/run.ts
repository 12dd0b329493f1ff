/**
 * Running an online schema change step: the tool's command line from the plan's arguments and
 * the deploy's target. The password goes to a defaults file only the current user can read
 * (both tools take one: pt-online-schema-change `--defaults-file`, gh-ost `--conf`), never to
 * the command line, where `ps` would show it to every user of the machine.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemapilotError } from '../../../core/errors.js';
import type { ToolRun } from '../../../core/plan.js';
import type { MysqlConnInfo } from '../url.js';

/** An option file value: quoted, with the escapes option files know. */
function optionValue(value: string): string {
  if (/[\0]/.test(value))
    throw new SchemapilotError('a password with a NUL byte cannot go in an option file');
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  if (!escaped.includes('"')) return `"${escaped}"`;
  if (!escaped.includes("'")) return `'${escaped}'`;
  throw new SchemapilotError(
    'the password holds both quote characters, which a MySQL option file cannot hold: run the tool step by hand',
  );
}

/** `[client]` section with the user and password of the target. */
export function defaultsFileText(info: MysqlConnInfo): string {
  const lines = ['[client]', `user=${optionValue(info.user)}`];
  if (info.password !== undefined) lines.push(`password=${optionValue(info.password)}`);
  return `${lines.join('\n')}\n`;
}

/** Where the tool connects; the password is in the defaults file, never here. */
export interface ToolTarget {
  host: string;
  port: number;
  /** Left out of the command line when empty: the defaults file names the user. */
  user: string;
  /** The database a step whose table names none runs on: the target's. */
  database: string | undefined;
}

/** The command and arguments; `defaultsFile` holds the user and password. */
export function toolArgv(
  run: ToolRun,
  target: ToolTarget,
  defaultsFile: string,
): { command: string; args: string[] } {
  const database = run.database ?? target.database;
  if (database === undefined)
    throw new SchemapilotError(
      `${run.name} needs a database: the target names none, and the step's table ${run.table} names none either`,
      { exitCode: 2 },
    );
  if (run.name === 'gh-ost')
    return {
      command: 'gh-ost',
      args: [
        `--conf=${defaultsFile}`,
        `--host=${target.host}`,
        `--port=${target.port}`,
        `--database=${database}`,
        `--table=${run.table}`,
        `--alter=${run.alter}`,
        ...run.args,
      ],
    };
  // A DSN value cannot hold `,` or `=`: such names are refused rather than cut wrong.
  const parts: [string, string][] = [
    ['h', target.host],
    ['P', String(target.port)],
    ...(target.user ? [['u', target.user] as [string, string]] : []),
    ['D', database],
    ['t', run.table],
  ];
  for (const [key, value] of parts)
    if (/[,=]/.test(value))
      throw new SchemapilotError(
        `pt-online-schema-change cannot take ${key}=${value}: a DSN value holds no "," or "="`,
        {
          exitCode: 2,
        },
      );
  return {
    command: 'pt-online-schema-change',
    args: [
      `--defaults-file=${defaultsFile}`,
      `--alter=${run.alter}`,
      ...run.args,
      parts.map(([k, v]) => `${k}=${v}`).join(','),
    ],
  };
}

/** A shell word: single-quoted unless plain. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line as people run it by hand: host, port and database as placeholders unless
 * given, `my.cnf` standing for a defaults file with the user and password.
 */
export function toolCommandLine(run: ToolRun, target?: Partial<ToolTarget>): string {
  const { command, args } = toolArgv(
    run,
    {
      host: target?.host ?? 'HOST',
      port: target?.port ?? 3306,
      user: '',
      database: target?.database ?? 'DATABASE',
    },
    'my.cnf',
  );
  return [command, ...args].map(shellWord).join(' ');
}

export interface ToolOutcome {
  /** The last lines the tool printed (stdout and stderr), for the journal and errors. */
  tail: string;
}

/** Run the tool to the end; an error naming the tool and its last words when it fails. */
export async function runTool(run: ToolRun, info: MysqlConnInfo): Promise<ToolOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'schemapilot-osc-'));
  const file = join(dir, 'my.cnf');
  try {
    writeFileSync(file, defaultsFileText(info), { mode: 0o600 });
    chmodSync(file, 0o600);
    const { command, args } = toolArgv(run, info, file);
    return await spawnTool(command, args, run, `${run.database ?? info.database ?? ''}.${run.table}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnTool(command: string, args: string[], run: ToolRun, where: string): Promise<ToolOutcome> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const keep = (chunk: Buffer) => {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      if (lines.length > 40) lines.splice(0, lines.length - 40);
    };
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new SchemapilotError(
          error.code === 'ENOENT'
            ? `${command} is not installed: ${run.name === 'gh-ost' ? 'see https://github.com/github/gh-ost/releases' : 'apt-get install percona-toolkit'}, or plan with "mysql": { "onlineSchemaChange": "none" }`
            : `${command} could not start: ${error.message}`,
          { exitCode: 1, cause: error },
        ),
      );
    });
    child.on('close', (code, signal) => {
      const tail = lines.slice(-12).join('\n');
      if (code === 0) resolve({ tail });
      else
        reject(
          new SchemapilotError(
            `${command} on ${where} failed (${signal ? `signal ${signal}` : `exit ${code}`}):\n${tail}`,
            { exitCode: 1 },
          ),
        );
    });
  });
}
