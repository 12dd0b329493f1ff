/** Written plan files on disk, where the tools (or their simulations) read them. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Plan } from '../../../../src/core/plan.js';
import { planWriter, type WriteOptions, type WrittenFile } from '../../../../src/api/write.js';

export const WRITE_OPTIONS: WriteOptions = { name: 'safe change', version: '20261125000000' };

export function writePlan(format: string, plan: Plan): WrittenFile[] {
  const writer = planWriter(format);
  if (!writer) throw new Error(`no writer for ${format}`);
  return writer.write(plan, WRITE_OPTIONS);
}

export interface PlanDir {
  dir: string;
  files: WrittenFile[];
  remove(): Promise<void>;
}

/** The plan written in `format` into a fresh temporary directory. */
export async function writePlanDir(format: string, plan: Plan): Promise<PlanDir> {
  const dir = await mkdtemp(join(tmpdir(), `sp-writer-${format}-`));
  const files = writePlan(format, plan);
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
  return { dir, files, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** File names in a directory, sorted the way the tools sort them (by name). */
export async function namesIn(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
}
