/**
 * The `mysql` section of schemapilot.config.json: how MySQL/MariaDB plans do what only a table
 * copy can do on a large table (a type change, a charset conversion, a default computed per row).
 * - `pt-online-schema-change` (default; Percona Toolkit, `apt-get install percona-toolkit`):
 *   deploy runs it;
 * - `gh-ost`: the plan says how to run it (deploy does not start it);
 * - `none`: no tool; expand/contract where a recipe has one, else an explicit
 *   ALGORITHM=COPY, LOCK=SHARED step that blocks writes for the copy (with a warning).
 */
import { InputError } from '../core/errors.js';
import { SCHEMA_CHANGE_TOOLS, type SchemaChangeTool } from '../core/plan.js';

export const ONLINE_SCHEMA_CHANGE = [...SCHEMA_CHANGE_TOOLS, 'none'] as const;
export type OnlineSchemaChange = SchemaChangeTool | 'none';

export interface MysqlConfig {
  onlineSchemaChange: OnlineSchemaChange;
}

export const DEFAULT_MYSQL_CONFIG: MysqlConfig = { onlineSchemaChange: 'pt-online-schema-change' };

const KEYS = ['onlineSchemaChange'];

export function validateMysqlConfig(value: unknown, file: string): MysqlConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${file}: "mysql" must be an object`);
  const section = value as Record<string, unknown>;
  for (const key of Object.keys(section))
    if (!KEYS.includes(key))
      throw new InputError(`${file}: unknown key "mysql.${key}"; known keys: ${KEYS.join(', ')}`);
  const tool = section['onlineSchemaChange'];
  if (tool !== undefined && !ONLINE_SCHEMA_CHANGE.includes(tool as OnlineSchemaChange)) {
    const shown = typeof tool === 'string' && tool.length <= 40 ? JSON.stringify(tool) : typeof tool;
    throw new InputError(
      `${file}: "mysql.onlineSchemaChange" must be one of ${ONLINE_SCHEMA_CHANGE.map((t) => `"${t}"`).join(', ')}, got ${shown}`,
    );
  }
  return {
    ...DEFAULT_MYSQL_CONFIG,
    ...(tool !== undefined ? { onlineSchemaChange: tool as OnlineSchemaChange } : {}),
  };
}
