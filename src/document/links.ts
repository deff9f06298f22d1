import type Token from 'markdown-it/lib/token.mjs';
import type { Notice } from './model.js';

/** Where a link written in a document leads. */
export type LinkTarget =
  | { kind: 'fragment'; id: string }
  /** A web or e-mail address, or a relative link made absolute by the link base. */
  | { kind: 'web'; href: string }
  /** A file beside the document that the edition does not hold: it would be a dead (or file:) link. */
  | { kind: 'outside'; written: string }
  /** Any other scheme: the sanitizer removes it. */
  | { kind: 'other' };

const WEB = /^(?:https?|mailto):/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function resolveLink(href: string, linkBase: string | undefined): LinkTarget {
  const trimmed = href.trim();
  if (trimmed.startsWith('#')) return { kind: 'fragment', id: safeDecode(trimmed.slice(1)) };
  if (WEB.test(trimmed)) return { kind: 'web', href: trimmed };
  if (SCHEME.test(trimmed) || trimmed.startsWith('//')) return { kind: 'other' };
  if (linkBase) return { kind: 'web', href: new URL(trimmed, linkBase).href };
  return { kind: 'outside', written: trimmed };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The warning for a link that cannot be kept, or undefined when it can. */
export function linkProblem(target: LinkTarget, ids: ReadonlySet<string>): string | undefined {
  if (target.kind === 'outside') {
    return `link to "${safeDecode(target.written)}" is kept as text: that file is not part of this edition (--link-base URL or front matter link_base makes it a web link)`;
  }
  if (target.kind === 'fragment' && !ids.has(target.id))
    return `link to "#${target.id}" is kept as text: no heading or element has that id`;
  return undefined;
}

/**
 * Checks every Markdown link: a relative link becomes a web link under `linkBase`, or plain text
 * with a warning; so does a `#fragment` that names no id. The tokens are changed in place.
 */
export function checkMarkdownLinks(
  tokens: Token[],
  ids: ReadonlySet<string>,
  linkBase: string | undefined,
  bodyStartLine: number,
  warnings: Notice[],
): void {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let line = (block.map?.[0] ?? 0) + bodyStartLine;
    const children = block.children;
    for (let index = 0; index < children.length; index += 1) {
      const child = children[index]!;
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type !== 'link_open') continue;
      const target = resolveLink(child.attrGet('href') ?? '', linkBase);
      const problem = linkProblem(target, ids);
      if (problem) {
        warnings.push({ line, message: problem });
        unwrapLink(children, index);
        index -= 1;
      } else if (target.kind === 'web') {
        child.attrSet('href', target.href);
      }
    }
  }
}

/** Takes a link's opening and closing tokens out, leaving its text. */
export function unwrapLink(children: Token[], openIndex: number): void {
  let depth = 0;
  for (let index = openIndex; index < children.length; index += 1) {
    depth += children[index]!.nesting * (children[index]!.type.startsWith('link_') ? 1 : 0);
    if (children[index]!.type === 'link_close' && depth === 0) {
      children.splice(index, 1);
      break;
    }
  }
  children.splice(openIndex, 1);
}

/** The ids a document defines: headings (and attributes), footnotes, and ids in raw HTML. */
export function documentIds(tokens: Token[], rawHtmlIds: Iterable<string>): Set<string> {
  const ids = new Set(rawHtmlIds);
  const visit = (list: Token[]) => {
    for (const token of list) {
      const id = token.attrGet('id');
      if (id) ids.add(id);
      if (token.type === 'footnote_ref' || token.type === 'footnote_open') {
        const number = (token.meta.id as number) + 1;
        ids.add(`fn${number}`).add(`fnref${number}`);
      }
      if (token.children) visit(token.children);
    }
  };
  visit(tokens);
  return ids;
}
