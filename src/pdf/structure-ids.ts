import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

/** The entries that hold structure element IDs: their own, table headers', and the ID tree's. */
const ID_KEYS = ['ID', 'Headers', 'Names', 'Limits'].map((key) => PDFName.of(key));

/**
 * Chrome names the structure elements of table headers after the DOM nodes they came from
 * (`node00000096`), and the numbers change from one run to the next: the same document would give
 * a different PDF each time. The IDs are renumbered from 1, in their order, which keeps the
 * ID tree sorted.
 */
export function renumberStructureIds(pdf: PDFDocument): void {
  const objects = pdf.context.enumerateIndirectObjects().map(([, object]) => object);
  const ids = new Set<string>();
  for (const object of objects) {
    const id = object instanceof PDFDict ? object.get(PDFName.of('ID')) : undefined;
    if (id instanceof PDFString || id instanceof PDFHexString) ids.add(id.decodeText());
  }
  if (ids.size === 0) return;
  const width = Math.max(...[...ids].map((id) => id.length));
  const renamed = new Map([...ids].sort().map((id, index) => [id, `node${String(index + 1).padStart(Math.max(width - 4, 1), '0')}`]));
  const rename = (value: PDFObject | undefined): PDFObject | undefined => {
    if (!(value instanceof PDFString || value instanceof PDFHexString)) return undefined;
    const replacement = renamed.get(value.decodeText());
    return replacement === undefined ? undefined : PDFString.of(replacement);
  };
  for (const object of objects) {
    if (!(object instanceof PDFDict)) continue;
    for (const dict of [object, ...attributeDicts(object)]) {
      for (const key of ID_KEYS) {
        const value = dict.get(key);
        if (value instanceof PDFArray) value.asArray().forEach((item, index) => value.set(index, rename(item) ?? item));
        else if (rename(value)) dict.set(key, rename(value)!);
      }
    }
  }
}

/** A structure element's attribute dictionaries (/A), where table cells name their headers. */
function attributeDicts(element: PDFDict): PDFDict[] {
  const attributes = element.get(PDFName.of('A'));
  if (attributes instanceof PDFDict) return [attributes];
  if (attributes instanceof PDFArray) return attributes.asArray().filter((item): item is PDFDict => item instanceof PDFDict);
  return [];
}
