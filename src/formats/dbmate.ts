/**
 * dbmate files: `-- migrate:up [transaction:false]` … `-- migrate:down` …, possibly several
 * up/down pairs in one file, each up section run in order with its own options
 * (pkg/dbmate/migration.go parseMigrationContents). Only the up sections run on deploy.
 *
 * Each up section becomes the text of the whole file with everything else blanked to spaces,
 * so statements keep the line and column they have in the real file.
 */
const MARKER = /^--\s*migrate:(up|down)\b([^\n]*)$/gm;
const DIRECTIVE_LINE = /^\s*--\s*schemapilot-ignore(-file)?\b/;

export function hasDbmateMarkers(sql: string): boolean {
  return /^--\s*migrate:up\b/m.test(sql);
}

export interface DbmateSection {
  /** The file's text with only this up section left (the rest blanked, lines kept). */
  sql: string;
  /** False for `-- migrate:up transaction:false`. */
  transaction: boolean;
}

export function dbmateUpSections(sql: string): DbmateSection[] {
  const markers = [...sql.matchAll(MARKER)].map((m) => ({
    kind: m[1],
    options: m[2] ?? '',
    start: m.index,
    bodyStart: m.index + m[0].length,
  }));
  const firstMarker = markers[0]?.start ?? sql.length;
  const sections: DbmateSection[] = [];
  markers.forEach((marker, i) => {
    if (marker.kind !== 'up') return;
    const end = markers[i + 1]?.start ?? sql.length;
    const before = keepDirectives(sql.slice(0, marker.bodyStart), firstMarker);
    const after = keepDirectives(sql.slice(end), firstMarker - end);
    sections.push({
      sql: before + sql.slice(marker.bodyStart, end) + after,
      transaction: !/(^|\s)transaction:false(\s|$)/.test(marker.options.trim()),
    });
  });
  return sections;
}

/**
 * Blank a stretch of the file, keeping ignore directives that belong to the whole file: any
 * directive in the header above the first marker (where people put them), and
 * `schemapilot-ignore-file` lines anywhere. `headerEnd` is the header's end relative to `text`.
 */
function keepDirectives(text: string, headerEnd: number): string {
  let offset = 0;
  return text
    .split('\n')
    .map((line) => {
      const inHeader = offset < headerEnd;
      offset += line.length + 1;
      const m = DIRECTIVE_LINE.exec(line);
      if (m && (inHeader || m[1])) return line;
      return line.replace(/[^\r]/g, ' ');
    })
    .join('\n');
}
