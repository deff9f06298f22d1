import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import type { FrontMatter } from '../options.js';
import { splitFrontMatter } from './front-matter.js';
import { checkLocalImage } from './images.js';
import { createMarkdown, plainText } from './markdown.js';
import { inspectRawHtml } from './raw-html.js';
import { formatMegabytes } from '../net/guarded-fetch.js';
import type { DocumentModel, ImageResource, Metadata, Notice } from './model.js';
import { splitFootnoteTail, splitSections } from './sections.js';

export const MARKDOWN_EXTENSIONS = ['.md', '.markdown'];
const markdown = createMarkdown();

export interface LoadOptions {
  maxDocumentBytes: number;
  maxImageBytes: number;
  /** Given only with --allow-remote: downloads an image and returns its local copy. */
  remoteImages: RemoteImages | undefined;
}

export interface RemoteImages {
  download(url: string): Promise<{ path: string; root: string }>;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  maxDocumentBytes: 10 * 1024 * 1024,
  maxImageBytes: 50 * 1024 * 1024,
  remoteImages: undefined,
};

/** The name a document's outputs take: its file name without the extension. */
export function documentName(sourcePath: string): string {
  return path.basename(sourcePath, path.extname(sourcePath));
}

/** Reads one Markdown file into the document model. Every problem is a GalleyError naming the file. */
export async function loadDocument(sourcePath: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS): Promise<DocumentModel> {
  try {
    return await parseDocumentFile(sourcePath, options);
  } catch (error) {
    if (error instanceof GalleyError) throw error.inFile(sourcePath);
    throw error;
  }
}

async function parseDocumentFile(sourcePath: string, options: LoadOptions): Promise<DocumentModel> {
  const { text, modified } = await readMarkdownFile(sourcePath, options.maxDocumentBytes);
  const { frontMatter, body, bodyStartLine, keyLines, warnings } = splitFrontMatter(text);
  const tokens = markdown.parse(body, {});
  if (!tokens.some((token) => token.type !== 'footnote_block_open' && token.type !== 'footnote_block_close')) {
    throw new GalleyError('the document has no text after its front matter', { line: bodyStartLine });
  }

  const name = documentName(sourcePath);
  const headingTitle = takeTitleHeading(tokens, frontMatter.title === undefined);
  const metadata = toMetadata(frontMatter, frontMatter.title ?? headingTitle ?? name);
  const root = await realpath(path.dirname(sourcePath));
  const images = await resolveImages(scanImagesAndRawHtml(tokens, bodyStartLine, warnings), root, warnings, options);
  const cover = frontMatter.cover === undefined ? undefined : await resolveCover(frontMatter.cover, root, keyLines.get('cover'), options.maxImageBytes);
  const { blocks, footnotes } = splitFootnoteTail(tokens);
  const sections = splitSections(blocks, metadata.title);
  return { sourcePath, name, metadata, blocks, sections, footnotes, images, cover, warnings, modified };
}

async function readMarkdownFile(sourcePath: string, maxBytes: number): Promise<{ text: string; modified: Date }> {
  const info = await stat(sourcePath).catch(() => {
    throw new GalleyError('no such file or folder');
  });
  if (!info.isFile()) throw new GalleyError('not a regular file');
  if (!MARKDOWN_EXTENSIONS.includes(path.extname(sourcePath).toLowerCase())) {
    throw new GalleyError(`not a Markdown file: galley reads ${MARKDOWN_EXTENSIONS.join(' and ')} files`);
  }
  if (info.size > maxBytes) {
    throw new GalleyError(`the file is larger than the limit of ${formatMegabytes(maxBytes)} (raise it with --max-document-size)`);
  }
  const text = decodeUtf8(await readFile(sourcePath));
  if (text.trim() === '') throw new GalleyError('the file is empty', { line: 1 });
  return { text, modified: info.mtime };
}

const REPLACEMENT_CHARACTER = '\uFFFD';
const ENCODED_REPLACEMENT_CHARACTER = Buffer.from(REPLACEMENT_CHARACTER, 'utf8');

/** Decodes UTF-8 (dropping a byte order mark); invalid bytes are an error naming their offset. */
function decodeUtf8(bytes: Buffer): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  for (let index = text.indexOf(REPLACEMENT_CHARACTER); index >= 0; index = text.indexOf(REPLACEMENT_CHARACTER, index + 1)) {
    const offset = Buffer.byteLength(text.slice(0, index)) + (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    if (!bytes.subarray(offset, offset + 3).equals(ENCODED_REPLACEMENT_CHARACTER)) {
      const line = text.slice(0, index).split('\n').length;
      throw new GalleyError(`the file is not valid UTF-8: byte offset ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')})`, { line });
    }
  }
  return text;
}

/** Without a front matter title, the first `#` heading is the title: it moves out of the body. */
function takeTitleHeading(tokens: Token[], wanted: boolean): string | undefined {
  if (!wanted) return undefined;
  const index = tokens.findIndex((token) => token.type === 'heading_open' && token.tag === 'h1');
  if (index < 0) return undefined;
  const title = plainText(tokens[index + 1]!);
  tokens.splice(index, 3);
  return title || undefined;
}

function toMetadata(frontMatter: FrontMatter, title: string): Metadata {
  return {
    title,
    subtitle: frontMatter.subtitle,
    description: frontMatter.description,
    authors: frontMatter.author ?? [],
    date: frontMatter.date,
    lang: frontMatter.lang ?? 'en',
    publisher: frontMatter.publisher,
    keywords: frontMatter.keywords ?? [],
    paper: frontMatter.paper,
    edition: frontMatter.edition,
    updated: frontMatter.updated,
    cover: frontMatter.cover,
    identifier: frontMatter.identifier,
    rights: frontMatter.rights,
    splitLevel: frontMatter.split_level,
  };
}

const URL_SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

interface ImageReference {
  src: string;
  line: number;
  /** Shows the alt text instead, for images written in Markdown; raw HTML images are dropped. */
  useAltText?: () => void;
}

/**
 * Finds the images the document uses (Markdown and raw HTML) and reports what the sanitizer will
 * remove from raw HTML, each with its line.
 */
function scanImagesAndRawHtml(tokens: Token[], bodyStartLine: number, warnings: Notice[]): ImageReference[] {
  const references: ImageReference[] = [];
  const inspect = (html: string, line: number): void => {
    const { removed, imageSources } = inspectRawHtml(html);
    for (const part of removed) warnings.push({ line, message: `raw HTML: removed ${part}` });
    for (const src of imageSources) references.push({ src, line });
  };
  for (const block of tokens) {
    let line = (block.map?.[0] ?? 0) + bodyStartLine;
    if (block.type === 'html_block') inspect(block.content, line);
    if (block.type !== 'inline' || !block.children) continue;
    const children = block.children;
    children.forEach((child, index) => {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type === 'html_inline') inspect(child.content, line);
      if (child.type === 'image') {
        references.push({ src: child.attrGet('src') ?? '', line, useAltText: () => (children[index] = altTextToken(child)) });
      }
    });
  }
  return references;
}

/**
 * Checks every image the document uses. Local images must be regular files inside the document's
 * folder; images elsewhere (remote, or other schemes) are not loaded.
 */
async function resolveImages(references: ImageReference[], root: string, warnings: Notice[], options: LoadOptions): Promise<Map<string, ImageResource>> {
  const images = new Map<string, ImageResource>();
  for (const { src, line, useAltText } of references) {
    if (images.has(src)) continue;
    if (!URL_SCHEME.test(src)) {
      images.set(src, { src, line, ...(await checkLocalImage(src, root, line, options.maxImageBytes)) });
    } else if (options.remoteImages && /^https?:/i.test(src)) {
      const copy = await options.remoteImages.download(src).catch((error: unknown) => {
        throw error instanceof GalleyError ? new GalleyError(`image ${error.message}`, { line }) : error;
      });
      const checked = await checkLocalImage(path.basename(copy.path), copy.root, line, options.maxImageBytes);
      images.set(src, { src, line, ...checked });
    } else {
      const advice = /^https?:/i.test(src) ? ' (allow remote images with --allow-remote)' : '';
      warnings.push({ line, message: `image "${src}" is not loaded: only images inside the document's folder are used${advice}` });
      useAltText?.();
    }
  }
  return images;
}

async function resolveCover(written: string, root: string, line: number | undefined, maxBytes: number): Promise<ImageResource> {
  if (URL_SCHEME.test(written)) throw new GalleyError(`cover "${written}" must be an image inside the document's folder`, { line });
  const checked = await checkLocalImage(encodeURI(written), root, line, maxBytes).catch((error: unknown) => {
    throw error instanceof GalleyError ? new GalleyError(error.message.replace(/^image /, 'cover '), { line }) : error;
  });
  return { src: written, line: line ?? 1, ...checked };
}

function altTextToken(image: Token): Token {
  const text = new Token('text', '', 0);
  text.content = (image.children ?? []).map((child) => child.content).join('');
  return text;
}
