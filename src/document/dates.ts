import type { DocumentModel } from './model.js';

/**
 * The dates an edition records, never the time of the build: both from SOURCE_DATE_EPOCH when it
 * is set; else created from `date` and modified from `updated` (each standing in for the other
 * when only one is given); else the source file's modification time.
 */
export function editionDates(doc: DocumentModel, env: NodeJS.ProcessEnv = process.env): { created: Date; modified: Date } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) {
    const date = new Date(Number(epoch) * 1000);
    return { created: date, modified: date };
  }
  const day = (iso: string | undefined) => (iso ? new Date(`${iso}T00:00:00Z`) : undefined);
  const { date, updated } = doc.metadata;
  return {
    created: day(date) ?? day(updated) ?? doc.modified,
    modified: day(updated) ?? day(date) ?? doc.modified,
  };
}

/** The date an edition was last changed: what the EPUB calls dcterms:modified. */
export function editionDate(doc: DocumentModel, env: NodeJS.ProcessEnv = process.env): Date {
  return editionDates(doc, env).modified;
}
