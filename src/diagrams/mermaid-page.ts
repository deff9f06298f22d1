/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { browserError } from '../browser/browser-errors.js';
import { pageWorkDir } from '../browser/guarded-page.js';
import { DRAWING, type PageSource } from '../browser/session.js';
import { blankFileUrl, openBlankFile } from '../browser/show-html.js';
import { mark } from '../report/trace.js';

const require = createRequire(import.meta.url);
const MERMAID_PACKAGE = require.resolve('mermaid/package.json');
const MERMAID_BUNDLE_URL = pathToFileURL(path.join(path.dirname(MERMAID_PACKAGE), 'dist', 'mermaid.min.js')).href;

/** The mermaid that draws: its version is part of every diagram's cache key. */
export const MERMAID_VERSION = (require(MERMAID_PACKAGE) as { version: string }).version;

/**
 * How galley asks mermaid to draw. Labels are SVG text, not HTML in a foreignObject (which no
 * sanitizer keeps and few e-readers show); the neutral theme reads the same in greyscale; the
 * face is one every system has or matches (Liberation Sans has Arial's widths), since an SVG shown
 * as an image sees only the system's fonts; ids are numbered, not random, so that builds repeat;
 * mermaid's own limits (50,000 characters, 500 edges) stay in place.
 */
export const MERMAID_CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'neutral',
  fontFamily: '"Liberation Sans", Arial, Helvetica, sans-serif',
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  suppressErrorRendering: true,
  deterministicIds: true,
  // mermaid sets an edge's label on a half-transparent box, which lets the edge show through the text.
  themeCSS: '.edgeLabel rect { opacity: 1; }',
} as const;

/** What mermaid made of one diagram: its SVG and what it says of itself, or why it could not. */
export type MermaidResult =
  | { svg: string; title: string | undefined; description: string | undefined; kind: string | undefined }
  | { error: string; line: number | undefined };

/** A diagram's drawing, and what it tried to load and was refused (an image shape's picture, say). */
export interface Drawing {
  result: MermaidResult;
  refused: string[];
}

/** Pages whose mermaid is loaded already: a page is pooled with its purpose, and keeps it. */
const loaded = new WeakSet<Page>();

/**
 * Draws diagrams in a page of the drawing context, the one kind of page where JavaScript runs: it
 * runs mermaid's own bundle and nothing else. The page loads that bundle and nothing else (every
 * other request is refused), and a diagram's source reaches it only as a string argument, never
 * as script.
 */
export async function withMermaidPage<T>(
  pages: PageSource,
  use: (draw: (id: string, source: string) => Promise<Drawing>) => Promise<T>,
): Promise<T> {
  const page = await pages.newPage(DRAWING);
  const watch = pages.watchOf?.(page);
  const step = <S>(work: Promise<S>): Promise<S> => watch?.race(work) ?? work;
  let refused: string[] = [];
  let usable = false;
  try {
    await step(prepare(page, pages, (url) => refused.push(url)));
    const draw = async (id: string, source: string): Promise<Drawing> => {
      refused = [];
      const result = await step(page.evaluate(drawInPage, id, source, MERMAID_CONFIG));
      return { result, refused };
    };
    const result = await use(draw);
    usable = true;
    return result;
  } catch (error) {
    throw watch ? await watch.explain(error) : browserError(error);
  } finally {
    await pages.release(page, usable);
  }
}

/**
 * Loads mermaid in a new page from its file, which Chrome reads and compiles as it does any script:
 * in a cold build that took 0.4–0.55 s, against 0.85 s for handing its 5.5 MB of source through
 * DevTools. Only the empty page and the bundle are let through, and only while they load.
 */
async function prepare(page: Page, pages: PageSource, onRefused: (url: string) => void): Promise<void> {
  const letThrough = new Set<string>();
  // The session takes a page's request listeners away when it is given back.
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (letThrough.has(request.url())) return void request.continue();
    onRefused(request.url());
    void request.abort('blockedbyclient');
  });
  if (loaded.has(page)) return;
  await page.setJavaScriptEnabled(true);
  const workDir = await pageWorkDir(pages);
  try {
    letThrough.add(blankFileUrl(workDir)).add(MERMAID_BUNDLE_URL);
    await openBlankFile(page, workDir);
    await page.addScriptTag({ url: MERMAID_BUNDLE_URL });
    mark('mermaid loaded');
  } finally {
    letThrough.clear();
    await rm(workDir, { recursive: true, force: true });
  }
  loaded.add(page);
}

/**
 * Runs in the page. Draws one diagram, then makes it a still picture of a fixed size: animations
 * go (a page does not move), and the width and height come from the viewBox (mermaid writes 100%).
 */
async function drawInPage(id: string, source: string, config: object): Promise<MermaidResult> {
  interface Mermaid {
    initialize(config: object): void;
    render(id: string, text: string): Promise<{ svg: string }>;
  }
  const mermaid = (globalThis as unknown as { mermaid: Mermaid }).mermaid;
  mermaid.initialize(config);
  let svg: string;
  try {
    svg = (await mermaid.render(id, source)).svg;
  } catch (error) {
    const found = error as { message?: string; hash?: { loc?: { first_line?: number } } } | undefined;
    return { error: String(found?.message ?? error), line: found?.hash?.loc?.first_line };
  } finally {
    document.body.replaceChildren();
  }
  const root = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  for (const style of root.querySelectorAll('style')) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(style.textContent ?? '');
    const kept: string[] = [];
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSKeyframesRule) continue;
      if (rule instanceof CSSStyleRule) rule.style.removeProperty('animation');
      kept.push(rule.cssText);
    }
    style.textContent = kept.join('\n');
  }
  const [, , width, height] = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  if (width && height) {
    root.setAttribute('width', String(Math.ceil(width)));
    root.setAttribute('height', String(Math.ceil(height)));
    root.style.removeProperty('max-width');
    if (root.getAttribute('style') === '') root.removeAttribute('style');
  }
  const text = (selector: string) => root.querySelector(`:scope > ${selector}`)?.textContent?.trim() || undefined;
  return {
    svg: new XMLSerializer().serializeToString(root),
    title: text('title'),
    description: text('desc'),
    kind: root.getAttribute('aria-roledescription') ?? undefined,
  };
}
