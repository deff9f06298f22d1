import type { DocumentModel } from './model.js';

/**
 * The date an edition records as created and modified: SOURCE_DATE_EPOCH when set, else the
 * article's date, else the source file's modification time. Never the time of the build.
 */
export function editionDate(doc: DocumentModel, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  if (doc.metadata.date) return new Date(`${doc.metadata.date}T00:00:00Z`);
  return doc.modified;
}
