import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AFRelationship, PDFDocument, PDFName } from 'pdf-lib';
import { editionDates } from '../document/dates.js';
import type { DocumentModel } from '../document/model.js';
import { setOutlineTitles } from './outline.js';
import { removeSoftHyphenGlyphs } from './soft-hyphens.js';
import { renumberStructureIds } from './structure-ids.js';
import { repairToUnicode } from './to-unicode.js';
import { xmpPacket } from './xmp.js';

/**
 * The pass after Chrome: writes the document information it leaves out (author, subject,
 * keywords, language, creator, dates), gives the bookmarks their headings' text, makes
 * characters such as ’ come back out of the text as themselves (see repairToUnicode), and
 * renumbers the structure IDs that would make each run's PDF differ. The same information goes
 * into XMP, and the Markdown source is attached, so that the edition carries its own source.
 */
export async function finishPdf(
  printed: Uint8Array,
  doc: DocumentModel,
  version: string,
  headings: string[] = [],
): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.load(printed, { updateMetadata: false });
  const { metadata } = doc;
  const { created, modified } = editionDates(doc);
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length) pdf.setAuthor(metadata.authors.join(', '));
  if (metadata.description) pdf.setSubject(metadata.description);
  // pdf-lib joins keywords with spaces, which would run "human rights, refugees" together.
  if (metadata.keywords.length) pdf.setKeywords([metadata.keywords.join(', ')]);
  pdf.setLanguage(metadata.lang);
  pdf.setCreator(`galley ${version}`);
  pdf.setCreationDate(created);
  pdf.setModificationDate(modified);
  await pdf.attach(await readFile(doc.sourcePath), path.basename(doc.sourcePath), {
    mimeType: 'text/markdown',
    description: 'The Markdown source of this edition',
    creationDate: created,
    modificationDate: modified,
    afRelationship: AFRelationship.Source,
  });
  const xmp = xmpPacket({
    title: metadata.title,
    authors: metadata.authors,
    description: metadata.description,
    lang: metadata.lang,
    keywords: metadata.keywords,
    creatorTool: `galley ${version}`,
    producer: pdf.getProducer(),
    created,
    modified,
    edition: metadata.edition,
  });
  const stream = pdf.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
  setOutlineTitles(pdf, headings);
  repairToUnicode(pdf);
  removeSoftHyphenGlyphs(pdf);
  renumberStructureIds(pdf);
  const bytes = await pdf.save({ useObjectStreams: false });
  return { bytes, pages: pdf.getPageCount() };
}
