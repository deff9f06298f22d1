import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString, type PDFDocument } from 'pdf-lib';

/**
 * What PDF/UA-1 asks of Chrome's structure tree and links that Chrome leaves out: standard types
 * for the PDF 2.0 ones it writes (Strong, Em), list items holding only Lbl and LBody, and an
 * alternate description (/Contents) on every link annotation.
 */
export function completeTagging(pdf: PDFDocument, formulas: string[] = []): void {
  const root = pdf.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (root) {
    mapPdf2Types(pdf, root);
    const elements = structElements(pdf, root);
    for (const item of elements.filter((element) => typeOf(element) === 'LI')) wrapListBody(pdf, item);
    tagFormulas(elements, formulas);
  }
  describeLinks(pdf);
}

/**
 * Chrome tags MathML as bare NonStruct elements. The print page wraps each formula in an element
 * with role="img" and its TeX as label, which Chrome tags as a Figure with that /Alt: each such
 * Figure whose /Alt is one of the document's formulas becomes a Formula (PDF/UA-1 7.7).
 */
function tagFormulas(elements: PDFDict[], formulas: string[]): void {
  const left = new Map<string, number>();
  for (const tex of formulas) left.set(tex, (left.get(tex) ?? 0) + 1);
  for (const element of elements) {
    if (typeOf(element) !== 'Figure') continue;
    const alt = element.lookupMaybe(PDFName.of('Alt'), PDFString, PDFHexString)?.decodeText();
    if (alt === undefined || !left.get(alt)) continue;
    left.set(alt, left.get(alt)! - 1);
    element.set(PDFName.of('S'), PDFName.of('Formula'));
  }
}

const PDF2_TYPES: Record<string, string> = { Strong: 'Span', Em: 'Span' };

function mapPdf2Types(pdf: PDFDocument, root: PDFDict): void {
  const roleMap = root.lookupMaybe(PDFName.of('RoleMap'), PDFDict) ?? pdf.context.obj({});
  for (const [type, standard] of Object.entries(PDF2_TYPES)) {
    if (!roleMap.has(PDFName.of(type))) roleMap.set(PDFName.of(type), PDFName.of(standard));
  }
  root.set(PDFName.of('RoleMap'), roleMap);
}

function typeOf(element: PDFDict): string | undefined {
  return element.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText();
}

/** Every structure element under `root`, depth first. */
function structElements(pdf: PDFDocument, root: PDFDict): PDFDict[] {
  const found: PDFDict[] = [];
  const visit = (node: unknown): void => {
    const value = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    if (value instanceof PDFArray) {
      for (const item of value.asArray()) visit(item);
      return;
    }
    if (!(value instanceof PDFDict) || !value.has(PDFName.of('S'))) return;
    found.push(value);
    visit(value.get(PDFName.of('K')));
  };
  visit(root.get(PDFName.of('K')));
  return found;
}

/**
 * Chrome puts an item's content straight under LI (as NonStruct, P or a nested list): it moves
 * into one LBody. Marked content right under LI would need the parent tree rewritten: such an
 * item is left as it is.
 */
function wrapListBody(pdf: PDFDocument, item: PDFDict): void {
  const kids = item.get(PDFName.of('K'));
  const children = kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [];
  const elementOf = (child: unknown) => (child instanceof PDFRef ? pdf.context.lookupMaybe(child, PDFDict) : undefined);
  const rest = children.filter((child) => typeOf(elementOf(child) ?? pdf.context.obj({})) !== 'Lbl');
  if (rest.length === 0 || rest.some((child) => !elementOf(child)?.has(PDFName.of('S')))) return;
  const only = rest.length === 1 ? elementOf(rest[0]) : undefined;
  if (only && ['NonStruct', 'Div', 'LBody'].includes(typeOf(only) ?? '')) {
    only.set(PDFName.of('S'), PDFName.of('LBody'));
    return;
  }
  const itemRef = pdf.context.getObjectRef(item);
  if (!itemRef) return;
  const bodyRef = pdf.context.register(pdf.context.obj({ Type: 'StructElem', S: 'LBody', P: itemRef, K: rest }));
  for (const child of rest) elementOf(child)!.set(PDFName.of('P'), bodyRef);
  item.set(PDFName.of('K'), pdf.context.obj([...children.filter((child) => !rest.includes(child)), bodyRef]));
}

function describeLinks(pdf: PDFDocument): void {
  for (const page of pdf.getPages()) {
    const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
    for (const ref of annotations) {
      const annotation = ref instanceof PDFRef ? pdf.context.lookup(ref) : ref;
      if (!(annotation instanceof PDFDict) || annotation.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() !== 'Link') continue;
      if (annotation.has(PDFName.of('Contents'))) continue;
      const uri = annotation.lookupMaybe(PDFName.of('A'), PDFDict)?.get(PDFName.of('URI'));
      const target = uri instanceof PDFString ? `Link to ${uri.decodeText()}` : 'Link to another place in this document';
      annotation.set(PDFName.of('Contents'), PDFHexString.fromText(target));
    }
  }
}
