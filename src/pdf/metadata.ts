import { PDFDocument } from 'pdf-lib';
import { editionDate } from '../document/dates.js';
import type { DocumentModel } from '../document/model.js';
import { setOutlineTitles } from './outline.js';
import { renumberStructureIds } from './structure-ids.js';
import { repairToUnicode } from './to-unicode.js';

/**
 * The pass after Chrome: writes the document information it leaves out (author, subject,
 * keywords, language, creator, dates), gives the bookmarks their headings' text, makes
 * characters such as ’ come back out of the text as themselves (see repairToUnicode), and
 * renumbers the structure IDs that would make each run's PDF differ.
 */
export async function writePdfMetadata(
  printed: Uint8Array,
  doc: DocumentModel,
  version: string,
  headings: string[] = [],
): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.load(printed, { updateMetadata: false });
  const { metadata } = doc;
  const date = editionDate(doc);
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length) pdf.setAuthor(metadata.authors.join(', '));
  if (metadata.description) pdf.setSubject(metadata.description);
  // pdf-lib joins keywords with spaces, which would run "human rights, refugees" together.
  if (metadata.keywords.length) pdf.setKeywords([metadata.keywords.join(', ')]);
  pdf.setLanguage(metadata.lang);
  pdf.setCreator(`galley ${version}`);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  setOutlineTitles(pdf, headings);
  repairToUnicode(pdf);
  renumberStructureIds(pdf);
  const bytes = await pdf.save({ useObjectStreams: false });
  return { bytes, pages: pdf.getPageCount() };
}
