import path from 'node:path';
import type Token from 'markdown-it/lib/token.mjs';
import type { PageSource } from '../browser/session.js';
import { diagramFences, diagramPlace, type DiagramPlace } from '../document/diagrams.js';
import type { DocumentModel, Notice } from '../document/model.js';
import { sanitizeSvg } from '../document/svg.js';
import { GalleyError } from '../errors.js';
import { type CachedDiagram, DiagramCache, diagramKey } from './diagram-cache.js';
import { withMermaidPage, type MermaidResult } from './mermaid-page.js';

export { DiagramCache };

interface PendingDiagram {
  fence: Token;
  place: DiagramPlace;
  key: string;
}

/**
 * Draws the document's mermaid diagrams (those the cache does not hold), sanitizes each SVG like
 * any other, and adds it to the document's images, so that both editions show it as a figure.
 * A diagram mermaid cannot read fails the document, naming its file and line.
 */
export async function drawDiagrams(doc: DocumentModel, pages: PageSource, cache: DiagramCache): Promise<Notice[]> {
  const diagrams: PendingDiagram[] = diagramFences(doc.blocks, doc.footnotes.values()).map((fence) => ({
    fence,
    place: diagramPlace(fence)!,
    key: diagramKey(fence.content),
  }));
  const drawn = new Map<string, CachedDiagram>();
  const toDraw: PendingDiagram[] = [];
  for (const diagram of diagrams) {
    if (drawn.has(diagram.key) || toDraw.some((other) => other.key === diagram.key)) continue;
    const cached = await cache.get(diagram.key);
    if (cached) drawn.set(diagram.key, cached);
    else toDraw.push(diagram);
  }
  if (toDraw.length > 0) {
    await withMermaidPage(pages, async (draw) => {
      for (const diagram of toDraw) {
        const { result, refused } = await draw(`diagram-${diagram.key.slice(0, 12)}`, diagram.fence.content);
        if (refused.length > 0) throw refusedLoad(refused, diagram.place);
        if ('error' in result) throw unreadable(result, diagram);
        drawn.set(diagram.key, result);
        await cache.put(diagram.key, result);
      }
    });
  }
  const warnings: Notice[] = [];
  for (const diagram of diagrams) warnings.push(...show(doc, diagram, drawn.get(diagram.key)!));
  return warnings;
}

/** Puts one drawn diagram into the document: its sanitized SVG among the images, its figure on its fence. */
function show(doc: DocumentModel, { fence, place, key }: PendingDiagram, diagram: CachedDiagram): Notice[] {
  const where = { file: place.file, line: place.line };
  const { bytes, warnings } = sanitizeSvg(diagram.svg);
  const src = `diagrams/${key.slice(0, 16)}.svg`;
  doc.images.set(src, { src, path: path.join(doc.folder, src), mediaType: 'image/svg+xml', line: place.line, sanitized: bytes });
  const title = fence.attrGet('title') || diagram.title;
  const alt = diagram.description ?? title;
  place.drawn = { src, alt: alt ?? `${kindName(diagram.kind)} diagram`, caption: title };
  const notices = warnings.map((message) => ({ ...where, message: `the diagram's SVG: ${message}` }));
  if (!alt) {
    const message = `the diagram has no title or description, so readers who cannot see it hear only "${place.drawn.alt}": give it {title="…"} after mermaid, or an accDescr line`;
    notices.push({ ...where, message });
  }
  return notices;
}

/** A diagram that loads a file or a web address (an image shape's picture) is drawn only with what it holds. */
function refusedLoad(refused: string[], place: DiagramPlace): GalleyError {
  const url = refused[0]!.length > 80 ? `${refused[0]!.slice(0, 79)}…` : refused[0]!;
  const message = `the diagram loads ${url}: galley draws diagrams without the network or files, so give the picture as an image of the document`;
  return new GalleyError(message, { file: place.file, line: place.line });
}

/** "flowchart-v2" → "flowchart", "classDiagram" → "class", "er" → "entity-relationship". */
function kindName(kind: string | undefined): string {
  const name = (kind ?? '').replace(/-v\d+$/, '').replace(/Diagram$/, '');
  if (name === 'er') return 'entity-relationship';
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() || 'a';
}

/**
 * mermaid's reason on one line: a parser's report is its line, an excerpt, a caret and what it
 * expected, of which the last says most; other reasons say it in their first line. The line is
 * the file's: the diagram's first line is the one after its fence.
 */
function unreadable({ error, line }: Extract<MermaidResult, { error: string }>, { place }: PendingDiagram): GalleyError {
  const lines = error
    .split('\n')
    .map((text) => text.trim())
    .filter(Boolean);
  const report = /^Parse error on line \d+:$/.test(lines[0] ?? '') ? lines.at(-1)! : (lines[0] ?? 'no reason given');
  const inDiagram = line ?? Number(/\bline (\d+)/.exec(error)?.[1] ?? 0);
  const reason = report.length > 200 ? `${report.slice(0, 199)}…` : report;
  return new GalleyError(`mermaid cannot draw this diagram: ${reason}`, { file: place.file, line: place.line + inDiagram });
}
