/**
 * Minimal colour for terminals. Colour is on only when writing to a TTY and NO_COLOR is unset
 * (https://no-color.org); FORCE_COLOR=1 turns it on for CI logs that render ANSI.
 */
export interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const colourPainter: Painter = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const identity = (s: string) => s;
export const plainPainter: Painter = {
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
};

export function painterFor(stream: { isTTY?: boolean }): Painter {
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return plainPainter;
  if (process.env['FORCE_COLOR'] === '1') return colourPainter;
  return stream.isTTY ? colourPainter : plainPainter;
}
