/** Code-unit order: independent of the machine's locale, so output is the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Items by name, in code-unit order (sorts in place and returns the array). */
export function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareStrings(a.name, b.name));
}

/** Items grouped by a key, each group in the items' order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Schema, then name: the order of a snapshot's tables and views. */
export function bySchemaAndName(
  a: { schema: string; name: string },
  b: { schema: string; name: string },
): number {
  return compareStrings(a.schema, b.schema) || compareStrings(a.name, b.name);
}
