import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { GalleyError } from '../errors.js';
import { checkUses } from './svg-use.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const ELEMENT_NODE = 1;
const PROCESSING_INSTRUCTION_NODE = 7;

const REMOVED_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'audio', 'video']);
// Embedded rasters (Illustrator's "embed image") are inside the file, so <image> may keep them.
const DATA_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface SanitizedSvg {
  /** The rewritten SVG, UTF-8, starting with `<svg`: no XML declaration, DOCTYPE or comments around the root. */
  bytes: Uint8Array;
  /** One message per removal, e.g. `removed the DOCTYPE`, `removed <script>`, `removed the onload attribute of <rect>`. */
  warnings: string[];
}

/**
 * True when `text` is an XML document whose root element is svg (used to sniff a file's type; never throws).
 * Only fatal parse errors make it false, so an SVG that sanitizeSvg rejects (e.g. for its entities) is still
 * recognised as one and gets the precise error.
 */
export function isSvgDocument(text: string): boolean {
  return parseSvgDocument(text) !== undefined;
}

/**
 * Text that may be an SVG, parsed once: undefined when it is not one (as isSvgDocument says), else
 * rewritten as sanitizeSvg does, with the same errors.
 */
export function sanitizeIfSvg(text: string): SanitizedSvg | undefined {
  const parsed = parseSvgDocument(text);
  return parsed && sanitizeParsed(parsed);
}

function parseSvgDocument(text: string): Parsed | undefined {
  try {
    const parsed = parse(text);
    const root = parsed.doc?.documentElement;
    return root && isSvgRoot(root) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses an SVG with a real XML parser and writes it again without DOCTYPE, processing instructions,
 * scripts, embedded documents, event handlers or anything that loads from outside the file.
 * @throws GalleyError for XML that is not well-formed, a root that is not <svg>, a DOCTYPE declaring
 * entities, and <use> references that are cyclic, nested too deep or expand to too many elements.
 */
export function sanitizeSvg(source: string): SanitizedSvg {
  return sanitizeParsed(parse(source));
}

function sanitizeParsed({ doc, problem }: Parsed): SanitizedSvg {
  const doctype = doc?.doctype;
  const entity = doctype ? declaredEntity(doctype.internalSubset ?? '') : undefined;
  const line = doctype?.lineNumber || undefined;
  if (entity !== undefined) throw new GalleyError(`the SVG declares the entity "${entity}" (galley never expands entities)`, { line });
  const root = doc?.documentElement;
  if (!doc || !root || problem)
    throw new GalleyError(`not well-formed XML: ${problem?.message ?? 'no root element'}`, { line: problem?.line });
  if (!isSvgRoot(root)) {
    const what = root.localName === 'svg' ? '<svg> outside the SVG namespace' : `<${root.tagName}>`;
    throw new GalleyError(`the root element is ${what}, not an SVG <svg>`, { line: root.lineNumber || undefined });
  }
  const warnings: string[] = doctype ? ['removed the DOCTYPE'] : [];
  if (!root.hasAttribute('xmlns')) {
    root.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
    warnings.push(`added the missing xmlns="${SVG_NS}" to <svg>`);
  }
  checkUses(root, sanitizeTree(doc, warnings));
  return { bytes: new TextEncoder().encode(new XMLSerializer().serializeToString(root)), warnings };
}

interface Parsed {
  doc: Document | undefined;
  problem: { message: string; line: number | undefined } | undefined;
}

/** Every report of the parser is a problem, except its hint about U+FFFD, which is a legal character. */
function parse(source: string): Parsed {
  let problem: { message: string; line: number | undefined } | undefined;
  const onError = (level: string, message: string, context: { locator?: { lineNumber?: number } } | undefined): void => {
    if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
    problem ??= { message, line: context?.locator?.lineNumber || undefined };
  };
  let doc: Document | undefined;
  try {
    doc = new DOMParser({ onError }).parseFromString(source.startsWith('\uFEFF') ? source.slice(1) : source, 'image/svg+xml');
  } catch (error) {
    if (problem === undefined) throw error;
  }
  return { doc, problem };
}

/** With the image/svg+xml MIME type, xmldom puts an <svg> without xmlns into the SVG namespace. */
function isSvgRoot(root: Element): boolean {
  return root.localName === 'svg' && root.namespaceURI === SVG_NS;
}

/** The first entity declared in a DOCTYPE's internal subset (which xmldom has checked against the DTD grammar). */
function declaredEntity(subset: string): string | undefined {
  for (let i = 0; i < subset.length; ) {
    if (subset.startsWith('<!--', i)) i = skipPast(subset, '-->', i + 4);
    else if (subset.startsWith('<?', i)) i = skipPast(subset, '?>', i + 2);
    else if (subset[i] === '"' || subset[i] === "'") i = skipPast(subset, subset[i]!, i + 1);
    else if (!subset.startsWith('<!ENTITY', i)) i++;
    else {
      const rest = subset.slice(i + '<!ENTITY'.length).trimStart();
      const name = rest.startsWith('%') ? rest.slice(1).trimStart() : rest;
      let end = 0;
      while (end < name.length && name[end]!.trim() !== '') end++;
      return (rest.startsWith('%') ? '%' : '') + name.slice(0, end);
    }
  }
  return undefined;
}

function skipPast(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from);
  return at < 0 ? text.length : at + end.length;
}

/** Removes what the SVG must not contain, in document order, and returns the elements by id (the first of each). */
function sanitizeTree(doc: Document, warnings: string[]): Map<string, Element> {
  const ids = new Map<string, Element>();
  const stack: Node[] = [...doc.childNodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    const removal = removalOf(node);
    if (removal) node.parentNode?.removeChild(node);
    if (removal) warnings.push(removal);
    if (removal || node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    sanitizeAttributes(element, warnings);
    if (element.localName === 'style') {
      const { css, removed } = rewriteCss(element.textContent ?? '');
      if (removed.length > 0) element.textContent = css;
      warnings.push(...removed.map((what) => `removed ${what} from <style>`));
    }
    const id = element.getAttribute('id');
    if (id && !ids.has(id)) ids.set(id, element);
    for (let child = element.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return ids;
}

/** Why a node goes (an element with its content): it is a processing instruction, runs code, embeds a document, or animates a link into existence. */
function removalOf(node: Node): string | undefined {
  if (node.nodeType === PROCESSING_INSTRUCTION_NODE && node.nodeName !== 'xml')
    return `removed the processing instruction <?${node.nodeName}?>`;
  if (node.nodeType !== ELEMENT_NODE) return undefined;
  const element = node as Element;
  const name = (element.localName ?? '').toLowerCase();
  if (REMOVED_ELEMENTS.has(name)) return `removed <${element.tagName}>`;
  const animated = (element.getAttribute('attributeName') ?? '').split(':').pop()?.trim();
  if ((name === 'set' || name === 'animate') && animated === 'href') return `removed <${element.tagName}> (it animates href)`;
  return undefined;
}

/** An <a> that loses its link keeps its children and stays an <a>: without href it is inert, and CSS written for `a` still applies. */
function sanitizeAttributes(element: Element, warnings: string[]): void {
  const where = `of <${element.tagName}>`;
  for (const attribute of [...element.attributes]) {
    if (attribute.namespaceURI === XMLNS_NS) continue;
    const name = (attribute.localName ?? attribute.name).toLowerCase();
    const shown = `${attribute.name}="${abbreviate(attribute.value)}"`;
    if (name.startsWith('on')) {
      element.removeAttributeNode(attribute);
      warnings.push(`removed the ${attribute.name} attribute ${where}`);
    } else if (name === 'style') {
      const { css, removed } = rewriteCss(attribute.value);
      if (removed.length > 0) attribute.value = css;
      warnings.push(...removed.map((what) => `removed ${what} from the style attribute ${where}`));
    } else if (
      name === 'href'
        ? !isAllowedHref(element, attribute.value)
        : attribute.value.includes('(') && rewriteCss(attribute.value).removed.length > 0
    ) {
      element.removeAttributeNode(attribute);
      warnings.push(`removed the ${name !== 'href' ? 'attribute' : element.localName === 'a' ? 'link' : 'reference'} ${shown} ${where}`);
    }
  }
}

function isAllowedHref(element: Element, value: string): boolean {
  const href = value.trim();
  if (href.startsWith('#')) return true;
  if ((element.localName !== 'image' && element.localName !== 'feImage') || !href.toLowerCase().startsWith('data:')) return false;
  const mediaType = href.slice('data:'.length, Math.max(href.indexOf(','), 0)).split(';')[0] ?? '';
  return DATA_IMAGE_TYPES.has(mediaType.trim().toLowerCase());
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * CSS that loads nothing: comments and `@import` rules dropped, every `url()` not naming a `#fragment`
 * and every `image-set()` (whose bare strings are URLs) replaced by `none`. Names are read with their
 * escapes decoded, so `\75 rl(` is a url() too.
 */
function rewriteCss(text: string): { css: string; removed: string[] } {
  const css = text.replace(/\r\n?|\f/g, '\n');
  const removed: string[] = [];
  let out = '';
  for (let i = 0; i < css.length; ) {
    const token = cssToken(css, i);
    if (token.removed) removed.push(token.removed);
    out += token.replacement ?? css.slice(i, token.end);
    i = token.end;
  }
  return { css: out, removed };
}

function cssToken(css: string, i: number): { end: number; replacement?: string; removed?: string } {
  const c = css[i]!;
  if (c === '"' || c === "'") return { end: stringEnd(css, i) };
  if (css.startsWith('/*', i)) return { end: skipPast(css, '*/', i + 2), replacement: ' ' };
  if (c !== '@' && !/[A-Za-z_\\-]/.test(c) && c < '\u0080') return { end: i + 1 };
  const word = readName(css, c === '@' ? i + 1 : i);
  const end = Math.max(word.end, i + 1);
  if (c === '@' && word.name === 'import') return { end: statementEnd(css, end, ';'), replacement: '', removed: '@import' };
  if (c === '@' || css[end] !== '(' || (word.name !== 'url' && !word.name.endsWith('image-set'))) return { end };
  const close = statementEnd(css, end + 1, ')');
  if (word.name === 'url' && /^["']?#/.test(css.slice(end + 1, close - 1).trim())) return { end: close };
  return { end: close, replacement: 'none', removed: abbreviate(css.slice(i, close)) };
}

/** A CSS name from `start`, escapes decoded and lower-cased, and the index just past it. */
function readName(css: string, start: number): { name: string; end: number } {
  let name = '';
  let i = start;
  for (let c = css[i]; c !== undefined; c = css[i]) {
    const hex = c === '\\' ? /^[0-9A-Fa-f]{1,6}[ \t\n]?/.exec(css.slice(i + 1, i + 8))?.[0] : undefined;
    if (hex) name += String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd);
    else if (c === '\\' && i + 1 < css.length && css[i + 1] !== '\n') name += css[i + 1];
    else if (/[A-Za-z0-9_-]/.test(c) || c >= '\u0080') name += c;
    else break;
    i += c === '\\' ? 1 + (hex?.length ?? 1) : 1;
  }
  return { name: name.toLowerCase(), end: i };
}

/** Just past the closing quote (or at the end of the line, for an unterminated string). */
function stringEnd(css: string, start: number): number {
  for (let i = start + 1; i < css.length; i++) {
    if (css[i] === css[start]) return i + 1;
    if (css[i] === '\\') i++;
    else if (css[i] === '\n') return i;
  }
  return css.length;
}

/** Just past the first `stop` outside strings and parentheses (`;` ends an at-rule, `)` a function). */
function statementEnd(css: string, start: number, stop: string): number {
  let depth = 0;
  for (let i = start; i < css.length; i++) {
    const c = css[i]!;
    if (c === '"' || c === "'") i = stringEnd(css, i) - 1;
    else if (c === stop && depth === 0) return i + 1;
    else depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  }
  return css.length;
}
