/** Orderings migration tools use for their files. */

/** `2_x.sql` before `10_x.sql`: digits compare as numbers, the rest as text. */
export function naturalCompare(a: string, b: string): number {
  return NATURAL.compare(a, b);
}

// One collator for every comparison: localeCompare with options builds one per call.
const NATURAL = new Intl.Collator('en', { numeric: true });

/** Dotted versions part by part, as numbers; missing parts count as 0 (so 1 = 1.0). */
export function compareVersions(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `1.1`, `1_1`, `20240101120000` → parts as bigints (timestamps exceed 2^53 in some tools). */
export function versionParts(version: string): bigint[] {
  return version.split(/[._]/).map((p) => BigInt(p));
}
