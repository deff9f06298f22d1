import { v5 as uuidV5 } from 'uuid';
import type { DocumentModel } from '../document/model.js';

/** galley's own namespace for name-based (version 5) UUIDs. */
const GALLEY_NAMESPACE = '68d17a2d-6724-4c15-b96f-0443b3025a1e';

/** The same file name and title always give the same identifier, so rebuilds are the same book. */
export function bookIdentifier(doc: DocumentModel): string {
  return `urn:uuid:${uuidV5(`${doc.name}\n${doc.metadata.title}`, GALLEY_NAMESPACE)}`;
}
