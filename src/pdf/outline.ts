import { PDFDict, PDFHexString, PDFName, type PDFDocument } from 'pdf-lib';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };

/** The text of each heading of the print page, in document order: what Chrome makes bookmarks of. */
export function headingTexts(html: string): string[] {
  return [...html.matchAll(/<h[1-6]\b[^>]*>([\s\S]*?)<\/h[1-6]>/g)].map((match) =>
    decodeEntities(match[1]!.replace(/<[^>]*>/g, ''))
      .replace(/\u00AD/g, '')
      .replace(/[ \t\n\r\f]+/g, ' ')
      .trim(),
  );
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/**
 * Gives each bookmark its heading's text. Chrome's own titles are sometimes wrong: a heading laid
 * out twice (moved to the next page) is repeated ("TitleTitle"), and a heading set on two lines
 * loses the space at the break. Done only when there is exactly one bookmark per heading.
 */
export function setOutlineTitles(pdf: PDFDocument, titles: string[]): void {
  const items = outlineItems(pdf);
  if (items.length === 0 || items.length !== titles.length) return;
  items.forEach((item, index) => item.set(PDFName.of('Title'), PDFHexString.fromText(titles[index]!)));
}

/** The outline's items, depth first: a heading's children follow it, as headings do in the page. */
function outlineItems(pdf: PDFDocument): PDFDict[] {
  const items: PDFDict[] = [];
  const visit = (first: PDFDict | undefined): void => {
    for (let item = first; item && !items.includes(item); item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      items.push(item);
      visit(item.lookupMaybe(PDFName.of('First'), PDFDict));
    }
  };
  visit(pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict));
  return items;
}
