import { PDFDocument } from 'pdf-lib';
import { editionDate } from '../document/dates.js';
import type { DocumentModel } from '../document/model.js';

/** Writes the document information Chrome leaves out: author, subject, keywords, language, creator, dates. */
export async function writePdfMetadata(printed: Uint8Array, doc: DocumentModel, version: string): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.load(printed, { updateMetadata: false });
  const { metadata } = doc;
  const date = editionDate(doc);
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length) pdf.setAuthor(metadata.authors.join(', '));
  if (metadata.description) pdf.setSubject(metadata.description);
  if (metadata.keywords.length) pdf.setKeywords(metadata.keywords);
  pdf.setLanguage(metadata.lang);
  pdf.setCreator(`galley ${version}`);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  const bytes = await pdf.save({ useObjectStreams: false });
  return { bytes, pages: pdf.getPageCount() };
}
