import { type Operation, readOperations, TEXT_SHOW } from './content-stream.js';

/**
 * PDF/UA wants every piece of drawn content either tagged (inside a marked-content sequence of
 * the structure tree) or marked as an artifact. Chrome tags what the DOM holds, and draws the rest
 * untagged: the running header and "N of M" (margin boxes), header rows repeated on later pages,
 * and rules and backgrounds (borders). Each such drawing is wrapped as an artifact: text as
 * pagination, paths and images as layout.
 */
const PATH_START = new Set(['m', 're']);
const PATH_PAINT = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
const OTHER_PAINT = new Set(['Do', 'sh', 'BI']);
const MARKED_OPEN = new Set(['BMC', 'BDC']);

const PAGINATION = '/Artifact <</Type /Pagination>> BDC\n';
const LAYOUT = '/Artifact <</Type /Layout>> BDC\n';

export function markUntaggedAsArtifacts(content: string, operations: Operation[] = readOperations(content)): string {
  const ranges = untaggedDrawings(content, operations);
  if (ranges.length === 0) return content;
  let result = '';
  let copied = 0;
  for (const { start, end, kind } of ranges) {
    result += `${content.slice(copied, start)}${kind === 'text' ? PAGINATION : LAYOUT}${content.slice(start, end)}\nEMC\n`;
    copied = end;
  }
  return result + content.slice(copied);
}

interface Drawing {
  start: number;
  end: number;
  kind: 'text' | 'graphics';
}

/**
 * The drawings made outside any tagged (MCID) or artifact sequence: whole path objects, text
 * shows, images. A sequence without an MCID (Chrome's `/Span <</ActualText …>>` around generated
 * text such as a `::before`) tags nothing by itself.
 */
function untaggedDrawings(content: string, operations: Operation[]): Drawing[] {
  const drawings: Drawing[] = [];
  const open: boolean[] = [];
  let pathStart: number | undefined;
  for (const { operator, start, end } of operations) {
    if (MARKED_OPEN.has(operator)) open.push(/\/MCID\b|^\s*\/Artifact\b/.test(content.slice(start, end)));
    else if (operator === 'EMC') open.pop();
    if (PATH_START.has(operator) && pathStart === undefined) pathStart = start;
    const covered = open.includes(true);
    if (!covered && PATH_PAINT.has(operator)) drawings.push({ start: pathStart ?? start, end, kind: 'graphics' });
    else if (!covered && TEXT_SHOW.has(operator)) drawings.push({ start, end, kind: 'text' });
    else if (!covered && OTHER_PAINT.has(operator)) drawings.push({ start, end, kind: 'graphics' });
    if (PATH_PAINT.has(operator) || operator === 'n') pathStart = undefined;
  }
  return drawings;
}
