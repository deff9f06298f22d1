import Token from 'markdown-it/lib/token.mjs';
import type { Notice } from './model.js';
import { inspectRawHtml } from './raw-html.js';

export interface ImageReference {
  src: string;
  line: number;
  /** Shows the alt text instead, for images written in Markdown; raw HTML images are dropped. */
  useAltText?: () => void;
}

export interface TokenScan {
  images: ImageReference[];
  /** Links written in raw HTML, with their lines (Markdown links are checked on their tokens). */
  rawLinks: { href: string; line: number }[];
  /** Ids given in raw HTML. */
  rawIds: string[];
}

/**
 * Finds the images the document uses (Markdown and raw HTML), the links and ids of its raw HTML,
 * and reports what the sanitizer will remove from raw HTML, each with its line.
 */
export function scanTokens(tokens: Token[], bodyStartLine: number, warnings: Notice[]): TokenScan {
  const scan: TokenScan = { images: [], rawLinks: [], rawIds: [] };
  const inspect = (token: Token, line: number): void => {
    const found = inspectRawHtml(token.content);
    setHtmlIds(token, found.ids);
    for (const part of found.removed) warnings.push({ line, message: `raw HTML: removed ${part}` });
    for (const src of found.imageSources) scan.images.push({ src, line });
    for (const src of found.imagesWithoutAlt) warnings.push({ line, message: noAltText(src) });
    for (const href of found.links) scan.rawLinks.push({ href, line });
    scan.rawIds.push(...found.ids);
  };
  for (const block of tokens) {
    let line = (block.map?.[0] ?? 0) + bodyStartLine;
    if (block.type === 'html_block') inspect(block, line);
    if (block.type !== 'inline' || !block.children) continue;
    const children = block.children;
    children.forEach((child, index) => {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type === 'html_inline') inspect(child, line);
      if (child.type === 'image') {
        if (!(child.children ?? []).some((part) => part.content.trim() !== ''))
          warnings.push({ line, message: noAltText(child.attrGet('src') ?? '') });
        scan.images.push({ src: child.attrGet('src') ?? '', line, useAltText: () => (children[index] = altTextToken(child)) });
      }
    });
  }
  return scan;
}

/** The ids a raw HTML token holds, noted on it by the scan so that sections need not parse it again. */
export function htmlIdsOf(token: Token): string[] {
  return (token.meta as { htmlIds?: string[] } | null)?.htmlIds ?? [];
}

function setHtmlIds(token: Token, ids: string[]): void {
  if (ids.length > 0) token.meta = { ...(token.meta as object | null), htmlIds: ids };
}

function noAltText(src: string): string {
  return `image "${src}" has no alt text: it is marked decorative, and readers who cannot see it skip it (give it alt text if it says something)`;
}

function altTextToken(image: Token): Token {
  const text = new Token('text', '', 0);
  text.content = (image.children ?? []).map((child) => child.content).join('');
  return text;
}

/** mdBook's `{{#include …}}`, `{{#rustdoc_include …}}`, `{{#playground …}}`, `{{#title …}}`. */
const DIRECTIVE = /\{\{#([a-z_]+)[^}]*\}\}/g;

/** mdBook directives are for books: in a single document each is left as written, with a warning. */
export function directiveWarnings(body: string, bodyStartLine: number): Notice[] {
  const warnings: Notice[] = [];
  body.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(DIRECTIVE)) {
      warnings.push({
        line: bodyStartLine + index,
        message: `the mdBook directive ${match[0]} is left as written: galley expands directives only in books`,
      });
    }
  });
  return warnings;
}
