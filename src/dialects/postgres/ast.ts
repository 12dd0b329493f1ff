/**
 * Small typed helpers over libpg-query's AST (types from @pgsql/types). A node is an object
 * with one key naming its type: `{ ColumnDef: { … } }`.
 */
import type { Node, RangeVar, TypeName } from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import type { Expr, TypeRef } from '../../core/change.js';
import { quoteIdent } from './quote.js';

/** The node's type name (`ColumnDef`), or '' for a missing node. */
export function nodeType(node: unknown): string {
  if (node === null || typeof node !== 'object') return '';
  for (const key in node) return key;
  return '';
}

/** The payload of a node of the given type, or undefined when it is another type. */
export function as<T>(node: unknown, type: string): T | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<string, T | undefined>)[type];
}

/** `{ String: { sval } }` → sval. */
export function str(node: unknown): string {
  return as<{ sval?: string }>(node, 'String')?.sval ?? '';
}

/** A list of String nodes (a qualified name) → its parts. */
export function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map(str);
}

/** Resolve `[schema.]name` against the default schema: the key used for tables everywhere. */
export function qualify(schema: string | undefined, name: string, defaultSchema: string): string {
  return `${schema || defaultSchema}.${name}`;
}

export function rangeVarName(rv: RangeVar | undefined, defaultSchema: string): string {
  return qualify(rv?.schemaname, rv?.relname ?? '', defaultSchema);
}

/** A name given as a list of strings (DROP TABLE a.b, ALTER TYPE x): qualified. */
export function listName(parts: readonly string[], defaultSchema: string): string {
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return qualify(schema, name, defaultSchema);
}

/** SQL text of a node, deparsed on one line. */
export function deparse(node: unknown): string {
  try {
    return deparseSync(node as Node, { pretty: false }).trim();
  } catch {
    return '';
  }
}

/** Visit every node under `node` (depth first), including itself. */
export function walk(node: unknown, visit: (type: string, payload: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  // for…in rather than Object.entries: no pair arrays per key (the AST is parsed JSON: own keys only).
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (value === null || typeof value !== 'object') continue;
    // A node type: its name starts with an upper-case letter (`ColumnDef`), a field's does not.
    const first = key.charCodeAt(0);
    if (!Array.isArray(value) && first >= 65 && first <= 90) visit(key, value as Record<string, unknown>);
    walk(value, visit);
  }
}

/** An expression: its SQL, the functions it calls, and whether it is a plain literal. */
export function expr(node: unknown): Expr {
  const functions: string[] = [];
  walk(node, (type, payload) => {
    if (type === 'FuncCall')
      functions.push(
        names(payload['funcname'] as Node[])
          .join('.')
          .toLowerCase(),
      );
    // SQLValueFunction covers CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_USER …: all stable.
    if (type === 'SQLValueFunction') functions.push('current_timestamp');
  });
  return { sql: deparse(node), functions, constant: isConstant(node) };
}

function isConstant(node: unknown): boolean {
  const type = nodeType(node);
  if (type === 'A_Const') return true;
  if (type === 'TypeCast') return isConstant(as<{ arg?: Node }>(node, 'TypeCast')?.arg);
  // -1 parses as a unary minus expression around a constant
  if (type === 'A_Expr') {
    const e = as<{ kind?: string; lexpr?: Node; rexpr?: Node; name?: Node[] }>(node, 'A_Expr');
    return (
      e?.kind === 'AEXPR_OP' && e.lexpr === undefined && names(e.name).join() === '-' && isConstant(e.rexpr)
    );
  }
  return false;
}

/** Integer value of an A_Const (type modifiers, SET values). */
export function intConst(node: unknown): number | undefined {
  const c = as<{ ival?: { ival?: number }; isnull?: boolean }>(node, 'A_Const');
  if (!c || c.isnull || !('ival' in c)) return undefined;
  return c.ival?.ival ?? 0; // protobuf leaves out zero: `ival: {}` is 0
}

const SERIALS: Record<string, { base: string; serial: TypeRef['serial'] }> = {
  smallserial: { base: 'int2', serial: 'smallserial' },
  serial2: { base: 'int2', serial: 'smallserial' },
  serial: { base: 'int4', serial: 'serial' },
  serial4: { base: 'int4', serial: 'serial' },
  bigserial: { base: 'int8', serial: 'bigserial' },
  serial8: { base: 'int8', serial: 'bigserial' },
};

/** Internal names of built-in types, as `format_type` spells them for people. */
const DISPLAY: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  varbit: 'bit varying',
};

/** Aliases people write that are not catalog names (the parser maps most to pg_catalog.x). */
const ALIASES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  boolean: 'bool',
  real: 'float4',
  'double precision': 'float8',
  decimal: 'numeric',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'bit varying': 'varbit',
};

export function typeRef(tn: TypeName | undefined): TypeRef {
  const parts = names(tn?.names);
  const builtin = parts.length === 2 && parts[0] === 'pg_catalog';
  // The parser has already folded unquoted names to lower case; quoted ones keep theirs.
  const last = parts[parts.length - 1] ?? '';
  const serial = parts.length === 1 ? SERIALS[last] : undefined;
  const name = serial
    ? serial.base
    : builtin || parts.length === 1
      ? (ALIASES[last] ?? last)
      : parts.join('.');
  const modifiers = (tn?.typmods ?? []).map((m) => intConst(m) ?? 0);
  const arrayDims = tn?.arrayBounds?.length ?? 0;
  return makeTypeRef(
    name,
    modifiers,
    arrayDims,
    serial?.serial,
    builtin || parts.length === 1 ? undefined : parts,
  );
}

export function makeTypeRef(
  name: string,
  modifiers: number[],
  arrayDims: number,
  serial?: TypeRef['serial'],
  qualifiedParts?: string[],
): TypeRef {
  const base =
    serial ??
    DISPLAY[name] ??
    (qualifiedParts ? qualifiedParts.map(quoteIdent).join('.') : quoteIdentIfUser(name));
  const sql = withModifiers(name, base, modifiers) + '[]'.repeat(arrayDims);
  return serial ? { name, modifiers, arrayDims, sql, serial } : { name, modifiers, arrayDims, sql };
}

function quoteIdentIfUser(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdent(name);
}

function withModifiers(name: string, display: string, modifiers: readonly number[]): string {
  if (modifiers.length === 0) return display;
  const mods = `(${modifiers.join(',')})`;
  // format_type puts the precision inside: "timestamp(3) with time zone".
  const split = /^(timestamp|time)( with(?:out)? time zone)$/.exec(display);
  if (split && (name === 'timestamptz' || name === 'timestamp' || name === 'timetz' || name === 'time')) {
    return `${split[1]}${mods}${split[2]}`;
  }
  return `${display}${mods}`;
}

/**
 * Parse a type as `format_type` prints it in a snapshot (`character varying(255)`,
 * `timestamp(3) with time zone`, `numeric(10,2)[]`) into the same TypeRef shape, so a column's
 * current type and a migration's new type can be compared.
 */
export function typeRefFromCatalog(formatted: string): TypeRef {
  let text = formatted.trim();
  let arrayDims = 0;
  while (text.endsWith('[]')) {
    arrayDims++;
    text = text.slice(0, -2);
  }
  let modifiers: number[] = [];
  const m = /^(.*?)\(([\d,\s]+)\)(.*)$/.exec(text);
  if (m) {
    modifiers = (m[2] ?? '').split(',').map((x) => Number(x.trim()));
    text = `${m[1] ?? ''}${m[3] ?? ''}`.trim();
  }
  const unquoted = text.replace(/"([^"]*)"/g, '$1');
  const name = ALIASES[unquoted] ?? unquoted;
  return makeTypeRef(name, modifiers, arrayDims);
}
