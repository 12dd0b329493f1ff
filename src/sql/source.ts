/**
 * Positions in SQL text. Parsers report UTF-8 byte offsets (libpg-query does); editors and
 * `file:line:column` want 1-based lines and columns in characters. A SourceText maps between
 * them once per file.
 */
export class SourceText {
  readonly text: string;
  private readonly lineStarts: number[];
  /** char offset for each byte offset, only built for non-ASCII text */
  private byteToChar: Uint32Array | null;

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    // eslint-disable-next-line no-control-regex
    this.byteToChar = /^[\x00-\x7f]*$/.test(text) ? null : buildByteMap(text);
  }

  /** Character offset of a UTF-8 byte offset. */
  charOffset(byteOffset: number): number {
    if (this.byteToChar === null) return byteOffset;
    return this.byteToChar[Math.min(byteOffset, this.byteToChar.length - 1)] ?? this.text.length;
  }

  /** 1-based line and column (in characters) of a character offset. */
  position(charOffset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= charOffset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: charOffset - (this.lineStarts[lo] ?? 0) + 1 };
  }
}

function buildByteMap(text: string): Uint32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Uint32Array(bytes + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) map[byte + k] = i;
    byte += width;
    if (code >= 0x10000) i++; // surrogate pair: one code point, two UTF-16 units
  }
  map[bytes] = text.length;
  return map;
}

/** Comments (`-- …` and `/* … *\/`) found in a stretch of SQL between statements. */
export function commentsIn(text: string): string[] {
  const out: string[] = [];
  const re = /--[^\n]*|\/\*[\s\S]*?\*\//g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[0]);
  return out;
}
