import { pathToFileURL } from 'node:url';
import Token from 'markdown-it/lib/token.mjs';
import type MarkdownIt from 'markdown-it';
import { resolveLink } from './links.js';
import { createMarkdown } from './markdown.js';
import type { BookUnit, DocumentModel, Section } from './model.js';
import { sanitizeRendered, type UrlMapping } from './raw-html.js';

/**
 * Each format may render with its own markdown-it instance (made by createMarkdown, with its own
 * renderer rules: figures for print, pop-up notes for the e-book); this one has none of those.
 */
const plainRenderer = createMarkdown();

/**
 * Where a link goes in an edition: a web address as it is, a `#fragment` where `fragmentHref`
 * says (undefined: nowhere), and a file outside the edition nowhere (its text stays). Other
 * schemes are left for the sanitizer to remove.
 */
function editionLink(doc: DocumentModel, href: string, fragmentHref: (id: string) => string | undefined): string | undefined {
  const target = resolveLink(href, doc.linkBase);
  if (target.kind === 'fragment') return fragmentHref(target.id);
  if (target.kind === 'web') return target.href;
  return target.kind === 'outside' ? undefined : href;
}

function renderTokens(renderer: MarkdownIt, tokens: Token[], mapping: UrlMapping, env: object = {}): string {
  // Images and `#` links are rendered as written; the sanitizer points them where the format wants.
  return sanitizeRendered(renderer.renderer.render(tokens, renderer.options, env), mapping);
}

function footnoteBlock(doc: DocumentModel, ids: Iterable<number>): Token[] {
  const groups = [...ids].flatMap((id) => doc.footnotes.get(id) ?? []);
  if (groups.length === 0) return [];
  return [new Token('footnote_block_open', '', 1), ...groups, new Token('footnote_block_close', '', -1)];
}

/** Images as file URLs (a sanitized SVG from its rewritten bytes), `#` links as they are. */
function printMapping(doc: DocumentModel): UrlMapping {
  return {
    imageUrl: (src) => {
      const image = doc.images.get(src);
      if (!image) return undefined;
      // A sanitized SVG is shown from its rewritten bytes, never from the file as written.
      return image.sanitized
        ? `data:${image.mediaType};base64,${Buffer.from(image.sanitized).toString('base64')}`
        : pathToFileURL(image.path).href;
    },
    linkHref: (href) => editionLink(doc, href, (id) => `#${id}`),
  };
}

/** The whole article as one HTML body for print: images as file URLs, notes at the end. */
export function renderPrintBody(doc: DocumentModel, renderer: MarkdownIt = plainRenderer): string {
  const notes = footnoteBlock(
    doc,
    [...doc.footnotes.keys()].sort((a, b) => a - b),
  );
  return renderTokens(renderer, [...doc.blocks, ...notes], printMapping(doc));
}

/** A book for print: each part and chapter apart, a chapter's notes at its end, so that each can be set on pages of its own. */
export function renderPrintUnits(doc: DocumentModel, units: BookUnit[], renderer: MarkdownIt = plainRenderer): string[] {
  const mapping = printMapping(doc);
  return units.map((unit) => renderTokens(renderer, [...unit.blocks, ...footnoteBlock(doc, unit.footnoteIds)], mapping));
}

/**
 * One section as an e-book chapter body: its own notes follow it, images keep their source path,
 * and links to other sections point at the file that holds them. `env` is given to the renderer's rules.
 */
export function renderEbookSection(
  doc: DocumentModel,
  sections: Section[],
  index: number,
  sectionHref: (index: number) => string,
  renderer: MarkdownIt = plainRenderer,
  env: object = {},
): string {
  const section = sections[index]!;
  const mapping: UrlMapping = {
    imageUrl: (src) => (doc.images.has(src) ? src : undefined),
    linkHref: (href) =>
      editionLink(doc, href, (id) => {
        const target = sections.findIndex((candidate) => candidate.anchorIds.has(id));
        if (target < 0) return undefined;
        return target === index ? `#${id}` : `${sectionHref(target)}#${id}`;
      }),
  };
  return renderTokens(renderer, [...section.tokens, ...footnoteBlock(doc, section.footnoteIds)], mapping, env);
}
