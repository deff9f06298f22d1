import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import type { FrontMatter } from '../options.js';
import { splitFrontMatter } from './front-matter.js';
import { checkLocalImage } from './images.js';
import { createMarkdown, plainText } from './markdown.js';
import type { DocumentModel, ImageResource, Metadata, Notice } from './model.js';
import { splitFootnoteTail, splitSections } from './sections.js';

export const MARKDOWN_EXTENSIONS = ['.md', '.markdown'];
const markdown = createMarkdown();

/** Reads one Markdown file into the document model. Every problem is a GalleyError naming the file. */
export async function loadDocument(sourcePath: string): Promise<DocumentModel> {
  try {
    return await parseDocumentFile(sourcePath);
  } catch (error) {
    if (error instanceof GalleyError) throw error.inFile(sourcePath);
    throw error;
  }
}

async function parseDocumentFile(sourcePath: string): Promise<DocumentModel> {
  const { text, modified } = await readMarkdownFile(sourcePath);
  const { frontMatter, body, bodyStartLine, keyLines, warnings } = splitFrontMatter(text);
  const tokens = markdown.parse(body, {});
  if (!tokens.some((token) => token.type !== 'footnote_block_open' && token.type !== 'footnote_block_close')) {
    throw new GalleyError('the document has no text after its front matter', { line: bodyStartLine });
  }

  const name = path.basename(sourcePath, path.extname(sourcePath));
  const headingTitle = takeTitleHeading(tokens, frontMatter.title === undefined);
  const metadata = toMetadata(frontMatter, frontMatter.title ?? headingTitle ?? name);
  const root = await realpath(path.dirname(sourcePath));
  const images = await resolveImages(tokens, root, bodyStartLine, warnings);
  const cover = frontMatter.cover === undefined ? undefined : await resolveCover(frontMatter.cover, root, keyLines.get('cover'));
  const { blocks, footnotes } = splitFootnoteTail(tokens);
  const sections = splitSections(blocks, metadata.title);
  return { sourcePath, name, metadata, blocks, sections, footnotes, images, cover, warnings, modified };
}

async function readMarkdownFile(sourcePath: string): Promise<{ text: string; modified: Date }> {
  const info = await stat(sourcePath).catch(() => {
    throw new GalleyError('no such file or folder');
  });
  if (!info.isFile()) throw new GalleyError('not a regular file');
  if (!MARKDOWN_EXTENSIONS.includes(path.extname(sourcePath).toLowerCase())) {
    throw new GalleyError(`not a Markdown file: galley reads ${MARKDOWN_EXTENSIONS.join(' and ')} files`);
  }
  const bytes = await readFile(sourcePath);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new GalleyError('the file is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new GalleyError('the file is empty', { line: 1 });
  return { text, modified: info.mtime };
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

/**
 * Checks every image the Markdown uses. Local images must be regular files inside the document's
 * folder; images elsewhere (remote, or other schemes) are not loaded and show as their alt text.
 */
async function resolveImages(tokens: Token[], root: string, bodyStartLine: number, warnings: Notice[]): Promise<Map<string, ImageResource>> {
  const images = new Map<string, ImageResource>();
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let line = (block.map?.[0] ?? 0) + bodyStartLine;
    for (const [index, child] of block.children.entries()) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type !== 'image') continue;
      const src = child.attrGet('src') ?? '';
      if (URL_SCHEME.test(src)) {
        warnings.push({ line, message: `image "${src}" is not loaded: only images inside the document's folder are used` });
        block.children[index] = altTextToken(child);
        continue;
      }
      if (!images.has(src)) images.set(src, { src, line, ...(await checkLocalImage(src, root, line)) });
    }
  }
  return images;
}

async function resolveCover(written: string, root: string, line: number | undefined): Promise<ImageResource> {
  if (URL_SCHEME.test(written)) throw new GalleyError(`cover "${written}" must be an image inside the document's folder`, { line });
  const checked = await checkLocalImage(encodeURI(written), root, line).catch((error: unknown) => {
    throw error instanceof GalleyError ? new GalleyError(error.message.replace(/^image /, 'cover '), { line }) : error;
  });
  return { src: written, line: line ?? 1, ...checked };
}

function altTextToken(image: Token): Token {
  const text = new Token('text', '', 0);
  text.content = (image.children ?? []).map((child) => child.content).join('');
  return text;
}
