/**
 * JSON with object keys sorted at every level, so equal data always gives equal bytes
 * (hashes, snapshot files, golden tests). Arrays keep their order: the producer sorts them
 * where order carries no meaning.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/**
 * The value with every object's keys sorted. Objects and arrays that are already in order are
 * returned as they are, not copied: snapshots are built with sorted keys, and copying the
 * 200,000 objects of a 5,000-table schema would double the cost of writing it.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = sortKeys(item);
      if (sorted !== item && !copy) copy = value.slice(0, i);
      copy?.push(sorted);
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const inOrder = isSorted(keys);
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  const ordered = inOrder ? keys : keys.sort();
  for (let i = 0; i < ordered.length; i++) {
    const key = ordered[i] as string;
    const child = record[key];
    const sorted = sortKeys(child);
    if (sorted !== child && !copy) {
      copy = {};
      for (let j = 0; j < i; j++) copy[ordered[j] as string] = record[ordered[j] as string];
    }
    if (copy && sorted !== undefined) copy[key] = sorted;
  }
  return copy ?? value;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/**
 * `canonicalJson(value, indent)` in pieces: the top-level object's arrays are yielded one
 * element at a time, so a 24 MB snapshot is written without ever being one string.
 * Concatenated, the pieces equal `canonicalJson(value, indent)`.
 */
export function* canonicalJsonChunks(value: unknown, indent = 2): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    yield canonicalJson(value, indent);
    return;
  }
  const record = sortKeys(value) as Record<string, unknown>;
  const pad = ' '.repeat(indent);
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function');
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (const [i, key] of keys.entries()) {
    const child = record[key];
    yield `${i > 0 ? ',' : ''}\n${pad}${JSON.stringify(key)}: `;
    if (Array.isArray(child) && child.length > 0) {
      yield '[';
      for (const [j, item] of child.entries()) {
        const text = JSON.stringify(item === undefined ? null : item, null, indent) ?? 'null';
        yield `${j > 0 ? ',' : ''}\n${pad}${pad}${text.replace(/\n/g, `\n${pad}${pad}`)}`;
      }
      yield `\n${pad}]`;
    } else {
      yield (JSON.stringify(child, null, indent) ?? 'null').replace(/\n/g, `\n${pad}`);
    }
  }
  yield '\n}';
}
