import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { formatMegabytes } from '../net/guarded-fetch.js';
import type { FrontMatter } from '../settings/front-matter-schema.js';
import { splitFrontMatter } from './front-matter.js';
import type { Metadata } from './model.js';
import { MARKDOWN_EXTENSIONS } from './names.js';

/** A Markdown file's bytes, read whole and checked (its size, its extension, its UTF-8). */
export async function readMarkdownFile(sourcePath: string, maxBytes: number): Promise<{ bytes: Buffer; text: string; modified: Date }> {
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
  const bytes = await readFile(sourcePath);
  const text = decodeUtf8(bytes);
  if (text.trim() === '') throw new GalleyError('the file is empty', { line: 1 });
  return { bytes, text, modified: info.mtime };
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
      throw new GalleyError(`the file is not valid UTF-8: byte offset ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')})`, {
        line,
      });
    }
  }
  return text;
}

/** A document's metadata, from its front matter, and the title and language found for it. */
export function toMetadata(frontMatter: FrontMatter, title: string, lang: string): Metadata {
  return {
    title,
    subtitle: frontMatter.subtitle,
    description: frontMatter.description,
    authors: frontMatter.author ?? [],
    date: frontMatter.date,
    lang,
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

/**
 * The metadata of a Markdown file whose front matter gives its title and its language and no cover
 * image, read without parsing the file's body: all its generated cover shows, so that the cover can
 * be asked for first. Undefined for any other file, and for any problem, which reading the whole
 * document reports.
 */
export async function frontMatterMetadata(sourcePath: string, maxDocumentBytes: number): Promise<Metadata | undefined> {
  try {
    const { frontMatter } = splitFrontMatter((await readMarkdownFile(sourcePath, maxDocumentBytes)).text);
    const { title, lang, cover } = frontMatter;
    return title === undefined || lang === undefined || cover !== undefined ? undefined : toMetadata(frontMatter, title, lang);
  } catch {
    return undefined;
  }
}
