import path from 'node:path';
import { AFRelationship, PDFDocument, PDFName } from 'pdf-lib';
import { sha256 } from '../output/manifest.js';
import { isMarkdownFile } from '../sources.js';
import { editionDates } from '../document/dates.js';
import type { DocumentModel } from '../document/model.js';
import type { PdfStandard } from '../settings/choices.js';
import { addArchivalParts } from './archival.js';
import { checkFontCoverage, drawsNotdefGlyph } from './font-coverage.js';
import { markUntaggedAsArtifacts } from './artifacts.js';
import { setOutlineTitles } from './outline.js';
import { readOperations } from './content-stream.js';
import { rewritePageContents } from './page-content.js';
import { removeSoftHyphenGlyphs } from './soft-hyphens.js';
import { renumberStructureIds } from './structure-ids.js';
import { completeTagging } from './tagging.js';
import { repairToUnicode } from './to-unicode.js';
import { xmpPacket } from './xmp.js';
import { OBJECTS_PER_TICK } from './ticks.js';

export interface FinishSettings {
  /** galley's version, for the Creator. */
  version: string;
  /** The text of each heading, for the bookmarks. */
  headings: string[];
  standard: PdfStandard;
  /** The TeX of each formula the print page shows as MathML: their Figures become Formulas. */
  formulas?: string[] | undefined;
  /** Reads the PDF as Chrome printed it, before anything is changed (a book checks its contents' page numbers). */
  inspect?: ((pdf: PDFDocument) => void) | undefined;
}

/**
 * The pass after Chrome: the document information and XMP Chrome leaves out, the Markdown source
 * attached, bookmarks titled by their headings, a text layer that extracts as written (’ as ’,
 * no soft hyphens), stable structure ids, untagged drawing marked as artifacts and the tagging
 * PDF/UA asks for; then, for PDF/A, the OutputIntent, the trailer /ID and the claims in XMP.
 */
export async function finishPdf(
  printed: Uint8Array,
  doc: DocumentModel,
  settings: FinishSettings,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: OBJECTS_PER_TICK });
  settings.inspect?.(pdf);
  await writeDocumentInformation(pdf, doc, settings);
  setOutlineTitles(pdf, settings.headings);
  repairToUnicode(pdf);
  let drawsNotdef = false;
  rewritePageContents(pdf, (content) => {
    const text = removeSoftHyphenGlyphs(content);
    const operations = readOperations(text);
    drawsNotdef ||= drawsNotdefGlyph(text, operations);
    return markUntaggedAsArtifacts(text, operations);
  });
  completeTagging(pdf, settings.formulas);
  renumberStructureIds(pdf);
  if (settings.standard === 'pdfa-3a') {
    const text = doc.sources.map((file) => file.bytes.toString('utf8')).join('\n');
    const sources = doc.sources.map((file) => ({ name: file.name, sha256: sha256(file.bytes) }));
    checkFontCoverage(pdf, text, drawsNotdef);
    await addArchivalParts(pdf, JSON.stringify({ sources, metadata: doc.metadata, version: settings.version }));
  }
  const bytes = await pdf.save({ useObjectStreams: false, objectsPerTick: OBJECTS_PER_TICK });
  return { bytes, pages: pdf.getPageCount() };
}

function mimeTypeOf(name: string): string {
  if (isMarkdownFile(name)) return 'text/markdown';
  const extension = path.extname(name).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'application/yaml';
  if (extension === '.toml') return 'application/toml';
  return 'text/plain';
}

async function writeDocumentInformation(pdf: PDFDocument, doc: DocumentModel, settings: FinishSettings): Promise<void> {
  const { metadata } = doc;
  const { created, modified } = editionDates(doc);
  const creatorTool = `galley ${settings.version}`;
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length) pdf.setAuthor(metadata.authors.join(', '));
  if (metadata.description) pdf.setSubject(metadata.description);
  // pdf-lib joins keywords with spaces, which would run "human rights, refugees" together.
  if (metadata.keywords.length) pdf.setKeywords([metadata.keywords.join(', ')]);
  pdf.setLanguage(metadata.lang);
  pdf.setCreator(creatorTool);
  pdf.setCreationDate(created);
  pdf.setModificationDate(modified);
  for (const file of doc.sources) {
    await pdf.attach(file.bytes, file.name, {
      mimeType: mimeTypeOf(file.name),
      description: doc.sources.length === 1 ? 'The Markdown source of this edition' : `A source file of this edition: ${file.name}`,
      creationDate: created,
      modificationDate: modified,
      afRelationship: AFRelationship.Source,
    });
  }
  const xmp = xmpPacket({
    title: metadata.title,
    authors: metadata.authors,
    description: metadata.description,
    lang: metadata.lang,
    keywords: metadata.keywords,
    creatorTool,
    producer: pdf.getProducer(),
    created,
    modified,
    edition: metadata.edition,
    claims: settings.standard === 'pdfa-3a' ? { pdfa: { part: 3, conformance: 'A' }, pdfua: 1 } : undefined,
  });
  const stream = pdf.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
}
