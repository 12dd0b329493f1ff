/**
 * The pieces of the comment flow that need no server: the marker, the cut to a platform's limit,
 * the Link header, and the workflow-command escaping.
 */
import { describe, expect, it } from 'vitest';
import { carriesMarker, markedBody, markerFor, truncated, truncationNote } from '../../src/ci/comment.js';
import { nextLink } from '../../src/ci/github.js';
import { warningCommand } from '../../src/ci/step-summary.js';

const note = truncationNote('the artifacts');

describe('the marker', () => {
  it('is prepended once, replacing a schemapilot marker the report already starts with', () => {
    const marker = markerFor('fleet');
    expect(marker).toBe('<!-- schemapilot:fleet -->');
    expect(markedBody('# Report\n', marker)).toBe('<!-- schemapilot:fleet -->\n# Report\n');
    expect(markedBody('<!-- schemapilot:report -->\n# Report\n', marker)).toBe(
      '<!-- schemapilot:fleet -->\n# Report\n',
    );
    expect(markedBody('<!-- not ours -->\n# Report\n', marker)).toBe(
      '<!-- schemapilot:fleet -->\n<!-- not ours -->\n# Report\n',
    );
  });

  it('is recognised at the top of a body only, and only with its own id', () => {
    const marker = markerFor('report');
    expect(carriesMarker('\n<!-- schemapilot:report -->\nx', marker)).toBe(true);
    expect(carriesMarker('see <!-- schemapilot:report -->', marker)).toBe(false);
    expect(carriesMarker('<!-- schemapilot:report-2 -->\nx', marker)).toBe(false);
  });

  it('refuses an id that could close the HTML comment', () => {
    expect(() => markerFor('a -->')).toThrow(/--marker must be/);
    expect(() => markerFor('')).toThrow(/--marker must be/);
  });
});

describe('the cut to a limit', () => {
  it('leaves a text within the limit alone', () => {
    expect(truncated('short\n', 100, note)).toBe('short\n');
  });

  it('cuts at a line break, closes an open code fence and ends with the note, within the limit', () => {
    const text = ['```sql', ...Array.from({ length: 400 }, (_, i) => `SELECT ${i};`), '```'].join('\n');
    const cut = truncated(text, 1000, note);
    expect(cut.length).toBeLessThanOrEqual(1000);
    const lines = cut.split('\n');
    expect(lines.filter((l) => l.startsWith('SELECT')).every((l) => /^SELECT \d+;$/.test(l))).toBe(true);
    expect(lines.filter((l) => l === '```')).toHaveLength(1);
    expect(cut).toMatch(
      /\n```\n\n_… report truncated: \d+ of \d+ characters shown; the full report is in the artifacts\._\n$/,
    );
  });

  it('closes a ~~~ block with ~~~', () => {
    const text = ['~~~', ...Array.from({ length: 400 }, (_, i) => `line ${i}`), '~~~'].join('\n');
    expect(truncated(text, 500, note)).toMatch(/\nline \d+\n~~~\n\n_… report truncated/);
  });

  it('counts bytes when told to, and never splits a character', () => {
    const text = '😀'.repeat(2000); // 4 bytes each in UTF-8, two UTF-16 units
    const cut = truncated(text, 1024, note, (s) => Buffer.byteLength(s));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(cut)).toBeGreaterThan(800);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('the Link header', () => {
  const api = 'https://ghe.example.com/api/v3';
  it('gives the rel="next" URL, whatever the order and spacing', () => {
    expect(
      nextLink(
        '<https://ghe.example.com/api/v3/repositories/1/issues/7/comments?page=1>; rel="prev", <https://ghe.example.com/api/v3/repositories/1/issues/7/comments?page=3>;rel="next"',
        api,
      ),
    ).toBe('https://ghe.example.com/api/v3/repositories/1/issues/7/comments?page=3');
    expect(nextLink('<https://ghe.example.com/api/v3/x?page=9>; rel="last"', api)).toBeNull();
    expect(nextLink(null, api)).toBeNull();
  });

  it('refuses a next page on another host: the token would go there', () => {
    expect(() => nextLink('<https://evil.example.net/x?page=2>; rel="next"', api)).toThrow(/not on its API/);
  });
});

describe('the ::warning:: command', () => {
  it('escapes what the runner reads as syntax', () => {
    expect(warningCommand('a: b, c', '100% done\nnext')).toBe(
      '::warning title=a%3A b%2C c::100%25 done%0Anext',
    );
  });
});
