/**
 * Sqitch: `sqitch.plan` lists changes in deploy order; each change's script is
 * `deploy/<change>.sql`. A reworked change appears more than once in the plan: its earlier
 * versions live in `deploy/<change>@<tag>.sql`, named after the first tag that follows them
 * (App::Sqitch::Plan, App::Sqitch::Plan::Change->path_segments).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

type PlanLine = { kind: 'change'; name: string } | { kind: 'tag'; name: string };

export function sqitchDeployScripts(root: string): string[] {
  const planPath = join(root, 'sqitch.plan');
  const lines = readFileSync(planPath, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('%') && !l.startsWith('#'))
    .map((l): PlanLine => {
      const name = l.split(/\s+/)[0] ?? '';
      return name.startsWith('@') ? { kind: 'tag', name: name.slice(1) } : { kind: 'change', name };
    });
  const paths: string[] = [];
  lines.forEach((line, i) => {
    if (line.kind !== 'change') return;
    const later = lines.slice(i + 1);
    const reworkedLater = later.some((l) => l.kind === 'change' && l.name === line.name);
    const tag = reworkedLater ? later.find((l) => l.kind === 'tag')?.name : undefined;
    const file = tag ? `${line.name}@${tag}.sql` : `${line.name}.sql`;
    const path = join(root, 'deploy', file);
    if (!existsSync(path))
      throw new InputError(`${planPath} lists change ${line.name}, but ${path} is missing`);
    paths.push(path);
  });
  return paths;
}
