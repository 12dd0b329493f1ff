/**
 * The one schemapilot comment of a pull or merge request, platform-neutral: the hidden marker
 * that finds it again, the body cut to the platform's limit, and the flow list → update, else
 * create. Why a marker and list/update rather than a sticky-comment action:
 * docs/decisions/0026-one-pr-comment.md.
 */
import { InputError } from '../core/errors.js';
import { ApiError } from './http.js';

/** A comment (GitHub) or note (GitLab) as the flow needs it. */
export interface PostedComment {
  id: number;
  /** Where a person reads it, when the platform says. */
  url: string | null;
}

/** The REST calls of one platform for one pull or merge request (github.ts, gitlab.ts). */
export interface CommentTarget {
  /** 'GitHub' or 'GitLab'. */
  platform: string;
  /** 'comment' or 'note', as the platform calls it. */
  noun: string;
  /** `owner/repo#7`, `group/project!7`. */
  where: string;
  /** The longest body the platform accepts, in characters. */
  maxBody: number;
  /** The oldest comment whose body starts with `marker`, or null. */
  findMarked(marker: string): Promise<PostedComment | null>;
  update(id: number, body: string): Promise<PostedComment>;
  create(body: string): Promise<PostedComment>;
}

export type CommentOutcome =
  | { action: 'created' | 'updated'; comment: PostedComment }
  /** The platform refused (403/404: a fork's read-only token): nothing was posted. */
  | { action: 'skipped'; error: ApiError };

export const DEFAULT_MARKER_ID = 'report';

/** `<!-- schemapilot:ID -->`; an ID that could end the HTML comment early is refused. */
export function markerFor(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id))
    throw new InputError(
      `--marker must be letters, digits, ".", "_" or "-" (at most 64, starting with a letter or digit); got "${id}"`,
    );
  return `<!-- schemapilot:${id} -->`;
}

/** A schemapilot marker at the very top of a text, with the line break after it. */
const LEADING_MARKER = /^\s*<!-- schemapilot:[A-Za-z0-9._-]* -->[ \t]*(?:\r?\n)?/;

/** Whether a comment's body is the one `marker` names (at its top, as we write it). */
export function carriesMarker(body: string, marker: string): boolean {
  return body.trimStart().startsWith(marker);
}

/**
 * The body to post: the marker, then the report. A report that already starts with a
 * schemapilot marker has it replaced, so one body never carries two and `--marker` decides.
 */
export function markedBody(report: string, marker: string): string {
  return `${marker}\n${report.replace(LEADING_MARKER, '')}`;
}

/**
 * `text` cut to `size(text) <= limit`, at a line break when one is near, with an open code fence
 * closed and `note` as its last line. `size` counts what the limit counts (characters for
 * GitHub, bytes for a step summary).
 */
export function truncated(
  text: string,
  limit: number,
  note: (shown: number, total: number) => string,
  size: (s: string) => number = (s) => s.length,
): string {
  if (size(text) <= limit) return text;
  // Room for a closing fence (up to 8 backticks) and the note, whose numbers are at most as
  // long as the total's.
  const room = limit - size(`\n${'`'.repeat(8)}\n\n${note(text.length, text.length)}\n`);
  // The longest prefix that fits: a binary search, since a character may be several bytes.
  let cut = 0;
  for (let high = Math.min(text.length, Math.max(0, room)); cut < high;) {
    const middle = Math.ceil((cut + high) / 2);
    if (size(text.slice(0, middle)) <= room) cut = middle;
    else high = middle - 1;
  }
  // Never half a surrogate pair.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  const lineEnd = text.lastIndexOf('\n', cut);
  // At a line break, unless that throws away more than a tenth of what fits.
  if (lineEnd > cut * 0.9) cut = lineEnd;
  let kept = text.slice(0, cut).trimEnd();
  // A cut inside a code block would turn the note into code: close the block as it was opened.
  const fences = kept.split('\n').flatMap((line) => /^\s*(`{3,}|~{3,})/.exec(line)?.[1] ?? []);
  if (fences.length % 2 === 1) kept += `\n${fences.at(-1) ?? '```'}`;
  return `${kept}\n\n${note(cut, text.length)}\n`;
}

export function truncationNote(whereFull: string): (shown: number, total: number) => string {
  return (shown, total) =>
    `_… report truncated: ${shown} of ${total} characters shown; the full report is in ${whereFull}._`;
}

export interface PostOptions {
  marker: string;
  /** Where the full report can be read when the comment had to be cut. */
  whereFull: string;
  /** Attempts of the whole flow on server trouble (5xx, 429, no answer). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Update the marked comment, else create one. On server trouble the whole flow is retried,
 * listing again: a POST whose answer was lost may have created the comment, and the next
 * attempt then finds and updates it instead of adding a second one.
 */
export async function postOneComment(
  target: CommentTarget,
  report: string,
  options: PostOptions,
): Promise<CommentOutcome> {
  const body = truncated(
    markedBody(report, options.marker),
    target.maxBody,
    truncationNote(options.whereFull),
  );
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      const existing = await target.findMarked(options.marker);
      if (existing !== null) return { action: 'updated', comment: await target.update(existing.id, body) };
      return { action: 'created', comment: await target.create(body) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 403 || error.status === 404) return { action: 'skipped', error };
      if (!error.retryable || attempt >= attempts) throw error;
      await sleep(Math.min(error.retryAfterMs ?? 1000 * attempt, 10_000));
    }
  }
}
