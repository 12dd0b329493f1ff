/**
 * Names of the objects schemapilot creates (helper constraints, indexes, sync triggers and
 * their functions, shadow columns, archive tables), for the planner and the rules' safe
 * alternatives alike.
 *
 * PostgreSQL keeps NAMEDATALEN-1 = 63 bytes of an identifier and silently drops the rest, so
 * two generated names that differ only after byte 63 would name the same object ("relation …
 * already exists"), and a name we later refer to in full would not be found. A generated name
 * that does not fit is cut at a character boundary and gets a short hash of the full name, so
 * it stays within 63 bytes and stays distinct (docs/decisions/0011-generated-names.md).
 */
import { createHash } from 'node:crypto';

/** NAMEDATALEN - 1: the bytes of an identifier PostgreSQL keeps. */
export const MAX_IDENTIFIER_BYTES = 63;

const HASH_CHARS = 8;

/**
 * `base + suffix` when it fits in 63 bytes; otherwise `base` cut short + `_` + 8 hex digits of
 * the full name's sha256 + `suffix`. The suffix is kept whole, so the object's role still shows.
 */
export function boundedName(base: string, suffix: string): string {
  const full = base + suffix;
  if (byteLength(full) <= MAX_IDENTIFIER_BYTES) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_CHARS);
  const tail = `_${hash}${suffix}`;
  const room = MAX_IDENTIFIER_BYTES - byteLength(tail);
  // A suffix too long to leave any room is itself cut: only our own callers pass suffixes.
  if (room < 0) return clip(`_${hash}${suffix}`, MAX_IDENTIFIER_BYTES);
  return clip(base, room) + tail;
}

/** `<table>_<part>…_<suffix>` (the table without its schema), within 63 bytes. */
export function objectName(table: string, parts: readonly string[], suffix: string): string {
  const bare = table.slice(table.indexOf('.') + 1);
  return boundedName([bare, ...parts].join('_'), `_${suffix}`);
}

/** A helper object (trigger, function, constraint, sequence) named after a table and column. */
export function helperName(table: string, column: string, suffix: string): string {
  return objectName(table, [column], suffix);
}

/**
 * The name PostgreSQL itself gives an unnamed index or constraint (makeObjectName in
 * src/backend/commands/indexcmds.c): `<name1>_<name2>_<label>`, where the longer of name1 and
 * name2 is shortened a byte at a time until the whole fits in 63 bytes, each cut at a character
 * boundary. A plan gives an object the user left unnamed the name the server would have given
 * it, so the plan ends in the schema the statement as written would (validate compares them);
 * the helpers we add ourselves are named by `objectName`.
 */
export function postgresDefaultName(name1: string, name2: string | null, label: string | null): string {
  // Only the underscores and the label are overhead: name1 and name2 share what is left.
  const overhead = (name2 !== null ? 1 : 0) + (label !== null ? byteLength(label) + 1 : 0);
  const available = MAX_IDENTIFIER_BYTES - overhead;
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

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary. */
function clip(text: string, bytes: number): string {
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
