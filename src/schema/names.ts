/**
 * Names of the objects schemapilot creates (helper constraints, indexes, sync triggers and
 * their functions, shadow columns, archive tables), for the planner and the rules' safe
 * alternatives alike: one rule, counted in bytes, for every generated name.
 *
 * A server keeps a limited number of bytes of an identifier (PostgreSQL NAMEDATALEN-1 = 63)
 * and silently drops the rest, so two generated names that differ only past the limit would
 * name the same object ("relation … already exists"), and a name we later refer to in full
 * would not be found. A generated name that does not fit is cut at a character boundary and
 * gets a short hash of the full name, so it stays within the limit and stays distinct
 * (docs/decisions/0011-generated-names.md). Each dialect's safe SQL binds these to its
 * `capabilities.maxIdentifierBytes` through `generatedNames`; the plain exports are bound to
 * PostgreSQL's 63 bytes.
 */
import { createHash } from 'node:crypto';
import type { GeneratedNames } from '../core/dialect/safe-sql.js';

/** NAMEDATALEN - 1: the bytes of an identifier PostgreSQL keeps. */
export const MAX_IDENTIFIER_BYTES = 63;

const HASH_CHARS = 8;

const byLimit = new Map<number, GeneratedNames>();

/**
 * The naming rules for a server that keeps `maxBytes` bytes of an identifier; one object per
 * limit, so the rules' and the planner's namers are the same functions.
 */
export function generatedNames(maxBytes: number): GeneratedNames {
  const known = byLimit.get(maxBytes);
  if (known) return known;
  const bounded = (base: string, suffix: string) => boundedWithin(maxBytes, base, suffix);
  const object = (table: string, parts: readonly string[], suffix: string) =>
    bounded([bareName(table), ...parts].join('_'), `_${suffix}`);
  const names: GeneratedNames = {
    maxBytes,
    bounded,
    object,
    helper: (table, column, suffix) => object(table, [column], suffix),
    server: (table, columns, label) =>
      defaultNameWithin(maxBytes, bareName(table), columns.length > 0 ? columns.join('_') : null, label),
  };
  byLimit.set(maxBytes, names);
  return names;
}

const POSTGRES_NAMES = generatedNames(MAX_IDENTIFIER_BYTES);

/**
 * `base + suffix` when it fits in 63 bytes; otherwise `base` cut short + `_` + 8 hex digits of
 * the full name's sha256 + `suffix`. The suffix is kept whole, so the object's role still shows.
 */
export const boundedName: (base: string, suffix: string) => string = POSTGRES_NAMES.bounded;

/** `<table>_<part>…_<suffix>` (the table without its schema), within 63 bytes. */
export const objectName: (table: string, parts: readonly string[], suffix: string) => string =
  POSTGRES_NAMES.object;

/** A helper object (trigger, function, constraint, sequence) named after a table and column. */
export const helperName: (table: string, column: string, suffix: string) => string = POSTGRES_NAMES.helper;

/**
 * The name PostgreSQL itself gives an unnamed index or constraint (makeObjectName in
 * src/backend/commands/indexcmds.c): `<name1>_<name2>_<label>`, where the longer of name1 and
 * name2 is shortened a byte at a time until the whole fits in 63 bytes, each cut at a character
 * boundary. A plan gives an object the user left unnamed the name the server would have given
 * it, so the plan ends in the schema the statement as written would (validate compares them);
 * the helpers we add ourselves are named by `objectName`.
 */
export function postgresDefaultName(name1: string, name2: string | null, label: string | null): string {
  return defaultNameWithin(MAX_IDENTIFIER_BYTES, name1, name2, label);
}

/**
 * The name PostgreSQL gives an unnamed index (ChooseRelationName): `postgresDefaultName`, and
 * when that relation exists, the label numbered (`idx1`, `idx2`, …) until it does not.
 */
export function postgresRelationName(
  name1: string,
  name2: string | null,
  label: string,
  taken: (name: string) => boolean,
): string {
  let name = postgresDefaultName(name1, name2, label);
  for (let pass = 1; taken(name); pass++) name = postgresDefaultName(name1, name2, `${label}${pass}`);
  return name;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function bareName(table: string): string {
  return table.slice(table.indexOf('.') + 1);
}

function boundedWithin(maxBytes: number, base: string, suffix: string): string {
  const full = base + suffix;
  if (byteLength(full) <= maxBytes) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_CHARS);
  const tail = `_${hash}${suffix}`;
  const room = maxBytes - byteLength(tail);
  // A suffix too long to leave any room is itself cut: only our own callers pass suffixes.
  if (room < 0) return clip(`_${hash}${suffix}`, maxBytes);
  return clip(base, room) + tail;
}

function defaultNameWithin(
  maxBytes: number,
  name1: string,
  name2: string | null,
  label: string | null,
): string {
  // Only the underscores and the label are overhead: name1 and name2 share what is left.
  const overhead = (name2 !== null ? 1 : 0) + (label !== null ? byteLength(label) + 1 : 0);
  const available = maxBytes - overhead;
  let chars1 = byteLength(name1);
  let chars2 = name2 !== null ? byteLength(name2) : 0;
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) chars1--;
    else chars2--;
  }
  const parts = [clip(name1, chars1)];
  if (name2 !== null) parts.push(clip(name2, chars2));
  if (label !== null) parts.push(label);
  return parts.join('_');
}

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary. */
function clip(text: string, bytes: number): string {
  // Most names are ASCII (a byte per character) or fit whole: no walk through the characters.
  const length = byteLength(text);
  if (length <= bytes) return text;
  if (length === text.length) return text.slice(0, Math.max(bytes, 0));
  let used = 0;
  let out = '';
  for (const ch of text) {
    const size = byteLength(ch);
    if (used + size > bytes) break;
    used += size;
    out += ch;
  }
  return out;
}
